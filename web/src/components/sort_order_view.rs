//! `#/tables/<name>/sort-order`: one item collection in sort-key order, with the rule of
//! the key's type made visible, and a key-condition builder whose Query highlights exactly
//! the items it read. The figures and the request come from [`crate::model::sort_order`].

use dynaplay_engine::inspect::{read_receipt, rule};
use dynaplay_engine::table::KeyValue;
use leptos::prelude::*;
use serde_json::Value;

use super::viz::{run, WIDTH};
use crate::handle::{observe_table, use_engine};
use crate::model::sort_order::{fit, ladder, returned_keys, QueryForm, Rung, Shape, OPERATORS};
use crate::model::Outcome;
use crate::text::{bytes_text, units};

const RUNG_H: f64 = 38.0;
/// The comparison text stops short of the size and read labels at the right (12 px text,
/// about 6.5 px a character, between x = 130 and the labels' 120 px).
const WHY_CHARS: usize = 58;

#[component]
pub fn SortOrderView(name: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    let shape = Memo::new(move |_| observe_table(engine, &table.get_value(), |t, _| Shape::of(t)));
    let form = RwSignal::new(QueryForm::default());
    // Default to the biggest collection once there is one.
    Effect::new(move |_| {
        if form.with_untracked(|f| f.pk.is_empty()) {
            if let Some(first) = shape.with(|s| s.as_ref().and_then(Shape::biggest)) {
                form.update(|f| f.pk = first);
            }
        }
    });
    let pk = Memo::new(move |_| form.with(|f| f.pk.clone()));
    let rungs = Memo::new(move |_| observe_table(engine, &table.get_value(), |t, _| ladder(t, &pk.get())).flatten());
    let outcome = RwSignal::new(None::<Outcome>);
    let build_error = RwSignal::new(None::<String>);
    let run_query = move |_| {
        build_error.set(None);
        let Some(keys) = shape.with_untracked(|s| s.as_ref().map(|s| s.keys.clone())) else { return };
        match form.with_untracked(|f| f.request(&table.get_value(), &keys)) {
            Err(e) => build_error.set(Some(e)),
            Ok(request) => {
                let handle = engine.get_value();
                leptos::task::spawn_local(async move { outcome.set(Some(run(&handle, "Query", request).await)) });
            }
        }
    };
    // Sort keys the last Query returned, in the order it returned them.
    let returned = Memo::new(move |_| {
        let sk = shape.with(|s| s.as_ref().and_then(|s| s.keys.range.as_ref().map(|r| r.name.clone())));
        outcome.with(|o| match (o, sk) {
            (Some(o), Some(sk)) => returned_keys(&o.body, &sk),
            _ => Vec::new(),
        })
    });
    let choose = move |pk: String| {
        form.update(|f| f.pk = pk);
        outcome.set(None);
    };

    view! {
        {move || shape.get().map(|s| view! {
            <section class="panel viz" aria-labelledby="order-title">
                <div class="panel-head"><h2 id="order-title">"Sort-key order"</h2></div>
                <div class="viz-grid">
                    <div>
                        <CollectionPicker shape=s.clone() chosen=pk on_choose=Callback::new(choose)/>
                        <Ladder rungs=rungs returned=returned/>
                    </div>
                    <aside class="explain">
                        <h3>"The ordering rule"</h3>
                        <p>{s.keys.range.as_ref().map_or_else(
                            || "This table has no sort key: each item collection holds one item.".into(),
                            |r| format!("Sort key {} ({}): {}", r.name, r.ty.as_str(), rule(r.ty)))}</p>
                        <p class="muted">"Items with the same partition key are stored together, sorted by sort key. A Query reads one contiguous run of that order; ScanIndexForward=false reads it backwards."</p>
                    </aside>
                </div>
                <KeyCondition form=form has_sk=s.keys.range.is_some() on_run=Callback::new(run_query)/>
                {move || build_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                {move || outcome.get().map(|o| view! { <QueryResult outcome=o/> })}
            </section>
        })}
    }
}

/// The partition key whose collection is drawn.
#[component]
fn CollectionPicker(shape: Shape, chosen: Memo<String>, on_choose: Callback<String>) -> impl IntoView {
    let label = format!("Partition key {} ({})", shape.keys.hash.name, shape.keys.hash.ty.as_str());
    view! {
        <div class="form-row">
            <label>{label}
                <select on:change=move |e| on_choose.run(event_target_value(&e)) prop:value=move || chosen.get() data-testid="order-pk">
                    {shape.collections.into_iter().map(|(k, n)| {
                        let label = format!("{k} ({})", crate::text::count(n, "item"));
                        view! { <option value=k.clone()>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// The key-condition form: the sort-key operator and values (with a sort key), Limit,
/// direction and consistency.
#[component]
fn KeyCondition(form: RwSignal<QueryForm>, has_sk: bool, on_run: Callback<()>) -> impl IntoView {
    let run = move |_| on_run.run(());
    if !has_sk {
        return view! { <div class="actions"><button class="primary" on:click=run data-testid="order-run">"Run Query"</button></div> }.into_any();
    }
    let text = move |get: fn(&QueryForm) -> &String| move || form.with(|f| get(f).clone());
    view! {
        <h3>"Key condition"</h3>
        <div class="form-row">
            <label>"Sort key condition"
                <select on:change=move |e| form.update(|f| f.operator = event_target_value(&e)) prop:value=text(|f| &f.operator) data-testid="order-op">
                    {OPERATORS.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                </select>
            </label>
            <label>"Value"<input type="text" prop:value=text(|f| &f.v1) on:input=move |e| form.update(|f| f.v1 = event_target_value(&e)) data-testid="order-v1"/></label>
            <Show when=move || form.with(|f| f.operator == "BETWEEN")>
                <label>"and"<input type="text" prop:value=text(|f| &f.v2) on:input=move |e| form.update(|f| f.v2 = event_target_value(&e)) data-testid="order-v2"/></label>
            </Show>
            <label>"Limit"<input type="number" min="1" style="width:6em" prop:value=text(|f| &f.limit) on:input=move |e| form.update(|f| f.limit = event_target_value(&e)) data-testid="order-limit"/></label>
            <label class="check"><input type="checkbox" prop:checked=move || form.with(|f| f.forward) on:change=move |e| form.update(|f| f.forward = event_target_checked(&e))/>" ScanIndexForward"</label>
            <label class="check"><input type="checkbox" prop:checked=move || form.with(|f| f.consistent) on:change=move |e| form.update(|f| f.consistent = event_target_checked(&e))/>" ConsistentRead"</label>
            <button class="primary" on:click=run data-testid="order-run">"Run Query"</button>
        </div>
    }
    .into_any()
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
    let read = outcome.read();
    let receipt = read_receipt(read.bytes, outcome.read_mode());
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
        {outcome.replica_note().map(|n| view! { <p class="notice" data-testid="order-replica">{format!("This Query was eventually consistent and {n}. The highlight shows the leader's items.")}</p> })}
        <details><summary>"The request"</summary><pre class="code">{serde_json::to_string_pretty(&outcome.request).unwrap_or_default()}</pre></details>
    }
    .into_any()
}
