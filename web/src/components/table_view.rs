//! One table: its definition, then one of its views (items, partitions, sort-key order,
//! PutItem vs UpdateItem, scan capacity), chosen by tabs that are also URLs.

use dynaplay_engine::inspect::{table_summary, TableSummary};
use leptos::prelude::*;
use serde_json::json;

use super::item_browser::ItemBrowser;
use super::item_editor::ItemEditor;
use crate::handle::{observe, observe_table, use_engine};
use crate::pages;
use crate::routes::{href, navigate, Route, Tab};

#[component]
pub fn TableView(name: String, tab: Tab) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    let editing = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    // The summary follows this table and the capacity setting (a memo of its own, which
    // tells the summary only when the setting changes), not every change to the engine.
    let enforce = Memo::new(move |_| observe(engine, |e| e.config.enforce_capacity));
    let info = Memo::new(move |_| {
        let enforce = enforce.get();
        observe_table(engine, &table.get_value(), |t, _| table_summary(t, enforce))
    });
    // The views keep their own state (a chosen partition, a run of pages), so they are
    // rebuilt only when the table comes or goes, not on every change to it.
    let exists = Memo::new(move |_| info.with(Option::is_some));
    let delete_error = RwSignal::new(None::<String>);
    let delete = move |_: ()| {
        let name = table.get_value();
        let confirmed =
            window().confirm_with_message(&format!("Delete table {name} and all its items?")).unwrap_or(false);
        if !confirmed {
            return;
        }
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            match handle.request("DeleteTable", &json!({"TableName": name}).to_string()).await {
                Ok(r) if r.status == 200 => navigate(&Route::Home),
                Ok(r) => delete_error.set(Some(r.body)),
                Err(e) => delete_error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        {move || match info.get() {
            None => view! {
                <section class="panel">
                    <h1>"No such table"</h1>
                    <p>"There is no table named " <code>{table.get_value()}</code> ". " <a href="#/">"Create one"</a></p>
                </section>
            }.into_any(),
            Some(i) => view! { <TableHead info=i delete_error=delete_error on_new=Callback::new(move |s| editing.set(Some(s))) on_delete=Callback::new(delete)/> }.into_any(),
        }}
        {move || exists.get().then(|| view! { <TabBar table=table.get_value() current=tab/> })}
        {move || exists.get().then(|| match tab {
            Tab::Items => view! {
                <Show when=move || editing.get().is_some()>
                    <ItemEditor table=table.get_value() initial=editing.get().unwrap_or_default()
                        on_close=Callback::new(move |_| editing.set(None))
                        on_done=Callback::new(move |text| done.set(Some(text)))/>
                </Show>
                <p class="notice" role="status" data-testid="item-saved">{move || done.get().unwrap_or_default()}</p>
                <ItemBrowser table=table.get_value() on_select=Callback::new(move |text: String| { done.set(None); editing.set(Some(text)) })/>
            }.into_any(),
            Tab::Partitions => pages::partitions(table.get_value()),
            Tab::SortOrder => pages::sort_order(table.get_value()),
            Tab::PutVsUpdate => pages::put_vs_update(table.get_value()),
            Tab::Capacity => pages::capacity(table.get_value()),
            Tab::Stream => pages::stream(table.get_value()),
            Tab::Backups => pages::backups(table.get_value()),
            Tab::Replicas => pages::replicas(table.get_value()),
            Tab::Throughput => pages::throughput(table.get_value()),
        })}
    }
}

/// The table's name, status and facts, with New item and Delete table.
#[component]
fn TableHead(
    info: TableSummary,
    delete_error: RwSignal<Option<String>>,
    on_new: Callback<String>,
    on_delete: Callback<()>,
) -> impl IntoView {
    let skeleton = serde_json::to_string_pretty(&info.skeleton).unwrap_or_default();
    let indexes: Vec<String> =
        info.indexes.iter().map(|(n, local)| format!("{n} ({})", if *local { "local" } else { "global" })).collect();
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{info.name.clone()}</h1>
                <span class="badge" data-testid="table-status">{info.status}</span>
                <div class="spacer"></div>
                <button class="primary" on:click=move |_| on_new.run(skeleton.clone())>"New item"</button>
                <button class="danger" on:click=move |_| on_delete.run(())>"Delete table"</button>
            </div>
            <dl class="facts">
                <div><dt>"Primary key"</dt><dd>{info.keys_text()}</dd></div>
                <div><dt>"Capacity"</dt><dd data-testid="capacity-mode">{info.capacity_text()}</dd></div>
                <div><dt>"Items"</dt><dd data-testid="item-count">{info.items}</dd></div>
                <div><dt>"Size"</dt><dd>{format!("{} bytes", info.bytes)}</dd></div>
                <div><dt>"Partitions"</dt><dd data-testid="partition-count">{info.partitions}</dd></div>
                <div><dt>"Indexes"</dt><dd>{if indexes.is_empty() { "none".to_string() } else { indexes.join(", ") }}</dd></div>
            </dl>
            <Show when=move || delete_error.get().is_some()>
                <p class="error-text" role="alert">{move || delete_error.get().unwrap_or_default()}</p>
            </Show>
        </section>
    }
}

/// The table's views as tabs; each is a link, so each view has its own URL.
#[component]
fn TabBar(table: String, current: Tab) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Table views">
            {Tab::ALL.into_iter().map(|tab| {
                let link = href(&Route::Table(table.clone(), tab));
                let here = tab == current;
                view! {
                    <a href=link class:active=here aria-current=if here { "page" } else { "false" }>{tab.label()}</a>
                }
            }).collect_view()}
        </nav>
    }
}
