//! `#/tables/<name>/stream`: the table's DynamoDB stream and Time to Live. Shards over the
//! hash space with their lineage, records in sequence order with the images the view type
//! keeps (Time to Live deletes marked as the service's), and the items whose TTL has passed
//! waiting for the sweep, and the triggers reading the stream. Figures come from `engine::inspect::{streams_of, ttl_of}`.

use dynaplay_engine::inspect::{
    mirror_of, streams_of, ttl_of, RecordInfo, ShardInfo, StreamInfo, TriggerInfo, TtlInfo,
};
use dynaplay_engine::streams::label;
use leptos::prelude::*;

use super::setting::{Seconds, SecondsSetting};
use super::viz::{run, short_hash, x_of, WIDTH};
use crate::handle::{observe, use_engine};
use crate::model::stream::{item_line, item_plain, stream_request, ttl_request, until, VIEW_TYPES};
use crate::routes::{href, Route};

/// The newest records listed.
const RECORDS: usize = 50;

#[component]
pub fn StreamView(name: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    let streams = Memo::new(move |_| observe(engine, |e| streams_of(e, &table.get_value(), RECORDS)));
    // Expiry counts down with the engine clock, which the page moves every second.
    let tick = super::viz::every_second();
    let now = Memo::new(move |_| {
        tick.track();
        observe(engine, |e| e.now_ms())
    });
    let ttl = Memo::new(move |_| {
        tick.track();
        observe(engine, |e| e.table(&table.get_value()).map(|t| ttl_of(t, e.config.ttl_delay_ms, e.now_ms(), 20)))
    });
    let error = RwSignal::new(None::<String>);
    let send = move |op: &'static str, body: serde_json::Value| {
        error.set(None);
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            let o = run(&handle, op, body).await;
            if let Some(e) = o.error_text() {
                error.set(Some(e));
            }
        });
    };
    view! {
        <section class="panel viz" aria-labelledby="stream-title">
            <div class="panel-head"><h2 id="stream-title">"Stream"</h2></div>
            <p class="intro">"With a stream on, every change to an item becomes a record: INSERT, MODIFY or REMOVE, with the images the view type keeps, kept 24 hours. Records are grouped in shards by hash range; when a partition splits, its shard closes and two children carry on."</p>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="stream-error">{e}</p> })}
            {move || {
                let list = streams.get();
                let current = list.first().filter(|s| s.status != "DISABLED").cloned();
                let name = table.get_value();
                match current {
                    Some(s) => view! { <CurrentStream stream=s on_off=Callback::new(move |_| send("UpdateTable", stream_request(&name, None)))/> }.into_any(),
                    None => view! { <StreamOff on_enable=Callback::new(move |v: String| send("UpdateTable", stream_request(&table.get_value(), Some(&v))))/> }.into_any(),
                }
            }}
            {move || {
                let old: Vec<StreamInfo> = streams.get().into_iter().filter(|s| s.status == "DISABLED").collect();
                (!old.is_empty()).then(|| view! {
                    <details><summary>{format!("Disabled streams still readable ({})", old.len())}</summary>
                        {old.into_iter().map(|s| view! { <StreamBody stream=s/> }).collect_view()}
                    </details>
                })
            }}
            <StreamTriggers table=table.get_value()/>
        </section>
        {move || ttl.get().map(|t| view! {
            <TtlPanel ttl=t now=now on_set=Callback::new(move |(attr, on): (String, bool)| send("UpdateTimeToLive", ttl_request(&table.get_value(), &attr, on)))/>
        })}
        <section class="panel" aria-label="Time to Live sweep delay"><SecondsSetting setting=TTL_DELAY/></section>
    }
}

/// The triggers reading this table's stream, in a line each, linking to the mirror page
/// where their batches are.
#[component]
fn StreamTriggers(table: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let triggers = Memo::new(move |_| {
        observe(engine, |e| {
            let mine = |t: &TriggerInfo| t.table == table.get_value();
            mirror_of(e).triggers.into_iter().filter(mine).collect::<Vec<_>>()
        })
    });
    move || {
        let list = triggers.get();
        (!list.is_empty()).then(|| {
            view! {
                <h3>"Triggers reading this stream"</h3>
                <ul class="plain" data-testid="stream-triggers">
                    {list.into_iter().map(|t| view! {
                        <li><a href=href(&Route::Mirror)>{t.name.clone()}</a>{format!(
                            ": {} batches ({} failed), {} waiting, {} given up",
                            t.invocations_total,
                            t.failed_total,
                            crate::text::count(t.backlog, "record"),
                            t.failures.len()
                        )}</li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}

#[component]
fn StreamOff(on_enable: Callback<String>) -> impl IntoView {
    let view_type = RwSignal::new(VIEW_TYPES[0].0.to_string());
    view! {
        <p data-testid="stream-status">"This table has no stream."</p>
        <div class="form-row">
            <label>"StreamViewType"
                <select prop:value=move || view_type.get() on:change=move |e| view_type.set(event_target_value(&e)) data-testid="stream-view-type">
                    {VIEW_TYPES.iter().map(|(v, what)| view! { <option value=*v>{format!("{v}: {what}")}</option> }).collect_view()}
                </select>
            </label>
            <button class="primary" on:click=move |_| on_enable.run(view_type.get_untracked()) data-testid="stream-enable">"Turn the stream on"</button>
        </div>
    }
}

#[component]
fn CurrentStream(stream: StreamInfo, on_off: Callback<()>) -> impl IntoView {
    view! {
        <div class="panel-head">
            <span class="badge ok" data-testid="stream-status">{stream.status}</span>
            <span>{format!("StreamViewType {}", stream.view.as_str())}</span>
            <div class="spacer"></div>
            <button on:click=move |_| on_off.run(()) data-testid="stream-disable">"Turn the stream off"</button>
        </div>
        <StreamBody stream=stream/>
    }
}

/// A stream's ARN, shards and records.
#[component]
fn StreamBody(stream: StreamInfo) -> impl IntoView {
    let shown = stream.records.len();
    view! {
        <p class="muted arn"><code data-testid="stream-arn">{stream.arn.clone()}</code></p>
        <Shards shards=stream.shards.clone()/>
        <h3>{format!("Records ({} kept{})", stream.total_records, if stream.total_records > shown { format!(", the newest {shown} shown") } else { String::new() })}</h3>
        <Records records=stream.records/>
    }
}

#[component]
fn Shards(shards: Vec<ShardInfo>) -> impl IntoView {
    let open: Vec<&ShardInfo> = shards.iter().filter(|s| s.open).collect();
    let bands = open
        .iter()
        .map(|s| {
            let (x, w) = (x_of(s.start_hash), (x_of(s.end_hash) - x_of(s.start_hash)).max(1.0));
            view! { <g><rect x=x y="4" width=w height="30" class="split-band"/>
                {(w > 60.0).then(|| view! { <text x=x + w / 2.0 y="24" text-anchor="middle" class="band-sub">{crate::text::count(s.records, "record")}</text> })}</g> }
        })
        .collect_view();
    view! {
        <h3>{format!("Shards: {} open, {} closed", open.len(), shards.len() - open.len())}</h3>
        <svg class="split" viewBox=format!("0 0 {WIDTH} 38") role="img" aria-label="Open shards over the hash space" data-testid="stream-shards">{bands}</svg>
        <div class="table-scroll"><table class="items compact">
            <thead><tr><th scope="col">"Shard"</th><th scope="col">"Parent"</th><th scope="col">"Hash range"</th><th scope="col">"State"</th><th scope="col">"Records"</th></tr></thead>
            <tbody>{shards.iter().map(|s| view! {
                <tr data-testid="stream-shard" data-open=s.open.to_string()>
                    <td><code>{s.id.clone()}</code></td>
                    <td><code>{s.parent.clone().unwrap_or_else(|| "—".into())}</code></td>
                    <td>{format!("{} to {}", short_hash(s.start_hash), short_hash(s.end_hash))}</td>
                    <td>{if s.open { "open" } else { "closed" }}</td>
                    <td>{s.records}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
}

#[component]
fn Records(records: Vec<RecordInfo>) -> impl IntoView {
    if records.is_empty() {
        return view! { <p class="muted">"No records yet: write an item."</p> }.into_any();
    }
    let image = |i: &Option<dynaplay_engine::value::Item>| {
        i.as_ref().map(|i| view! { <span title=item_plain(i)>{item_line(i)}</span> })
    };
    view! {
        <div class="table-scroll"><table class="items compact" data-testid="stream-records">
            <thead><tr><th scope="col">"Sequence"</th><th scope="col">"Time"</th><th scope="col">"Event"</th><th scope="col">"Keys"</th><th scope="col">"OldImage"</th><th scope="col">"NewImage"</th><th scope="col">"By"</th></tr></thead>
            <tbody>{records.iter().map(|r| view! {
                <tr data-testid="stream-record" data-event=r.event data-service=r.by_service.to_string()>
                    <td>{r.seq}</td>
                    <td title=label(r.at_ms)>{label(r.at_ms).get(11..).unwrap_or_default().to_string()}</td>
                    <td>{r.event}</td>
                    <td>{item_line(&r.key)}</td>
                    <td>{image(&r.old_image)}</td>
                    <td>{image(&r.new_image)}</td>
                    <td>{if r.by_service { "Time to Live (the service)".to_string() } else { r.operation.clone() }}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

#[component]
fn TtlPanel(ttl: TtlInfo, now: Memo<u64>, on_set: Callback<(String, bool)>) -> impl IntoView {
    let attribute = RwSignal::new(ttl.attribute.clone().unwrap_or_else(|| "expiresAt".into()));
    let enabled = ttl.enabled;
    let state = match (&ttl.attribute, enabled) {
        (Some(a), true) => format!("On: items whose {a} is a Number of epoch seconds in the past are deleted {} s after it passes (AWS: within a few days).", ttl.delay_ms / 1000),
        _ => "Off.".to_string(),
    };
    view! {
        <section class="panel" aria-labelledby="ttl-title">
            <div class="panel-head"><h2 id="ttl-title">"Time to Live"</h2></div>
            <p data-testid="ttl-status">{state}</p>
            <div class="form-row">
                <label>"Attribute"<input type="text" prop:value=move || attribute.get() on:input=move |e| attribute.set(event_target_value(&e)) disabled=enabled data-testid="ttl-attribute"/></label>
                <button on:click=move |_| on_set.run((attribute.get_untracked(), !enabled)) data-testid="ttl-toggle">{if enabled { "Turn Time to Live off" } else { "Turn Time to Live on" }}</button>
            </div>
            <p class="muted">"Expired items are still read until the sweep deletes them; AWS allows one change to this setting an hour."</p>
            {(!ttl.expired_waiting.is_empty()).then(|| view! {
                <h3>"Expired, waiting for the sweep"</h3>
                <ul data-testid="ttl-waiting">{ttl.expired_waiting.iter().map(|(k, at)| {
                    let (line, at) = (item_line(k), *at);
                    view! { <li>{move || format!("{line}: deleted {}", until(at, now.get()))}</li> }
                }).collect_view()}</ul>
            })}
        </section>
    }
}

/// The workspace's sweep delay: how long after an item's TTL passes it is deleted.
const TTL_DELAY: Seconds = Seconds {
    label: "Sweep delay in this workspace (seconds)",
    testid: "ttl-delay",
    get: |c| c.ttl_delay_ms,
    set: |c, ms| c.ttl_delay_ms = ms,
    saved: |s| format!("Saved: expired items go {s} s after their TTL."),
};
