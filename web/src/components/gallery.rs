//! `#/gallery`: the built-in examples (the files in `static/examples/`, served with the
//! page and fetched when the gallery or an example is opened; checked by `dynaplay run` in
//! the test suite), each opening in one click; and a scenario file from disk, opened at
//! `#/open`.

use dynaplay_engine::scenario::{Scenario, MAX_BYTES};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::routes::{href, navigate, Route};

/// Where the opened file's text waits for `#/open`, for this tab only, so a reload keeps
/// the preview without the file being chosen again.
const OPENED_KEY: &str = "dynaplay-opened-scenario";

/// The examples' names (their files are `examples/<name>.json`), in the order a learner
/// meets the topics.
pub const EXAMPLES: &[&str] = &[
    "put-vs-update",
    "conditional-writes",
    "atomic-counter",
    "transact-vs-batch",
    "query-vs-scan",
    "partiql-key-vs-scan",
    "parallel-scan",
    "sort-key-order",
    "partition-split",
    "stream-records",
    "time-to-live",
    "hybrid-sql-mirror",
    "iam-put-only-in-transactions",
    "iam-per-user-rows",
    "iam-cross-account-export",
    "backup-and-restore",
    "restore-to-the-second",
    "export-and-import",
    "stale-read",
    "transaction-conflict",
    "lost-update",
    "hot-partition-throttles",
    // Several regions: the page replays them on every region, with a region picker.
    "global-replication-lag",
    "global-last-writer-wins",
    "global-transaction-not-atomic-elsewhere",
];

/// An example, fetched from the site (its file is served next to the page, not compiled
/// in: the page's start is smaller by the examples' 166 KB of JSON).
pub async fn example(slug: &str) -> Result<Scenario, String> {
    if !EXAMPLES.contains(&slug) {
        return Err(format!("There is no example named {slug:?}."));
    }
    let text = crate::files::fetch_text(&format!("examples/{slug}.json"))
        .await
        .ok_or_else(|| format!("The example {slug:?} could not be fetched (are you offline?). Reload to try again."))?;
    Scenario::parse(&text).map_err(|e| e.0)
}

/// A gallery example's page: its preview once fetched.
#[component]
pub fn ExamplePage(slug: String) -> impl IntoView {
    let fetched = LocalResource::new(move || {
        let slug = slug.clone();
        async move { example(&slug).await }
    });
    move || match fetched.get() {
        None => view! { <p class="muted" data-testid="example-loading">"Fetching the example…"</p> }.into_any(),
        Some(scenario) => view! { <super::ScenarioPage scenario=scenario/> }.into_any(),
    }
}

/// The scenario file opened in this tab, or why there is none.
pub fn opened_file() -> Result<Scenario, String> {
    let text = window().session_storage().ok().flatten().and_then(|s| s.get_item(OPENED_KEY).ok().flatten());
    let text = text.ok_or("No scenario file is open in this tab. Choose one on the Examples page.")?;
    Scenario::parse(&text).map_err(|e| e.0)
}

/// A file input: the chosen file is checked for size, kept for this tab and previewed.
#[component]
fn OpenFile() -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        let size = file.size();
        if size > MAX_BYTES as f64 {
            error.set(Some(format!(
                "{} is {:.1} MB; scenario files are at most {} MB.",
                file.name(),
                size / 1_048_576.0,
                MAX_BYTES / 1_048_576
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            // Checked here too, so a broken file is reported next to the button that chose it.
            if let Err(e) = Scenario::parse(&text) {
                error.set(Some(format!("{}: {}", file.name(), e.0)));
                return;
            }
            let stored = window().session_storage().ok().flatten().map(|s| s.set_item(OPENED_KEY, &text));
            match stored {
                Some(Ok(())) => {
                    error.set(None);
                    navigate(&Route::Opened);
                }
                _ => error.set(Some(format!(
                    "{} could not be kept for this tab: the browser refused to store it.",
                    file.name()
                ))),
            }
        });
    };
    view! {
        <div class="panel-head">
            <label class="button">
                "Open a scenario file…"
                <input type="file" accept="application/json,.json" class="visually-hidden" aria-label="Open a scenario file" on:change=open/>
            </label>
            <span class="muted">"A file from Share → Download, or one you wrote; it is read here and uploaded nowhere."</span>
        </div>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="open-error">{e}</p> })}
    }
}

#[component]
pub fn Gallery() -> impl IntoView {
    let fetched = LocalResource::new(|| async {
        let all = futures::future::join_all(EXAMPLES.iter().map(|slug| example(slug))).await;
        EXAMPLES.iter().zip(all).map(|(slug, s)| s.map(|s| (*slug, s))).collect::<Result<Vec<_>, String>>()
    });
    let cards = move || match fetched.get() {
        None => view! { <p class="muted" data-testid="example-loading">"Fetching the examples…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error-text" role="alert" data-testid="example-error">{e}</p> }.into_any(),
        Some(Ok(examples)) => view! { <ul class="gallery side-by-side">{cards(examples)}</ul> }.into_any(),
    };
    view! {
        <section class="panel">
            <h1>"Examples"</h1>
            <p>"Each example opens in a sandbox: its tables and requests replay in memory, step by step, and your own tables stay as they are."</p>
            {cards}
        </section>
        <section class="panel">
            <h2>"Your own scenario"</h2>
            <OpenFile/>
        </section>
    }
}

/// The gallery's cards, one per example.
fn cards(examples: Vec<(&'static str, Scenario)>) -> impl IntoView {
    examples
        .into_iter()
        .map(|(slug, s)| {
            let first = super::markdown::first_paragraph(&s.notes);
            let summary = first.split(". ").next().unwrap_or_default().trim_end_matches('.').to_string() + ".";
            view! {
                <li class="result-card">
                    <h3><a href=href(&Route::Example(slug.to_string())) data-testid="example-link">{s.title.clone()}</a></h3>
                    <p class="muted">{summary}</p>
                    <p class="muted">{format!("{}, {}", crate::text::count(s.tables.len(), "table"), crate::text::count(s.steps.len(), "step"))}</p>
                </li>
            }
        })
        .collect_view()
}
