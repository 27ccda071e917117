//! `#/global/<table>`: a global table across its regions (the workspace's, or those of
//! the scenario replaying in the sandbox). Each region's copy side by side (an item that
//! differs between regions is marked), the writes in flight with when each arrives (they
//! land as the clock moves), the writes last writer wins dropped, with why, the lag
//! between regions (settable), and a simulated outage per region. A look-ahead slider
//! shows the regions as they will be in a moment if nothing else is written (the writes
//! in flight landing one by one). Figures from `engine::global::view`.

use dynaplay_engine::global::view::{GlobalInfo, InFlight, RegionCopy};
use dynaplay_engine::global::Conflict;
use leptos::prelude::*;

use crate::handle::use_engine;
use crate::routes::{href, Route};
use crate::text::clock_time;

#[component]
pub fn GlobalPage(table: Option<String>) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    // How far ahead of the clock the regions are shown (0: as they are now).
    let ahead = RwSignal::new(0u64);
    let info = Memo::new(move |_| {
        engine.with_value(|h| {
            h.version().track();
            let name = table.get_value().or_else(|| h.global_tables().into_iter().next())?;
            let now = h.global_info(&name)?;
            let horizon = horizon_ms(&now);
            let shown = match ahead.get().min(horizon) {
                0 => now,
                ms => h.global_ahead(&name, ms)?,
            };
            Some((shown, horizon))
        })
    });
    view! {
        <section class="panel" aria-labelledby="global-title" data-testid="global">
            <div class="panel-head"><h2 id="global-title">"Global table"</h2></div>
            <p class="intro">"A global table has a replica in each of several regions, every one writable. Each write reaches the other regions after a lag, item by item; when two regions write one item, the later write wins everywhere and the other is dropped without an error."</p>
            {move || match info.get() {
                None => view! { <p class="muted" data-testid="global-none">"No global table here yet. To make one, add a replica to an on-demand table from the console: UpdateTable with ReplicaUpdates [{\"Create\": {\"RegionName\": \"us-west-2\"}}]. Or replay a global tables example from the gallery."</p> }.into_any(),
                Some((g, horizon)) => view! { <LookAhead ahead=ahead horizon=horizon now=g.now_ms/><GlobalBody info=g/> }.into_any(),
            }}
        </section>
    }
}

/// How far ahead the look-ahead reaches: until the last write in flight lands (at least
/// a second, in whole tenths).
fn horizon_ms(info: &GlobalInfo) -> u64 {
    let last = info.in_flight.iter().map(|w| w.due_ms).max().unwrap_or(info.now_ms);
    last.saturating_sub(info.now_ms).max(1_000).div_ceil(100).saturating_mul(100)
}

/// The look-ahead slider: 0 is now; further right, the regions as they will be.
#[component]
fn LookAhead(ahead: RwSignal<u64>, horizon: u64, now: u64) -> impl IntoView {
    let label = move || match ahead.get().min(horizon) {
        0 => "Now: the regions as they are.".to_string(),
        ms => format!(
            "In {:.1} s ({}), if nothing else is written:",
            ms as f64 / 1000.0,
            clock_time(now.saturating_add(ms))
        ),
    };
    view! {
        <div class="look-ahead">
            <label>"Look ahead "
                <input type="range" min="0" max=horizon.to_string() step="100" prop:value=move || ahead.get().min(horizon).to_string()
                    on:input=move |e| ahead.set(event_target_value(&e).parse().unwrap_or(0)) data-testid="look-ahead"/>
            </label>
            <span data-testid="look-ahead-label">{label}</span>
        </div>
    }
}

#[component]
fn GlobalBody(info: GlobalInfo) -> impl IntoView {
    let differs = differing_keys(&info.regions);
    let lag = format!(
        "{} · lag {} ms{}",
        info.table,
        info.lag_ms,
        if info.jitter_ms > 0 { format!(" plus up to {} ms per item", info.jitter_ms) } else { String::new() }
    );
    let regions: Vec<String> = info.regions.iter().map(|r| r.region.clone()).collect();
    view! {
        <p data-testid="global-lag">{lag}</p>
        <PairLags pairs=info.pair_lags/>
        <LagForm regions=regions/>
        <div class="regions" data-testid="global-regions">
            {info.regions.into_iter().map(|r| view! { <RegionColumn copy=r differs=differs.clone()/> }).collect_view()}
        </div>
        <h3>"In flight"</h3>
        <InFlightList writes=info.in_flight/>
        <h3>"Dropped by last writer wins"</h3>
        <ConflictList conflicts=info.conflicts/>
    }
}

/// Keys whose item is not the same in every region.
fn differing_keys(regions: &[RegionCopy]) -> Vec<String> {
    let mut keys: Vec<&String> = regions.iter().flat_map(|r| r.items.iter().map(|(k, _)| k)).collect();
    dynaplay_engine::sorted::sort(&mut keys);
    keys.dedup();
    keys.into_iter()
        .filter(|k| {
            let item = |r: &RegionCopy| r.items.iter().find(|(key, _)| key == *k).map(|(_, i)| i.clone());
            let first = regions.first().map(item);
            regions.iter().any(|r| Some(item(r)) != first)
        })
        .cloned()
        .collect()
}

#[component]
fn RegionColumn(copy: RegionCopy, differs: Vec<String>) -> impl IntoView {
    let engine = use_engine();
    let region = copy.region.clone();
    let to_region = move |_| {
        let (handle, region) = (engine.get_value(), region.clone());
        leptos::task::spawn_local(async move {
            let _ = handle.set_region(&region).await;
        });
    };
    // A simulated outage: the region's requests fail and replication waits until it is back.
    let offline = copy.status == "OFFLINE";
    let name = StoredValue::new(copy.region.clone());
    let toggle = move |_| {
        let handle = engine.get_value();
        let body = serde_json::json!({"RegionName": name.get_value(), "Available": offline}).to_string();
        leptos::task::spawn_local(async move {
            // Made from the home region: the region itself may be the one offline.
            let _ = handle.request_in(None, "UpdateRegionAvailability", &body).await;
        });
    };
    view! {
        <div class="region" data-testid="global-region" data-region=copy.region.clone()>
            <h4>{copy.region.clone()}" "<span class="badge">{copy.status.clone()}</span>" "
                <button class="small" on:click=toggle data-testid="region-outage">{if offline { "Bring back" } else { "Take offline" }}</button>
            </h4>
            <p class="muted">{crate::text::count(copy.item_count, "item")}" · "<a href=href(&Route::Home) on:click=to_region>"show its tables"</a></p>
            <ul class="plain items-list">
                {copy.items.into_iter().map(|(key, item)| {
                    let odd = differs.contains(&key);
                    view! { <li class:differs=odd data-testid="global-item"><code>{item}</code></li> }
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn InFlightList(writes: Vec<InFlight>) -> impl IntoView {
    if writes.is_empty() {
        return view! { <p class="muted" data-testid="in-flight-none">"Nothing in flight: every region has every write."</p> }.into_any();
    }
    view! {
        <ul class="plain" data-testid="in-flight">
            {writes.into_iter().map(|w| view! {
                <li>{format!("{} {} → {}: {} written {}, arrives {}", w.event, w.key, w.to, w.from, clock_time(w.written_ms), clock_time(w.due_ms))}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ConflictList(conflicts: Vec<Conflict>) -> impl IntoView {
    if conflicts.is_empty() {
        return view! { <p class="muted" data-testid="conflicts-none">"No write has been dropped."</p> }.into_any();
    }
    view! {
        <ul class="plain" data-testid="conflicts">
            {conflicts.into_iter().map(|c| view! {
                <li>{format!(
                    "In {}, {}'s write of {} made {} was dropped: {}'s write made {} is later.",
                    c.region, c.lost.region, c.key, clock_time(c.lost.at_ms), c.kept.region, clock_time(c.kept.at_ms)
                )}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The pairs of regions with a lag of their own.
#[component]
fn PairLags(pairs: Vec<(String, String, u64)>) -> impl IntoView {
    (!pairs.is_empty()).then(|| {
        view! {
            <ul class="plain" data-testid="pair-lags">
                {pairs.into_iter().map(|(from, to, ms)| view! { <li>{format!("{from} → {to}: {ms} ms")}</li> }).collect_view()}
            </ul>
        }
    })
}

/// Sets the lag between every pair of regions, or from one region to another.
#[component]
fn LagForm(regions: Vec<String>) -> impl IntoView {
    let engine = use_engine();
    let pair = RwSignal::new(String::new());
    let ms = RwSignal::new(String::from("1000"));
    let message = RwSignal::new(None::<String>);
    let mut choices = vec![(String::new(), "every pair".to_string())];
    for from in &regions {
        for to in regions.iter().filter(|to| *to != from) {
            choices.push((format!("{from}>{to}"), format!("{from} → {to}")));
        }
    }
    let set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(n) = ms.get_untracked().trim().parse::<u64>() else {
            return message.set(Some("The lag is a whole number of milliseconds.".into()));
        };
        let chosen = pair.get_untracked();
        let pair = chosen.split_once('>').map(|(a, b)| (a.to_string(), b.to_string()));
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            message.set(handle.set_global_lag(pair, n).await.err());
        });
    };
    view! {
        <form class="lag-form" on:submit=set data-testid="lag-form">
            <label>"Lag for "
                <select on:change=move |e| pair.set(event_target_value(&e)) data-testid="lag-pair">
                    {choices.into_iter().map(|(v, label)| view! { <option value=v>{label}</option> }).collect_view()}
                </select>
            </label>
            <label>" ms " <input type="number" min="0" prop:value=ms on:input=move |e| ms.set(event_target_value(&e)) data-testid="lag-ms"/></label>
            <button type="submit">"Set"</button>
            {move || message.get().map(|m| view! { <span class="error" role="alert">{m}</span> })}
        </form>
    }
}
