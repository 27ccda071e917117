//! Import from S3 on `#/s3`: the form that makes a new table from a bucket's objects, and
//! each import with its counts and the error log AWS would write to CloudWatch. Figures
//! from `engine::inspect::imports_of`.

use dynaplay_engine::inspect::{buckets_of, imports_of, ImportInfo};
use leptos::prelude::*;

use super::backups_view::sender;
use crate::handle::{observe, use_engine};
use crate::model::transfers::ImportForm;
use crate::routes::{href, Route, Tab};

#[component]
pub fn ImportPanel() -> impl IntoView {
    let engine = use_engine();
    let buckets =
        Memo::new(move |_| observe(engine, |e| buckets_of(e).into_iter().map(|b| b.name).collect::<Vec<_>>()));
    let imports = Memo::new(move |_| observe(engine, imports_of));
    let form = RwSignal::new(ImportForm { table: "Imported".into(), ..ImportForm::default() });
    Effect::new(move |_| {
        if let Some(first) = buckets.get().first().filter(|_| form.with_untracked(|f| f.bucket.is_empty())) {
            form.update(|f| f.bucket = first.clone());
        }
    });
    let error = RwSignal::new(None::<String>);
    let send = sender(error);
    let import = move |_| send.run(("ImportTable", form.with_untracked(ImportForm::request), None));
    view! {
        <section class="panel" aria-labelledby="import-title" data-testid="import">
            <div class="panel-head"><h2 id="import-title">"Import from S3"</h2></div>
            <p class="intro">"ImportTable always makes a new table from every object under a prefix: DynamoDB JSON (an export's data files import as they are), Amazon Ion or CSV, compressed with GZIP or ZSTD or not. It uses no write capacity. An item that fails validation is skipped and counted; the import then ends FAILED, and the table keeps the rest."</p>
            <ImportFields form buckets/>
            <button class="primary" on:click=import data-testid="import-start">"Import into a new table"</button>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="import-error">{e}</p> })}
            {move || {
                let list = imports.get();
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="import-none">"No imports yet."</p> }.into_any();
                }
                view! {
                    <div class="table-scroll"><table class="items compact" data-testid="import-list">
                        <thead><tr><th scope="col">"Table"</th><th scope="col">"Source"</th><th scope="col">"Status"</th><th scope="col">"Processed"</th><th scope="col">"Imported"</th><th scope="col">"Errors"</th></tr></thead>
                        <tbody>{list.into_iter().map(|i| view! { <ImportRow import=i/> }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ImportFields(form: RwSignal<ImportForm>, buckets: Memo<Vec<String>>) -> impl IntoView {
    let set = move |f: fn(&mut ImportForm, String)| move |e| form.update(|x| f(x, event_target_value(&e)));
    let text = move |get: fn(&ImportForm) -> String| move || form.with(get);
    let types = || ["S", "N", "B"].map(|t| view! { <option value=t>{t}</option> });
    view! {
        <div class="form-row">
            <label>"Bucket"<select prop:value=text(|f| f.bucket.clone()) on:change=set(|f, v| f.bucket = v) data-testid="import-bucket">
                {move || buckets.get().into_iter().map(|b| view! { <option value=b.clone()>{b.clone()}</option> }).collect_view()}
            </select></label>
            <label>"Key prefix"<input type="text" prop:value=text(|f| f.prefix.clone()) on:input=set(|f, v| f.prefix = v) data-testid="import-prefix"/></label>
            <label>"Format"<select on:change=set(|f, v| f.format = v) data-testid="import-format">
                <option value="DYNAMODB_JSON">"DynamoDB JSON"</option><option value="ION">"Amazon Ion"</option><option value="CSV">"CSV"</option>
            </select></label>
            <label>"Compression"<select on:change=set(|f, v| f.compression = v) data-testid="import-compression">
                <option value="GZIP">"GZIP"</option><option value="ZSTD">"ZSTD"</option><option value="NONE">"None"</option>
            </select></label>
        </div>
        <div class="form-row">
            <label>"New table"<input type="text" prop:value=text(|f| f.table.clone()) on:input=set(|f, v| f.table = v) data-testid="import-table"/></label>
            <label>"Partition key"<input type="text" prop:value=text(|f| f.partition_key.0.clone()) on:input=set(|f, v| f.partition_key.0 = v) data-testid="import-pk"/></label>
            <label>"Type"<select on:change=set(|f, v| f.partition_key.1 = v) data-testid="import-pk-type">{types()}</select></label>
            <label>"Sort key"<input type="text" placeholder="optional" prop:value=text(|f| f.sort_key.0.clone()) on:input=set(|f, v| f.sort_key.0 = v) data-testid="import-sk"/></label>
            <label>"Type"<select on:change=set(|f, v| f.sort_key.1 = v)>{types()}</select></label>
        </div>
    }
}

#[component]
fn ImportRow(import: ImportInfo) -> impl IntoView {
    let done = import.status != "IN_PROGRESS";
    let log = import.errors.join("\n");
    view! {
        <tr data-testid="import-row" data-status=import.status>
            <td><a href=href(&Route::Table(import.table.clone(), Tab::Items))>{import.table.clone()}</a></td>
            <td class="object-key">{import.source.clone()}<div class="muted small">{format!("{} · {}", import.format, import.compression)}</div></td>
            <td>{import.status}{import.failure.clone().map(|f| view! { <div class="error-text small">{f}</div> })}</td>
            <td>{done.then_some(import.processed_items)}</td>
            <td>{done.then_some(import.imported_items)}</td>
            <td>{done.then_some(import.error_count)}
                {(!log.is_empty()).then(|| view! { <details><summary>"Error log"</summary><pre class="small" data-testid="import-log">{log}</pre></details> })}
            </td>
        </tr>
    }
}
