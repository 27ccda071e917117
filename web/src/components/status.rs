//! Start-up progress and storage problems.

use leptos::prelude::*;

use crate::handle::use_engine;
use crate::text::grouped;

/// Shown while the saved workspace loads from IndexedDB.
#[component]
pub fn Loading() -> impl IntoView {
    let progress = use_engine().with_value(|h| h.load_progress());
    view! {
        <section class="panel loading" role="status" aria-live="polite">
            <div class="spinner" aria-hidden="true"></div>
            <p>"Loading your saved workspace…"</p>
            // How many records there are is known once the browser has read them all;
            // until then the bar only says that the load is under way.
            {move || progress.get().filter(|p| p.total > 0).map(|p| match p.complete {
                true => view! {
                    <progress max=p.total value=p.read aria-label="Records read"></progress>
                    <p class="hint">{format!("{} of {} records read", grouped(p.read), grouped(p.total))}</p>
                }.into_any(),
                false => view! {
                    <progress aria-label="Records read"></progress>
                    <p class="hint">{format!("{} records read", grouped(p.read))}</p>
                }.into_any(),
            })}
        </section>
    }
}

/// Storage errors (quota, blocked upgrade, unavailable storage), shown until dismissed;
/// never swallowed.
#[component]
pub fn StorageBanner() -> impl IntoView {
    let error = use_engine().with_value(|h| h.storage_error());
    view! {
        <Show when=move || error.get().is_some()>
            <div class="banner error" role="alert">
                <span>{move || error.get().unwrap_or_default()}</span>
                <button class="link" on:click=move |_| error.set(None)>"Dismiss"</button>
            </div>
        </Show>
    }
}

/// While a scenario replays in the sandbox: what is going on, the next step from any
/// view, and the way back (or keeping the result as the workspace, after a confirmation).
#[component]
pub fn SandboxBanner() -> impl IntoView {
    let engine = use_engine();
    let sandbox = engine.with_value(|h| h.sandbox());
    // A lesson runs in the sandbox too, but has its own panel.
    let lesson = engine.with_value(|h| h.lesson());
    let busy = RwSignal::new(false);
    let act = move |what: &'static str| {
        let handle = engine.get_value();
        if what == "keep"
            && !window()
                .confirm_with_message(
                    "Replace your saved tables with the scenario's tables? Your current tables will be gone.",
                )
                .unwrap_or(false)
        {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match what {
                "next" => {
                    handle.step_sandbox().await;
                }
                "keep" => {
                    if let Err(e) = handle.keep_sandbox().await {
                        handle.storage_error().set(Some(e));
                    }
                }
                _ => handle.leave_sandbox().await,
            }
            busy.set(false);
        });
    };
    view! {
        {move || sandbox.with(|s| s.as_ref().filter(|_| lesson.with(Option::is_none)).map(|s| {
            // Read in place: the sandbox holds every result so far.
            let (title, done, steps) = (s.scenario.title.clone(), s.next >= s.total(), s.scenario.steps.len());
            let ran = s.results.iter().filter(|o| o.step.is_some()).count();
            let mismatches = s.results.iter().filter(|o| o.mismatch.is_some()).count();
            (title, done, steps, ran, mismatches)
        })).map(|(title, done, steps, ran, mismatches)| {
            view! {
                <div class="banner sandbox" role="status" data-testid="sandbox-banner">
                    <span>
                        <strong>"Sandbox: "</strong>{format!("“{title}”, step {ran} of {steps}")}
                        {(mismatches > 0).then(|| format!(" · {mismatches} mismatch{}", if mismatches == 1 { "" } else { "es" }))}
                        ". Your saved tables are untouched. The sandbox lives in this page's memory: reloading or closing the page ends it (you are asked first)."
                    </span>
                    <div class="spacer"></div>
                    <button class="small" on:click=move |_| act("next") disabled=move || busy.get() || done>"Next step"</button>
                    <button class="small" on:click=move |_| act("keep") disabled=move || busy.get() data-testid="sandbox-keep">"Keep as my workspace"</button>
                    <button class="small" on:click=move |_| act("leave") disabled=move || busy.get() data-testid="sandbox-leave">"Leave sandbox"</button>
                </div>
            }
        })}
    }
}
