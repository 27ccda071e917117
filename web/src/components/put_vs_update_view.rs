//! `#/tables/<name>/put-vs-update`: run PutItem or UpdateItem against one item and see the
//! item before and after, attribute by attribute, with the ReturnValues output and the
//! write units charged (on the larger of the old and new item). One click reproduces the
//! classic case: PutItem replaces the whole item, UpdateItem keeps what it does not name.

use dynaplay_engine::inspect::{diff, write_receipt, Change};
use leptos::prelude::*;
use serde_json::{json, Value};

use super::viz::{key_schema, run, units, value_text, Outcome};
use crate::convert::from_plain;
use crate::handle::use_engine;

const RETURN_VALUES: [&str; 5] = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"];

#[derive(Clone, Debug, PartialEq)]
struct Keys {
    pk: (String, &'static str),
    sk: Option<(String, &'static str)>,
}

/// A finished write, titled for its card.
#[derive(Clone, Debug)]
struct Card {
    title: String,
    outcome: Outcome,
}

#[component]
pub fn PutVsUpdateView(name: String) -> impl IntoView {
    let engine = use_engine();
    let version = engine.with_value(|h| h.version());
    let table = StoredValue::new(name);
    let keys = Memo::new(move |_| {
        version.get();
        engine.with_value(|h| {
            h.read(|e| {
                let t = e.table(&table.get_value())?;
                let (pk, sk) = key_schema(t);
                Some(Keys { pk: (pk.0, pk.1.as_str()), sk: sk.map(|(n, ty)| (n, ty.as_str())) })
            })
        })
    });
    let pk = RwSignal::new("example".to_string());
    let sk = RwSignal::new("1".to_string());
    let put_attrs = RwSignal::new("{\n  \"Country\": \"Norway\"\n}".to_string());
    let update_expr = RwSignal::new("SET Country = :c".to_string());
    let update_values = RwSignal::new("{\n  \":c\": \"Norway\"\n}".to_string());
    let return_values = RwSignal::new("ALL_OLD".to_string());
    let cards = RwSignal::new(Vec::<Card>::new());
    let form_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // The key as DynamoDB JSON, from the form.
    let key_json = move || -> Result<Value, String> {
        let k = keys.get_untracked().ok_or("no such table")?;
        let mut key = json!({ k.pk.0.clone(): { k.pk.1: pk.get_untracked() } });
        if let Some((name, ty)) = &k.sk {
            key[name] = json!({ *ty: sk.get_untracked() });
        }
        Ok(key)
    };
    let plain = |text: String, what: &str| -> Result<Value, String> {
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{what} is not valid JSON: {e}"))?;
        from_plain(&v).map_err(|e| format!("{what}: {e}"))
    };
    let put_request = move |attrs: Value, rv: &str| -> Result<Value, String> {
        let mut item = key_json()?;
        for (k, v) in attrs.as_object().into_iter().flatten() {
            item[k] = v.clone();
        }
        Ok(json!({"TableName": table.get_value(), "Item": item, "ReturnValues": rv, "ReturnConsumedCapacity": "TOTAL"}))
    };
    let update_request = move |expr: String, values: Value, rv: &str| -> Result<Value, String> {
        let mut request = json!({"TableName": table.get_value(), "Key": key_json()?, "UpdateExpression": expr,
            "ReturnValues": rv, "ReturnConsumedCapacity": "TOTAL"});
        if values.as_object().is_some_and(|m| !m.is_empty()) {
            request["ExpressionAttributeValues"] = values;
        }
        Ok(request)
    };

    let run_one = move |operation: &'static str| {
        form_error.set(None);
        let rv = return_values.get_untracked();
        let request = match operation {
            "PutItem" => plain(put_attrs.get_untracked(), "The PutItem attributes").and_then(|a| put_request(a, &rv)),
            _ => plain(update_values.get_untracked(), "The expression values")
                .and_then(|v| update_request(update_expr.get_untracked(), v, &rv)),
        };
        let request = match request {
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
        if !window().confirm_with_message(&ask).unwrap_or(false) {
            return;
        }
        form_error.set(None);
        pk.set("example".into());
        sk.set(match keys.get_untracked().and_then(|k| k.sk).map(|s| s.1) {
            Some("B") => "AQ==".into(),
            _ => "1".into(),
        });
        if keys.get_untracked().map(|k| k.pk.1) == Some("N") {
            pk.set("42".into());
        } else if keys.get_untracked().map(|k| k.pk.1) == Some("B") {
            pk.set("ZXhhbXBsZQ==".into());
        }
        put_attrs.set("{\n  \"Country\": \"Norway\"\n}".into());
        update_expr.set("SET Country = :c".into());
        update_values.set("{\n  \":c\": \"Norway\"\n}".into());
        return_values.set("ALL_OLD".into());
        let seed_attrs = json!({"Name": {"S": "Jane Doe"}, "Gender": {"S": "F"}});
        let steps = (|| -> Result<_, String> {
            let seed = put_request(seed_attrs, "NONE")?;
            let put = put_request(json!({"Country": {"S": "Norway"}}), "ALL_OLD")?;
            let update = update_request("SET Country = :c".into(), json!({":c": {"S": "Norway"}}), "ALL_NEW")?;
            Ok((seed, put, update))
        })();
        let (seed, put, update) = match steps {
            Ok(s) => s,
            Err(e) => return form_error.set(Some(e)),
        };
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let mut out = Vec::new();
            let first = run(&handle, "PutItem", seed.clone()).await;
            if !first.ok() {
                out.push(Card { title: "Setting up the item".into(), outcome: first });
            } else {
                let put = run(&handle, "PutItem", put).await;
                out.push(Card { title: "PutItem with only Country".into(), outcome: put });
                let _ = run(&handle, "PutItem", seed).await;
                let update = run(&handle, "UpdateItem", update).await;
                out.push(Card { title: "UpdateItem SET Country".into(), outcome: update });
            }
            cards.set(out);
            busy.set(false);
        });
    };

    view! {
        {move || keys.get().map(|k| {
            let sk_field = k.sk.clone();
            view! {
                <section class="panel viz" aria-labelledby="pvu-title">
                    <div class="panel-head">
                        <h2 id="pvu-title">"PutItem vs UpdateItem"</h2>
                        <div class="spacer"></div>
                        <button class="primary" on:click=classic disabled=move || busy.get() data-testid="pvu-classic">
                            "Run the classic example"
                        </button>
                    </div>
                    <p class="intro">"PutItem writes the whole item: attributes you leave out are gone. UpdateItem changes only the attributes its expression names. Both are charged on the larger of the item before and after, in 1 KB write units."</p>
                    <div class="form-row">
                        <label>{format!("{} ({})", k.pk.0, k.pk.1)}
                            <input type="text" prop:value=move || pk.get() on:input=move |e| pk.set(event_target_value(&e)) data-testid="pvu-pk"/>
                        </label>
                        {sk_field.map(|(name, ty)| view! {
                            <label>{format!("{name} ({ty})")}
                                <input type="text" prop:value=move || sk.get() on:input=move |e| sk.set(event_target_value(&e)) data-testid="pvu-sk"/>
                            </label>
                        })}
                        <label>"ReturnValues"
                            <select on:change=move |e| return_values.set(event_target_value(&e)) prop:value=move || return_values.get()>
                                {RETURN_VALUES.iter().map(|r| view! { <option value=*r>{*r}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                    <div class="side-by-side">
                        <div>
                            <label class="block">"PutItem: the other attributes (plain JSON)"
                                <textarea class="code" rows="5" prop:value=move || put_attrs.get()
                                          on:input=move |e| put_attrs.set(event_target_value(&e))></textarea>
                            </label>
                            <div class="actions"><button on:click=move |_| run_one("PutItem") disabled=move || busy.get()>"Run PutItem"</button></div>
                        </div>
                        <div>
                            <label class="block">"UpdateExpression"
                                <input type="text" prop:value=move || update_expr.get() on:input=move |e| update_expr.set(event_target_value(&e))/>
                            </label>
                            <label class="block">"ExpressionAttributeValues (plain JSON)"
                                <textarea class="code" rows="3" prop:value=move || update_values.get()
                                          on:input=move |e| update_values.set(event_target_value(&e))></textarea>
                            </label>
                            <div class="actions"><button on:click=move |_| run_one("UpdateItem") disabled=move || busy.get()>"Run UpdateItem"</button></div>
                        </div>
                    </div>
                    {move || form_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                    <div class="side-by-side" data-testid="pvu-results">
                        {move || cards.get().into_iter().map(|c| view! { <WriteCard card=c keys=k.clone()/> }).collect_view()}
                    </div>
                </section>
            }
        })}
    }
}

#[component]
fn WriteCard(card: Card, keys: Keys) -> impl IntoView {
    let o = card.outcome;
    let engine = crate::handle::use_engine();
    let table = o.request["TableName"].as_str().unwrap_or_default().to_string();
    let def = engine.with_value(|h| h.read(|e| e.table(&table).map(|t| t.def.clone())));
    let title = card.title;
    if let Some(e) = o.error_text() {
        return view! {
            <div class="result-card"><h3>{title}</h3><p class="error-text" role="alert" data-testid="pvu-error">{e}</p></div>
        }
        .into_any();
    }
    let write = o.response.as_ref().and_then(|r| r.trace.writes.first().cloned());
    let key_names: Vec<&str> =
        std::iter::once(keys.pk.0.as_str()).chain(keys.sk.as_ref().map(|s| s.0.as_str())).collect();
    let (rows, receipt) = match &write {
        Some(w) => (
            diff(w.before.as_ref(), w.after.as_ref(), &key_names),
            def.as_ref().map(|d| write_receipt(d, w.before.as_ref(), w.after.as_ref(), false)),
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
