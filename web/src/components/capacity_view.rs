//! `#/tables/<name>/capacity`: a Scan or Query run page by page, each page with a capacity
//! receipt (items evaluated, items returned after the filter, bytes read, and the read
//! units with the rounding spelled out); a parallel scan's segments drawn over the hash
//! space with their progress and cost; and the same read with and without a filter, and
//! eventually vs strongly consistent, side by side.

use dynaplay_engine::capacity::ReadMode;
use dynaplay_engine::inspect::{read_receipt, segment_range, ReadReceipt};
use dynaplay_engine::table::KeyValue;
use dynaplay_engine::value::item_from_json;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

use super::viz::{key_schema, run, units, x_of, Outcome, WIDTH};
use crate::convert::from_plain;
use crate::handle::{use_engine, EngineHandle};

/// A run stops after this many pages, whatever happens.
const MAX_PAGES: usize = 2000;

/// What one page cost, all read from the engine's response and trace.
#[derive(Clone, Debug, PartialEq)]
struct PageFacts {
    segment: u64,
    evaluated: u64,
    returned: u64,
    bytes: usize,
    receipt: ReadReceipt,
    consumed: Option<f64>,
    error: Option<String>,
}

impl PageFacts {
    fn of(segment: u64, o: &Outcome) -> PageFacts {
        let read = o.response.as_ref().and_then(|r| r.trace.reads.first().cloned()).unwrap_or_default();
        let mode =
            if o.request["ConsistentRead"].as_bool() == Some(true) { ReadMode::Strong } else { ReadMode::Eventual };
        PageFacts {
            segment,
            evaluated: o.body["ScannedCount"].as_u64().unwrap_or(0),
            returned: o.body["Count"].as_u64().unwrap_or(0),
            bytes: read.bytes,
            receipt: read_receipt(read.bytes, mode),
            consumed: o.consumed(),
            error: o.error_text(),
        }
    }
}

/// A read in progress: where each segment is, and the pages so far.
#[derive(Clone, Debug, Default, PartialEq)]
struct RunState {
    total: u64,
    /// Each segment's next `ExclusiveStartKey`, and whether it has finished.
    cursors: Vec<(Option<Value>, bool)>,
    /// Hash each segment has reached (from its LastEvaluatedKey).
    reached: Vec<Option<u64>>,
    pages: Vec<PageFacts>,
    /// Why the last page failed: the run stops there, and nothing after it is drawn.
    error: Option<String>,
}

impl RunState {
    fn new(total: u64) -> RunState {
        let n = total.max(1) as usize;
        RunState {
            total: total.max(1),
            cursors: vec![(None, false); n],
            reached: vec![None; n],
            pages: Vec::new(),
            error: None,
        }
    }

    fn finished(&self) -> bool {
        self.cursors.iter().all(|c| c.1) || self.pages.len() >= MAX_PAGES
    }

    /// The next segment to read (the unfinished one with the fewest pages), and its start key.
    fn next(&self) -> Option<(u64, Option<Value>)> {
        if self.finished() || self.error.is_some() {
            return None;
        }
        let pages_of = |s: usize| self.pages.iter().filter(|p| p.segment == s as u64).count();
        (0..self.cursors.len())
            .filter(|&s| !self.cursors[s].1)
            .min_by_key(|&s| (pages_of(s), s))
            .map(|s| (s as u64, self.cursors[s].0.clone()))
    }

    fn record(&mut self, segment: u64, o: &Outcome, pk: &str) {
        let facts = PageFacts::of(segment, o);
        // A failed request read nothing and cost nothing: it is not a page.
        if let Some(e) = facts.error {
            self.error = Some(e);
            return;
        }
        self.pages.push(facts);
        let last = o.body.get("LastEvaluatedKey").cloned();
        let hash = last
            .as_ref()
            .and_then(|k| item_from_json(k).ok())
            .and_then(|k| k.get(pk).and_then(KeyValue::from_attribute))
            .map(|k| k.hash());
        if let (Some(c), Some(r)) = (self.cursors.get_mut(segment as usize), self.reached.get_mut(segment as usize)) {
            *c = (last.clone(), last.is_none());
            *r = hash;
        }
    }

    fn totals(&self) -> (usize, u64, u64, usize, f64) {
        self.pages.iter().fold((0, 0, 0, 0, 0.0), |(n, e, r, b, u), p| {
            (n + 1, e + p.evaluated, r + p.returned, b + p.bytes, u + p.consumed.unwrap_or(0.0))
        })
    }
}

/// One page of `operation` from `base`, for segment `segment` of `state`.
async fn page(
    handle: &EngineHandle,
    operation: &str,
    base: &Value,
    state: &RunState,
    segment: u64,
    start: Option<Value>,
) -> Outcome {
    let mut request = base.clone();
    if state.total > 1 {
        request["Segment"] = json!(segment);
        request["TotalSegments"] = json!(state.total);
    }
    if let Some(k) = start {
        request["ExclusiveStartKey"] = k;
    }
    run(handle, operation, request).await
}

/// Reads to the end (every segment), returning the finished state.
async fn run_all(handle: &EngineHandle, operation: &str, base: &Value, total: u64, pk: &str) -> RunState {
    let mut state = RunState::new(total);
    while let Some((segment, start)) = state.next() {
        let o = page(handle, operation, base, &state, segment, start).await;
        state.record(segment, &o, pk);
    }
    state
}

#[derive(Clone, Debug, PartialEq)]
struct Comparison {
    label: &'static str,
    totals: (usize, u64, u64, usize, f64),
    error: Option<String>,
}

#[component]
pub fn CapacityView(name: String) -> impl IntoView {
    let engine = use_engine();
    let version = engine.with_value(|h| h.version());
    let table = StoredValue::new(name);
    let schema = Memo::new(move |_| {
        version.get();
        engine.with_value(|h| h.read(|e| e.table(&table.get_value()).map(|t| key_schema(t).0)))
    });
    let operation = RwSignal::new("Scan".to_string());
    let pk = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let values = RwSignal::new("{}".to_string());
    let names_text = RwSignal::new("{}".to_string());
    let limit = RwSignal::new(String::new());
    let consistent = RwSignal::new(false);
    let segments = RwSignal::new("1".to_string());
    let state = RwSignal::new(RunState::new(1));
    let form_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let compared = RwSignal::new(Vec::<Comparison>::new());

    // The request every page starts from, from the form; `with_filter` and `strong` let
    // the comparison vary one thing at a time.
    let base = move |with_filter: bool, strong: bool| -> Result<(String, Value, u64), String> {
        let (pk_name, pk_ty) = schema.get_untracked().ok_or("no such table")?;
        let op = operation.get_untracked();
        let mut names = Map::new();
        let mut vals = Map::new();
        let mut request =
            json!({"TableName": table.get_value(), "ReturnConsumedCapacity": "TOTAL", "ConsistentRead": strong});
        if op == "Query" {
            names.insert("#pk".into(), json!(pk_name));
            vals.insert(":pk".into(), json!({ pk_ty.as_str(): pk.get_untracked() }));
            request["KeyConditionExpression"] = json!("#pk = :pk");
        }
        let f = filter.get_untracked();
        if with_filter && !f.trim().is_empty() {
            request["FilterExpression"] = json!(f);
            // `#name` placeholders, for attributes whose names are reserved words (`#t` for total).
            let extra: Value = serde_json::from_str(&names_text.get_untracked())
                .map_err(|e| format!("The attribute names are not valid JSON: {e}"))?;
            match extra {
                Value::Object(m) => names.extend(m),
                _ => return Err("The attribute names must be a JSON object, such as {\"#t\": \"total\"}".into()),
            }
            let extra: Value = serde_json::from_str(&values.get_untracked())
                .map_err(|e| format!("The filter values are not valid JSON: {e}"))?;
            if let Value::Object(m) = from_plain(&extra)? {
                vals.extend(m);
            }
        }
        if !names.is_empty() {
            request["ExpressionAttributeNames"] = Value::Object(names);
        }
        if !vals.is_empty() {
            request["ExpressionAttributeValues"] = Value::Object(vals);
        }
        let l = limit.get_untracked();
        if !l.trim().is_empty() {
            let n: u64 = l.trim().parse().map_err(|_| format!("Limit must be a whole number, not {l:?}"))?;
            request["Limit"] = json!(n);
        }
        let total: u64 = if op == "Scan" {
            segments.get_untracked().trim().parse().map_err(|_| "Segments must be a whole number".to_string())?
        } else {
            1
        };
        Ok((op, request, total.clamp(1, 16)))
    };
    let reset = move || {
        let total = base(true, false).map(|b| b.2).unwrap_or(1);
        state.set(RunState::new(total));
        compared.set(Vec::new());
    };
    let step = move |to_end: bool| {
        form_error.set(None);
        let (op, request, total) = match base(true, consistent.get_untracked()) {
            Ok(b) => b,
            Err(e) => return form_error.set(Some(e)),
        };
        if state.with_untracked(|s| s.total != total || s.finished() || s.error.is_some()) {
            state.set(RunState::new(total));
        }
        let pk_name = schema.get_untracked().map(|s| s.0).unwrap_or_default();
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            loop {
                let current = state.get_untracked();
                let Some((segment, start)) = current.next() else { break };
                let o = page(&handle, &op, &request, &current, segment, start).await;
                state.update(|s| s.record(segment, &o, &pk_name));
                if !to_end {
                    break;
                }
            }
            busy.set(false);
        });
    };
    let compare = move |_| {
        form_error.set(None);
        if filter.get_untracked().trim().is_empty() {
            return form_error.set(Some(
                "Add a FilterExpression (for example: attribute_exists(#missing) or price > :p) to compare.".into(),
            ));
        }
        let variants = [
            ("Without the filter, eventually consistent", false, false),
            ("With the filter, eventually consistent", true, false),
            ("Without the filter, strongly consistent", false, true),
        ];
        let mut requests = Vec::new();
        for (label, with_filter, strong) in variants {
            match base(with_filter, strong) {
                Ok((op, request, total)) => requests.push((label, op, request, total)),
                Err(e) => return form_error.set(Some(e)),
            }
        }
        let pk_name = schema.get_untracked().map(|s| s.0).unwrap_or_default();
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let mut out = Vec::new();
            for (label, op, request, total) in requests {
                let s = run_all(&handle, &op, &request, total, &pk_name).await;
                out.push(Comparison { label, totals: s.totals(), error: s.error.clone() });
            }
            compared.set(out);
            busy.set(false);
        });
    };

    view! {
        {move || schema.get().map(|(pk_name, pk_ty)| view! {
            <section class="panel viz" aria-labelledby="capacity-title">
                <div class="panel-head"><h2 id="capacity-title">"Scan capacity"</h2></div>
                <p class="intro">"A Scan or Query is charged on the bytes it reads from storage, rounded up to 4 KB per page, before any FilterExpression runs: a filter shrinks what comes back, not what you pay. Eventually consistent reads cost half."</p>
                <div class="form-row">
                    <label>"Operation"
                        <select on:change=move |e| { operation.set(event_target_value(&e)); reset(); } prop:value=move || operation.get() data-testid="cap-op">
                            <option value="Scan">"Scan"</option>
                            <option value="Query">"Query"</option>
                        </select>
                    </label>
                    <Show when=move || operation.get() == "Query">
                        <label>{format!("{pk_name} ({})", pk_ty.as_str())}
                            <input type="text" prop:value=move || pk.get() on:input=move |e| pk.set(event_target_value(&e)) data-testid="cap-pk"/>
                        </label>
                    </Show>
                    <label>"FilterExpression"
                        <input type="text" placeholder="price > :p" prop:value=move || filter.get()
                               on:input=move |e| filter.set(event_target_value(&e)) data-testid="cap-filter"/>
                    </label>
                    <label>"Attribute names (JSON)"
                        <input type="text" placeholder="{\"#t\": \"total\"}" prop:value=move || names_text.get()
                               on:input=move |e| names_text.set(event_target_value(&e)) data-testid="cap-names"/>
                    </label>
                    <label>"Filter values (plain JSON)"
                        <input type="text" prop:value=move || values.get() on:input=move |e| values.set(event_target_value(&e)) data-testid="cap-values"/>
                    </label>
                    <label>"Limit"
                        <input type="number" min="1" style="width:6em" prop:value=move || limit.get()
                               on:input=move |e| limit.set(event_target_value(&e)) data-testid="cap-limit"/>
                    </label>
                    <Show when=move || operation.get() == "Scan">
                        <label>"Segments"
                            <input type="number" min="1" max="16" style="width:5em" prop:value=move || segments.get()
                                   on:input=move |e| { segments.set(event_target_value(&e)); reset(); } data-testid="cap-segments"/>
                        </label>
                    </Show>
                    <label class="check"><input type="checkbox" prop:checked=move || consistent.get()
                        on:change=move |e| { consistent.set(event_target_checked(&e)); reset(); }/>" ConsistentRead"</label>
                </div>
                <div class="actions">
                    <button class="primary" on:click=move |_| step(false) disabled=move || busy.get() data-testid="cap-next">"Next page"</button>
                    <button on:click=move |_| step(true) disabled=move || busy.get() data-testid="cap-all">"Run to the end"</button>
                    <button on:click=move |_| reset() disabled=move || busy.get()>"Reset"</button>
                    <button on:click=compare disabled=move || busy.get() data-testid="cap-compare">"Compare with and without the filter"</button>
                </div>
                {move || form_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                {move || (operation.get() == "Scan").then(|| view! { <Segments state=state/> })}
                <Pages state=state/>
                <Compared rows=compared/>
            </section>
        })}
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
                let (cursor, done) = s.cursors.get(seg as usize).cloned().unwrap_or((None, false));
                let reached = s.reached.get(seg as usize).copied().flatten();
                let progress = match (done, reached) {
                    (true, _) => x1,
                    (false, Some(h)) if cursor.is_some() => x_of(h),
                    _ => x0,
                };
                let pages: Vec<&PageFacts> = s.pages.iter().filter(|p| p.segment == seg).collect();
                let cost = pages.iter().filter_map(|p| p.consumed).fold(0.0, |a, b| a + b);
                let label = format!(
                    "S{seg}: {}, {} RCU{}",
                    crate::text::count(pages.len(), "page"),
                    units(cost),
                    if done { " ✓" } else { "" }
                );
                view! {
                    <g class="segment" data-segment=seg data-done=done.to_string() data-pages=pages.len()>
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
        let (n, evaluated, returned, bytes, cost) = s.totals();
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
                            let (n, e, r, b, u) = c.totals;
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
