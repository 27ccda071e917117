//! `#/teach`: a teacher builds a workshop — a title, notes, lessons from the course and
//! their own lesson files, and optionally their current workspace as the class's
//! playground — and shares it as a link (the workshop deflated into the URL fragment;
//! nothing is uploaded) or a file.

use dynaplay_engine::scenario::Scenario;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::handle::use_engine;
use crate::lessons::INDEX;
use crate::model::workshop::{own_lesson, Draft};
use crate::routes::{href, Route};

#[component]
pub fn TeachPage() -> impl IntoView {
    let engine = use_engine();
    let draft = RwSignal::new(Draft { title: "My workshop".into(), ..Draft::default() });
    let own_titles = RwSignal::new(Vec::<String>::new());
    let file_error = RwSignal::new(None::<String>);
    let with_workspace = move |on: bool| {
        let workspace = on.then(|| crate::handle::peek(engine, |e| Scenario::from_engine(e, "Workspace")));
        draft.update(|d| d.workspace = workspace);
    };
    // The course's lessons, fetched: a workshop is read back with them, as a learner's
    // page reads it.
    let course = LocalResource::new(crate::lessons::course);
    // `None` until the lessons are there.
    let built = Memo::new(move |_| {
        let built = |course: crate::lessons::Course| {
            let w = draft.with(|d| d.build(&|slug| course.lesson(slug)))?;
            let payload = w.to_link()?;
            Ok::<_, String>((payload, w.to_json()))
        };
        course.get().map(|c| c.and_then(built))
    });
    let add_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(files) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        input.set_value("");
        leptos::task::spawn_local(async move {
            for file in files {
                let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
                match own_lesson(&file.name(), &text) {
                    Ok((title, doc)) => {
                        draft.update(|d| d.own.push(doc));
                        own_titles.update(|t| t.push(title));
                        file_error.set(None);
                    }
                    Err(e) => file_error.set(Some(e)),
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="teach-title" data-testid="teach">
            <h1 id="teach-title">"Make a workshop"</h1>
            <p class="intro">"Hand your class a ready path: a title, notes, the lessons in order, and if you like your current tables as their starting playground. The whole workshop travels inside the link; your learners preview it, join it, and keep their progress in their own browser."</p>
            <label class="block">"Title"
                <input type="text" prop:value=move || draft.with(|d| d.title.clone()) on:input=move |e| draft.update(|d| d.title = event_target_value(&e)) data-testid="teach-title"/>
            </label>
            <label class="block">"Notes for the class (Markdown)"
                <textarea rows="4" prop:value=move || draft.with(|d| d.notes.clone()) on:input=move |e| draft.update(|d| d.notes = event_target_value(&e)) data-testid="teach-notes"></textarea>
            </label>
            <fieldset class="check-list" data-testid="teach-course">
                <legend>"Lessons from the course"</legend>
                {INDEX.iter().map(|listed| {
                    let (slug, title) = (listed.slug, listed.title);
                    view! {
                        <label class="check"><input type="checkbox" data-slug=slug
                            prop:checked=move || draft.with(|d| d.course.iter().any(|s| s == slug))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
                                    d.course.retain(|s| s != slug);
                                    if on {
                                        d.course.push(slug.to_string());
                                        dynaplay_engine::sorted::sort_by_key(&mut d.course, |s| INDEX.iter().position(|l| l.slug == s));
                                    }
                                });
                            }/>" "{title}</label>
                    }
                }).collect_view()}
            </fieldset>
            <OwnLessons draft=draft titles=own_titles add_files=add_files error=file_error/>
            <label class="check"><input type="checkbox" on:change=move |ev| with_workspace(event_target_checked(&ev)) data-testid="teach-workspace"/>
                " Start the class from my current workspace (its tables and items)"</label>
            <Output built=built/>
            <p class="muted small" data-testid="teach-prove">"Before class, prove the workshop's lessons with the command line: "
                <code>"dynaplay lesson check workshop.json"</code>" on Dynaplay's engine, and "
                <code>"dynaplay lesson check --endpoint https://dynamodb.us-east-1.amazonaws.com workshop.json"</code>
                " on DynamoDB itself (with your AWS credentials, in tables it makes and deletes; steps only Dynaplay can check are reported as skipped)."</p>
        </section>
    }
}

/// The teacher's own lesson files, listed, each removable.
#[component]
fn OwnLessons(
    draft: RwSignal<Draft>,
    titles: RwSignal<Vec<String>>,
    add_files: impl Fn(leptos::ev::Event) + 'static,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let remove = move |i: usize| {
        draft.update(|d| {
            if i < d.own.len() {
                d.own.remove(i);
            }
        });
        titles.update(|t| {
            if i < t.len() {
                t.remove(i);
            }
        });
    };
    view! {
        <fieldset>
            <legend>"Your own lessons (after the course's)"</legend>
            <ol>
                {move || titles.get().into_iter().enumerate().map(|(i, t)| view! {
                    <li>{t}" "<button class="ghost small" on:click=move |_| remove(i)>"Remove"</button></li>
                }).collect_view()}
            </ol>
            <label class="button">"Add lesson files…"
                <input type="file" multiple accept="application/json,.json" class="visually-hidden" aria-label="Add lesson files" on:change=add_files data-testid="teach-own"/>
            </label>
            <p class="muted small">"A lesson file is JSON (\"format\": \"dynaplay-lesson\"); see "<a href="#/lessons">"the course"</a>" and the README for the format. `dynaplay lesson check` proves one before you share it."</p>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="teach-own-error">{e}</p> })}
        </fieldset>
    }
}

/// The link (or why there is none), and the file.
#[component]
fn Output(built: Memo<Option<Result<(String, Value), String>>>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let link = move |payload: &str| {
        let location = window().location();
        let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
        format!("{base}{}", href(&Route::Workshop(Some(payload.to_string()))))
    };
    let download = move |_| {
        if let Some(Ok((_, doc))) = built.get_untracked() {
            crate::files::download_json("workshop.json", &serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
    };
    move || match built.get() {
        None => view! { <p class="muted" data-testid="teach-loading">"Fetching the course's lessons…"</p> }.into_any(),
        Some(Ok((payload, _))) => {
            let url = link(&payload);
            let copy_url = url.clone();
            let copy = move |_| {
                let _ = window().navigator().clipboard().write_text(&copy_url);
                copied.set(true);
            };
            view! {
                <label class="block">{format!("Link ({} characters)", url.len())}
                    <input type="text" readonly prop:value=url.clone() data-testid="teach-link"/>
                </label>
                <div class="actions">
                    <button class="primary" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy link" }}</button>
                    <a class="button" href=href(&Route::Workshop(Some(payload.clone()))) data-testid="teach-preview">"Preview it"</a>
                    <button on:click=download data-testid="teach-download">"Download file"</button>
                </div>
            }
            .into_any()
        }
        Some(Err(e)) => view! {
            <p class="error-text" role="alert" data-testid="teach-error">{e}</p>
            <div class="actions"><button on:click=download>"Download file"</button></div>
        }
        .into_any(),
    }
}
