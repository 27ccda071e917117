//! A table's items, a page at a time, in the order DynamoDB stores and scans them:
//! partition-key hash order, then sort-key order within each item collection.

use leptos::prelude::*;

use crate::handle::{observe_table, use_engine};
use crate::model::items::Page;
use dynaplay_engine::table::StoreKey;

#[component]
pub fn ItemBrowser(
    /// The table to browse.
    table: String,
    /// Called with an item's DynamoDB JSON when a row is chosen.
    on_select: Callback<String>,
) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    // Start keys of the pages seen so far; the last one is the current page's.
    let starts = RwSignal::new(vec![None::<StoreKey>]);
    let page = Memo::new(move |_| {
        let start = starts.with(|s| s.last().cloned().flatten());
        observe_table(engine, &table.get_value(), |t, _| Page::of(t, start.as_ref()))
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
