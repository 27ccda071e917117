//! `#/tables/<name>/backups`: the table's on-demand backups, and below them its
//! point-in-time recovery (`pitr_panel`) and its exports to S3 (`export_panel`). Back the table up, restore a
//! backup into a new table (which, as in AWS, has no stream, Time to Live or tags), or
//! delete one. The list comes from `engine::inspect::backups_of`.

use dynaplay_engine::inspect::{backups_of, backups_of_deleted_tables, BackupInfo};
use dynaplay_engine::streams::label;
use leptos::prelude::*;

use super::export_panel::ExportPanel;
use super::pitr_panel::PitrPanel;
use super::viz::run;
use crate::handle::{observe, use_engine};
use crate::model::backups::{create_request, default_name, restore_request};
use crate::routes::{navigate, Route, Tab};
use crate::text::bytes_text;

#[component]
pub fn BackupsView(name: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    let backups = Memo::new(move |_| observe(engine, |e| backups_of(e, &table.get_value())));
    let backup_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // The next default name, once the list is known.
    Effect::new(move |_| {
        let n = backups.with(Vec::len);
        if backup_name.get_untracked().is_empty()
            || backups.with(|b| b.iter().any(|b| b.name == backup_name.get_untracked()))
        {
            backup_name.set(default_name(&table.get_value(), n));
        }
    });
    let send = sender(error);
    view! {
        <section class="panel" aria-labelledby="backups-title">
            <div class="panel-head"><h2 id="backups-title">"Backups"</h2></div>
            <p class="intro">"An on-demand backup is a full copy of the table as it is now, kept until you delete it; it costs no capacity. Restoring always makes a new table: with the backup's items and indexes, and without the stream, Time to Live, tags or point-in-time recovery, which you set again, as in AWS."</p>
            <div class="form-row">
                <label>"Backup name"<input type="text" prop:value=move || backup_name.get() on:input=move |e| backup_name.set(event_target_value(&e)) data-testid="backup-name"/></label>
                <button class="primary" on:click=move |_| send.run(("CreateBackup", create_request(&table.get_value(), &backup_name.get_untracked()), None)) data-testid="backup-create">"Back up now"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="backup-error">{e}</p> })}
            {move || {
                let list = backups.get();
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="backup-none">"No backups of this table yet."</p> }.into_any();
                }
                view! { <BackupList list on_send=send whole=false/> }.into_any()
            }}
        </section>
        <PitrPanel table=table.get_value()/>
        <ExportPanel table=table.get_value()/>
    }
}

/// `#/backups`: the backups of tables that no longer exist (a deleted table's on-demand
/// backups, and the system backup deleting a table with point-in-time recovery on leaves),
/// which no table's view lists.
#[component]
pub fn DeletedTablesBackups() -> impl IntoView {
    let engine = use_engine();
    let backups = Memo::new(move |_| observe(engine, backups_of_deleted_tables));
    let error = RwSignal::new(None::<String>);
    let send = sender(error);
    view! {
        <section class="panel" aria-labelledby="deleted-backups-title">
            <div class="panel-head"><h2 id="deleted-backups-title">"Backups of deleted tables"</h2></div>
            <p class="intro">"Deleting a table keeps its on-demand backups; with point-in-time recovery on, it also leaves a system backup (named <table>$DeletedTableBackup) for 35 days. Restore one into a new table to get the items back."</p>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="backup-error">{e}</p> })}
            {move || {
                let list = backups.get();
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="backup-none">"No backups of deleted tables."</p> }.into_any();
                }
                view! { <BackupList list on_send=send whole=true/> }.into_any()
            }}
        </section>
    }
}

/// A request to send: the operation, its body, and the table to open once it succeeds.
pub(super) type Send = (&'static str, serde_json::Value, Option<String>);

/// Runs a backup request: an error is shown in `error`, a restore opens the new table.
pub(super) fn sender(error: RwSignal<Option<String>>) -> Callback<Send> {
    let engine = use_engine();
    Callback::new(move |(op, body, then): Send| {
        error.set(None);
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            let o = run(&handle, op, body).await;
            match (o.error_text(), then) {
                (Some(e), _) => error.set(Some(e)),
                (None, Some(target)) => navigate(&Route::Table(target, Tab::Items)),
                (None, None) => {}
            }
        });
    })
}

/// The backups as a table; `whole` adds the source table and the backup type.
#[component]
fn BackupList(list: Vec<BackupInfo>, on_send: Callback<Send>, whole: bool) -> impl IntoView {
    view! {
        <div class="table-scroll"><table class="items compact" data-testid="backup-list">
            <thead><tr>
                <th scope="col">"Name"</th>
                {whole.then(|| view! { <th scope="col">"Table"</th><th scope="col">"Type"</th> })}
                <th scope="col">"Created"</th><th scope="col">"Status"</th><th scope="col">"Items"</th><th scope="col">"Size"</th><th scope="col">"Restore into a new table"</th><th scope="col"></th>
            </tr></thead>
            <tbody>{list.into_iter().map(|b| view! { <BackupRow backup=b on_send whole/> }).collect_view()}</tbody>
        </table></div>
    }
}

#[component]
fn BackupRow(backup: BackupInfo, on_send: Callback<Send>, whole: bool) -> impl IntoView {
    let target = RwSignal::new(format!("{}-restored", backup.table));
    let (restore_arn, delete_arn) = (backup.arn.clone(), backup.arn.clone());
    let available = backup.status == "AVAILABLE";
    view! {
        <tr data-testid="backup-row" data-status=backup.status>
            <td title=backup.arn.clone()>{backup.name.clone()}</td>
            {whole.then(|| view! { <td>{backup.table.clone()}</td><td>{backup.kind}</td> })}
            <td>{label(backup.created_ms)}</td>
            <td>{backup.status}</td>
            <td>{backup.items}</td>
            <td>{bytes_text(backup.size_bytes as u64)}</td>
            <td><span class="inline-form">
                <input type="text" style="width:10em" aria-label="New table name" prop:value=move || target.get() on:input=move |e| target.set(event_target_value(&e)) data-testid="backup-target"/>
                <button disabled=!available on:click=move |_| {
                    let t = target.get_untracked();
                    on_send.run(("RestoreTableFromBackup", restore_request(&restore_arn, &t), Some(t.trim().to_string())));
                } data-testid="backup-restore">"Restore"</button>
            </span></td>
            <td><button class="danger small" disabled=!available on:click=move |_| on_send.run(("DeleteBackup", serde_json::json!({"BackupArn": delete_arn}), None)) data-testid="backup-delete">"Delete"</button></td>
        </tr>
    }
}
