//! The course: listed at start ([`INDEX`], built in: each lesson's slug, title and number
//! of steps), its lessons fetched from the site (`lessons/<slug>.json`, served next to the
//! page) the first time one is opened, then kept for the tab. The page's start is smaller
//! by the lessons' 150 KB of JSON; the CLI has them built in
//! (`dynaplay_engine::lesson::course`).

use std::cell::RefCell;
use std::rc::Rc;

pub use dynaplay_engine::lesson::course::INDEX;
use dynaplay_engine::lesson::{Check, Last, Lesson, Workshop};
use dynaplay_engine::Engine;

/// What a learner is told when the lessons could not be fetched.
pub const NOT_FETCHED: &str = "The course's lessons could not be fetched (are you offline?). Reload to try again.";

/// The course's lessons, in its order.
#[derive(Clone, Debug)]
pub struct Course(Rc<Vec<(&'static str, Lesson)>>);

impl PartialEq for Course {
    fn eq(&self, other: &Course) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Course {
    pub fn lesson(&self, slug: &str) -> Option<Lesson> {
        self.0.iter().find(|(s, _)| *s == slug).map(|(_, l)| l.clone())
    }

    /// Each lesson with its slug, in the course's order.
    pub fn lessons(&self) -> impl Iterator<Item = (&'static str, &Lesson)> {
        self.0.iter().map(|(s, l)| (*s, l))
    }

    /// A workshop (or lone lesson) file's text, its built-in lessons read from here.
    pub fn workshop(&self, text: &str) -> Result<Workshop, String> {
        Workshop::parse_with(text, &|slug| self.lesson(slug)).map_err(|e| e.0)
    }

    /// A workshop link's payload (`#/workshop/<payload>`), read as [`Course::workshop`].
    pub fn workshop_from_link(&self, payload: &str) -> Result<Workshop, String> {
        Workshop::from_link_with(payload, &|slug| self.lesson(slug)).map_err(|e| e.0)
    }
}

thread_local! {
    static FETCHED: RefCell<Option<Course>> = const { RefCell::new(None) };
}

/// The course's lessons: fetched the first time (all at once), then kept. An error says
/// why not; the next call tries again.
pub async fn course() -> Result<Course, String> {
    if let Some(course) = FETCHED.with_borrow(Clone::clone) {
        return Ok(course);
    }
    let paths: Vec<String> = INDEX.iter().map(|l| format!("lessons/{}.json", l.slug)).collect();
    let texts = futures::future::join_all(paths.iter().map(|p| crate::files::fetch_text(p))).await;
    let mut lessons = Vec::with_capacity(INDEX.len());
    for (listed, text) in INDEX.iter().zip(texts) {
        let text = text.ok_or(NOT_FETCHED)?;
        let lesson =
            Lesson::parse(&text).map_err(|e| format!("The lesson {:?} could not be read: {}", listed.slug, e.0))?;
        lessons.push((listed.slug, lesson));
    }
    let course = Course(Rc::new(lessons));
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
