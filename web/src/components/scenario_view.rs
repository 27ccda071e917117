//! A scenario opened from a link, a file or the gallery: a preview (title, notes as safe
//! Markdown, tables, steps) shown without ever setting HTML, then a replay in the sandbox, one step at a time,
//! with each response and whether it met the step's expectation.

use dynaplay_engine::scenario::{Scenario, Step};
use leptos::prelude::*;

use super::markdown::Markdown;
use super::pretty;
use crate::handle::use_engine;
use crate::routes::{href, navigate, Route, Tab};

#[component]
pub fn ScenarioPage(scenario: Result<Scenario, String>) -> impl IntoView {
    match scenario {
        Err(e) => view! {
            <section class="panel" data-testid="scenario-error">
                <h1>"This scenario cannot be opened"</h1>
                <p class="error-text" role="alert">{e}</p>
                <p><a href="#/gallery">"Browse the examples"</a>" or "<a href="#/">"go to your tables"</a>"."</p>
            </section>
        }
        .into_any(),
        Ok(s) => view! { <Preview scenario=s/> }.into_any(),
    }
}

#[component]
fn Preview(scenario: Scenario) -> impl IntoView {
    let engine = use_engine();
    let sandbox = engine.with_value(|h| h.sandbox());
    let scenario = StoredValue::new(scenario);
    // Whether the sandbox is replaying this very scenario.
    let mine = move || sandbox.with(|s| s.as_ref().is_some_and(|s| scenario.with_value(|sc| s.scenario == *sc)));
    let busy = RwSignal::new(false);
    let start = move |_| {
        let handle = engine.get_value();
        let s = scenario.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            handle.enter_sandbox(s).await;
            busy.set(false);
        });
    };
    let step = move |all: bool| {
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            while handle.step_sandbox().await && all {}
            busy.set(false);
        });
    };
    let s = scenario.get_value();
    // Steps in other regions: replayed on the sandbox's regions, never kept.
    let regional = s.uses_regions();
    let tables = s.table_lines();
    let table_links = s.table_names();
    let steps = s.steps.clone();
    let fork = move |_| {
        let text = serde_json::to_string_pretty(&scenario.with_value(Scenario::to_json)).unwrap_or_default();
        if let Ok(Some(storage)) = window().session_storage() {
            let _ = storage.set_item(super::share::DRAFT_KEY, &text);
        }
        navigate(&Route::Share);
    };
    view! {
        <section class="panel" aria-labelledby="scenario-title">
            <div class="panel-head">
                <h1 id="scenario-title" data-testid="scenario-title">{s.title.clone()}</h1>
                <div class="spacer"></div>
                <button on:click=fork>"Fork and edit"</button>
                <Show when=move || !mine()>
                    <button class="primary" on:click=start disabled=move || busy.get() data-testid="scenario-start">"Replay in a sandbox"</button>
                </Show>
            </div>
            {regional.then(|| view! {
                <p class="notice" role="note" data-testid="scenario-regions">"This scenario makes requests in several regions (global tables). The sandbox replays them all: the header's region picker chooses the region the views show, and Global shows the table in every region. Kept as your workspace, it keeps every region."</p>
            })}
            <Markdown text=s.notes.clone()/>
            <h2>"Tables"</h2>
            <ul>{tables.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
            <Show when=mine>
                <p class="muted">"Watch a table while you step: "
                    {table_links.iter().map(|t| {
                        let (a, b) = (href(&Route::Table(t.clone(), Tab::Partitions)), href(&Route::Table(t.clone(), Tab::Items)));
                        view! { <span>{t.clone()}" ("<a href=b>"items"</a>", "<a href=a>"partitions"</a>") "</span> }
                    }).collect_view()}
                </p>
            </Show>
            <div class="panel-head">
                <h2>{format!("Steps ({})", steps.len())}</h2>
                <div class="spacer"></div>
                <Show when=mine>
                    <button class="primary" on:click=move |_| step(false) disabled=move || busy.get() data-testid="scenario-next">"Run next step"</button>
                    <button on:click=move |_| step(true) disabled=move || busy.get() data-testid="scenario-all">"Run all steps"</button>
                </Show>
            </div>
            <ol class="steps-list">
                {steps.into_iter().enumerate().map(|(i, step)| view! { <StepItem index=i step=step mine=Signal::derive(mine)/> }).collect_view()}
            </ol>
        </section>
    }
}

/// One step: its title, operation, what it checks and its request; once the sandbox has run
/// it, the response and whether it met the expectation.
#[component]
fn StepItem(index: usize, step: Step, mine: Signal<bool>) -> impl IntoView {
    let sandbox = use_engine().with_value(|h| h.sandbox());
    let result = move || {
        sandbox.with(|s| {
            s.as_ref().filter(|_| mine.get()).and_then(|s| s.results.iter().find(|o| o.step == Some(index)).cloned())
        })
    };
    view! {
        <li data-testid="scenario-step">
            <strong>{step.title.clone().unwrap_or_else(|| step.operation.clone())}</strong>
            " " <code>{step.operation.clone()}</code>
            {step.expect.as_ref().map(|e| view! { <span class="muted">" · "{e.describe()}</span> })}
            <details><summary>"Request"</summary><pre class="code">{serde_json::to_string_pretty(&step.request).unwrap_or_default()}</pre></details>
            {move || result().map(|o| {
                let verdict = match &o.mismatch { None => "as expected".to_string(), Some(m) => format!("MISMATCH: {m}") };
                let ok = o.mismatch.is_none();
                view! {
                    <div class="step-result" data-status=o.status data-body=o.body.clone() data-ok=ok.to_string()>
                        <span class=if ok { "badge ok" } else { "badge bad" }>{format!("HTTP {}", o.status)}</span>
                        " " <span>{verdict}</span>
                        {o.replica.clone().map(|r| view! { <p class="muted small" data-testid="step-replica">{r}</p> })}
                        {o.plan.iter().map(|p| view! { <p class="muted small" data-testid="step-plan">"Ran as "{p.clone()}</p> }).collect_view()}
                        <pre class="code">{pretty(&o.body)}</pre>
                    </div>
                }
            })}
        </li>
    }
}
