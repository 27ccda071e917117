//! The point-in-time recovery panel of `#/tables/<name>/backups`: turn PITR on or off, see
//! the restorable window and what a restore is rebuilt from (the base and the change log),
//! preview what a restore to just before one of the recent changes would give back (the
//! items that differ from now), and restore into a new table at that moment or the latest
//! restorable time; a timeline of the table's history picks any moment (`timeline`). The
//! figures come from `engine::inspect::pitr_of`.

use dynaplay_engine::inspect::{pitr_of, pitr_preview, PitrChange, PitrDiff, PitrInfo};
use dynaplay_engine::streams::{label, parse_label};
use leptos::prelude::*;

use super::backups_view::{sender, Send};
use super::setting::{Seconds, SecondsSetting};
use super::timeline::TimelineAxis;
use crate::handle::{observe, peek, use_engine};
use crate::model::backups::{pitr_request, pitr_restore_request};
use crate::model::stream::item_line;
use crate::text::count;

/// How many recent changes the panel lists.
const RECENT: usize = 8;
/// How many differing items a preview lists.
const PREVIEW: usize = 20;

#[component]
pub fn PitrPanel(table: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let info = Memo::new(move |_| observe(engine, |e| pitr_of(e, &table.get_value(), RECENT)));
    let target = RwSignal::new(format!("{}-pitr", table.get_value()));
    let error = RwSignal::new(None::<String>);
    let send = sender(error);
    let moment = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<(u64, Vec<PitrDiff>, usize)>);
    let on_preview = Callback::new(move |at: u64| {
        let t = table.get_value();
        let inside = peek(engine, |e| pitr_of(e, &t, 0).is_some_and(|p| (p.earliest_ms..=p.latest_ms).contains(&at)));
        if !inside {
            preview.set(None);
            return error.set(Some(format!("{} is outside the restorable window.", label(at))));
        }
        error.set(None);
        let diff = peek(engine, |e| pitr_preview(e, &t, at, PREVIEW));
        preview.set(diff.map(|(diffs, total)| (at, diffs, total)));
    });
    let picked = RwSignal::new(None::<u64>);
    let on_pick = Callback::new(move |at: u64| {
        picked.set(Some(at));
        moment.set(label(at));
        on_preview.run(at);
    });
    let restore = Callback::new(move |at: Option<u64>| {
        let body = pitr_restore_request(&table.get_value(), &target.get_untracked(), at);
        send.run(("RestoreTableToPointInTime", body, Some(target.get_untracked().trim().to_string())));
    });
    view! {
        <section class="panel" aria-labelledby="pitr-title" data-testid="pitr">
            <div class="panel-head"><h2 id="pitr-title">"Point-in-time recovery"</h2></div>
            <p class="intro">"With point-in-time recovery on, DynamoDB can rebuild the table as it was at any moment of the recovery period (1 to 35 days), to the millisecond, into a new table. Here you see how: a base copy of the items, and the change log replayed up to the moment you pick."</p>
            <TimelineAxis table=table.get_value() picked on_pick/>
            {move || match info.get() {
                None => view! {
                    <div class="form-row">
                        <span class="muted" data-testid="pitr-status">"Off."</span>
                        <button class="primary" on:click=move |_| send.run(("UpdateContinuousBackups", pitr_request(&table.get_value(), Some(35)), None)) data-testid="pitr-enable">"Turn on (35 days)"</button>
                    </div>
                }.into_any(),
                Some(p) => view! { <PitrOn info=p table=table.get_value() target=target on_send=send on_restore=restore on_preview=on_preview moment error/> }.into_any(),
            }}
            {move || preview.get().map(|(at_ms, diffs, total)| view! { <Preview at_ms diffs total/> })}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="pitr-error">{e}</p> })}
            <SecondsSetting setting=LAG/>
        </section>
    }
}

#[component]
fn PitrOn(
    info: PitrInfo,
    table: String,
    target: RwSignal<String>,
    on_send: Callback<Send>,
    on_restore: Callback<Option<u64>>,
    on_preview: Callback<u64>,
    moment: RwSignal<String>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let disable = pitr_request(&table, None);
    view! {
        <dl class="facts" data-testid="pitr-window">
            <div><dt>"Status"</dt><dd data-testid="pitr-status">{format!("On, {} days", info.period_days)}</dd></div>
            <div><dt>"Earliest restorable"</dt><dd>{label(info.earliest_ms)}</dd></div>
            <div><dt>"Latest restorable"</dt><dd data-testid="pitr-latest">{format!("{} ({} s behind the clock)", label(info.latest_ms), info.lag_ms / 1000)}</dd></div>
            <div><dt>"Rebuilt from"</dt><dd data-testid="pitr-base">{format!("a base of {} at {}, and {} after it", count(info.base_items, "item"), label(info.base_ms), count(info.changes, "change"))}</dd></div>
        </dl>
        <div class="form-row">
            <label>"New table name"<input type="text" prop:value=move || target.get() on:input=move |e| target.set(event_target_value(&e)) data-testid="pitr-target"/></label>
            <button class="primary" on:click=move |_| on_restore.run(None) data-testid="pitr-restore-latest">"Restore to the latest restorable time"</button>
            <button class="danger small" on:click=move |_| on_send.run(("UpdateContinuousBackups", disable.clone(), None)) data-testid="pitr-disable">"Turn off"</button>
        </div>
        <Moment latest_ms=info.latest_ms text=moment error on_restore on_preview/>
        <RecentChanges changes=info.recent on_restore on_preview/>
    }
}

/// Any moment, typed as the panel writes times (UTC, to the millisecond; blank: the latest
/// restorable time): preview it or restore to it. `text` and `error` live in the panel, so
/// what was typed outlives the redraw every tick of the clock.
#[component]
fn Moment(
    latest_ms: u64,
    text: RwSignal<String>,
    error: RwSignal<Option<String>>,
    on_restore: Callback<Option<u64>>,
    on_preview: Callback<u64>,
) -> impl IntoView {
    let read = move || {
        let typed = text.get_untracked();
        let ms = if typed.trim().is_empty() { Some(latest_ms) } else { parse_label(&typed) };
        if ms.is_none() {
            error.set(Some(format!("Write the moment as {} (UTC).", label(latest_ms))));
        }
        ms
    };
    view! {
        <div class="form-row">
            <label>"Moment (UTC)"<input type="text" style="width:16em" placeholder=label(latest_ms) prop:value=move || text.get() on:input=move |e| text.set(event_target_value(&e)) data-testid="pitr-moment"/></label>
            <button on:click=move |_| if let Some(ms) = read() { on_preview.run(ms) } data-testid="pitr-preview-moment">"Preview"</button>
            <button on:click=move |_| if let Some(ms) = read() { on_restore.run(Some(ms)) } data-testid="pitr-restore-moment">"Restore to this moment"</button>
        </div>
    }
}

/// The newest changes, each with buttons previewing and restoring the table as it was the
/// millisecond before it.
#[component]
fn RecentChanges(
    changes: Vec<PitrChange>,
    on_restore: Callback<Option<u64>>,
    on_preview: Callback<u64>,
) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p class="muted">"No changes since the base yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="items compact" data-testid="pitr-changes">
            <thead><tr><th scope="col">"When"</th><th scope="col">"Change"</th><th scope="col">"Key"</th><th scope="col"></th></tr></thead>
            <tbody>{changes.into_iter().map(|c| {
                let before = c.restore_before_ms;
                let title = if before.is_some() { "Restore to the millisecond before this change" } else { "Not restorable yet: the latest restorable time has not reached it" };
                view! {
                    <tr data-testid="pitr-change">
                        <td>{label(c.at_ms)}</td>
                        <td>{format!("{} ({})", c.event, c.operation)}</td>
                        <td><code>{item_line(&c.key)}</code></td>
                        <td><span class="inline-form">
                            <button class="small" disabled=before.is_none() on:click=move |_| on_preview.run(before.unwrap_or_default()) data-testid="pitr-preview-before">"Preview"</button>
                            <button class="small" disabled=before.is_none() title=title on:click=move |_| on_restore.run(before) data-testid="pitr-restore-before">"Restore to just before"</button>
                        </span></td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    }.into_any()
}

/// What restoring to a moment would give back: the items that differ from now.
#[component]
fn Preview(at_ms: u64, diffs: Vec<PitrDiff>, total: usize) -> impl IntoView {
    let more = total.saturating_sub(diffs.len());
    view! {
        <div data-testid="pitr-preview">
            <p><strong>{format!("At {}, {} differed from now.", label(at_ms), count(total, "item"))}</strong>
               " A restore to that moment would give back the items as they were then."</p>
            <div class="table-scroll"><table class="items compact">
                <thead><tr><th scope="col">"Key"</th><th scope="col">"Then"</th><th scope="col">"Now"</th></tr></thead>
                <tbody>{diffs.into_iter().map(|d| {
                    let side = |i: &Option<dynaplay_engine::value::Item>| i.as_ref().map_or_else(|| "(absent)".to_string(), item_line);
                    view! { <tr data-testid="pitr-diff"><td><code>{item_line(&d.key)}</code></td><td>{side(&d.then)}</td><td>{side(&d.now)}</td></tr> }
                }).collect_view()}</tbody>
            </table></div>
            {(more > 0).then(|| view! { <p class="muted">{format!("… and {more} more.")}</p> })}
        </div>
    }
}

/// The workspace's lag: how far the latest restorable time trails the clock (AWS: about
/// five minutes; 0 makes every change restorable at once).
const LAG: Seconds = Seconds {
    label: "Lag in this workspace (seconds; AWS: about 300)",
    testid: "pitr-lag",
    get: |c| c.pitr_lag_ms,
    set: |c, ms| c.pitr_lag_ms = ms,
    saved: |s| format!("Saved: the latest restorable time is {s} s behind the clock."),
};
