//! `#/lab/contention`: the contention lab. Simulated clients increment one counter at
//! once with each pattern — read-modify-write, an atomic counter, optimistic locking, a
//! transaction — and the results sit side by side: the final value against the expected
//! one, lost updates, conflicts, retries, throttles, latency and capacity, and each
//! client's requests on a timeline. The runs are `engine::lab`'s, on a private engine:
//! the workspace's tables are untouched.

use dynaplay_engine::lab::{run, Outcome, Pattern, Report};
use leptos::prelude::*;

use crate::model::lab::LabForm;
use crate::text::approx_units;

#[component]
pub fn ContentionLab() -> impl IntoView {
    let form = RwSignal::new(LabForm::default());
    let error = RwSignal::new(None::<String>);
    let reports = RwSignal::new(Vec::<Report>::new());
    let start = move |_| match form.with_untracked(LabForm::settings) {
        Ok(s) => {
            error.set(None);
            // The transaction pattern's TransactWriteItems is cold code (web/src/cold.rs).
            leptos::task::spawn_local(async move {
                if crate::cold::ensure().await {
                    reports.set(Pattern::ALL.iter().map(|p| run(&s, *p)).collect());
                } else {
                    error.set(Some(dynaplay_engine::cold::not_loaded("TransactWriteItems").message));
                }
            });
        }
        Err(e) => error.set(Some(e)),
    };
    view! {
        <section class="panel" aria-labelledby="lab-title" data-testid="lab">
            <div class="panel-head"><h1 id="lab-title">"Contention lab"</h1></div>
            <p class="intro">"Several clients add 1 to the same counter at the same time. Each request takes a little while to reach DynamoDB and come back, so the clients' requests interleave. Run the four ways of incrementing side by side and see which lose updates, which conflict and retry, and what each costs in time and capacity. The lab uses a table of its own: your tables are untouched, and the same seed gives the same run."</p>
            <LabFields form=form/>
            <div class="actions"><button class="primary" on:click=start data-testid="lab-run">"Run all four"</button></div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="lab-error">{e}</p> })}
        </section>
        {move || (!reports.with(Vec::is_empty)).then(|| view! { <Comparison reports=reports.get()/> })}
        {move || reports.get().into_iter().map(|r| view! { <Lanes report=r/> }).collect_view()}
    }
}

#[component]
fn LabFields(form: RwSignal<LabForm>) -> impl IntoView {
    let field =
        move |label: &'static str, testid: &'static str, get: fn(&LabForm) -> String, set: fn(&mut LabForm, String)| {
            view! {
                <label>{label}<input type="text" inputmode="numeric" style="width:7em" prop:value=move || form.with(get)
                    on:input=move |e| form.update(|f| set(f, event_target_value(&e))) data-testid=testid/></label>
            }
        };
    view! {
        <div class="form-row">
            {field("Clients", "lab-clients", |f| f.clients.clone(), |f, v| f.clients = v)}
            {field("Increments each", "lab-increments", |f| f.increments.clone(), |f, v| f.increments = v)}
            {field("Round trip (ms)", "lab-latency", |f| f.latency_ms.clone(), |f, v| f.latency_ms = v)}
            {field("Transaction time (ms)", "lab-transaction", |f| f.transaction_ms.clone(), |f, v| f.transaction_ms = v)}
            {field("Write units (blank: on demand)", "lab-wcu", |f| f.write_units.clone(), |f, v| f.write_units = v)}
            {field("Seed", "lab-seed", |f| f.seed.clone(), |f, v| f.seed = v)}
        </div>
    }
}

/// The four patterns' figures, side by side.
#[component]
fn Comparison(reports: Vec<Report>) -> impl IntoView {
    type Row = (&'static str, fn(&Report) -> String);
    let rows: [Row; 9] = [
        ("Final value / expected", |r| format!("{} / {}", r.final_value, r.expected)),
        ("Lost updates", |r| r.lost.to_string()),
        ("Conflicts", |r| r.conflicts.to_string()),
        ("Retries", |r| r.retries.to_string()),
        ("Throttled", |r| r.throttles.to_string()),
        ("Given up", |r| r.gave_up.to_string()),
        ("Latency (mean / median / max)", |r| {
            format!("{:.0} / {} / {} ms", r.latency.mean_ms, r.latency.p50_ms, r.latency.max_ms)
        }),
        ("Capacity units", |r| approx_units(r.capacity)),
        ("Requests / time taken", |r| format!("{} / {} ms", r.exchanges.len(), r.duration_ms)),
    ];
    view! {
        <section class="panel" aria-labelledby="lab-results-title">
            <div class="panel-head"><h2 id="lab-results-title">"Side by side"</h2></div>
            <div class="table-scroll"><table class="items compact" data-testid="lab-results">
                <thead><tr><th scope="col"></th>{reports.iter().map(|r| view! { <th scope="col">{r.pattern.title()}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.into_iter().map(|(label, cell)| view! {
                    <tr><th scope="row">{label}</th>{reports.iter().map(|r| {
                        let bad = (label == "Lost updates" && r.lost > 0).then_some("bad");
                        view! { <td class=bad>{cell(r)}</td> }
                    }).collect_view()}</tr>
                }).collect_view()}</tbody>
            </table></div>
        </section>
    }
}

/// One pattern's requests: a lane per client, a bar per request from sent to answered.
#[component]
fn Lanes(report: Report) -> impl IntoView {
    let clients = report.exchanges.iter().map(|e| e.client + 1).max().unwrap_or(1);
    let (w, lane) = (360.0, 16.0);
    let h = f64::from(clients) * lane + 16.0;
    let scale = (w - 50.0) / (report.duration_ms.max(1) as f64);
    let bars = report
        .exchanges
        .iter()
        .map(|e| {
            let x = 50.0 + e.sent_ms as f64 * scale;
            let width = ((e.answered_ms.saturating_sub(e.sent_ms)) as f64 * scale).max(1.5);
            let y = f64::from(e.client) * lane + 2.0;
            let class = match e.outcome {
                Outcome::Ok => "ok",
                Outcome::LostUpdate => "lost",
                Outcome::Conflict => "conflict",
                Outcome::Throttled => "throttled",
                Outcome::Failed => "failed",
            };
            view! { <rect class=class x=x y=y width=width height=lane - 4.0><title>{format!("client {}: {} at {} ms, {class}", e.client + 1, e.operation, e.sent_ms)}</title></rect> }
        })
        .collect_view();
    let labels = (0..clients)
        .map(|c| view! { <text x=0 y=f64::from(c) * lane + lane - 3.0>{format!("client {}", c + 1)}</text> })
        .collect_view();
    let slug = format!("lab-lanes-{:?}", report.pattern).to_lowercase();
    view! {
        <section class="panel">
            <div class="panel-head"><h2>{report.pattern.title()}</h2></div>
            <p class="muted">{report.pattern.explain()}</p>
            <figure class="chart lanes" data-testid=slug>
                <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=format!("{}: {} requests over {} ms", report.pattern.title(), report.exchanges.len(), report.duration_ms)>
                    {labels}{bars}
                    <text x=50 y=h - 2.0>"0 ms"</text>
                    <text x=w y=h - 2.0 text-anchor="end">{format!("{} ms", report.duration_ms)}</text>
                </svg>
                <figcaption class="legend">
                    {[("ok", "written or read"), ("lost", "wrote over an update it never read"), ("conflict", "conflict, retried"), ("throttled", "throttled, retried")]
                        .map(|(class, text)| view! { <span class="key"><span class=format!("swatch {class}")></span>" "{text}</span> })}
                </figcaption>
            </figure>
        </section>
    }
}
