//! `#/lessons`: the workshop the learner joined (its notes, its workspace, its lessons),
//! then the course, each lesson with the learner's progress; a lesson or workshop file
//! opened from disk; the progress report to hand in; and the way to `#/teach`.

use dynaplay_engine::lesson::Lesson;
use leptos::prelude::*;

use super::markdown::Markdown;
use super::workshop_view::OpenLessonFile;
use crate::handle::use_engine;
use crate::lessons::Course;
use crate::routes::{href, navigate, Route};

#[component]
pub fn LessonsPage() -> impl IntoView {
    let engine = use_engine();
    let progress = engine.with_value(|h| h.lesson_progress());
    let workshop = engine.with_value(|h| h.workshop());
    // The course's lessons, fetched with the page (the report lists their steps too).
    let course = LocalResource::new(crate::lessons::course);
    let report = move || {
        let Some(Ok(course)) = course.get_untracked() else { return };
        let handle = engine.get_value();
        let joined = workshop.get_untracked();
        let mut lessons: Vec<(String, Lesson)> =
            joined.iter().flat_map(|w| w.lessons.iter().map(|e| (e.slug.clone(), e.lesson.clone()))).collect();
        for (slug, l) in course.lessons() {
            if !lessons.iter().any(|(s, _)| s == slug) {
                lessons.push((slug.to_string(), l.clone()));
            }
        }
        let requests: Vec<(String, String, u16)> =
            handle.history().get_untracked().into_iter().take(50).map(|h| (h.operation, h.request, h.status)).collect();
        let title = joined.as_ref().map(|w| w.title.as_str());
        let doc = crate::model::lessons::progress_report(title, &lessons, &progress.get_untracked(), &requests);
        crate::files::download_json("dynaplay-progress.json", &serde_json::to_string_pretty(&doc).unwrap_or_default());
    };
    let fetched = move || course.get().is_some_and(|c| c.is_ok());
    view! {
        <section class="panel" aria-labelledby="lessons-title" data-testid="lessons">
            <div class="panel-head"><h2 id="lessons-title">"Lessons"</h2></div>
            <p class="intro">"A guided path through DynamoDB. Each lesson runs apart from your own tables; each step checks what you did after every request, and says what is still missing. Your progress stays in this browser."</p>
            <div class="form-row">
                <button class="ghost" on:click=move |_| report() disabled=move || !fetched() data-testid="progress-report" title="A JSON file of the steps you have done and your latest requests, to hand in">"Download my progress report"</button>
                <a class="button ghost" href=href(&Route::Teach) data-testid="teach-link">"Make a workshop for your class"</a>
            </div>
            <OpenLessonFile/>
        </section>
        {move || workshop.get().map(|w| view! { <JoinedWorkshop workshop=w/> })}
        <section class="panel" aria-labelledby="course-title">
            <h2 id="course-title">"The course"</h2>
            {move || match course.get() {
                None => view! { <p class="muted" data-testid="course-loading">"Fetching the course's lessons…"</p> }.into_any(),
                Some(Ok(c)) => view! { <CourseList course=c/> }.into_any(),
                Some(Err(e)) => view! { <p class="error-text" role="alert" data-testid="course-error">{e}</p> }.into_any(),
            }}
        </section>
    }
}

/// The course's lessons, each with the learner's progress.
#[component]
fn CourseList(course: Course) -> impl IntoView {
    view! {
        <ol class="lesson-list">
            {course.lessons().map(|(slug, l)| view! { <LessonCard slug=slug.to_string() lesson=l.clone()/> }).collect_view()}
        </ol>
    }
}

/// The workshop joined: its notes, its starting workspace, its lessons.
#[component]
fn JoinedWorkshop(workshop: dynaplay_engine::lesson::Workshop) -> impl IntoView {
    let engine = use_engine();
    let workspace = workshop.workspace.clone();
    let has_workspace = workspace.is_some();
    let open_workspace = move |_| {
        let Some(w) = workspace.clone() else { return };
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            handle.enter_sandbox(w).await;
            navigate(&Route::Home);
        });
    };
    let leave = move |_| {
        let handle = engine.get_value();
        leptos::task::spawn_local(async move { handle.leave_workshop().await });
    };
    view! {
        <section class="panel workshop" aria-labelledby="workshop-title" data-testid="joined-workshop">
            <p class="muted small">"Your workshop"</p>
            <h2 id="workshop-title">{workshop.title.clone()}</h2>
            <Markdown text=workshop.notes.clone()/>
            <p class="muted small">{crate::model::workshop::workspace_summary(workshop.workspace.as_ref())}</p>
            <div class="form-row">
                {has_workspace.then(|| view! { <button on:click=open_workspace data-testid="workshop-workspace" title="Its tables, in a sandbox apart from yours; keep them from the banner if you like">"Open its workspace"</button> })}
                <button class="ghost" on:click=leave data-testid="workshop-leave" title="Your progress through its lessons is kept">"Leave the workshop"</button>
            </div>
            <ol class="lesson-list">
                {workshop.lessons.iter().map(|e| view! { <LessonCard slug=e.slug.clone() lesson=e.lesson.clone()/> }).collect_view()}
            </ol>
        </section>
    }
}

/// One lesson with the learner's progress, and the way into it.
#[component]
fn LessonCard(slug: String, lesson: Lesson) -> impl IntoView {
    let engine = use_engine();
    let progress = engine.with_value(|h| h.lesson_progress());
    let steps = lesson.steps.len();
    let key = StoredValue::new(slug.clone());
    let done = move || key.with_value(|k| progress.with(|p| p.get(k).copied().unwrap_or(0))).min(steps);
    let (title, topic, summary) = (lesson.title.clone(), lesson.topic.clone(), lesson.summary.clone());
    let shared = StoredValue::new((slug.clone(), lesson));
    let open = move |from: usize| {
        let handle = engine.get_value();
        let (slug, lesson) = shared.get_value();
        leptos::task::spawn_local(async move { handle.start_lesson(&slug, lesson, from).await });
    };
    view! {
        <li class="lesson-card" data-testid="lesson-card" data-slug=slug>
            <h3>{title}</h3>
            <p class="muted small">{topic}{move || format!(" · {} of {steps} steps done", done())}</p>
            <Markdown text=summary/>
            <div class="form-row">
                <button class="primary" data-testid="lesson-start" on:click=move |_| {
                    let d = done();
                    open(if d >= steps { 0 } else { d });
                }>{move || match done() { 0 => "Start", d if d >= steps => "Again", _ => "Continue" }}</button>
                {move || (done() > 0 && done() < steps).then(|| view! {
                    <button class="ghost" data-testid="lesson-restart" on:click=move |_| open(0)>"Restart"</button>
                })}
            </div>
        </li>
    }
}
