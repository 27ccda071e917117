//! The lesson panel, shown above every view while a lesson runs: the step's instructions
//! (safe Markdown), its task, what its check still misses after each request, hints one
//! by one, the solution to see or apply, the view that shows the point, and the way on.

use leptos::prelude::*;

use super::markdown::Markdown;
use crate::handle::{use_engine, LessonRun};
use crate::routes::{href, Route, Tab};

/// The running lesson's current step, above whatever view is open.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let engine = use_engine();
    let run = engine.with_value(|h| h.lesson());
    move || run.get().map(crate::pages::lesson_step)
}

/// The step on screen, with its Markdown (in a module of its own: `pages::lesson_step`).
#[component]
pub fn StepPanel(run: LessonRun) -> impl IntoView {
    let engine = use_engine();
    let total = run.lesson.steps.len();
    let Some(step) = run.lesson.steps.get(run.step).cloned() else {
        let leave = move |_| {
            let handle = engine.get_value();
            leptos::task::spawn_local(async move { handle.leave_lesson().await });
        };
        return view! {
            <section class="panel lesson-panel" data-testid="lesson-panel">
                <h2>{format!("{}: done", run.lesson.title)}</h2>
                <p class="ok-text" data-testid="lesson-finished">{format!("All {total} steps done.")}</p>
                <div class="form-row"><a class="button" href=href(&Route::Lessons)>"More lessons"</a><button class="ghost" on:click=leave>"Leave the lesson"</button></div>
            </section>
        }
        .into_any();
    };
    let show_solution = RwSignal::new(false);
    let act = move |what: &'static str| {
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            match what {
                "hint" => handle.show_hint(),
                "apply" => handle.apply_solution().await,
                "next" => handle.next_lesson_step(),
                _ => handle.leave_lesson().await,
            }
        });
    };
    let solution: Vec<String> = step
        .solution
        .iter()
        .map(|r| {
            let region = r.region.as_ref().map_or(String::new(), |g| format!(" (in {g})"));
            let principal = r.principal.as_ref().map_or(String::new(), |p| format!(" (as {p})"));
            format!("{}{region}{principal} {}", r.operation, serde_json::to_string_pretty(&r.body).unwrap_or_default())
        })
        .collect();
    let view_link = step.view.clone().map(|v| view_href(&v, &run));
    view! {
        <section class="panel lesson-panel" aria-labelledby="lesson-step" data-testid="lesson-panel">
            <p class="muted small">{format!("{} · step {} of {total}", run.lesson.title, run.step + 1)}</p>
            <h2 id="lesson-step">{step.title.clone()}</h2>
            <Markdown text=step.instructions.clone()/>
            <p class="task" data-testid="lesson-task"><strong>"Your task: "</strong>{step.task.clone()}</p>
            {view_link.map(|h| view! { <p><a href=h data-testid="lesson-view">"Open the view that shows it"</a></p> })}
            {match run.check.clone() {
                None => view! { <p class="muted" data-testid="lesson-check">"Make a request in the console; the step is checked after each one."</p> }.into_any(),
                Some(Ok(())) => view! { <p class="ok-text" data-testid="lesson-check">"✓ Done."</p> }.into_any(),
                Some(Err(missing)) => view! { <p class="error-text" data-testid="lesson-check">{format!("Not yet. Still missing: {missing}.")}</p> }.into_any(),
            }}
            <ol class="hints" data-testid="lesson-hints">
                {step.hints.iter().take(run.hints_shown).map(|h| view! { <li>{h.clone()}</li> }).collect_view()}
            </ol>
            <div class="form-row">
                {(run.check == Some(Ok(()))).then(|| view! { <button class="primary" data-testid="lesson-next" on:click=move |_| act("next")>"Next step"</button> })}
                <a class="button" href=href(&Route::Console)>"Console"</a>
                {(run.hints_shown < step.hints.len()).then(|| view! { <button class="ghost" data-testid="lesson-hint" on:click=move |_| act("hint")>"A hint"</button> })}
                <button class="ghost" data-testid="lesson-show-solution" on:click=move |_| show_solution.update(|s| *s = !*s)>"Solution"</button>
                <button class="ghost" data-testid="lesson-apply" on:click=move |_| act("apply")>"Apply the solution"</button>
                <button class="ghost" data-testid="lesson-leave" on:click=move |_| act("leave")>"Leave"</button>
            </div>
            {move || show_solution.get().then(|| view! { <pre class="code small" data-testid="lesson-solution">{solution.join("\n\n")}</pre> })}
        </section>
    }
    .into_any()
}

/// A step's `view`: a table tab's slug (of the lesson's first table), or a route.
fn view_href(view: &str, run: &LessonRun) -> String {
    if view.starts_with("#/") {
        return view.to_string();
    }
    let table = run
        .lesson
        .workspace
        .tables
        .first()
        .and_then(|t| t.get("TableName"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let table = table.or_else(|| first_created_table(run)).unwrap_or_default();
    match Tab::ALL.iter().find(|t| t.slug() == view) {
        Some(tab) => href(&Route::Table(table, *tab)),
        None => href(&Route::Home),
    }
}

/// The table a lesson without a workspace table makes first (its first CreateTable).
fn first_created_table(run: &LessonRun) -> Option<String> {
    run.lesson
        .steps
        .iter()
        .flat_map(|s| &s.solution)
        .find(|r| r.operation == "CreateTable")?
        .body
        .get("TableName")?
        .as_str()
        .map(str::to_string)
}
