//! A table's items, a page at a time, in the order DynamoDB stores and scans them:
//! partition-key hash order, then sort-key order within each item collection.

use leptos::prelude::*;

use crate::convert::cell_text;
use crate::handle::use_engine;
use dynaplay_engine::table::StoreKey;
use dynaplay_engine::value::item_to_json;

pub const PAGE_SIZE: usize = 25;

#[derive(Clone, Debug, PartialEq)]
struct Page {
    columns: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
    next: Option<StoreKey>,
}

#[component]
pub fn ItemBrowser(
    /// The table to browse.
    table: String,
    /// Called with an item's DynamoDB JSON when a row is chosen.
    on_select: Callback<String>,
) -> impl IntoView {
    let engine = use_engine();
    let version = engine.with_value(|h| h.version());
    let table = StoredValue::new(table);
    // Start keys of the pages seen so far; the last one is the current page's.
    let starts = RwSignal::new(vec![None::<StoreKey>]);
    let page = Memo::new(move |_| {
        version.get();
        let start = starts.with(|s| s.last().cloned().flatten());
        let name = table.get_value();
        engine.with_value(|h| {
            h.read(|e| {
                let t = e.table(&name)?;
                let keys: Vec<String> = t.def.schema.names().map(str::to_string).collect();
                let mut entries: Vec<(StoreKey, serde_json::Value)> = t
                    .items_after(start.as_ref())
                    .take(PAGE_SIZE + 1)
                    .map(|(k, i)| (k.clone(), item_to_json(i)))
                    .collect();
                let next = if entries.len() > PAGE_SIZE {
                    entries.pop();
                    entries.last().map(|(k, _)| k.clone())
                } else {
                    None
                };
                let mut others: Vec<String> = entries
                    .iter()
                    .flat_map(|(_, v)| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
                    .filter(|k| !keys.contains(k))
                    .collect();
                // Every attribute gets a column; the grid scrolls sideways.
                others.sort();
                others.dedup();
                let columns: Vec<String> = keys.iter().cloned().chain(others).collect();
                let rows = entries
                    .iter()
                    .map(|(_, v)| {
                        let cells = columns.iter().map(|c| v.get(c).map(cell_text).unwrap_or_default()).collect();
                        (serde_json::to_string_pretty(v).unwrap_or_default(), cells)
                    })
                    .collect();
                Some(Page { columns, rows, next })
            })
        })
    });
    view! {
        <section class="panel">
            <div class="panel-head">
                <h2>"Items"</h2>
                <span class="muted">"In storage order: partition-key hash, then sort key (the order a Scan returns)."</span>
            </div>
            {move || match page.get() {
                None => view! { <p class="muted">"This table is not available."</p> }.into_any(),
                Some(p) if p.rows.is_empty() && starts.with(|s| s.len() == 1) => view! {
                    <p class="muted">"No items yet. Use “New item”, or send a PutItem from the console."</p>
                }.into_any(),
                Some(p) => {
                    let next = p.next.clone();
                    view! {
                        <div class="table-scroll">
                            <table class="items" aria-label="Items">
                                <thead><tr>{p.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|(json, cells)| {
                                        let open = json.clone();
                                        view! {
                                            <tr tabindex="0" on:click=move |_| on_select.run(json.clone())
                                                on:keydown=move |ev| if ev.key() == "Enter" { on_select.run(open.clone()) }>
                                                {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="pager">
                            <button disabled=move || starts.with(|s| s.len() <= 1) on:click=move |_| starts.update(|s| { s.pop(); })>"Previous"</button>
                            <span class="muted">{move || format!("Page {}", starts.with(Vec::len))}</span>
                            <button disabled=next.is_none() on:click=move |_| if let Some(k) = next.clone() { starts.update(|s| s.push(Some(k))) }>"Next"</button>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
