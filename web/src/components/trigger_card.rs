//! One trigger on the mirror page: its source and settings, its handler (and the same as
//! a Python or Node.js Lambda function to copy), how many records wait, its batches
//! newest first with the Lambda event each was, and the batches given up (what Lambda
//! would send to the on-failure destination).

use dynaplay_engine::inspect::{batch_event, BatchInfo, TriggerInfo};
use dynaplay_engine::trigger::poller::Failure;
use leptos::prelude::*;
use serde_json::json;

use super::viz::run;
use crate::handle::{peek, use_engine};
use crate::routes::{href, Route, Tab};

#[component]
pub fn TriggerCard(trigger: TriggerInfo) -> impl IntoView {
    let engine = use_engine();
    let name = StoredValue::new(trigger.name.clone());
    let error = RwSignal::new(None::<String>);
    let delete = move |_| {
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            error.set(run(&handle, "DeleteTrigger", json!({ "TriggerName": name.get_value() })).await.error_text());
        });
    };
    let source = href(&Route::Table(trigger.table.clone(), Tab::Stream));
    let summary = format!(
        "{} batches · {} waiting · {} given up",
        trigger.invocations_total,
        crate::text::count(trigger.backlog, "record"),
        trigger.failures.len()
    );
    view! {
        <div class="bucket" data-testid="trigger" data-name=trigger.name.clone()>
            <h3>{trigger.name.clone()}" · on "<a href=source>{trigger.table.clone()}</a></h3>
            <p class="muted" data-testid="trigger-summary">{summary}</p>
            <details><summary>"Settings and handler"</summary>
                <pre class="small">{trigger.settings.clone()}</pre>
                <dl class="handler">{trigger.handler.iter().map(|(event, sql)| view! { <dt>{event.clone()}</dt><dd><code>{sql.clone()}</code></dd> }).collect_view()}</dl>
            </details>
            <HandlerCode python=trigger.python.clone() node=trigger.node.clone()/>
            <BatchLog name=trigger.name.clone() batches=trigger.batches.clone()/>
            <Failures failures=trigger.failures.clone()/>
            <div class="form-row"><button on:click=delete data-testid="trigger-delete">"Delete trigger"</button></div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
        </div>
    }
}

/// The handler as a Lambda function in Python or Node.js, with a copy button.
#[component]
fn HandlerCode(python: String, node: String) -> impl IntoView {
    let language = RwSignal::new("python");
    let code = StoredValue::new((python, node));
    let text = move || code.with_value(|(p, n)| if language.get() == "python" { p.clone() } else { n.clone() });
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&text());
    };
    view! {
        <details data-testid="trigger-code"><summary>"The handler as a Lambda function"</summary>
            <div class="form-row">
                <button class:primary=move || language.get() == "python" on:click=move |_| language.set("python") data-testid="code-python">"Python"</button>
                <button class:primary=move || language.get() == "node" on:click=move |_| language.set("node") data-testid="code-node">"Node.js"</button>
                <button on:click=copy>"Copy"</button>
            </div>
            <pre class="code" data-testid="trigger-code-text">{text}</pre>
        </details>
    }
}

/// The batches, newest first; a batch's Lambda event opens below its row.
#[component]
fn BatchLog(name: String, batches: Vec<BatchInfo>) -> impl IntoView {
    let engine = use_engine();
    let name = StoredValue::new(name);
    let open = RwSignal::new(None::<usize>);
    let event = move || {
        let index = open.get()?;
        let event = peek(engine, |e| batch_event(e, &name.get_value(), index));
        Some(event.map_or("Its records have left the stream (24 hours).".to_string(), |v| {
            serde_json::to_string_pretty(&v).unwrap_or_default()
        }))
    };
    if batches.is_empty() {
        return view! { <p class="muted" data-testid="batches-none">"No batches yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="items compact" data-testid="batches">
            <thead><tr><th scope="col">"Engine time"</th><th scope="col">"Shard"</th><th scope="col">"Records"</th><th scope="col">"Try"</th><th scope="col">"Result"</th><th scope="col"></th></tr></thead>
            <tbody>{batches.into_iter().map(|b| {
                let index = b.index;
                let seqs = match (b.first_seq, b.last_seq) {
                    (Some(a), Some(z)) if a != z => format!("{} (#{a}–#{z})", b.records),
                    (Some(a), _) => format!("1 (#{a})"),
                    _ => b.records.to_string(),
                };
                let ok = b.error.is_none();
                view! {
                    <tr class:failed=!ok data-testid="batch">
                        <td>{crate::text::clock_time(b.at_ms)}</td>
                        <td><code>{short_shard(&b.shard)}</code></td>
                        <td>{seqs}</td>
                        <td>{if b.retry == 0 { "first".to_string() } else { format!("retry {}", b.retry) }}</td>
                        <td data-testid="batch-result">{b.error.unwrap_or_else(|| "ok".into())}</td>
                        <td><button on:click=move |_| open.update(|o| *o = if *o == Some(index) { None } else { Some(index) }) data-testid="batch-event">"Lambda event"</button></td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
        {move || event().map(|text| view! { <pre class="code small" data-testid="batch-event-json">{text}</pre> })}
    }
    .into_any()
}

/// A shard ID's distinctive end.
fn short_shard(id: &str) -> String {
    id.rsplit('-').next().unwrap_or(id).to_string()
}

#[component]
fn Failures(failures: Vec<Failure>) -> impl IntoView {
    (!failures.is_empty()).then(|| view! {
        <h4>"Given up (the on-failure destination)"</h4>
        <ul class="plain" data-testid="failures">
            {failures.into_iter().map(|f| view! {
                <li>{format!("{} · {} · {} · {}", crate::text::clock_time(f.at_ms), crate::text::count(f.seqs.len(), "record"), f.reason, f.error)}</li>
            }).collect_view()}
        </ul>
    })
}
