//! `#/gallery`: the built-in examples (the files in `static/examples/`, compiled in and
//! checked by `dynaplay run` in the test suite), each opening in one click.

use dynaplay_engine::scenario::Scenario;
use leptos::prelude::*;

use crate::routes::{href, Route};

/// (slug, scenario JSON), in the order a learner meets the topics.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("put-vs-update", include_str!("../../../static/examples/put-vs-update.json")),
    ("conditional-writes", include_str!("../../../static/examples/conditional-writes.json")),
    ("atomic-counter", include_str!("../../../static/examples/atomic-counter.json")),
    ("transact-vs-batch", include_str!("../../../static/examples/transact-vs-batch.json")),
    ("query-vs-scan", include_str!("../../../static/examples/query-vs-scan.json")),
    ("parallel-scan", include_str!("../../../static/examples/parallel-scan.json")),
    ("sort-key-order", include_str!("../../../static/examples/sort-key-order.json")),
    ("partition-split", include_str!("../../../static/examples/partition-split.json")),
];

pub fn example(slug: &str) -> Result<Scenario, String> {
    let (_, text) =
        EXAMPLES.iter().find(|(s, _)| *s == slug).ok_or_else(|| format!("There is no example named {slug:?}."))?;
    Scenario::parse(text).map_err(|e| e.0)
}

#[component]
pub fn Gallery() -> impl IntoView {
    let cards = EXAMPLES
        .iter()
        .filter_map(|(slug, _)| example(slug).ok().map(|s| (*slug, s)))
        .map(|(slug, s)| {
            let summary = s.notes.split(". ").next().unwrap_or_default().trim_end_matches('.').to_string() + ".";
            view! {
                <li class="result-card">
                    <h3><a href=href(&Route::Example(slug.to_string())) data-testid="example-link">{s.title.clone()}</a></h3>
                    <p class="muted">{summary}</p>
                    <p class="muted">{format!("{} table{}, {} step{}", s.tables.len(), if s.tables.len() == 1 { "" } else { "s" },
                        s.steps.len(), if s.steps.len() == 1 { "" } else { "s" })}</p>
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
    }
}
