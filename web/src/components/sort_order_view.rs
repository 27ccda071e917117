//! `#/tables/<name>/sort-order`: one item collection in sort-key order, with the rule of
//! the key's type made visible, and a key-condition builder whose Query highlights exactly
//! the items it read.

use dynaplay_engine::capacity::ReadMode;
use dynaplay_engine::inspect::{collections, compare, read_receipt, rule, sorted_collection};
use dynaplay_engine::table::{KeyValue, ScalarType};
use dynaplay_engine::value::item_from_json;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

use super::viz::{bytes_text, key_schema, key_text, parse_key, run, units, Outcome, WIDTH};
use crate::handle::use_engine;

/// At most this many rungs are drawn.
const RUNGS: usize = 200;
const RUNG_H: f64 = 38.0;
/// The comparison text stops short of the size and read labels at the right (12 px text,
/// about 6.5 px a character, between x = 130 and the labels' 120 px).
const WHY_CHARS: usize = 58;

/// `text` cut to `max` characters with an ellipsis (the whole text is the element's title).
fn fit(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if text.chars().count() > max => format!("{}…", &text[..at]),
        _ => text.to_string(),
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Rung {
    sk: Option<KeyValue>,
    text: String,
    size: usize,
    why: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct Shape {
    pk: (String, ScalarType),
    sk: Option<(String, ScalarType)>,
    /// Partition keys to choose from, biggest collection first.
    keys: Vec<(String, usize)>,
}

const OPERATORS: [&str; 8] = ["(any)", "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"];

#[component]
pub fn SortOrderView(name: String) -> impl IntoView {
    let engine = use_engine();
    let version = engine.with_value(|h| h.version());
    let table = StoredValue::new(name);
    let shape = Memo::new(move |_| {
        version.get();
        engine.with_value(|h| {
            h.read(|e| {
                let t = e.table(&table.get_value())?;
                let (pk, sk) = key_schema(t);
                let (cols, _) = collections(t, None, 500);
                let mut keys: Vec<(String, usize)> = cols.iter().map(|c| (key_text(&c.key), c.items)).collect();
                keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                Some(Shape { pk, sk, keys })
            })
        })
    });
    let chosen = RwSignal::new(String::new());
    // Default to the biggest collection once there is one.
    Effect::new(move |_| {
        if chosen.get_untracked().is_empty() {
            if let Some(first) = shape.with(|s| s.as_ref().and_then(|s| s.keys.first().map(|k| k.0.clone()))) {
                chosen.set(first);
            }
        }
    });
    let rungs = Memo::new(move |_| {
        version.get();
        let pk_text = chosen.get();
        engine.with_value(|h| {
            h.read(|e| {
                let t = e.table(&table.get_value())?;
                let pk = parse_key(key_schema(t).0 .1, &pk_text).ok()?;
                let c = sorted_collection(t, &pk);
                let mut prev: Option<KeyValue> = None;
                let rungs: Vec<Rung> = c
                    .entries
                    .iter()
                    .take(RUNGS)
                    .map(|entry| {
                        let why = match (&prev, &entry.sk) {
                            (Some(p), Some(k)) => Some(compare(p, k).reason),
                            _ => None,
                        };
                        prev = entry.sk.clone();
                        Rung {
                            sk: entry.sk.clone(),
                            text: entry.sk.as_ref().map_or("(no sort key)".into(), key_text),
                            size: entry.size,
                            why,
                        }
                    })
                    .collect();
                Some((rungs, c.entries.len()))
            })
        })
    });

    let op = RwSignal::new("(any)".to_string());
    let v1 = RwSignal::new(String::new());
    let v2 = RwSignal::new(String::new());
    let forward = RwSignal::new(true);
    let limit = RwSignal::new(String::new());
    let consistent = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let build_error = RwSignal::new(None::<String>);

    let build = move || -> Result<Value, String> {
        let s = shape.get_untracked().ok_or("no such table")?;
        let mut names = Map::new();
        names.insert("#pk".into(), json!(s.pk.0));
        let mut values = Map::new();
        values.insert(":pk".into(), json!({ s.pk.1.as_str(): chosen.get_untracked() }));
        let mut condition = "#pk = :pk".to_string();
        let operator = op.get_untracked();
        if let (Some((sk, ty)), false) = (&s.sk, operator == "(any)") {
            names.insert("#sk".into(), json!(sk));
            let typed = |v: String| json!({ ty.as_str(): v });
            values.insert(":a".into(), typed(v1.get_untracked()));
            condition.push_str(&match operator.as_str() {
                "BETWEEN" => {
                    values.insert(":b".into(), typed(v2.get_untracked()));
                    " AND #sk BETWEEN :a AND :b".to_string()
                }
                "begins_with" => " AND begins_with(#sk, :a)".to_string(),
                o => format!(" AND #sk {o} :a"),
            });
        }
        let mut request = json!({
            "TableName": table.get_value(),
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": forward.get_untracked(),
            "ConsistentRead": consistent.get_untracked(),
            "ReturnConsumedCapacity": "TOTAL",
        });
        let limit = limit.get_untracked();
        if !limit.trim().is_empty() {
            let n: u64 = limit.trim().parse().map_err(|_| format!("Limit must be a whole number, not {limit:?}"))?;
            request["Limit"] = json!(n);
        }
        Ok(request)
    };
    let run_query = move |_| {
        build_error.set(None);
        match build() {
            Err(e) => build_error.set(Some(e)),
            Ok(request) => {
                let handle = engine.get_value();
                leptos::task::spawn_local(async move { outcome.set(Some(run(&handle, "Query", request).await)) });
            }
        }
    };
    // Sort keys the last Query returned, in the order it returned them.
    let returned = Memo::new(move |_| {
        let sk = shape.with(|s| s.as_ref().and_then(|s| s.sk.clone()));
        outcome.with(|o| {
            let (Some(o), Some((sk, _))) = (o, sk) else { return Vec::new() };
            o.body["Items"]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| item_from_json(i).ok())
                        .filter_map(|i| i.get(&sk).and_then(KeyValue::from_attribute))
                        .collect()
                })
                .unwrap_or_default()
        })
    });

    view! {
        {move || shape.get().map(|s| {
            let sk_rule = s.sk.as_ref().map(|(n, ty)| format!("Sort key {n} ({}): {}", ty.as_str(), rule(*ty)));
            let has_sk = s.sk.is_some();
            let keys = s.keys.clone();
            view! {
                <section class="panel viz" aria-labelledby="order-title">
                    <div class="panel-head"><h2 id="order-title">"Sort-key order"</h2></div>
                    <div class="viz-grid">
                        <div>
                            <div class="form-row">
                                <label>{format!("Partition key {} ({})", s.pk.0, s.pk.1.as_str())}
                                    <select on:change=move |e| { chosen.set(event_target_value(&e)); outcome.set(None); }
                                            prop:value=move || chosen.get() data-testid="order-pk">
                                        {keys.into_iter().map(|(k, n)| {
                                            let label = format!("{k} ({})", crate::text::count(n, "item"));
                                            view! { <option value=k.clone()>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                            </div>
                            <Ladder rungs=rungs returned=returned/>
                        </div>
                        <aside class="explain">
                            <h3>"The ordering rule"</h3>
                            <p>{sk_rule.clone().unwrap_or_else(|| "This table has no sort key: each item collection holds one item.".into())}</p>
                            <p class="muted">"Items with the same partition key are stored together, sorted by sort key. A Query reads one contiguous run of that order; ScanIndexForward=false reads it backwards."</p>
                        </aside>
                    </div>
                    {has_sk.then(|| view! {
                        <h3>"Key condition"</h3>
                        <div class="form-row">
                            <label>"Sort key condition"
                                <select on:change=move |e| op.set(event_target_value(&e)) prop:value=move || op.get() data-testid="order-op">
                                    {OPERATORS.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>"Value"<input type="text" prop:value=move || v1.get() on:input=move |e| v1.set(event_target_value(&e)) data-testid="order-v1"/></label>
                            <Show when=move || op.get() == "BETWEEN">
                                <label>"and"<input type="text" prop:value=move || v2.get() on:input=move |e| v2.set(event_target_value(&e)) data-testid="order-v2"/></label>
                            </Show>
                            <label>"Limit"<input type="number" min="1" style="width:6em" prop:value=move || limit.get() on:input=move |e| limit.set(event_target_value(&e)) data-testid="order-limit"/></label>
                            <label class="check"><input type="checkbox" prop:checked=move || forward.get() on:change=move |e| forward.set(event_target_checked(&e))/>" ScanIndexForward"</label>
                            <label class="check"><input type="checkbox" prop:checked=move || consistent.get() on:change=move |e| consistent.set(event_target_checked(&e))/>" ConsistentRead"</label>
                            <button class="primary" on:click=run_query data-testid="order-run">"Run Query"</button>
                        </div>
                    })}
                    {(!has_sk).then(|| view! {
                        <div class="actions"><button class="primary" on:click=run_query data-testid="order-run">"Run Query"</button></div>
                    })}
                    {move || build_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                    {move || outcome.get().map(|o| view! { <QueryResult outcome=o/> })}
                </section>
            }
        })}
    }
}

#[component]
fn Ladder(rungs: Memo<Option<(Vec<Rung>, usize)>>, returned: Memo<Vec<KeyValue>>) -> impl IntoView {
    move || {
        let Some((rungs, total)) = rungs.get() else {
            return view! { <p class="muted">"Choose a partition key with items."</p> }.into_any();
        };
        let hits = returned.get();
        let height = rungs.len() as f64 * RUNG_H + 4.0;
        let shown = rungs.len();
        let drawn = rungs
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let y = i as f64 * RUNG_H + 2.0;
                let position = r.sk.as_ref().and_then(|k| hits.iter().position(|h| h == k));
                let read = position.map(|p| format!("read #{}", p + 1)).unwrap_or_default();
                view! {
                    <g class="rung" class:in-range=position.is_some() data-sk=r.text.clone() data-read=position.map(|p| p + 1)>
                        <rect x="0" y=y width=WIDTH height=RUNG_H - 6.0 rx="6"/>
                        <text x="12" y=y + 24.0 class="sk">{r.text.clone()}</text>
                        <text x="130" y=y + 24.0 class="why">
                            <title>{r.why.clone().unwrap_or_default()}</title>
                            {fit(r.why.as_deref().unwrap_or_default(), WHY_CHARS)}
                        </text>
                        <text x=WIDTH - 10.0 y=y + 24.0 text-anchor="end" class="why">{format!("{} {}", bytes_text(r.size as u64), read)}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="ladder" viewBox=format!("0 0 {WIDTH} {height}") role="img"
                 aria-label=format!("{shown} items in sort-key order") data-testid="ladder">{drawn}</svg>
            {(total > shown).then(|| view! { <p class="muted">{format!("Showing the first {shown} of {total} items.")}</p> })}
        }
        .into_any()
    }
}

#[component]
fn QueryResult(outcome: Outcome) -> impl IntoView {
    if let Some(e) = outcome.error_text() {
        return view! { <p class="error-text" role="alert" data-testid="order-error">{e}</p> }.into_any();
    }
    let read = outcome.response.as_ref().and_then(|r| r.trace.reads.first().cloned()).unwrap_or_default();
    let mode =
        if outcome.request["ConsistentRead"].as_bool() == Some(true) { ReadMode::Strong } else { ReadMode::Eventual };
    let receipt = read_receipt(read.bytes, mode);
    let more = outcome.body.get("LastEvaluatedKey").map(Value::to_string);
    view! {
        <dl class="summary" data-testid="order-summary">
            <div><dt>"Items read"</dt><dd data-testid="order-read">{read.examined}</dd></div>
            <div><dt>"Items returned"</dt><dd data-testid="order-returned">{read.returned}</dd></div>
            <div><dt>"Bytes read"</dt><dd>{read.bytes}</dd></div>
            <div><dt>"ConsumedCapacity"</dt><dd data-testid="order-consumed">{outcome.consumed().map(units).unwrap_or_default()}</dd></div>
        </dl>
        <p class="receipt">{receipt.explain()}</p>
        {more.map(|k| view! { <p>"More items match: the page stopped at LastEvaluatedKey " <code>{k}</code></p> })}
        <details><summary>"The request"</summary><pre class="code">{serde_json::to_string_pretty(&outcome.request).unwrap_or_default()}</pre></details>
    }
    .into_any()
}
