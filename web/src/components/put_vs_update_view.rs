//! `#/tables/<name>/put-vs-update`: run PutItem or UpdateItem against one item and see the
//! item before and after, attribute by attribute, with the ReturnValues output and the
//! write units charged (on the larger of the old and new item). One click reproduces the
//! classic case: PutItem replaces the whole item, UpdateItem keeps what it does not name.
//! The requests come from [`crate::model::put_vs_update`].

use dynaplay_engine::inspect::{diff, key_attributes, key_schema, write_receipt, Change};
use dynaplay_engine::table::KeySchema;
use leptos::prelude::*;

use super::viz::run;
use crate::handle::{observe_table, read_table, use_engine, EngineHandle};
use crate::model::put_vs_update::{WriteForm, RETURN_VALUES};
use crate::model::Outcome;
use crate::text::{units, value_text};

/// A finished write, titled for its card.
#[derive(Clone, Debug)]
struct Card {
    title: String,
    outcome: Outcome,
}

/// Runs the classic example's four requests; the cards show the PutItem and the UpdateItem
/// (or why the seed item could not be written).
async fn classic_cards(handle: &EngineHandle, steps: [(&'static str, serde_json::Value); 4]) -> Vec<Card> {
    let [seed, put, reseed, update] = steps;
    let first = run(handle, seed.0, seed.1).await;
    if !first.ok() {
        return vec![Card { title: "Setting up the item".into(), outcome: first }];
    }
    let put = run(handle, put.0, put.1).await;
    let _ = run(handle, reseed.0, reseed.1).await;
    let update = run(handle, update.0, update.1).await;
    vec![
        Card { title: "PutItem with only Country".into(), outcome: put },
        Card { title: "UpdateItem SET Country".into(), outcome: update },
    ]
}

#[component]
pub fn PutVsUpdateView(name: String) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(name);
    let keys = Memo::new(move |_| observe_table(engine, &table.get_value(), |t, _| key_schema(t)));
    let form = RwSignal::new(WriteForm::default());
    let cards = RwSignal::new(Vec::<Card>::new());
    let form_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let run_one = move |operation: &'static str| {
        form_error.set(None);
        let Some(k) = keys.get_untracked() else { return };
        let request = match form.with_untracked(|f| f.request(operation, &table.get_value(), &k)) {
            Ok(r) => r,
            Err(e) => return form_error.set(Some(e)),
        };
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = run(&handle, operation, request).await;
            cards.set(vec![Card { title: operation.to_string(), outcome }]);
            busy.set(false);
        });
    };

    // The classic case, run twice from the same starting item.
    let classic = move |_| {
        // It writes into the learner's own table: say so first, and let them decline.
        let ask = format!(
            "The classic example writes an item with the key \"example\" into your table {} (it stays there; delete it from Items when you are done). Run it?",
            table.get_value()
        );
        let Some(k) = keys.get_untracked() else { return };
        if !window().confirm_with_message(&ask).unwrap_or(false) {
            return;
        }
        form_error.set(None);
        let filled = WriteForm::classic(&k);
        let steps = filled.classic_steps(&table.get_value(), &k);
        form.set(filled);
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            cards.set(classic_cards(&handle, steps).await);
            busy.set(false);
        });
    };

    view! {
        {move || keys.get().map(|k| view! {
            <section class="panel viz" aria-labelledby="pvu-title">
                <div class="panel-head">
                    <h2 id="pvu-title">"PutItem vs UpdateItem"</h2>
                    <div class="spacer"></div>
                    <button class="primary" on:click=classic disabled=move || busy.get() data-testid="pvu-classic">
                        "Run the classic example"
                    </button>
                </div>
                <p class="intro">"PutItem writes the whole item: attributes you leave out are gone. UpdateItem changes only the attributes its expression names. Both are charged on the larger of the item before and after, in 1 KB write units."</p>
                <WriteFields form=form keys=k.clone() busy=busy on_run=Callback::new(run_one)/>
                {move || form_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                <div class="side-by-side" data-testid="pvu-results">
                    {move || cards.get().into_iter().map(|c| view! { <WriteCard card=c keys=k.clone()/> }).collect_view()}
                </div>
            </section>
        })}
    }
}

/// The key, ReturnValues, and the two requests' fields with their buttons.
#[component]
fn WriteFields(
    form: RwSignal<WriteForm>,
    keys: KeySchema,
    busy: RwSignal<bool>,
    on_run: Callback<&'static str>,
) -> impl IntoView {
    let text = move |get: fn(&WriteForm) -> &String| move || form.with(|f| get(f).clone());
    let pk_label = format!("{} ({})", keys.hash.name, keys.hash.ty.as_str());
    let sk_label = keys.range.as_ref().map(|r| format!("{} ({})", r.name, r.ty.as_str()));
    view! {
        <div class="form-row">
            <label>{pk_label}
                <input type="text" prop:value=text(|f| &f.pk) on:input=move |e| form.update(|f| f.pk = event_target_value(&e)) data-testid="pvu-pk"/>
            </label>
            {sk_label.map(|label| view! {
                <label>{label}
                    <input type="text" prop:value=text(|f| &f.sk) on:input=move |e| form.update(|f| f.sk = event_target_value(&e)) data-testid="pvu-sk"/>
                </label>
            })}
            <label>"ReturnValues"
                <select on:change=move |e| form.update(|f| f.return_values = event_target_value(&e)) prop:value=text(|f| &f.return_values)>
                    {RETURN_VALUES.iter().map(|r| view! { <option value=*r>{*r}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <div class="side-by-side">
            <div>
                <label class="block">"PutItem: the other attributes (plain JSON)"
                    <textarea class="code" rows="5" prop:value=text(|f| &f.put_attrs)
                              on:input=move |e| form.update(|f| f.put_attrs = event_target_value(&e))></textarea>
                </label>
                <div class="actions"><button on:click=move |_| on_run.run("PutItem") disabled=move || busy.get()>"Run PutItem"</button></div>
            </div>
            <div>
                <label class="block">"UpdateExpression"
                    <input type="text" prop:value=text(|f| &f.update_expr) on:input=move |e| form.update(|f| f.update_expr = event_target_value(&e))/>
                </label>
                <label class="block">"ExpressionAttributeValues (plain JSON)"
                    <textarea class="code" rows="3" prop:value=text(|f| &f.update_values)
                              on:input=move |e| form.update(|f| f.update_values = event_target_value(&e))></textarea>
                </label>
                <div class="actions"><button on:click=move |_| on_run.run("UpdateItem") disabled=move || busy.get()>"Run UpdateItem"</button></div>
            </div>
        </div>
    }
}

#[component]
fn WriteCard(card: Card, keys: KeySchema) -> impl IntoView {
    let o = card.outcome;
    let table = o.request["TableName"].as_str().unwrap_or_default().to_string();
    let def = read_table(use_engine(), &table, |t| t.def.clone());
    let title = card.title;
    if let Some(e) = o.error_text() {
        return view! {
            <div class="result-card"><h3>{title}</h3><p class="error-text" role="alert" data-testid="pvu-error">{e}</p></div>
        }
        .into_any();
    }
    let write = o.response.as_ref().and_then(|r| r.trace.writes.first().cloned());
    let key_names: Vec<&str> = key_attributes(&keys).map(|k| k.name.as_str()).collect();
    let (rows, receipt) = match &write {
        Some(w) => (
            diff(w.before_item().as_ref(), w.after_item().as_ref(), &key_names),
            def.as_ref().map(|d| write_receipt(d, w.before_item().as_ref(), w.after_item().as_ref(), false)),
        ),
        None => (Vec::new(), None),
    };
    let returned = match o.body.get("Attributes") {
        Some(a) => serde_json::to_string_pretty(a).unwrap_or_default(),
        None => format!("(no Attributes: ReturnValues {})", o.request["ReturnValues"].as_str().unwrap_or("NONE")),
    };
    let show = |v: Option<&dynaplay_engine::value::AttributeValue>| v.map(value_text).unwrap_or_default();
    view! {
        <div class="result-card" data-testid="pvu-card">
            <h3>{title}</h3>
            <table class="items compact diff">
                <thead><tr><th scope="col">"Attribute"</th><th scope="col">"Before"</th><th scope="col">"After"</th><th scope="col">"Change"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|d| {
                        let class = d.change.as_str();
                        let before_gone = d.change == Change::Removed || d.change == Change::Changed;
                        view! {
                            <tr data-attr=d.name.clone() data-change=class>
                                <td>{d.name.clone()}</td>
                                <td class:gone=before_gone>{show(d.before.as_ref())}</td>
                                <td>{show(d.after.as_ref())}</td>
                                <td class=class>{class}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{format!("ReturnValues {} output", o.request["ReturnValues"].as_str().unwrap_or("NONE"))}</h3>
            <pre class="code">{returned}</pre>
            <h3>"Write units"</h3>
            {receipt.map(|r| view! { <p class="receipt" data-testid="pvu-receipt" data-units=r.total>{r.explain()}</p> })}
            <p>"ConsumedCapacity: " <strong data-testid="pvu-consumed">{o.consumed().map(units).unwrap_or_default()}</strong> " WCU"</p>
            <details><summary>"The request"</summary><pre class="code">{serde_json::to_string_pretty(&o.request).unwrap_or_default()}</pre></details>
        </div>
    }
    .into_any()
}
