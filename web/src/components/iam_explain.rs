//! IAM's evaluations drawn: each action asked, the request's condition keys, every
//! statement considered (applies, or why not) with each condition's values and outcome,
//! and the verdict. Used for the latest request (which can be replayed as another
//! principal in one click) and for the simulator, which decides without running.

use dynaplay_engine::iam::explain::evaluation_json;
use dynaplay_engine::inspect::IamInfo;
use leptos::prelude::*;
use serde_json::{json, Value};

use crate::handle::{use_engine, Caller};
use crate::model::iam::decided;

/// Evaluations (the engine's JSON), one card per action.
#[component]
pub fn Evaluations(evaluations: Vec<Value>) -> impl IntoView {
    evaluations
        .iter()
        .map(decided)
        .map(|d| {
            view! {
                <article class="card evaluation" class:denied=!d.allowed data-testid="evaluation">
                    <h4><code>{d.action.clone()}</code>" on "<code class="small">{d.resource.clone()}</code></h4>
                    <p class=if d.allowed { "ok-text" } else { "error-text" } data-testid="verdict">{d.verdict.clone()}</p>
                    <details><summary>"Request context"</summary>
                        <table class="items compact"><tbody>
                            {d.context.into_iter().map(|(k, v)| view! { <tr><th scope="row"><code>{k}</code></th><td>{v}</td></tr> }).collect_view()}
                        </tbody></table>
                    </details>
                    <ol class="statements">
                        {d.statements.into_iter().map(|s| view! {
                            <li class:applies=s.applies data-testid="statement">
                                <strong>{format!("{} {}", s.effect, s.name)}</strong>
                                {if s.applies { " — applies".to_string() } else { format!(" — does not apply: {}", s.reason.clone().unwrap_or_default()) }}
                                <ul class="plain conditions">
                                    {s.conditions.into_iter().map(|(text, holds)| view! {
                                        <li class:holds=holds data-testid="condition">{if holds { "✓ " } else { "✗ " }}{text}</li>
                                    }).collect_view()}
                                </ul>
                            </li>
                        }).collect_view()}
                    </ol>
                </article>
            }
        })
        .collect_view()
}

/// The latest request IAM checked, explained, and a replay of the latest request as
/// another principal.
#[component]
pub fn LatestRequest() -> impl IntoView {
    let engine = use_engine();
    let note = engine.with_value(|h| h.last_access());
    let info = super::iam_view::iam_memo();
    let who = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let replay = move |_| {
        let handle = engine.get_value();
        let Some(last) = handle.history().get_untracked().into_iter().next() else {
            error.set(Some("Make a request in the console first.".into()));
            return;
        };
        let principal = Some(who.get_untracked()).filter(|w| !w.is_empty());
        leptos::task::spawn_local(async move {
            let caller = Caller { principal, owner: false };
            let r = handle.request_with(&caller, None, &last.operation, &last.request).await;
            error.set(r.err().map(|e| e.to_string()));
        });
    };
    view! {
        <h3>"The latest request"</h3>
        {move || match note.get() {
            None => view! { <p class="muted" data-testid="iam-latest-none">"Once IAM is on, each request's evaluation shows here."</p> }.into_any(),
            Some(n) => view! {
                <p data-testid="iam-latest">{format!("{} as {} → {}", n.operation, n.principal, if n.status == 200 { "allowed".to_string() } else { format!("refused ({})", n.status) })}</p>
                <Evaluations evaluations=n.evaluations.iter().map(evaluation_json).collect()/>
            }.into_any(),
        }}
        <div class="form-row">
            <label>"Replay the latest request as"
                <select on:change=move |e| who.set(event_target_value(&e)) data-testid="replay-as">
                    <option value="">"the acting principal"</option>
                    {move || info.get().principals.into_iter().map(|p| view! { <option value=p.arn.clone()>{p.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <button class="ghost" on:click=replay data-testid="replay">"Replay"</button>
        </div>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
    }
}

/// IAM's policy simulator: a request, a principal, the decision, without running it.
#[component]
pub fn Simulator(info: Memo<IamInfo>) -> impl IntoView {
    let engine = use_engine();
    let last = engine.with_value(|h| h.history().get_untracked().into_iter().next());
    let operation = RwSignal::new(last.as_ref().map_or("GetItem".to_string(), |l| l.operation.clone()));
    let request = RwSignal::new(last.map_or_else(|| "{\"TableName\": \"\", \"Key\": {}}".to_string(), |l| l.request));
    let who = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<Result<Value, String>>);
    let simulate = move |_| {
        let handle = engine.get_value();
        let principal =
            Some(who.get_untracked()).filter(|w| !w.is_empty()).unwrap_or_else(|| info.get_untracked().acting_as);
        let body: Result<Value, String> =
            serde_json::from_str(&request.get_untracked()).map_err(|e| format!("The request is not JSON: {e}"));
        let op = operation.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match body {
                Ok(b) => {
                    handle
                        .owner_request(
                            "SimulateRequest",
                            &json!({"PrincipalArn": principal, "Operation": op, "Request": b}),
                        )
                        .await
                }
                Err(e) => Err(e),
            };
            answer.set(Some(result));
        });
    };
    view! {
        <section class="panel" aria-labelledby="simulator-title" data-testid="simulator">
            <div class="panel-head"><h2 id="simulator-title">"Policy simulator"</h2></div>
            <p class="muted">"IAM's decision on a request as a principal, without running it (whether IAM is on or off)."</p>
            <div class="form-grid">
                <label>"Principal"<select on:change=move |e| who.set(event_target_value(&e)) data-testid="sim-principal">
                    {move || { let i = info.get(); i.principals.into_iter().map(|p| { let sel = p.arn == i.acting_as; view! { <option value=p.arn.clone() selected=sel>{p.name.clone()}</option> } }).collect_view() }}
                </select></label>
                <label>"Operation"<select on:change=move |e| operation.set(event_target_value(&e)) data-testid="sim-operation">
                    {dynaplay_engine::OPERATIONS.iter().map(|o| view! { <option value=*o selected=move || operation.get() == *o>{*o}</option> }).collect_view()}
                </select></label>
            </div>
            <label class="block">"Request"
                <textarea rows="6" spellcheck="false" prop:value=move || request.get() on:input=move |e| request.set(event_target_value(&e)) data-testid="sim-request"></textarea>
            </label>
            <div class="form-row"><button class="primary" on:click=simulate data-testid="sim-run">"Evaluate"</button></div>
            {move || answer.get().map(|a| match a {
                Err(e) => view! { <p class="error-text" role="alert" data-testid="sim-error">{e}</p> }.into_any(),
                Ok(v) => {
                    let evaluations = v["Evaluations"].as_array().cloned().unwrap_or_default();
                    let decision = v["Message"].as_str().map_or_else(|| "Allowed".to_string(), |m| format!("Denied: {m}"));
                    view! { <p data-testid="sim-decision">{decision}</p><Evaluations evaluations=evaluations/> }.into_any()
                }
            })}
        </section>
    }
}

/// Under a console response: the same request again as each other principal, one click
/// each, with IAM's verdict (explained in `#/iam`). Shown once there is more than one
/// principal.
#[component]
pub fn ReplayAs() -> impl IntoView {
    let engine = use_engine();
    let info = super::iam_view::iam_memo();
    let answer = RwSignal::new(None::<(String, u16, String)>);
    let replay = move |arn: String, name: String| {
        let handle = engine.get_value();
        let Some(last) = handle.history().get_untracked().into_iter().next() else { return };
        leptos::task::spawn_local(async move {
            let caller = Caller { principal: Some(arn), owner: false };
            let shown = match handle.request_with(&caller, None, &last.operation, &last.request).await {
                Ok(r) => {
                    let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
                    let message =
                        dynaplay_engine::wire::error_of(&v).map(|(k, m)| format!("{k}: {m}")).unwrap_or_default();
                    (name, r.status, message)
                }
                Err(e) => (name, 0, e.to_string()),
            };
            answer.set(Some(shown));
        });
    };
    move || {
        let i = info.get();
        (i.principals.len() > 1).then(|| {
            let others: Vec<_> = i.principals.into_iter().filter(|p| p.arn != i.acting_as).collect();
            view! {
                <div class="form-row replay-as" data-testid="replay-as-buttons">
                    <span class="muted small">{if i.enforce { "Again as:" } else { "Again as (IAM is off, so allowed):" }}</span>
                    {others.into_iter().map(|p| {
                        let (arn, name) = (p.arn.clone(), p.name.clone());
                        view! { <button class="small" on:click=move |_| replay(arn.clone(), name.clone()) data-testid="replay-as-button">{p.name.clone()}</button> }
                    }).collect_view()}
                </div>
                {move || answer.get().map(|(name, status, message)| view! {
                    <p class="small" data-testid="replay-as-result">
                        {if status == 200 { format!("As {name}: allowed (HTTP 200).") } else { format!("As {name}: HTTP {status}. {message}") }}
                        " "<a href=crate::routes::href(&crate::routes::Route::Iam)>"Explained in IAM"</a>
                    </p>
                })}
            }
        })
    }
}
