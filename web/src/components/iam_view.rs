//! `#/iam`: IAM in the workspace. Enforcement on or off, each principal with its
//! policies (edited in place, validated by the engine as IAM validates them), a new
//! principal from a template, the resource policies, and the evaluation of requests
//! (see `iam_explain.rs`). The page's own IAM settings are made as the workspace's owner,
//! which IAM never checks. Figures come from `engine::inspect::iam_of`.

use dynaplay_engine::inspect::{IamInfo, PrincipalInfo};
use leptos::prelude::*;
use serde_json::{json, Value};

use super::iam_explain::{LatestRequest, Simulator};
use crate::handle::use_engine;
use crate::model::iam::{new_principal, with_policy, TEMPLATES};

/// IAM's state, redrawn after every change.
pub fn iam_memo() -> Memo<IamInfo> {
    let engine = use_engine();
    Memo::new(move |_| {
        engine.with_value(|h| {
            h.version().track();
            h.iam_info()
        })
    })
}

#[component]
pub fn IamPage() -> impl IntoView {
    let info = iam_memo();
    view! {
        <section class="panel" aria-labelledby="iam-title" data-testid="iam">
            <div class="panel-head"><h2 id="iam-title">"IAM"</h2></div>
            <p class="intro">"Who may do what. Each request is checked as AWS checks it: every action it asks for (a Query on an index is dynamodb:Query on the index; each action of a transaction is its own PutItem, UpdateItem, DeleteItem or ConditionCheckItem, with dynamodb:EnclosingOperation) against the principal's identity-based policies and the table's resource-based policy. An explicit Deny wins; otherwise an Allow is needed; from another account, both sides must allow."</p>
            <Enforcement info=info/>
            <LatestRequest/>
        </section>
        <section class="panel" aria-labelledby="principals-title">
            <div class="panel-head"><h2 id="principals-title">"Principals"</h2></div>
            {move || info.get().principals.into_iter().map(|p| view! { <PrincipalCard principal=p/> }).collect_view()}
            <NewPrincipal info=info/>
        </section>
        <Simulator info=info/>
        <ResourcePolicies info=info/>
    }
}

/// IAM on or off, and who the page acts as.
#[component]
fn Enforcement(info: Memo<IamInfo>) -> impl IntoView {
    let engine = use_engine();
    let error = RwSignal::new(None::<String>);
    let set = move |body: Value| {
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            error.set(handle.owner_request("UpdateAccessControl", &body).await.err());
        });
    };
    view! {
        <div class="form-row">
            <label class="check" title="Off: every request is allowed, as before IAM was turned on">
                <input type="checkbox" prop:checked=move || info.get().enforce data-testid="iam-enforce"
                    on:change=move |e| set(json!({"Enforce": event_target_checked(&e)}))/>
                "Check every request against IAM"
            </label>
            <span class="muted" data-testid="iam-state">{move || {
                let i = info.get();
                let name = i.principals.iter().find(|p| p.arn == i.acting_as).map_or(i.acting_as.clone(), |p| p.name.clone());
                if i.enforce { format!("On: requests are made as {name}") } else { format!("Off: nothing is checked (acting as {name})") }
            }}</span>
        </div>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
    }
}

/// One principal: its ARN, key, and policies, each editable.
#[component]
fn PrincipalCard(principal: PrincipalInfo) -> impl IntoView {
    let engine = use_engine();
    let error = RwSignal::new(None::<String>);
    let p = StoredValue::new(principal.clone());
    let put = move |body: Value| {
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            error.set(handle.owner_request("PutPrincipal", &body).await.err());
        });
    };
    let delete = move |_| {
        let handle = engine.get_value();
        let arn = p.with_value(|p| p.arn.clone());
        leptos::task::spawn_local(async move {
            error.set(handle.owner_request("DeletePrincipal", &json!({"Arn": arn})).await.err());
        });
    };
    let kind = if principal.role { "Role" } else { "User" };
    let policies = principal.policies.clone();
    let count = policies.len();
    view! {
        <article class="card principal" data-testid="principal" data-name=principal.name.clone()>
            <h3>{format!("{kind} {}", principal.name)}</h3>
            <p class="muted small"><code>{principal.arn.clone()}</code>
                {principal.access_key_id.clone().map(|k| format!(" · access key {k}"))}</p>
            {policies.into_iter().enumerate().map(|(i, (name, text))| {
                let draft = RwSignal::new(text);
                view! {
                    <label class="block">{format!("Policy {name}")}
                        <textarea rows="8" spellcheck="false" prop:value=move || draft.get() on:input=move |e| draft.set(event_target_value(&e)) data-testid="policy-text"></textarea>
                    </label>
                    <div class="form-row">
                        <button class="primary" data-testid="policy-save" on:click=move |_| put(p.with_value(|p| with_policy(p, i, Some(&draft.get_untracked())))) >"Save policy"</button>
                        <button class="ghost" on:click=move |_| put(p.with_value(|p| with_policy(p, i, None)))>"Remove policy"</button>
                    </div>
                }
            }).collect_view()}
            <div class="form-row">
                <button class="ghost" on:click=move |_| put(p.with_value(|p| with_policy(p, count, Some(EMPTY_POLICY)))) data-testid="policy-add">"Add a policy"</button>
                <button class="ghost danger" on:click=delete data-testid="principal-delete">"Delete principal"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="policy-error">{e}</p> })}
        </article>
    }
}

const EMPTY_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"dynamodb:DescribeTable\", \"Resource\": \"*\"}\n  ]\n}";

/// A new user or role, from one of the templates.
#[component]
fn NewPrincipal(info: Memo<IamInfo>) -> impl IntoView {
    let engine = use_engine();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(false);
    let account = RwSignal::new(String::new());
    let table = RwSignal::new(String::new());
    let template = RwSignal::new(TEMPLATES[1].to_string());
    let error = RwSignal::new(None::<String>);
    let create = move |_| {
        let handle = engine.get_value();
        let acct = account.get_untracked();
        let acct = if acct.trim().is_empty() { info.get_untracked().account } else { acct.trim().to_string() };
        let body = new_principal(
            &name.get_untracked(),
            role.get_untracked(),
            &acct,
            &template.get_untracked(),
            table.get_untracked().trim(),
        );
        leptos::task::spawn_local(async move {
            let result = match body {
                Ok(b) => handle.owner_request("PutPrincipal", &b).await.map(drop),
                Err(e) => Err(e),
            };
            error.set(result.err());
        });
    };
    view! {
        <details class="new-principal" data-testid="new-principal">
            <summary>"New principal"</summary>
            <div class="form-grid">
                <label>"Name"<input prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) data-testid="principal-name"/></label>
                <label>"Kind"<select on:change=move |e| role.set(event_target_value(&e) == "role") data-testid="principal-kind">
                    <option value="user" selected=true>"User"</option><option value="role">"Role"</option>
                </select></label>
                <label title="Another account's principal needs the table's resource policy too">"Account"
                    <input prop:value=move || account.get() placeholder=move || info.get().account on:input=move |e| account.set(event_target_value(&e)) data-testid="principal-account"/></label>
                <label>"Table (blank: all)"<input prop:value=move || table.get() on:input=move |e| table.set(event_target_value(&e)) data-testid="principal-table"/></label>
                <label>"Starting policy"<select on:change=move |e| template.set(event_target_value(&e)) data-testid="principal-template">
                    {TEMPLATES.iter().map(|t| view! { <option value=*t selected=move || template.get() == *t>{*t}</option> }).collect_view()}
                </select></label>
            </div>
            <div class="form-row"><button class="primary" on:click=create data-testid="principal-create">"Add principal"</button></div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="principal-error">{e}</p> })}
        </details>
    }
}

/// The policies attached to tables and streams (PutResourcePolicy in the console).
#[component]
fn ResourcePolicies(info: Memo<IamInfo>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="resource-policies-title">
            <div class="panel-head"><h2 id="resource-policies-title">"Resource-based policies"</h2></div>
            {move || {
                let list = info.get().resource_policies;
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="resource-policies-none">"None yet: attach one with PutResourcePolicy in the console. Another account's principals need one to reach a table."</p> }.into_any();
                }
                list.into_iter().map(|(arn, text, revision)| view! {
                    <details class="resource-policy" data-testid="resource-policy"><summary><code>{arn}</code>{format!(" · revision {revision}")}</summary><pre class="small">{text}</pre></details>
                }).collect_view().into_any()
            }}
        </section>
    }
}
