//! `#/tables/<name>/replicas`: the table's partitions as three copies each (the leader,
//! and two followers that apply each write after the workspace's replication lag), the
//! writes not applied yet, and a place to read an item eventually or strongly consistent
//! and see which copy answered, whether it was stale, and the write it missed. Figures from
//! `engine::inspect::{replicas_of, missed_write}`; which copy served a read comes from the
//! read's trace.

use dynaplay_engine::inspect::{missed_write, replicas_of, ReplicasInfo};
use dynaplay_engine::streams::label;
use dynaplay_engine::value::Item;
use leptos::prelude::*;
use serde_json::json;

use super::setting::{Seconds, SecondsSetting};
use super::viz::run;
use crate::handle::{observe, observe_table, peek, use_engine};
use crate::model::seconds_ms;
use crate::model::stream::item_line;

/// At most this many item keys are offered to read.
const KEYS: usize = 50;

/// One read made from this view.
#[derive(Clone, Debug, PartialEq)]
struct ReadResult {
    key: String,
    strong: bool,
    replica: u8,
    /// For a stale read: the write it missed.
    missed: Option<String>,
    item: String,
}

#[component]
pub fn ReplicasView(name: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    // Followers catch up as the engine clock moves.
    let tick = super::viz::every_second();
    let info = Memo::new(move |_| {
        tick.track();
        observe(engine, |e| replicas_of(e, &table.get_value()))
    });
    view! {
        <section class="panel" aria-labelledby="replicas-title" data-testid="replicas">
            <div class="panel-head"><h2 id="replicas-title">"Replicas"</h2></div>
            <p class="intro">"DynamoDB keeps three copies of each partition. The leader takes every write; the two followers apply it a moment later (here: the replication lag below). A strongly consistent read goes to the leader; an eventually consistent read, the default, goes to any of the three, so just after a write it can come back stale. A global secondary index is always updated after the fact."</p>
            {move || info.get().map(|i| view! { <Copies info=i/> })}
            <SecondsSetting setting=LAG/>
            <TableLag table=table.get_value()/>
        </section>
        <TryRead table=table.get_value()/>
    }
}

/// Each partition's copies, and the writes the followers have not applied yet.
#[component]
fn Copies(info: ReplicasInfo) -> impl IntoView {
    let pending = info.pending.clone();
    view! {
        <div class="table-scroll"><table class="items compact" data-testid="replica-copies">
            <thead><tr><th scope="col">"Partition"</th><th scope="col">"Leader"</th><th scope="col">"Follower 2"</th><th scope="col">"Follower 3"</th></tr></thead>
            <tbody>{info.partitions.into_iter().map(|p| view! {
                <tr>
                    <td>{p.partition}</td>
                    {p.copies.into_iter().map(|c| {
                        let behind = c.behind > 0;
                        let text = if c.behind == 0 { format!("up to change #{}", c.applied_seq) } else { format!("up to #{}, {} behind", c.applied_seq, c.behind) };
                        view! { <td class:behind=behind data-testid="replica-copy">{text}</td> }
                    }).collect_view()}
                </tr>
            }).collect_view()}</tbody>
        </table></div>
        {if pending.is_empty() {
            view! { <p class="muted" data-testid="replica-pending-none">{if info.lag_ms == 0 { "No lag: every copy has every write." } else { "Every copy has every write." }}</p> }.into_any()
        } else {
            view! {
                <p>"Not applied by the followers yet:"</p>
                <ul data-testid="replica-pending">{pending.into_iter().map(|c| view! {
                    <li>{format!("#{} {} {} at {}, applied at {}", c.seq, c.event, item_line(&c.key), label(c.at_ms), label(c.applies_at_ms))}</li>
                }).collect_view()}</ul>
            }.into_any()
        }}
    }
}

/// Read one item, eventually or strongly consistent, and list what each read got.
#[component]
fn TryRead(table: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let keys = Memo::new(move |_| {
        observe_table(engine, &table.get_value(), |t, _| {
            t.items_after(None).take(KEYS).map(|(_, i)| t.def.schema.packed_key_item(i)).collect::<Vec<Item>>()
        })
        .unwrap_or_default()
    });
    let chosen = RwSignal::new(0usize);
    let strong = RwSignal::new(false);
    let results = RwSignal::new(Vec::<ReadResult>::new());
    let read = move |_| {
        let Some(key) = keys.with_untracked(|k| k.get(chosen.get_untracked()).cloned()) else { return };
        let (name, consistent) = (table.get_value(), strong.get_untracked());
        let body =
            json!({"TableName": name, "Key": dynaplay_engine::value::item_to_json(&key), "ConsistentRead": consistent});
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            let o = run(&handle, "GetItem", body).await;
            let Some(trace) = o.response.as_ref().map(|r| &r.trace) else { return };
            let Some(r) = trace.reads.first() else { return };
            let missed = r.served.applied_until_ms.filter(|_| r.stale).and_then(|until| {
                peek(engine, |e| missed_write(e, &name, &key, until))
                    .map(|m| format!("missed #{} {} at {}", m.seq, m.event, label(m.at_ms)))
            });
            let item = o.response.as_ref().map(|r| r.body.clone()).unwrap_or_default();
            let result =
                ReadResult { key: item_line(&key), strong: consistent, replica: r.served.replica, missed, item };
            results.update(|l| l.insert(0, result));
        });
    };
    view! {
        <section class="panel" aria-labelledby="try-read-title">
            <div class="panel-head"><h2 id="try-read-title">"Read an item"</h2></div>
            {move || keys.with(Vec::is_empty).then(|| view! { <p class="muted">"Put an item first."</p> })}
            <div class="form-row">
                <label>"Item"<select on:change=move |e| chosen.set(event_target_value(&e).parse().unwrap_or(0)) data-testid="replica-key">
                    {move || keys.get().iter().enumerate().map(|(i, k)| view! { <option value=i.to_string()>{item_line(k)}</option> }).collect_view()}
                </select></label>
                <label class="check"><input type="checkbox" prop:checked=move || strong.get() on:change=move |e| strong.set(event_target_checked(&e)) data-testid="replica-strong"/>"Strongly consistent"</label>
                <button class="primary" on:click=read data-testid="replica-read">"Read"</button>
            </div>
            <ol class="reads" data-testid="replica-reads">{move || results.get().into_iter().map(|r| {
                let who = if r.replica == 0 { "the leader".to_string() } else { format!("follower {}", r.replica + 1) };
                let verdict = r.missed.clone().map_or_else(|| "current".to_string(), |m| format!("stale: {m}"));
                view! {
                    <li data-testid="replica-read-result" data-stale=r.missed.is_some().to_string()>
                        <strong>{format!("{} read of {}", if r.strong { "Strongly consistent" } else { "Eventually consistent" }, r.key)}</strong>
                        {format!(" — served by {who}: {verdict}")}
                        <pre class="code small">{r.item}</pre>
                    </li>
                }
            }).collect_view()}</ol>
        </section>
    }
}

/// This table's own replication lag, or none (the workspace's applies).
#[component]
fn TableLag(table: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let own = peek(engine, |e| e.config.table_replication_lag_ms.get(&table.get_value()).copied());
    let text = RwSignal::new(own.map(|ms| (ms / 1000).to_string()).unwrap_or_default());
    let message = RwSignal::new(None::<String>);
    let save = move |_| {
        let typed = text.get_untracked();
        let ms = match typed.trim() {
            "" => None,
            t => match seconds_ms(t) {
                Ok(ms) => Some(ms),
                Err(e) => return message.set(Some(e.into())),
            },
        };
        let (name, handle) = (table.get_value(), engine.get_value());
        leptos::task::spawn_local(async move {
            let key = name.clone();
            let change = move |c: &mut dynaplay_engine::Config| match ms {
                Some(ms) => drop(c.table_replication_lag_ms.insert(key, ms)),
                None => drop(c.table_replication_lag_ms.remove(&key)),
            };
            message.set(Some(match (handle.set_settings(change).await, ms) {
                (Ok(()), Some(ms)) => {
                    format!("Saved: the followers of {name} apply each write {} s after it.", ms / 1000)
                }
                (Ok(()), None) => format!("Saved: {name} follows the workspace's lag."),
                (Err(e), _) => e,
            }));
        });
    };
    view! {
        <div class="form-row spaced">
            <label>"This table's own lag (seconds; blank: the workspace's)"
                <input type="number" min="0" style="width:8em" prop:value=move || text.get()
                       on:input=move |e| text.set(event_target_value(&e)) data-testid="replica-table-lag"/>
            </label>
            <button on:click=save data-testid="replica-table-lag-save">"Save"</button>
        </div>
        {move || message.get().map(|m| view! { <p class="muted" role="status" data-testid="replica-table-lag-message">{m}</p> })}
    }
}

/// The workspace's replication lag.
const LAG: Seconds = Seconds {
    label: "Replication lag in this workspace (seconds; AWS: usually well under one)",
    testid: "replica-lag",
    get: |c| c.replication_lag_ms,
    set: |c, ms| c.replication_lag_ms = ms,
    saved: |s| format!("Saved: followers apply each write {s} s after it."),
};
