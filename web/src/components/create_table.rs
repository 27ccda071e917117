//! The home view: what Dynaplay is, and the create-table form.

use leptos::prelude::*;
use serde_json::{json, Value};

use crate::handle::use_engine;
use crate::routes::{navigate, Route, Tab};

/// The CreateTable request the form describes.
#[allow(clippy::too_many_arguments)]
pub fn create_request(
    name: &str,
    pk: &str,
    pk_type: &str,
    sk: &str,
    sk_type: &str,
    billing: &str,
    rcu: &str,
    wcu: &str,
    scale: &str,
) -> Value {
    let mut defs = vec![json!({"AttributeName": pk, "AttributeType": pk_type})];
    let mut keys = vec![json!({"AttributeName": pk, "KeyType": "HASH"})];
    if !sk.trim().is_empty() {
        defs.push(json!({"AttributeName": sk.trim(), "AttributeType": sk_type}));
        keys.push(json!({"AttributeName": sk.trim(), "KeyType": "RANGE"}));
    }
    let mut req =
        json!({"TableName": name.trim(), "AttributeDefinitions": defs, "KeySchema": keys, "BillingMode": billing});
    if billing == "PROVISIONED" {
        req["ProvisionedThroughput"] = json!({
            "ReadCapacityUnits": rcu.trim().parse::<i64>().unwrap_or(0),
            "WriteCapacityUnits": wcu.trim().parse::<i64>().unwrap_or(0)
        });
    }
    if let Ok(s) = scale.parse::<u64>() {
        if s > 1 {
            req["DynaplayTeachingScale"] = json!(s);
        }
    }
    req
}

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="panel intro">
            <h1>"A DynamoDB playground"</h1>
            <p>
                "Everything runs in this page: a DynamoDB-compatible engine with the same requests, errors and "
                "capacity accounting as AWS, saved in your browser. Create a table, then browse its items or send "
                "any request from the " <a href="#/console">"console"</a> "."
            </p>
            <StartHere/>
        </section>
        <CreateTable/>
    }
}

/// Where a newcomer begins: the examples in the order the topics build on each other.
#[component]
fn StartHere() -> impl IntoView {
    let steps = super::gallery::EXAMPLES
        .iter()
        .filter_map(|(slug, _)| super::gallery::example(slug).ok().map(|s| (*slug, s.title)))
        .map(|(slug, title)| {
            view! { <li><a href=crate::routes::href(&crate::routes::Route::Example(slug.to_string()))>{title}</a></li> }
        })
        .collect_view();
    view! {
        <div class="start-here" data-testid="start-here">
            <h2>"Start here"</h2>
            <p>"New to DynamoDB? Step through these examples in order: each replays in a sandbox, so your own tables stay as they are."</p>
            <ol>{steps}</ol>
        </div>
    }
}

#[component]
fn CreateTable() -> impl IntoView {
    let engine = use_engine();
    let name = RwSignal::new(String::new());
    let pk = RwSignal::new("pk".to_string());
    let pk_type = RwSignal::new("S".to_string());
    let sk = RwSignal::new(String::new());
    let sk_type = RwSignal::new("S".to_string());
    let billing = RwSignal::new("PAY_PER_REQUEST".to_string());
    let rcu = RwSignal::new("5".to_string());
    let wcu = RwSignal::new("5".to_string());
    let scale = RwSignal::new("1".to_string());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = create_request(
            &name.get(),
            &pk.get(),
            &pk_type.get(),
            &sk.get(),
            &sk_type.get(),
            &billing.get(),
            &rcu.get(),
            &wcu.get(),
            &scale.get(),
        );
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = handle.request("CreateTable", &req.to_string()).await;
            busy.set(false);
            match result {
                Ok(r) if r.status == 200 => {
                    error.set(None);
                    let table = req["TableName"].as_str().unwrap_or_default().to_string();
                    name.set(String::new());
                    navigate(&Route::Table(table, Tab::Items));
                }
                Ok(r) => {
                    let v: Value = serde_json::from_str(&r.body).unwrap_or_default();
                    let (kind, msg) = dynaplay_engine::wire::error_of(&v).unwrap_or_default();
                    error.set(Some(format!("{kind}: {msg}")));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let types = || view! { <option value="S">"String (S)"</option><option value="N">"Number (N)"</option><option value="B">"Binary (B)"</option> };
    view! {
        <section class="panel">
            <h2>"Create a table"</h2>
            <form class="form-grid" on:submit=submit aria-label="Create table">
                <label>"Table name"
                    <input required name="table-name" placeholder="Music" prop:value=name on:input:target=move |ev| name.set(ev.target().value())/>
                </label>
                <fieldset class="row">
                    <legend>"Partition key"</legend>
                    <p class="hint">"Every item has one. DynamoDB hashes it to choose the partition that stores the item, and a Query always names one partition key value."</p>
                    <label>"Attribute"<input required name="pk" prop:value=pk on:input:target=move |ev| pk.set(ev.target().value())/></label>
                    <label>"Type"<select name="pk-type" prop:value=pk_type on:change:target=move |ev| pk_type.set(ev.target().value())>{types()}</select></label>
                </fieldset>
                <fieldset class="row">
                    <legend>"Sort key " <span class="muted">"(optional)"</span></legend>
                    <p class="hint">"Items with the same partition key are kept together, sorted by this key, so a Query can read a range of them (all orders of one customer, newest first)."</p>
                    <label>"Attribute"<input name="sk" placeholder="none" prop:value=sk on:input:target=move |ev| sk.set(ev.target().value())/></label>
                    <label>"Type"<select name="sk-type" prop:value=sk_type on:change:target=move |ev| sk_type.set(ev.target().value())>{types()}</select></label>
                </fieldset>
                <fieldset class="row">
                    <legend>"Capacity"</legend>
                    <label>"Billing mode"
                        <select name="billing" prop:value=billing on:change:target=move |ev| billing.set(ev.target().value())>
                            <option value="PAY_PER_REQUEST">"On demand"</option>
                            <option value="PROVISIONED">"Provisioned"</option>
                        </select>
                    </label>
                    <Show when=move || billing.get() == "PROVISIONED">
                        <label>"Read units"<input type="number" min="1" name="rcu" prop:value=rcu on:input:target=move |ev| rcu.set(ev.target().value())/></label>
                        <label>"Write units"<input type="number" min="1" name="wcu" prop:value=wcu on:input:target=move |ev| wcu.set(ev.target().value())/></label>
                    </Show>
                </fieldset>
                <label>"Teaching scale"
                    <select name="scale" prop:value=scale on:change:target=move |ev| scale.set(ev.target().value())>
                        <option value="1">"Real AWS limits (10 GB, 3,000 RCU, 1,000 WCU per partition)"</option>
                        <option value="1000">"× 1/1,000 (10 MB per partition)"</option>
                        <option value="1000000">"× 1/1,000,000 (10 KB per partition: splits after a few dozen items)"</option>
                    </select>
                </label>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>"Create table"</button>
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="error-text" role="alert">{move || error.get().unwrap_or_default()}</p>
                </Show>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_aws_create_table_requests() {
        let r = create_request("Music", "Artist", "S", "Song", "S", "PROVISIONED", "5", "2", "1000");
        assert_eq!(r["KeySchema"][1], json!({"AttributeName": "Song", "KeyType": "RANGE"}));
        assert_eq!(r["ProvisionedThroughput"], json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 2}));
        assert_eq!(r["DynaplayTeachingScale"], json!(1000));
        let r = create_request("T", "id", "N", " ", "S", "PAY_PER_REQUEST", "", "", "1");
        assert_eq!(r["KeySchema"].as_array().unwrap().len(), 1);
        assert!(r.get("ProvisionedThroughput").is_none() && r.get("DynaplayTeachingScale").is_none());
    }
}
