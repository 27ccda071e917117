//! The table list, a link to the simulated S3, one to the relational mirror, and one to the backups of deleted tables
//! when there are any.

use dynaplay_engine::inspect::backups_of_deleted_tables;
use leptos::prelude::*;

use crate::handle::{use_engine, LoadState};
use crate::routes::{href, Route, Tab};

#[derive(Clone, Debug, PartialEq)]
struct Row {
    name: String,
    status: &'static str,
    items: usize,
}

#[component]
pub fn Sidebar() -> impl IntoView {
    let engine = use_engine();
    let route = expect_context::<RwSignal<Route>>();
    let rows = Memo::new(move |_| {
        crate::handle::observe(engine, |e| {
            e.tables()
                .map(|t| Row { name: t.def.name.clone(), status: t.status.as_str(), items: t.item_count() })
                .collect::<Vec<_>>()
        })
    });
    let orphans = Memo::new(move |_| crate::handle::observe(engine, |e| backups_of_deleted_tables(e).len()));
    // Not "no tables" while the saved ones are still being read.
    let load = engine.with_value(|h| h.load_state());
    let empty = move || if load.get() == LoadState::Ready { "No tables yet." } else { "Loading…" };
    view! {
        <aside class="sidebar" aria-label="Tables">
            <div class="sidebar-head">
                <h2>"Tables"</h2>
                <a class="button small" href="#/">"+ New"</a>
            </div>
            <Show when=move || !rows.get().is_empty() fallback=move || view! { <p class="muted">{empty}</p> }>
                <ul class="table-list">
                    // Keyed by name alone: a write changes a row's count, which is
                    // redrawn in place rather than the row being rebuilt.
                    <For each=move || rows.get() key=|r| r.name.clone() let:row>
                        {
                            let link = href(&Route::Table(row.name.clone(), Tab::Items));
                            let name = row.name.clone();
                            let here = move || matches!(route.get(), Route::Table(n, _) if n == name);
                            let current = here.clone();
                            let aria = move || if here() { "page" } else { "false" };
                            let name = row.name.clone();
                            let meta = move || {
                                rows.with(|rows| {
                                    let Some(r) = rows.iter().find(|r| r.name == name) else { return String::new() };
                                    let status = if r.status == "ACTIVE" { String::new() } else { format!("{} · ", r.status) };
                                    format!("{status}{}", crate::text::count(r.items, "item"))
                                })
                            };
                            view! {
                                <li>
                                    <a href=link class:active=current aria-current=aria>
                                        <span class="name">{row.name.clone()}</span>
                                        <span class="meta">{meta}</span>
                                    </a>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
            <p class="sidebar-foot"><a href=href(&Route::S3) class:active=move || route.get() == Route::S3 data-testid="s3-link">"S3 buckets, exports and imports"</a></p>
            <p class="sidebar-foot"><a href=href(&Route::Mirror) class:active=move || route.get() == Route::Mirror data-testid="mirror-link">"Relational mirror and triggers"</a></p>
            <p class="sidebar-foot"><a href=href(&Route::ContentionLab) class:active=move || route.get() == Route::ContentionLab data-testid="lab-link">"Contention lab"</a></p>
            {move || (orphans.get() > 0).then(|| view! {
                <p class="sidebar-foot"><a href=href(&Route::Backups) class:active=move || route.get() == Route::Backups data-testid="deleted-backups-link">
                    {format!("Backups of deleted tables ({})", orphans.get())}
                </a></p>
            })}
        </aside>
    }
}
