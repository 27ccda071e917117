//! `#/gallery`: the built-in examples (the files in `static/examples/`, compiled in and
//! checked by `dynaplay run` in the test suite), each opening in one click; and a scenario
//! file from disk, opened at `#/open`.

use dynaplay_engine::scenario::{Scenario, MAX_BYTES};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::routes::{href, navigate, Route};

/// Where the opened file's text waits for `#/open`, for this tab only, so a reload keeps
/// the preview without the file being chosen again.
const OPENED_KEY: &str = "dynaplay-opened-scenario";

/// (slug, scenario JSON), in the order a learner meets the topics.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("put-vs-update", include_str!("../../../static/examples/put-vs-update.json")),
    ("conditional-writes", include_str!("../../../static/examples/conditional-writes.json")),
    ("atomic-counter", include_str!("../../../static/examples/atomic-counter.json")),
    ("transact-vs-batch", include_str!("../../../static/examples/transact-vs-batch.json")),
    ("query-vs-scan", include_str!("../../../static/examples/query-vs-scan.json")),
    ("partiql-key-vs-scan", include_str!("../../../static/examples/partiql-key-vs-scan.json")),
    ("parallel-scan", include_str!("../../../static/examples/parallel-scan.json")),
    ("sort-key-order", include_str!("../../../static/examples/sort-key-order.json")),
    ("partition-split", include_str!("../../../static/examples/partition-split.json")),
    ("stream-records", include_str!("../../../static/examples/stream-records.json")),
    ("time-to-live", include_str!("../../../static/examples/time-to-live.json")),
    ("hybrid-sql-mirror", include_str!("../../../static/examples/hybrid-sql-mirror.json")),
    ("iam-put-only-in-transactions", include_str!("../../../static/examples/iam-put-only-in-transactions.json")),
    ("iam-per-user-rows", include_str!("../../../static/examples/iam-per-user-rows.json")),
    ("iam-cross-account-export", include_str!("../../../static/examples/iam-cross-account-export.json")),
    ("backup-and-restore", include_str!("../../../static/examples/backup-and-restore.json")),
    ("restore-to-the-second", include_str!("../../../static/examples/restore-to-the-second.json")),
    ("export-and-import", include_str!("../../../static/examples/export-and-import.json")),
    ("stale-read", include_str!("../../../static/examples/stale-read.json")),
    ("transaction-conflict", include_str!("../../../static/examples/transaction-conflict.json")),
    ("lost-update", include_str!("../../../static/examples/lost-update.json")),
    ("hot-partition-throttles", include_str!("../../../static/examples/hot-partition-throttles.json")),
    // Several regions: the page replays them on every region, with a region picker.
    ("global-replication-lag", include_str!("../../../static/examples/global-replication-lag.json")),
    ("global-last-writer-wins", include_str!("../../../static/examples/global-last-writer-wins.json")),
    (
        "global-transaction-not-atomic-elsewhere",
        include_str!("../../../static/examples/global-transaction-not-atomic-elsewhere.json"),
    ),
];

pub fn example(slug: &str) -> Result<Scenario, String> {
    let (_, text) =
        EXAMPLES.iter().find(|(s, _)| *s == slug).ok_or_else(|| format!("There is no example named {slug:?}."))?;
    Scenario::parse(text).map_err(|e| e.0)
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
    let cards = EXAMPLES
        .iter()
        .filter_map(|(slug, _)| example(slug).ok().map(|s| (*slug, s)))
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
        .collect_view();
    view! {
        <section class="panel">
            <h1>"Examples"</h1>
            <p>"Each example opens in a sandbox: its tables and requests replay in memory, step by step, and your own tables stay as they are."</p>
            <ul class="gallery side-by-side">{cards}</ul>
        </section>
        <section class="panel">
            <h2>"Your own scenario"</h2>
            <OpenFile/>
        </section>
    }
}
