//! The course: listed at start ([`INDEX`], built in: each lesson's slug, title and number
//! of steps), its lessons fetched from the site (`lessons/<slug>.json`, served next to the
//! page) the first time one is opened, then kept for the tab. The page's start is smaller
//! by the lessons' 150 KB of JSON, and by the code that reads lessons and workshops: it
//! comes with the learning pages' module ([`Readers`]). The CLI has the lessons built in
//! (`dynaplay_engine::lesson::course`).

use std::cell::RefCell;
use std::rc::Rc;

pub use dynaplay_engine::lesson::course::INDEX;
use dynaplay_engine::lesson::{workshop, Check, Last, Lesson, LessonError, Workshop};
use dynaplay_engine::Engine;

/// What a learner is told when the lessons could not be fetched.
pub const NOT_FETCHED: &str = "The course's lessons could not be fetched (are you offline?). Reload to try again.";

/// The course's lessons, in its order, and the code that reads workshops.
#[derive(Clone, Debug)]
pub struct Course {
    lessons: Rc<Vec<(&'static str, Lesson)>>,
    readers: Readers,
}

impl PartialEq for Course {
    fn eq(&self, other: &Course) -> bool {
        Rc::ptr_eq(&self.lessons, &other.lessons)
    }
}

impl Course {
    pub fn lesson(&self, slug: &str) -> Option<Lesson> {
        self.lessons.iter().find(|(s, _)| *s == slug).map(|(_, l)| l.clone())
    }

    /// Each lesson with its slug, in the course's order.
    pub fn lessons(&self) -> impl Iterator<Item = (&'static str, &Lesson)> {
        self.lessons.iter().map(|(s, l)| (*s, l))
    }

    /// A workshop (or lone lesson) file's text, its built-in lessons read from here.
    pub fn workshop(&self, text: &str) -> Result<Workshop, String> {
        (self.readers.workshop)(text, &|slug| self.lesson(slug)).map_err(|e| e.0)
    }

    /// A workshop link's payload (`#/workshop/<payload>`), read as [`Course::workshop`].
    pub fn workshop_from_link(&self, payload: &str) -> Result<Workshop, String> {
        (self.readers.workshop_from_link)(payload, &|slug| self.lesson(slug)).map_err(|e| e.0)
    }
}

/// Reads a workshop, its built-in lessons from the course ([`workshop::Course`]).
type ReadWorkshop = fn(&str, workshop::Course<'_>) -> Result<Workshop, LessonError>;

/// The readers of lessons and workshops. A page's start reads neither (the home page lists
/// the course from [`INDEX`]), so their code comes with the learning pages' module.
#[derive(Clone, Copy, Debug)]
struct Readers {
    lesson: fn(&str) -> Result<Lesson, LessonError>,
    workshop: ReadWorkshop,
    workshop_from_link: ReadWorkshop,
}

const READERS: Readers =
    Readers { lesson: Lesson::parse, workshop: Workshop::parse_with, workshop_from_link: Workshop::from_link_with };

#[cfg(feature = "split")]
async fn readers() -> Option<Readers> {
    readers_code().await.ok()
}

#[cfg(not(feature = "split"))]
async fn readers() -> Option<Readers> {
    Some(READERS)
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(learning, wasm_split_path = ::leptos::wasm_split, fallible)]
fn readers_code() -> Result<Readers, crate::pages::NotLoaded> {
    Ok(READERS)
}

thread_local! {
    static FETCHED: RefCell<Option<Course>> = const { RefCell::new(None) };
}

/// The course's lessons: fetched the first time (all at once, with the learning pages'
/// module that reads them), then kept. An error says why not; the next call tries again.
pub async fn course() -> Result<Course, String> {
    if let Some(course) = FETCHED.with_borrow(Clone::clone) {
        return Ok(course);
    }
    let readers = readers().await.ok_or(NOT_FETCHED)?;
    let paths: Vec<String> = INDEX.iter().map(|l| format!("lessons/{}.json", l.slug)).collect();
    let texts = futures::future::join_all(paths.iter().map(|p| crate::files::fetch_text(p))).await;
    let mut lessons = Vec::with_capacity(INDEX.len());
    for (listed, text) in INDEX.iter().zip(texts) {
        let text = text.ok_or(NOT_FETCHED)?;
        let lesson =
            (readers.lesson)(&text).map_err(|e| format!("The lesson {:?} could not be read: {}", listed.slug, e.0))?;
        lessons.push((listed.slug, lesson));
    }
    let course = Course { lessons: Rc::new(lessons), readers };
    FETCHED.set(Some(course.clone()));
    Ok(course)
}

/// One lesson of the course, by its slug (fetched with the rest, as [`course`]).
pub async fn lesson(slug: &str) -> Result<Lesson, String> {
    course().await?.lesson(slug).ok_or_else(|| format!("There is no lesson named {slug:?} in the course."))
}

/// Judges a step's check on the engine after one of the learner's requests
/// ([`Check::evaluate`]: `Err` says what is still missing).
pub type Judge = fn(&Check, &Engine, Option<&Last>) -> Result<(), String>;

fn evaluate(check: &Check, engine: &Engine, last: Option<&Last>) -> Result<(), String> {
    check.evaluate(engine, last)
}

/// The judge, whose code comes with the learning pages' module (fetched anyway while a
/// lesson runs: its step panel is there), so the page's start does without it. `None`
/// when the module could not be fetched.
#[cfg(feature = "split")]
pub async fn judge() -> Option<Judge> {
    judge_code().await.ok()
}

#[cfg(not(feature = "split"))]
pub async fn judge() -> Option<Judge> {
    Some(evaluate)
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(learning, wasm_split_path = ::leptos::wasm_split, fallible)]
fn judge_code() -> Result<Judge, crate::pages::NotLoaded> {
    Ok(evaluate)
}
