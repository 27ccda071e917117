//! `#/mirror`: the relational mirror. A SQL console over it, its tables, the triggers that
//! keep it in sync with DynamoDB (each with its batches, see `trigger_card.rs`) and a form
//! for a new trigger. Opening the page loads the SQL engine, a module of its own. Figures
//! come from `engine::inspect::mirror_of`.

use dynaplay_engine::inspect::mirror_of;
use leptos::prelude::*;
use serde_json::json;

use super::trigger_card::TriggerCard;
use super::viz::run;
use crate::handle::{observe, use_engine};
use crate::model::mirror::{results, template_table_sql, trigger_template, SqlResult};

#[component]
pub fn MirrorPage() -> impl IntoView {
    let engine = use_engine();
    let info = Memo::new(move |_| observe(engine, mirror_of));
    let failed = engine.get_value().mirror_error();
    let handle = engine.get_value();
    leptos::task::spawn_local(async move {
        let _ = handle.ensure_mirror().await;
    });
    view! {
        <section class="panel" aria-labelledby="mirror-title" data-testid="mirror">
            <div class="panel-head"><h2 id="mirror-title">"Relational mirror"</h2></div>
            <p class="intro">"A SQL database kept in sync with DynamoDB by triggers: each trigger reads a table's stream as a Lambda event source mapping does, and runs its handler's SQL for every record of a batch, all or nothing. A failed batch blocks its shard and is retried; nothing is lost while the records are in the stream. The database is GlueSQL, running in this page."</p>
            {move || failed.get().map(|e| view! { <p class="error-text" role="alert" data-testid="mirror-error">{e}</p> })}
            {move || (!info.get().live && failed.get().is_none()).then(|| view! { <p class="muted" data-testid="mirror-loading">"Loading the SQL engine…"</p> })}
            <SqlConsole/>
            <h3>"Tables"</h3>
            {move || {
                let tables = info.get().tables;
                if tables.is_empty() {
                    return view! { <p class="muted" data-testid="sql-tables-none">"No SQL tables yet: make one in the console (CREATE TABLE …)."</p> }.into_any();
                }
                view! {
                    <ul class="plain" data-testid="sql-tables">
                        {tables.into_iter().map(|(name, ddl, rows)| view! {
                            <li data-name=name.clone()><details><summary>{format!("{name} · {}", crate::text::count(rows, "row"))}</summary><pre class="small">{ddl}</pre></details></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="triggers-title">
            <div class="panel-head"><h2 id="triggers-title">"Triggers"</h2></div>
            {move || {
                let triggers = info.get().triggers;
                if triggers.is_empty() {
                    return view! { <p class="muted" data-testid="triggers-none">"No triggers yet."</p> }.into_any();
                }
                triggers.into_iter().map(|t| view! { <TriggerCard trigger=t/> }).collect_view().into_any()
            }}
            <NewTrigger/>
        </section>
    }
}

/// The SQL console: ExecuteSql through the engine, so it is saved and in the history.
#[component]
fn SqlConsole() -> impl IntoView {
    let engine = use_engine();
    let sql = RwSignal::new("SHOW TABLES".to_string());
    let shown = RwSignal::new(Vec::<SqlResult>::new());
    let error = RwSignal::new(None::<String>);
    let execute = move || {
        let handle = engine.get_value();
        let text = sql.get_untracked();
        leptos::task::spawn_local(async move {
            let o = run(&handle, "ExecuteSql", json!({ "Sql": text })).await;
            error.set(o.error_text());
            shown.set(results(&o.body));
        });
    };
    let keys = move |e: web_sys::KeyboardEvent| {
        if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
            e.prevent_default();
            execute();
        }
    };
    view! {
        <label class="block">"SQL"
            <textarea rows="4" spellcheck="false" prop:value=move || sql.get() on:input=move |e| sql.set(event_target_value(&e)) on:keydown=keys data-testid="sql-input"></textarea>
        </label>
        <div class="form-row"><button class="primary" on:click=move |_| execute() data-testid="sql-run">"Run (Ctrl+Enter)"</button></div>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="sql-error">{e}</p> })}
        <div data-testid="sql-results">
            {move || shown.get().into_iter().map(|r| match r {
                SqlResult::Done(text) => view! { <p class="muted" data-testid="sql-done">{text}</p> }.into_any(),
                SqlResult::Rows { columns, rows } => view! {
                    <div class="table-scroll"><table class="items compact" data-testid="sql-rows">
                        <thead><tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead>
                        <tbody>{rows.into_iter().map(|row| view! { <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                    </table></div>
                }.into_any(),
            }).collect_view()}
        </div>
    }
}

/// A new trigger: a CreateTrigger request to edit, starting from a template for the first
/// table with a stream.
#[component]
fn NewTrigger() -> impl IntoView {
    let engine = use_engine();
    let first = observe(engine, |e| {
        e.tables().find_map(|t| {
            e.streams().current(&t.def.name)?;
            Some((t.def.name.clone(), t.def.schema.hash.name.clone()))
        })
    });
    let Some((table, key)) = first else {
        return view! { <p class="muted" data-testid="trigger-needs-stream">"A trigger reads a table's stream: turn one on in a table's Stream and TTL tab first."</p> }.into_any();
    };
    let request = RwSignal::new(trigger_template(&table, &key));
    let error = RwSignal::new(None::<String>);
    let create = move |_| {
        let handle = engine.get_value();
        let text = request.get_untracked();
        leptos::task::spawn_local(async move {
            let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
            error.set(run(&handle, "CreateTrigger", body).await.error_text());
        });
    };
    view! {
        <details class="new-trigger">
            <summary>"New trigger"</summary>
            <p class="muted">{format!("Lambda's event source mapping settings (BatchSize, StartingPosition, MaximumBatchingWindowInSeconds, FilterCriteria, MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError) and a Handler: SQL for INSERT, MODIFY and REMOVE records, with bindings like :new.attribute, :old.attribute and :keys.attribute. Make its SQL table first, for example: {}", template_table_sql(&table))}</p>
            <label class="block">"CreateTrigger request"
                <textarea rows="14" spellcheck="false" prop:value=move || request.get() on:input=move |e| request.set(event_target_value(&e)) data-testid="trigger-request"></textarea>
            </label>
            <div class="form-row"><button class="primary" on:click=create data-testid="trigger-create">"Create trigger"</button></div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="trigger-error">{e}</p> })}
        </details>
    }
    .into_any()
}
