//! Editing one item as DynamoDB JSON, with a plain-JSON view. Saving sends a PutItem and
//! deleting a DeleteItem, through the same handle (and history) as the console.

use leptos::prelude::*;
use serde_json::Value;

use super::viz::run;
use crate::convert::{from_plain, to_plain};
use crate::handle::{read_table, use_engine};
use crate::model::item_edit::{report, request};

#[component]
pub fn ItemEditor(
    /// The table the item belongs to.
    table: String,
    /// The item's DynamoDB JSON to start from.
    initial: String,
    /// Called when the editor closes.
    on_close: Callback<()>,
    /// Called with a sentence saying what a successful save or delete did.
    on_done: Callback<String>,
) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let text = RwSignal::new(initial);
    let plain = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let parsed = Memo::new(move |_| serde_json::from_str::<Value>(&text.get()).map_err(|e| e.to_string()));
    let shown = move || {
        if plain.get() {
            match parsed.get() {
                Ok(v) => serde_json::to_string_pretty(&to_plain(&v)).unwrap_or_default(),
                Err(_) => text.get(),
            }
        } else {
            text.get()
        }
    };
    let on_input = move |value: String| {
        if plain.get_untracked() {
            match serde_json::from_str::<Value>(&value).map_err(|e| e.to_string()).and_then(|v| from_plain(&v)) {
                Ok(ddb) => {
                    text.set(serde_json::to_string_pretty(&ddb).unwrap_or_default());
                    error.set(None);
                }
                Err(e) => error.set(Some(format!("Plain JSON: {e}"))),
            }
        } else {
            text.set(value);
        }
    };
    let send = move |op: &'static str| {
        let Ok(item) = parsed.get_untracked() else { return };
        let name = table.get_value();
        let Some(body) = read_table(engine, &name, |t| request(op, &name, &item, &t.def.schema)) else { return };
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            match report(op, &run(&handle, op, body).await) {
                Ok(done) => {
                    on_done.run(done);
                    on_close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="panel editor" aria-label="Item editor">
            <div class="panel-head">
                <h2>"Item"</h2>
                <div class="segmented" role="group" aria-label="Format">
                    <button aria-pressed=move || (!plain.get()).to_string() on:click=move |_| plain.set(false)>"DynamoDB JSON"</button>
                    <button aria-pressed=move || plain.get().to_string() on:click=move |_| plain.set(true)>"Plain JSON"</button>
                </div>
            </div>
            <textarea class="code" rows="12" spellcheck="false" aria-label="Item JSON"
                prop:value=shown on:input:target=move |ev| on_input(ev.target().value())></textarea>
            <Show when=move || parsed.get().is_err() && !plain.get()>
                <p class="error-text">{move || parsed.get().err().map(|e| format!("Not valid JSON: {e}")).unwrap_or_default()}</p>
            </Show>
            <Show when=move || plain.get()>
                <p class="muted">"Plain JSON has no sets or binaries: arrays become lists. Edit DynamoDB JSON for full control."</p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error-text" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <div class="actions">
                <button class="primary" disabled=move || parsed.get().is_err() on:click=move |_| send("PutItem")>"Save (PutItem)"</button>
                <button class="danger" disabled=move || parsed.get().is_err() on:click=move |_| send("DeleteItem")>"Delete (DeleteItem)"</button>
                <button on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </section>
    }
}
