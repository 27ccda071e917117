//! Export to S3, in `#/tables/<name>/backups` (this table's exports) and on `#/s3` (all of
//! them): the export form, and each export with its progress on the engine clock, its
//! files, and a download of them all as one zip. Figures from `engine::inspect::exports_of`.

use dynaplay_engine::inspect::{buckets_of, export_files, exports_of, ExportInfo};
use dynaplay_engine::streams::label;
use leptos::prelude::*;

use super::backups_view::sender;
use crate::handle::{observe, peek, use_engine};
use crate::model::transfers::{zip_name, ExportForm};
use crate::routes::{href, Route};

#[component]
pub fn ExportPanel(table: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let buckets =
        Memo::new(move |_| observe(engine, |e| buckets_of(e).into_iter().map(|b| b.name).collect::<Vec<_>>()));
    let form = RwSignal::new(ExportForm::default());
    Effect::new(move |_| {
        if let Some(first) = buckets.get().first().filter(|_| form.with_untracked(|f| f.bucket.is_empty())) {
            form.update(|f| f.bucket = first.clone());
        }
    });
    let error = RwSignal::new(None::<String>);
    let send = sender(error);
    let export = move |_| {
        let (arn, now) = peek(engine, |e| (e.arn(&table.get_value()), e.now_ms()));
        send.run(("ExportTableToPointInTime", form.with_untracked(|f| f.request(&arn, now)), None));
    };
    view! {
        <section class="panel" aria-labelledby="export-title" data-testid="export">
            <div class="panel-head"><h2 id="export-title">"Export to S3"</h2></div>
            <p class="intro">"An export writes the table as it was at a moment of its point-in-time recovery window (so recovery must be on) to an S3 bucket: gzip files of one item per line, one file per partition, and manifests that list them. It reads no capacity. An incremental export writes only what changed in a window: each changed item once, with its new and old image."</p>
            {move || buckets.with(Vec::is_empty).then(|| view! {
                <p class="muted" data-testid="export-no-bucket">"No buckets yet: create one on the "<a href=href(&Route::S3)>"S3 page"</a>"."</p>
            })}
            <ExportFields form buckets/>
            <button class="primary" on:click=export data-testid="export-start">"Export"</button>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="export-error">{e}</p> })}
            <ExportList table=Some(table.get_value())/>
        </section>
    }
}

/// The form's fields: bucket, prefix, format, and full or incremental.
#[component]
fn ExportFields(form: RwSignal<ExportForm>, buckets: Memo<Vec<String>>) -> impl IntoView {
    let set = move |f: fn(&mut ExportForm, String)| move |e| form.update(|x| f(x, event_target_value(&e)));
    view! {
        <div class="form-row">
            <label>"Bucket"<select prop:value=move || form.with(|f| f.bucket.clone()) on:change=set(|f, v| f.bucket = v) data-testid="export-bucket">
                {move || buckets.get().into_iter().map(|b| view! { <option value=b.clone()>{b.clone()}</option> }).collect_view()}
            </select></label>
            <label>"Prefix"<input type="text" placeholder="optional" prop:value=move || form.with(|f| f.prefix.clone()) on:input=set(|f, v| f.prefix = v) data-testid="export-prefix"/></label>
            <label>"Format"<select on:change=set(|f, v| f.format = v) data-testid="export-format">
                <option value="DYNAMODB_JSON">"DynamoDB JSON"</option><option value="ION">"Amazon Ion"</option>
            </select></label>
            <label>"Type"<select on:change=set(|f, v| f.incremental_minutes = v.parse().ok()) data-testid="export-type">
                <option value="full">"Full, as of now"</option>
                <option value="15">"Incremental, last 15 minutes"</option>
                <option value="60">"Incremental, last hour"</option>
                <option value="1440">"Incremental, last 24 hours"</option>
            </select></label>
        </div>
    }
}

/// The exports of `table` (or of every table), newest first.
#[component]
pub fn ExportList(table: Option<String>) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let exports = Memo::new(move |_| observe(engine, |e| exports_of(e, table.get_value().as_deref())));
    move || {
        let list = exports.get();
        if list.is_empty() {
            return view! { <p class="muted" data-testid="export-none">"No exports yet."</p> }.into_any();
        }
        view! {
            <div class="table-scroll"><table class="items compact" data-testid="export-list">
                <thead><tr>
                    <th scope="col">"Export"</th><th scope="col">"Table"</th><th scope="col">"Type"</th><th scope="col">"As of"</th>
                    <th scope="col">"Status"</th><th scope="col">"Items"</th><th scope="col">"Files"</th><th scope="col"></th>
                </tr></thead>
                <tbody>{list.into_iter().map(|x| view! { <ExportRow export=x/> }).collect_view()}</tbody>
            </table></div>
        }
        .into_any()
    }
}

#[component]
fn ExportRow(export: ExportInfo) -> impl IntoView {
    let engine = use_engine();
    let (arn, name) = (export.arn.clone(), zip_name(&export.table, &export.id));
    let download = move |_| {
        let files = peek(engine, |e| export_files(e, &arn));
        if let Ok(bytes) = crate::files::zip(&files) {
            crate::files::download_bytes(&name, &bytes, "application/zip");
        }
    };
    let done = export.status == "COMPLETED";
    let tree = export.keys.join("\n");
    view! {
        <tr data-testid="export-row" data-status=export.status>
            <td title=export.arn.clone()>{export.id.clone()}<div class="muted small">{format!("s3://{}", export.bucket)}</div></td>
            <td>{export.table.clone()}</td>
            <td>{format!("{} · {}", export.kind, export.format)}</td>
            <td>{label(export.export_time_ms)}</td>
            <td>
                {export.status}
                {(export.status == "IN_PROGRESS").then(|| view! { <progress max="1" value=export.progress.to_string() data-testid="export-progress"></progress> })}
                {export.failure.clone().map(|f| view! { <div class="error-text small">{f}</div> })}
            </td>
            <td>{done.then_some(export.item_count)}</td>
            <td><details><summary>{format!("{} files", export.keys.len())}</summary><pre class="small" data-testid="export-files">{tree}</pre></details></td>
            <td><button class="small" disabled=!done on:click=download data-testid="export-download">"Download zip"</button></td>
        </tr>
    }
}
