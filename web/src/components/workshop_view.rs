//! A workshop previewed before it is joined (`#/workshop/<payload>` from a link, or
//! `#/workshop` for a file opened in this tab): its title, notes (safe Markdown), its
//! starting workspace and its lessons. Nothing is kept until the learner joins it.

use dynaplay_engine::lesson::workshop::MAX_BYTES;
use dynaplay_engine::lesson::Workshop;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::markdown::Markdown;
use crate::handle::use_engine;
use crate::lessons::Course;
use crate::routes::{navigate, Route};

/// Where the opened file's text waits for `#/workshop`, for this tab only.
const OPENED_KEY: &str = "dynaplay-opened-workshop";

/// The workshop (or lone lesson) file opened in this tab, or why there is none.
fn opened_workshop(course: &Course) -> Result<Workshop, String> {
    let text = window().session_storage().ok().flatten().and_then(|s| s.get_item(OPENED_KEY).ok().flatten());
    let text = text.ok_or("No lesson or workshop file is open in this tab. Choose one on the Lessons page.")?;
    course.workshop(&text)
}

/// The workshop a link holds (`payload`), or the file opened in this tab (`None`), read
/// once the course's lessons are fetched (a workshop names the course's by slug).
async fn workshop(link: Option<String>) -> Result<Workshop, String> {
    let course = crate::lessons::course().await?;
    match link {
        Some(payload) => course.workshop_from_link(&payload),
        None => opened_workshop(&course),
    }
}

/// A file input for a lesson or workshop file: checked, kept for this tab, previewed.
#[component]
pub fn OpenLessonFile() -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        if file.size() > MAX_BYTES as f64 {
            error.set(Some(format!(
                "{} is bigger than {} KB, the most a workshop may be.",
                file.name(),
                MAX_BYTES / 1024
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            if let Err(e) = crate::lessons::course().await.and_then(|c| c.workshop(&text)) {
                error.set(Some(format!("{}: {e}", file.name())));
                return;
            }
            match window().session_storage().ok().flatten().map(|s| s.set_item(OPENED_KEY, &text)) {
                Some(Ok(())) => {
                    error.set(None);
                    navigate(&Route::Workshop(None));
                }
                _ => error.set(Some(format!(
                    "{} could not be kept for this tab: the browser refused to store it.",
                    file.name()
                ))),
            }
        });
    };
    view! {
        <div class="form-row">
            <label class="button">
                "Open a lesson or workshop file…"
                <input type="file" accept="application/json,.json" class="visually-hidden" aria-label="Open a lesson or workshop file" on:change=open data-testid="open-lesson-file"/>
            </label>
            <span class="muted small">"From your teacher, or one you wrote; read here and uploaded nowhere."</span>
        </div>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="open-lesson-error">{e}</p> })}
    }
}

/// A workshop previewed: from a link (`link`, its payload) or the file opened in this tab.
#[component]
pub fn WorkshopPage(link: Option<String>) -> impl IntoView {
    let read = LocalResource::new(move || workshop(link.clone()));
    move || match read.get() {
        None => {
            view! { <p class="muted" data-testid="workshop-loading">"Fetching the course's lessons…"</p> }.into_any()
        }
        Some(Ok(w)) => view! { <Preview workshop=w/> }.into_any(),
        Some(Err(e)) => view! {
            <section class="panel">
                <h1>"This workshop cannot be opened"</h1>
                <p class="error-text" role="alert" data-testid="workshop-error">{e}</p>
                <p><a href="#/lessons">"Go to the lessons"</a></p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn Preview(workshop: Workshop) -> impl IntoView {
    let engine = use_engine();
    let joined = engine.with_value(|h| h.workshop());
    let replaces = joined.get_untracked().filter(|j| j.title != workshop.title).map(|j| j.title);
    let kept = StoredValue::new(workshop.clone());
    let join = move |_| {
        let handle = engine.get_value();
        let w = kept.get_value();
        leptos::task::spawn_local(async move {
            handle.join_workshop(w).await;
            navigate(&Route::Lessons);
        });
    };
    view! {
        <section class="panel" aria-labelledby="workshop-preview-title" data-testid="workshop-preview">
            <p class="muted small">"A workshop, previewed: nothing is kept until you join it."</p>
            <h1 id="workshop-preview-title">{workshop.title.clone()}</h1>
            <Markdown text=workshop.notes.clone()/>
            <h2>"Starting workspace"</h2>
            <p data-testid="workshop-workspace-summary">{crate::model::workshop::workspace_summary(workshop.workspace.as_ref())}</p>
            <h2>{format!("{} lessons", workshop.lessons.len())}</h2>
            <ol class="preview-lessons" data-testid="workshop-lessons">
                {workshop.lessons.iter().map(|e| {
                    let origin = if e.own.is_some() { "the teacher's own" } else { "from the course" };
                    view! {
                        <li><strong>{e.lesson.title.clone()}</strong>
                            <span class="muted small">{format!(" · {} steps · {origin}", e.lesson.steps.len())}</span></li>
                    }
                }).collect_view()}
            </ol>
            {replaces.map(|t| view! { <p class="notice" role="note">{format!("Joining it leaves the workshop {t}; your progress through its lessons is kept.")}</p> })}
            <div class="actions">
                <button class="primary" on:click=join data-testid="workshop-join">"Join this workshop"</button>
                <a class="button ghost" href="#/lessons">"Not now"</a>
            </div>
        </section>
    }
}
