//! `#/share`: the current workspace (or a forked scenario) as a scenario, editable as
//! JSON, shared as a link with the scenario compressed into the URL fragment (nothing is
//! uploaded) or downloaded as a file.

use dynaplay_engine::scenario::{to_link, Scenario};
use leptos::prelude::*;

use crate::handle::{use_engine, HistoryEntry};
use serde_json::{json, Value};

/// `scenario` (JSON text) with `entries` appended as steps, oldest first, each expecting
/// what it got: its status, and its error's type when it failed.
pub fn with_steps(scenario: &str, entries: &[HistoryEntry]) -> Result<String, String> {
    let mut doc: Value = serde_json::from_str(scenario).map_err(|e| format!("The scenario is not valid JSON: {e}"))?;
    let steps = doc.as_object_mut().ok_or("A scenario is a JSON object.")?.entry("steps").or_insert_with(|| json!([]));
    let list = steps.as_array_mut().ok_or("\"steps\" must be a list.")?;
    for e in entries.iter().rev() {
        let request: Value = serde_json::from_str(&e.request).map_err(|err| format!("{}: {err}", e.operation))?;
        let response: Value = serde_json::from_str(&e.response).unwrap_or_default();
        let mut expect = json!({"status": e.status});
        if let Some((kind, _)) = dynaplay_engine::wire::error_of(&response) {
            expect["error"] = json!(kind);
        }
        list.push(json!({"title": e.operation, "operation": e.operation, "request": request, "expect": expect}));
    }
    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())
}

/// Session storage key of a forked scenario waiting to be edited here.
pub const DRAFT_KEY: &str = "dynaplay-share-draft";

/// What the share page starts from: a scenario forked here from a preview, else the
/// workspace as a scenario.
fn starting_text(engine: crate::handle::Shared) -> String {
    let forked = window().session_storage().ok().flatten().and_then(|s| {
        let text = s.get_item(DRAFT_KEY).ok().flatten();
        let _ = s.remove_item(DRAFT_KEY);
        text
    });
    forked.unwrap_or_else(|| {
        let scenario = crate::handle::peek(engine, |e| Scenario::from_engine(e, "My workspace"));
        serde_json::to_string_pretty(&scenario.to_json()).unwrap_or_default()
    })
}

/// The page's address with `payload` as a scenario link.
fn link_to(payload: &str) -> String {
    let location = window().location();
    let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    format!("{base}#/scenario/{payload}")
}

#[component]
pub fn SharePage() -> impl IntoView {
    let engine = use_engine();
    let text = RwSignal::new(starting_text(engine));
    // The link, or why there is none, for the current text.
    let link = Memo::new(move |_| {
        let scenario = Scenario::parse(&text.get()).map_err(|e| e.0)?;
        to_link(&scenario).map(|payload| link_to(&payload)).map_err(|e| e.0)
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Ok(url) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&url);
            copied.set(true);
        }
    };
    let save = move |_| crate::files::download_json("scenario.json", &text.get_untracked());
    view! {
        <section class="panel" aria-labelledby="share-title">
            <h1 id="share-title">"Share"</h1>
            <p>"The scenario below holds your tables and items. Edit it (add steps, a title, notes), then share the link: the whole scenario travels inside it, nothing is uploaded. Whoever opens it sees a preview and replays it in a sandbox, apart from their own tables."</p>
            <label class="block">"Scenario (JSON)"
                <textarea class="code" rows="18" spellcheck="false" prop:value=move || text.get()
                          on:input=move |e| { text.set(event_target_value(&e)); copied.set(false); } data-testid="share-json"></textarea>
            </label>
            <HistoryPicker text=text/>
            {move || match link.get() {
                Ok(url) => {
                    let size = url.len();
                    view! {
                        <label class="block">{format!("Link ({size} characters)")}
                            <input type="text" readonly prop:value=url.clone() data-testid="share-link"/>
                        </label>
                        <div class="actions">
                            <button class="primary" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy link" }}</button>
                            <a class="button" href=url target="_blank" rel="noopener">"Open it"</a>
                            <button on:click=save>"Download file"</button>
                        </div>
                    }.into_any()
                }
                Err(e) => view! {
                    <p class="error-text" role="alert" data-testid="share-error">{e}</p>
                    <div class="actions"><button on:click=save>"Download file"</button></div>
                }.into_any(),
            }}
        </section>
    }
}

/// Console history entries, picked and appended to the scenario in `text` as steps.
#[component]
fn HistoryPicker(text: RwSignal<String>) -> impl IntoView {
    let history = use_engine().with_value(|h| h.history());
    let picked = RwSignal::new(Vec::<u64>::new());
    let add_error = RwSignal::new(None::<String>);
    let add = move |_| {
        let ids = picked.get_untracked();
        let chosen: Vec<HistoryEntry> =
            history.with_untracked(|h| h.iter().filter(|e| ids.contains(&e.id)).cloned().collect());
        match with_steps(&text.get_untracked(), &chosen) {
            Ok(t) => {
                text.set(t);
                picked.set(Vec::new());
                add_error.set(None);
            }
            Err(e) => add_error.set(Some(e)),
        }
    };
    view! {
        <details class="code-panel pick-history" data-testid="share-history">
            <summary>"Add requests from your console history as steps"</summary>
            <p class="muted">"Each becomes a step that expects what it got (its status, and its error when it failed), so whoever opens the link replays exactly what you saw."</p>
            <ul class="history-pick">
                {move || history.get().into_iter().rev().map(|e| {
                    let id = e.id;
                    view! {
                        <li><label class="check">
                            <input type="checkbox" prop:checked=move || picked.with(|p| p.contains(&id))
                                on:change=move |ev| { let on = event_target_checked(&ev); picked.update(|p| if on { p.push(id) } else { p.retain(|x| *x != id) }); }/>
                            <span class="op">{e.operation.clone()}</span>" "<span class="muted">{format!("HTTP {}", e.status)}</span>
                        </label></li>
                    }
                }).collect_view()}
            </ul>
            <button on:click=add disabled=move || picked.with(Vec::is_empty) data-testid="share-add-steps">"Add as steps"</button>
            {move || add_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u64, op: &str, request: &str, status: u16, response: &str) -> HistoryEntry {
        HistoryEntry {
            id,
            operation: op.into(),
            request: request.into(),
            status,
            response: response.into(),
            millis: 0.0,
        }
    }

    #[test]
    fn history_entries_become_steps_oldest_first() {
        let newest_first = [
            entry(
                2,
                "GetItem",
                r#"{"TableName":"T","Key":{}}"#,
                400,
                r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"m"}"#,
            ),
            entry(1, "PutItem", r#"{"TableName":"T","Item":{"k":{"S":"a"}}}"#, 200, "{}"),
        ];
        let out: Value =
            serde_json::from_str(&with_steps(r#"{"format":"dynaplay-scenario","version":1}"#, &newest_first).unwrap())
                .unwrap();
        assert_eq!(out["steps"][0]["operation"], "PutItem");
        assert_eq!(out["steps"][0]["expect"], json!({"status": 200}));
        assert_eq!(out["steps"][1]["expect"], json!({"status": 400, "error": "ValidationException"}));
        assert_eq!(out["steps"][1]["request"], json!({"TableName": "T", "Key": {}}));
        assert!(with_steps("not json", &newest_first).is_err());
    }
}
