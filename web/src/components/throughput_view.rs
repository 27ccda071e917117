//! `#/tables/<name>/throughput`: what the table may consume and what it did, second by
//! second — units used against the provisioned rate (or on-demand capacity), the burst
//! pool, each partition's load against its ceiling (adaptive capacity lets a hot one take
//! more than an even share, never more than the ceiling), the requests throttled and the
//! hot key behind them; and a load generator that writes at a chosen rate, with the SDKs'
//! retries and backoff. Figures from `engine::inspect::throughput_of`; the generator's
//! requests and tally are [`crate::model::load`]'s.

use dynaplay_engine::inspect::{key_schema, throughput_of, ThroughputInfo};
use dynaplay_engine::streams::label;
use dynaplay_engine::throttle::state::Sample;
use dynaplay_engine::throttle::Dir;
use leptos::prelude::*;

use super::viz::{every_second, run};
use crate::handle::{observe, observe_table, peek, use_engine, EngineHandle};
use crate::model::load::{request, LoadForm, Plan, Tally};
use crate::sleep_ms;
use crate::text::{approx_units as units, key_text};

/// Seconds of history the charts show.
const CHART_S: u64 = 60;

#[component]
pub fn ThroughputView(name: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    let tick = every_second();
    let info = Memo::new(move |_| {
        tick.track();
        observe(engine, |e| throughput_of(e, &table.get_value()))
    });
    view! {
        <section class="panel" aria-labelledby="throughput-title" data-testid="throughput">
            <div class="panel-head"><h2 id="throughput-title">"Throughput"</h2></div>
            <p class="intro">"A table may consume so many read and write units a second: its provisioned capacity, or on demand what it has needed before. Unused provisioned capacity is banked for up to five minutes (burst capacity). Each partition also has a ceiling, whatever the table's capacity; adaptive capacity lets a busy partition use more than an even share of the table's capacity, but never more than its ceiling. A request over a limit is throttled, and the AWS SDKs retry it after a growing wait."</p>
            {move || info.get().map(|i| view! { <Limits info=i.clone()/> <Charts info=i.clone()/> <PartitionLoads info=i.clone()/> <Throttles info=i/> })}
            <EnforceSetting/>
        </section>
        <LoadPanel table=table.get_value()/>
    }
}

/// The table's rates, the burst pools and the per-partition ceiling.
#[component]
fn Limits(info: ThroughputInfo) -> impl IntoView {
    let mode = if info.provisioned { "Provisioned" } else { "On-demand capacity now" };
    let burst = |d: Dir| {
        info.burst.get(d).map_or_else(
            || "—".to_string(),
            |b| {
                format!(
                    "{} of {} units ({:.0} %)",
                    units(b.balance),
                    units(b.pool),
                    100.0 * b.balance / b.pool.max(1.0)
                )
            },
        )
    };
    view! {
        <dl class="facts" data-testid="throughput-limits">
            <div><dt>{mode}</dt><dd>{format!("{} read / {} write units a second", units(info.rate.read), units(info.rate.write))}</dd></div>
            <div><dt>"Burst pool, reads"</dt><dd data-testid="burst-read">{burst(Dir::Read)}</dd></div>
            <div><dt>"Burst pool, writes"</dt><dd data-testid="burst-write">{burst(Dir::Write)}</dd></div>
            <div><dt>"Ceiling per partition"</dt><dd data-testid="ceiling">{format!("{} read / {} write units a second", units(info.ceiling.read), units(info.ceiling.write))}</dd></div>
            <div><dt>"Even share per partition"</dt><dd>{format!("{} read / {} write", units(info.even_share.read), units(info.even_share.write))}</dd></div>
        </dl>
        {(!info.enforced).then(|| view! { <p class="notice" data-testid="throughput-off">"Capacity is not enforced in this workspace: nothing is throttled. Turn it on below."</p> })}
    }
}

/// Units used per second over the last minute, reads and writes, against the rate.
#[component]
fn Charts(info: ThroughputInfo) -> impl IntoView {
    view! {
        <div class="throughput-charts">
            <Chart info=info.clone() dir=Dir::Write/>
            <Chart info=info dir=Dir::Read/>
        </div>
    }
}

#[component]
fn Chart(info: ThroughputInfo, dir: Dir) -> impl IntoView {
    let (w, h, bar) = (360.0, 110.0, 360.0 / CHART_S as f64);
    let first = info.second.saturating_sub(CHART_S - 1);
    let samples: Vec<&Sample> = info.history.iter().filter(|s| s.second >= first).collect();
    let (rate, ceiling) = (*info.rate.get(dir), *info.ceiling.get(dir));
    let top = samples.iter().map(|s| *s.used.get(dir)).fold(rate.max(ceiling), f64::max).max(1.0) * 1.15;
    let y = move |u: f64| h - 14.0 - (h - 24.0) * u / top;
    let word = if dir == Dir::Write { "write" } else { "read" };
    let throttled: u32 = samples.iter().map(|s| *s.throttled.get(dir)).sum();
    let caption = format!(
        "{word} units used each second over the last minute, against the table's {} and one partition's {} a second; {throttled} requests throttled",
        units(rate),
        units(ceiling)
    );
    let bars = samples
        .iter()
        .map(|s| {
            let x = (s.second - first) as f64 * bar;
            let used = *s.used.get(dir);
            let t = *s.throttled.get(dir);
            view! {
                <rect class="used" x=x + 0.5 y=y(used) width=bar - 1.0 height=(y(0.0) - y(used)).max(0.0)>
                    <title>{format!("{}: {} {word} units, {t} throttled", label(s.second * 1000), units(used))}</title>
                </rect>
                {(t > 0).then(|| view! { <circle class="throttle-mark" cx=x + bar / 2.0 cy=7 r=3/> })}
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=format!("chart-{word}")>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=caption.clone()>
                <line class="axis" x1=0 x2=w y1=y(0.0) y2=y(0.0)/>
                {bars}
                <line class="rate" x1=0 x2=w y1=y(rate) y2=y(rate)/>
                <text class="rate-label" x=4 y=y(rate) - 3.0>{format!("table: {} a second", units(rate))}</text>
                <line class="ceiling" x1=0 x2=w y1=y(ceiling) y2=y(ceiling)/>
                <text class="ceiling-label" x=4 y=y(ceiling) + 11.0>{format!("one partition: {} a second", units(ceiling))}</text>
                <text class="axis-label" x=0 y=h - 2.0>"1 min ago"</text>
                <text class="axis-label" x=w y=h - 2.0 text-anchor="end">"now"</text>
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// Each partition's load this second and lately, against its ceiling.
#[component]
fn PartitionLoads(info: ThroughputInfo) -> impl IntoView {
    let ceiling = info.ceiling;
    let meter = move |used: f64, max: f64| {
        let pct = (100.0 * used / max.max(f64::MIN_POSITIVE)).min(100.0);
        view! { <span class="meter"><span style=format!("width:{pct:.0}%")></span></span> }
    };
    view! {
        <h3>"Partitions"</h3>
        <div class="table-scroll"><table class="items compact" data-testid="partition-loads">
            <thead><tr><th scope="col">"Partition"</th><th scope="col">"Writes this second"</th><th scope="col">"Reads this second"</th><th scope="col">"Last 5 s (w / r a second)"</th><th scope="col">"Throttled"</th></tr></thead>
            <tbody>{info.partitions.into_iter().map(|p| {
                let hot = p.throttled > 0;
                view! {
                <tr class:hot=hot data-testid="partition-load">
                    <td>{p.partition}</td>
                    <td>{meter(p.now.write, ceiling.write)}{format!(" {} / {}", units(p.now.write), units(ceiling.write))}</td>
                    <td>{meter(p.now.read, ceiling.read)}{format!(" {} / {}", units(p.now.read), units(ceiling.read))}</td>
                    <td>{format!("{} / {}", units(p.recent.write), units(p.recent.read))}</td>
                    <td>{p.throttled}</td>
                </tr>
            }}).collect_view()}</tbody>
        </table></div>
    }
}

/// The recent throttled requests, and the key behind most of them.
#[component]
fn Throttles(info: ThroughputInfo) -> impl IntoView {
    let hot = info.hot_key.clone().map(|(k, n)| {
        let ceiling = units(info.ceiling.write);
        view! { <p class="notice" data-testid="hot-key">{format!("Hot key: {} was throttled {n} times. One partition key lives on one partition, which serves at most {ceiling} write units a second whatever the table's capacity: spread the writes over more key values (write sharding).", key_text(&k))}</p> }
    });
    let events = info.events.clone();
    view! {
        <h3>"Throttled requests"</h3>
        {hot}
        {if events.is_empty() {
            view! { <p class="muted" data-testid="throttles-none">"None yet."</p> }.into_any()
        } else {
            view! { <ul data-testid="throttles">{events.into_iter().take(10).map(|e| {
                let place = e.partition.map(|p| format!(" on partition {p}")).unwrap_or_default();
                let key = e.key.as_ref().map(|k| format!(" for {}", key_text(k))).unwrap_or_default();
                let noun = if e.units == 1.0 { "unit" } else { "units" };
                view! { <li>{format!("{}: {} {noun}{key}{place} — {}", label(e.at_ms), units(e.units), e.reasons.join(", "))}</li> }
            }).collect_view()}</ul> }.into_any()
        }}
    }
}

/// Whether the workspace enforces capacity.
#[component]
fn EnforceSetting() -> impl IntoView {
    let engine = use_engine();
    let on = RwSignal::new(peek(engine, |e| e.config.enforce_capacity));
    let message = RwSignal::new(None::<String>);
    let change = move |ev| {
        let want = event_target_checked(&ev);
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            match handle.set_settings(move |c| c.enforce_capacity = want).await {
                Ok(()) => {
                    on.set(want);
                    message.set(Some(
                        if want {
                            "Saved: requests over capacity are throttled."
                        } else {
                            "Saved: nothing is throttled."
                        }
                        .into(),
                    ));
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    view! {
        <div class="form-row spaced">
            <label class="check"><input type="checkbox" prop:checked=move || on.get() on:change=change data-testid="enforce-capacity"/>"Enforce capacity in this workspace, as AWS does"</label>
        </div>
        {move || message.get().map(|m| view! { <p class="muted" role="status" data-testid="enforce-capacity-message">{m}</p> })}
    }
}

/// The load generator: writes at a chosen rate, to one key or many, with or without the
/// SDKs' retries, and what happened to them.
#[component]
fn LoadPanel(table: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let form = RwSignal::new(LoadForm::default());
    let error = RwSignal::new(None::<String>);
    let tally = RwSignal::new(None::<Tally>);
    let busy = RwSignal::new(false);
    let start = move |_| {
        let plan = match form.with_untracked(LoadForm::plan) {
            Ok(p) => p,
            Err(e) => return error.set(Some(e)),
        };
        let Some(schema) = observe_table(engine, &table.get_value(), |t, _| key_schema(t)) else { return };
        error.set(None);
        busy.set(true);
        tally.set(Some(Tally::default()));
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            drive(handle, table.get_value(), schema, plan, tally).await;
            busy.set(false);
        });
    };
    let field = move |get: fn(&LoadForm) -> String, set: fn(&mut LoadForm, String)| {
        (move || form.with(get), move |e| form.update(|f| set(f, event_target_value(&e))))
    };
    let (rate, set_rate) = field(|f| f.per_second.clone(), |f, v| f.per_second = v);
    let (secs, set_secs) = field(|f| f.seconds.clone(), |f, v| f.seconds = v);
    view! {
        <section class="panel" aria-labelledby="load-title" data-testid="load">
            <div class="panel-head"><h2 id="load-title">"Generate load"</h2></div>
            <p class="intro">"Each write adds 1 to a counter with UpdateItem (one write unit). Send them all to one partition key to make it hot, or each to a key of its own to spread them over the partitions."</p>
            <div class="form-row">
                <label>"Writes per second"<input type="number" min="1" style="width:6em" prop:value=rate on:input=set_rate data-testid="load-rate"/></label>
                <label>"Seconds"<input type="number" min="1" style="width:5em" prop:value=secs on:input=set_secs data-testid="load-seconds"/></label>
                <label class="check"><input type="checkbox" prop:checked=move || form.with(|f| f.hot) on:change=move |e| form.update(|f| f.hot = event_target_checked(&e)) data-testid="load-hot"/>"All to one key"</label>
                <label class="check"><input type="checkbox" prop:checked=move || form.with(|f| f.retries) on:change=move |e| form.update(|f| f.retries = event_target_checked(&e)) data-testid="load-retries"/>"Retry throttled writes as the SDKs do"</label>
                <button class="primary" on:click=start disabled=move || busy.get() data-testid="load-start">"Start"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {move || tally.get().map(|t| view! { <Tallied t=t busy=busy.get()/> })}
        </section>
    }
}

#[component]
fn Tallied(t: Tally, busy: bool) -> impl IntoView {
    view! {
        <dl class="summary" data-testid="load-tally" data-done=(!busy).to_string()>
            <div><dt>"Sent"</dt><dd>{t.sent}</dd></div>
            <div><dt>"Written first time"</dt><dd data-testid="load-first">{t.first_try}</dd></div>
            <div><dt>"Written after retries"</dt><dd data-testid="load-after">{t.after_retries}</dd></div>
            <div><dt>"Throttled answers"</dt><dd data-testid="load-throttles">{t.throttles}</dd></div>
            <div><dt>"Retries"</dt><dd>{t.retries}</dd></div>
            <div><dt>"Failed"</dt><dd data-testid="load-failed">{t.failed}</dd></div>
        </dl>
        {busy.then(|| view! { <p class="muted" role="status">"Running…"</p> })}
    }
}

/// Sends the plan's writes on schedule; each throttled one is retried on its own, after
/// its backoff, while the others keep their pace.
async fn drive(
    handle: EngineHandle,
    table: String,
    schema: dynaplay_engine::table::KeySchema,
    plan: Plan,
    tally: RwSignal<Option<Tally>>,
) {
    let (done_tx, mut done_rx) = futures::channel::mpsc::unbounded::<()>();
    for n in 0..plan.total {
        let body = request(&table, &schema, n, plan.hot);
        tally.update(|t| {
            if let Some(t) = t {
                t.sent += 1
            }
        });
        let (handle, done) = (handle.clone(), done_tx.clone());
        leptos::task::spawn_local(async move {
            write_with_retries(&handle, body, plan.retries, tally).await;
            let _ = done.unbounded_send(());
        });
        sleep_ms(plan.interval_ms).await;
    }
    drop(done_tx);
    use futures::StreamExt;
    while done_rx.next().await.is_some() {}
}

async fn write_with_retries(
    handle: &EngineHandle,
    body: serde_json::Value,
    retries: bool,
    tally: RwSignal<Option<Tally>>,
) {
    let mut attempt = 1;
    loop {
        let o = run(handle, "UpdateItem", body.clone()).await;
        let mut wait = None;
        tally.update(|t| {
            if let Some(t) = t {
                wait = t.answer(attempt, o.status, &o.body, retries)
            }
        });
        match wait {
            Some(ms) => sleep_ms(ms).await,
            None => return,
        }
        attempt += 1;
    }
}
