//! `#/share`: the current workspace (or a forked scenario) as a scenario, editable as
//! JSON, shared as a link with the scenario compressed into the URL fragment (nothing is
//! uploaded) or downloaded as a file.

use dynaplay_engine::scenario::{to_link, Scenario};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::handle::use_engine;

/// Session storage key of a forked scenario waiting to be edited here.
pub const DRAFT_KEY: &str = "dynaplay-share-draft";

#[component]
pub fn SharePage() -> impl IntoView {
    let engine = use_engine();
    let draft = window()
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| {
            let text = s.get_item(DRAFT_KEY).ok().flatten();
            let _ = s.remove_item(DRAFT_KEY);
            text
        })
        .unwrap_or_else(|| {
            let scenario = engine.with_value(|h| h.read(|e| Scenario::from_engine(e, "My workspace")));
            serde_json::to_string_pretty(&scenario.to_json()).unwrap_or_default()
        });
    let text = RwSignal::new(draft);
    // The link, or why there is none, for the current text.
    let link = Memo::new(move |_| {
        let scenario = Scenario::parse(&text.get()).map_err(|e| e.0)?;
        let payload = to_link(&scenario).map_err(|e| e.0)?;
        let location = window().location();
        let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
        Ok::<_, String>(format!("{base}#/scenario/{payload}"))
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Ok(url) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&url);
            copied.set(true);
        }
    };
    let download = move |_| {
        let body = text.get_untracked();
        let parts = js_sys::Array::of1(&body.into());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
        if let Some(a) =
            document().create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        {
            a.set_href(&url);
            a.set_download("scenario.json");
            a.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    };
    view! {
        <section class="panel" aria-labelledby="share-title">
            <h1 id="share-title">"Share"</h1>
            <p>"The scenario below holds your tables and items. Edit it (add steps, a title, notes), then share the link: the whole scenario travels inside it, nothing is uploaded. Whoever opens it sees a preview and replays it in a sandbox, apart from their own tables."</p>
            <label class="block">"Scenario (JSON)"
                <textarea class="code" rows="18" spellcheck="false" prop:value=move || text.get()
                          on:input=move |e| { text.set(event_target_value(&e)); copied.set(false); } data-testid="share-json"></textarea>
            </label>
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
                            <button on:click=download>"Download file"</button>
                        </div>
                    }.into_any()
                }
                Err(e) => view! {
                    <p class="error-text" role="alert" data-testid="share-error">{e}</p>
                    <div class="actions"><button on:click=download>"Download file"</button></div>
                }.into_any(),
            }}
        </section>
    }
}
