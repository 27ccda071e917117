//! `#/tables/<name>/capacity`: a Scan or Query run page by page, each page with a capacity
//! receipt (items evaluated, items returned after the filter, bytes read, and the read
//! units with the rounding spelled out); a parallel scan's segments drawn over the hash
//! space with their progress and cost; and the same read with and without a filter, and
//! eventually vs strongly consistent, side by side. The requests and the run's state are
//! [`crate::model::read_run`]'s.

use dynaplay_engine::inspect::{key_schema, segment_range};
use leptos::prelude::*;

use super::viz::{run, x_of, WIDTH};
use crate::handle::{observe_table, use_engine, EngineHandle};
use crate::model::read_run::{sum, ReadForm, ReadPlan, RunState, Totals};
use crate::text::units;

/// Reads to the end (every segment), returning the finished state.
async fn run_all(handle: &EngineHandle, plan: &ReadPlan, pk: &str) -> RunState {
    let mut state = RunState::new(plan.segments);
    while let Some((segment, request)) = state.next(&plan.base) {
        let o = run(handle, &plan.operation, request).await;
        state.record(segment, &o, pk);
    }
    state
}

/// Reads one page, or (`to_end`) every page, of `plan`, carrying `state` on.
async fn read_pages(handle: EngineHandle, plan: ReadPlan, pk: String, state: RwSignal<RunState>, to_end: bool) {
    while let Some((segment, request)) = state.with_untracked(|s| s.next(&plan.base)) {
        let o = run(&handle, &plan.operation, request).await;
        state.update(|s| s.record(segment, &o, &pk));
        if !to_end {
            break;
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Comparison {
    label: &'static str,
    totals: Totals,
    error: Option<String>,
}

#[component]
pub fn CapacityView(name: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    let pk = Memo::new(move |_| {
        observe_table(engine, &table.get_value(), |t, _| {
            let k = key_schema(t).hash;
            (k.name, k.ty.as_str())
        })
    });
    let form = RwSignal::new(ReadForm::default());
    let state = RwSignal::new(RunState::new(1));
    let form_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let compared = RwSignal::new(Vec::<Comparison>::new());
    let plan = move |with_filter: bool, strong: bool| -> Result<ReadPlan, String> {
        let (name, ty) = pk.get_untracked().ok_or("no such table")?;
        form.with_untracked(|f| f.plan(&table.get_value(), (&name, ty), with_filter, strong))
    };
    let reset = move || {
        let total = form.with_untracked(|f| if f.operation == "Scan" { f.segments().unwrap_or(1) } else { 1 });
        state.set(RunState::new(total));
        compared.set(Vec::new());
    };
    let step = move |to_end: bool| {
        form_error.set(None);
        let plan = match plan(true, form.with_untracked(|f| f.consistent)) {
            Ok(p) => p,
            Err(e) => return form_error.set(Some(e)),
        };
        if !state.with_untracked(|s| s.can_continue(plan.segments)) {
            state.set(RunState::new(plan.segments));
        }
        let pk_name = pk.get_untracked().map(|p| p.0).unwrap_or_default();
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            read_pages(handle, plan, pk_name, state, to_end).await;
            busy.set(false);
        });
    };
    let compare = move |_| {
        form_error.set(None);
        let Some((name, ty)) = pk.get_untracked() else { return };
        let plans = match form.with_untracked(|f| f.comparison(&table.get_value(), (&name, ty))) {
            Ok(p) => p,
            Err(e) => return form_error.set(Some(e)),
        };
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let mut out = Vec::new();
            for (label, plan) in plans {
                let s = run_all(&handle, &plan, &name).await;
                out.push(Comparison { label, totals: s.totals(), error: s.error.clone() });
            }
            compared.set(out);
            busy.set(false);
        });
    };

    view! {
        {move || pk.get().map(|(pk_name, pk_ty)| view! {
            <section class="panel viz" aria-labelledby="capacity-title">
                <div class="panel-head"><h2 id="capacity-title">"Scan capacity"</h2></div>
                <p class="intro">"A Scan or Query is charged on the bytes it reads from storage, rounded up to 4 KB per page, before any FilterExpression runs: a filter shrinks what comes back, not what you pay. Eventually consistent reads cost half."</p>
                <ReadFields form=form pk_label=format!("{pk_name} ({pk_ty})") on_reset=Callback::new(move |_| reset())/>
                <div class="actions">
                    <button class="primary" on:click=move |_| step(false) disabled=move || busy.get() data-testid="cap-next">"Next page"</button>
                    <button on:click=move |_| step(true) disabled=move || busy.get() data-testid="cap-all">"Run to the end"</button>
                    <button on:click=move |_| reset() disabled=move || busy.get()>"Reset"</button>
                    <button on:click=compare disabled=move || busy.get() data-testid="cap-compare">"Compare with and without the filter"</button>
                </div>
                {move || form_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                {move || form.with(|f| f.operation == "Scan").then(|| view! { <Segments state=state/> })}
                <Pages state=state/>
                <Compared rows=compared/>
            </section>
        })}
    }
}

/// The read's form; changing what a run depends on (operation, segments, consistency)
/// starts the run again.
#[component]
fn ReadFields(form: RwSignal<ReadForm>, pk_label: String, on_reset: Callback<()>) -> impl IntoView {
    let text = move |get: fn(&ReadForm) -> &String| move || form.with(|f| get(f).clone());
    let is = move |op: &'static str| move || form.with(|f| f.operation == op);
    view! {
        <div class="form-row">
            <label>"Operation"
                <select on:change=move |e| { form.update(|f| f.operation = event_target_value(&e)); on_reset.run(()); } prop:value=text(|f| &f.operation) data-testid="cap-op">
                    <option value="Scan">"Scan"</option>
                    <option value="Query">"Query"</option>
                </select>
            </label>
            <Show when=is("Query")>
                <label>{pk_label.clone()}
                    <input type="text" prop:value=text(|f| &f.pk) on:input=move |e| form.update(|f| f.pk = event_target_value(&e)) data-testid="cap-pk"/>
                </label>
            </Show>
            <label>"FilterExpression"
                <input type="text" placeholder="price > :p" prop:value=text(|f| &f.filter)
                       on:input=move |e| form.update(|f| f.filter = event_target_value(&e)) data-testid="cap-filter"/>
            </label>
            <label>"Attribute names (JSON)"
                <input type="text" placeholder="{\"#t\": \"total\"}" prop:value=text(|f| &f.names)
                       on:input=move |e| form.update(|f| f.names = event_target_value(&e)) data-testid="cap-names"/>
            </label>
            <label>"Filter values (plain JSON)"
                <input type="text" prop:value=text(|f| &f.values) on:input=move |e| form.update(|f| f.values = event_target_value(&e)) data-testid="cap-values"/>
            </label>
            <label>"Limit"
                <input type="number" min="1" style="width:6em" prop:value=text(|f| &f.limit)
                       on:input=move |e| form.update(|f| f.limit = event_target_value(&e)) data-testid="cap-limit"/>
            </label>
            <Show when=is("Scan")>
                <label>"Segments"
                    <input type="number" min="1" max="16" style="width:5em" prop:value=text(|f| &f.segments)
                           on:input=move |e| { form.update(|f| f.segments = event_target_value(&e)); on_reset.run(()); } data-testid="cap-segments"/>
                </label>
            </Show>
            <label class="check"><input type="checkbox" prop:checked=move || form.with(|f| f.consistent)
                on:change=move |e| { form.update(|f| f.consistent = event_target_checked(&e)); on_reset.run(()); }/>" ConsistentRead"</label>
        </div>
    }
}

/// The parallel scan's segments over the hash space: how far each has read, and its cost.
#[component]
fn Segments(state: RwSignal<RunState>) -> impl IntoView {
    move || {
        let s = state.get();
        let slices = (0..s.total)
            .map(|seg| {
                let (start, end) = segment_range(seg, s.total);
                let (x0, x1) = (x_of(start), x_of(end));
                let cursor = s.cursors.get(seg as usize).cloned().unwrap_or_default();
                let done = cursor.done;
                let progress = match (done, cursor.reached) {
                    (true, _) => x1,
                    (false, Some(h)) if cursor.start.is_some() => x_of(h),
                    _ => x0,
                };
                let pages = sum(s.pages_of(seg));
                let label = format!(
                    "S{seg}: {}, {} RCU{}",
                    crate::text::count(pages.pages, "page"),
                    units(pages.units),
                    if done { " ✓" } else { "" }
                );
                view! {
                    <g class="segment" data-segment=seg data-done=done.to_string() data-pages=pages.pages>
                        <rect class="slice" x=x0 y="22" width=(x1 - x0).max(1.0) height="34"/>
                        <rect class="done" x=x0 y="22" width=(progress - x0).max(0.0) height="34"/>
                        <text x=x0 + 6.0 y="76">{label}</text>
                    </g>
                }
            })
            .collect_view();
        let caption = if s.total == 1 {
            "One segment: the whole hash space, read in hash order.".to_string()
        } else {
            format!(
                "{} segments: each reads its own slice of the hash space, so every item is read by exactly one.",
                s.total
            )
        };
        view! {
            <h3>"Progress over the hash space"</h3>
            <svg class="segments" viewBox=format!("-4 0 {} 86", WIDTH + 8.0) role="img" aria-label=caption.clone() data-testid="segments">
                <text x="0" y="14" class="axis">"hash 0x0000…"</text>
                <text x=WIDTH y="14" text-anchor="end" class="axis">"0xffff…"</text>
                {slices}
            </svg>
            <p class="muted">{caption}</p>
        }
    }
}

#[component]
fn Pages(state: RwSignal<RunState>) -> impl IntoView {
    move || {
        let s = state.get();
        let failed =
            s.error.clone().map(|e| view! { <p class="error-text" role="alert" data-testid="cap-error">{e}</p> });
        if s.pages.is_empty() {
            return match failed {
                Some(f) => f.into_any(),
                None => view! { <p class="muted">"No pages read yet: press Next page."</p> }.into_any(),
            };
        }
        let Totals { pages: n, evaluated, returned, bytes, units: cost } = s.totals();
        let stale =
            s.pages.iter().filter_map(|p| p.replica.clone()).find(|n| n.ends_with("(the leader has a newer version)"));
        let rows = s
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                view! {
                        <tr data-testid="cap-page" data-receipt=p.receipt.units data-consumed=p.consumed>
                            <td>{i + 1}</td>
                            <td>{format!("S{}", p.segment)}</td>
                            <td>{p.evaluated}</td>
                            <td>{p.returned}</td>
                            <td>{p.bytes}</td>
                            <td class="receipt">{p.receipt.explain()}</td>
                            <td><strong>{p.consumed.map(units).unwrap_or_default()}</strong></td>
                        </tr>
                }
            })
            .collect_view();
        view! {
            {failed}
            {stale.map(|n| view! { <p class="notice" data-testid="cap-replica">{format!("A page was {n}. Eventually consistent reads may miss the latest writes; tick ConsistentRead to read the leader.")}</p> })}
            <h3>"Pages"</h3>
            <dl class="summary" data-testid="cap-totals">
                <div><dt>"Pages"</dt><dd>{n}</dd></div>
                <div><dt>"Evaluated"</dt><dd data-testid="cap-evaluated">{evaluated}</dd></div>
                <div><dt>"Returned"</dt><dd data-testid="cap-returned">{returned}</dd></div>
                <div><dt>"Bytes read"</dt><dd>{bytes}</dd></div>
                <div><dt>"Read units"</dt><dd data-testid="cap-units">{units(cost)}</dd></div>
            </dl>
            <div class="table-scroll">
                <table class="items compact">
                    <thead><tr>
                        <th scope="col">"Page"</th><th scope="col">"Segment"</th><th scope="col">"Evaluated (ScannedCount)"</th>
                        <th scope="col">"Returned (Count)"</th><th scope="col">"Bytes read"</th><th scope="col">"Receipt"</th>
                        <th scope="col">"ConsumedCapacity"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

#[component]
fn Compared(rows: RwSignal<Vec<Comparison>>) -> impl IntoView {
    move || {
        let rows = rows.get();
        (!rows.is_empty()).then(|| {
            view! {
                <h3>"Side by side"</h3>
                <table class="items compact" data-testid="cap-compare-table">
                    <thead><tr><th scope="col">"Read"</th><th scope="col">"Pages"</th><th scope="col">"Evaluated"</th><th scope="col">"Returned"</th><th scope="col">"Bytes read"</th><th scope="col">"Read units"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|c| {
                            let Totals { pages: n, evaluated: e, returned: r, bytes: b, units: u } = c.totals;
                            match c.error {
                                // Never a number for a read that did not happen.
                                Some(err) => view! { <tr data-error="true"><td>{c.label}</td><td colspan="5" class="error-text">{err}</td></tr> }.into_any(),
                                None => view! { <tr data-units=u><td>{c.label}</td><td>{n}</td><td>{e}</td><td>{r}</td><td>{b}</td><td><strong>{units(u)}</strong></td></tr> }.into_any(),
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="muted">"The filter runs after the read: the same bytes are read and charged with or without it. Strongly consistent reads cost twice as much."</p>
            }
        })
    }
}
