//! `#/s3`: the simulated S3. Make buckets (with an owning account and an Object Ownership
//! setting), upload files, see who owns each object and whether the bucket's owner can read
//! it, download objects; import objects into a new table; and every export. Figures from
//! `engine::inspect::{buckets_of, imports_of}`.

use dynaplay_engine::inspect::{buckets_of, BucketInfo, ObjectInfo};
use dynaplay_engine::s3::Ownership;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::export_panel::ExportList;
use super::import_panel::ImportPanel;
use crate::handle::{observe, peek, use_engine};
use crate::model::transfers::upload_key;
use crate::text::bytes_text;

#[component]
pub fn S3Page() -> impl IntoView {
    let engine = use_engine();
    let buckets = Memo::new(move |_| observe(engine, buckets_of));
    view! {
        <section class="panel" aria-labelledby="s3-title" data-testid="s3">
            <div class="panel-head"><h2 id="s3-title">"S3 buckets"</h2></div>
            <p class="intro">"A simulated Amazon S3, kept in this browser: exports write here, imports read from here. Each object has an owner: with Object Ownership set to BucketOwnerEnforced (S3's default) the bucket's owner owns everything; otherwise the account that wrote it does, and an export to another account's bucket stays unreadable to that account until PutObjectAcl grants it."</p>
            <NewBucket/>
            {move || {
                let list = buckets.get();
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="s3-none">"No buckets yet."</p> }.into_any();
                }
                list.into_iter().map(|b| view! { <BucketCard bucket=b/> }).collect_view().into_any()
            }}
        </section>
        <ImportPanel/>
        <section class="panel" aria-labelledby="s3-exports-title">
            <div class="panel-head"><h2 id="s3-exports-title">"Exports"</h2></div>
            <ExportList table=None/>
        </section>
    }
}

/// The new-bucket form.
#[component]
fn NewBucket() -> impl IntoView {
    let engine = use_engine();
    let account = peek(engine, |e| e.config.account_id.clone());
    let name = RwSignal::new("exports".to_string());
    let owner = RwSignal::new(account);
    let ownership = RwSignal::new(Ownership::BucketOwnerEnforced);
    let error = RwSignal::new(None::<String>);
    let create = move |_| {
        let (n, o, w) = (name.get_untracked(), owner.get_untracked(), ownership.get_untracked());
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            let result = handle.host_change(|e| e.create_bucket(n.trim(), Some(o.trim()), w).map_err(|e| e.0)).await;
            error.set(result.err());
        });
    };
    view! {
        <div class="form-row">
            <label>"Bucket name"<input type="text" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) data-testid="bucket-name"/></label>
            <label>"Owner account"<input type="text" prop:value=move || owner.get() on:input=move |e| owner.set(event_target_value(&e)) data-testid="bucket-owner"/></label>
            <label>"Object Ownership"<select on:change=move |e| ownership.set(Ownership::parse(&event_target_value(&e)).unwrap_or_default()) data-testid="bucket-ownership">
                {[Ownership::BucketOwnerEnforced, Ownership::BucketOwnerPreferred, Ownership::ObjectWriter].map(|o| view! { <option value=o.as_str()>{o.as_str()}</option> })}
            </select></label>
            <button class="primary" on:click=create data-testid="bucket-create">"Create bucket"</button>
        </div>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="bucket-error">{e}</p> })}
    }
}

/// One bucket: its owner and setting, an upload control and its objects.
#[component]
fn BucketCard(bucket: BucketInfo) -> impl IntoView {
    let name = StoredValue::new(bucket.name.clone());
    let heading = format!(
        "{} · owner {} · {} · {}",
        bucket.name,
        bucket.owner,
        bucket.ownership.as_str(),
        bytes_text(bucket.bytes as u64)
    );
    view! {
        <div class="bucket" data-testid="bucket" data-name=bucket.name.clone()>
            <h3>{heading}</h3>
            <Upload bucket=name.get_value()/>
            {if bucket.objects.is_empty() {
                view! { <p class="muted">"Empty."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="items compact" data-testid="object-list">
                        <thead><tr><th scope="col">"Key"</th><th scope="col">"Size"</th><th scope="col">"Owner"</th><th scope="col">"Bucket owner can read"</th><th scope="col"></th></tr></thead>
                        <tbody>{bucket.objects.into_iter().map(|o| view! { <ObjectRow bucket=name.get_value() object=o/> }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn ObjectRow(bucket: String, object: ObjectInfo) -> impl IntoView {
    let engine = use_engine();
    let (b, key) = (StoredValue::new(bucket), StoredValue::new(object.key.clone()));
    let download = move |_| {
        let bytes = peek(engine, |e| {
            e.s3().buckets.get(&b.get_value()).and_then(|x| x.objects.get(&key.get_value())).map(|o| o.bytes.clone())
        });
        let file = key.get_value().rsplit('/').next().unwrap_or_default().to_string();
        if let Some(bytes) = bytes {
            crate::files::download_bytes(&file, &bytes, "application/octet-stream");
        }
    };
    let delete = move |_| {
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            let _ = handle.host_change(|e| Ok(e.delete_object(&b.get_value(), &key.get_value()))).await;
        });
    };
    let readable =
        if object.bucket_owner_can_read { "yes" } else { "no: only the owner can, until PutObjectAcl grants it" };
    view! {
        <tr data-testid="object-row">
            <td class="object-key">{object.key.clone()}</td>
            <td>{bytes_text(object.size as u64)}</td>
            <td>{object.owner.clone()}{(!object.grants.is_empty()).then(|| format!(" (+ {})", object.grants.join(", ")))}</td>
            <td>{readable}</td>
            <td><span class="inline-form">
                <button class="small" on:click=download data-testid="object-download">"Download"</button>
                <button class="small danger" on:click=delete data-testid="object-delete">"Delete"</button>
            </span></td>
        </tr>
    }
}

/// Uploads the chosen files, or a folder's files at their paths, into `bucket` under a
/// prefix.
#[component]
fn Upload(bucket: String) -> impl IntoView {
    let engine = use_engine();
    let bucket = StoredValue::new(bucket);
    let prefix = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let upload = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let files: Vec<web_sys::File> =
            input.files().map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default();
        input.set_value("");
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            for file in files {
                // A folder's files keep their path inside it (`webkitRelativePath`).
                let path = js_sys::Reflect::get(&file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string());
                let key =
                    upload_key(&prefix.get_untracked(), &path.filter(|p| !p.is_empty()).unwrap_or_else(|| file.name()));
                let result = match crate::files::read(&file).await {
                    Ok(bytes) => {
                        handle.host_change(|e| e.put_object(&bucket.get_value(), &key, bytes).map_err(|e| e.0)).await
                    }
                    Err(e) => Err(e),
                };
                error.set(result.err());
            }
        });
    };
    view! {
        <div class="form-row">
            <label>"Upload under prefix"<input type="text" placeholder="optional, e.g. import/" prop:value=move || prefix.get() on:input=move |e| prefix.set(event_target_value(&e)) data-testid="upload-prefix"/></label>
            <label>"Files"<input type="file" multiple on:change=upload data-testid="upload-files"/></label>
            <label>"Or a folder (an AWS export as downloaded)"<input type="file" prop:webkitdirectory=true on:change=upload data-testid="upload-folder"/></label>
        </div>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
    }
}
