//! The top bar: navigation, the region picker, workspace export and import, theme.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::handle::use_engine;
use crate::routes::Route;

const THEME_KEY: &str = "dynaplay-theme";

fn stored_theme() -> String {
    let saved = window().local_storage().ok().flatten().and_then(|s| s.get_item(THEME_KEY).ok().flatten());
    saved.unwrap_or_else(|| {
        let dark = window().match_media("(prefers-color-scheme: dark)").ok().flatten().is_some_and(|m| m.matches());
        if dark { "dark" } else { "light" }.to_string()
    })
}

#[component]
pub fn Header() -> impl IntoView {
    let engine = use_engine();
    let route = expect_context::<RwSignal<Route>>();
    let theme = RwSignal::new(stored_theme());
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let t = theme.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", &t);
        }
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(THEME_KEY, &t);
        }
    });
    let export = move |_| {
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            match handle.export().await {
                Ok(doc) => crate::files::download_json(
                    "dynaplay-workspace.json",
                    &serde_json::to_string_pretty(&doc).unwrap_or_default(),
                ),
                Err(e) => message.set(Some(format!("Export failed: {e}"))),
            }
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            let result = match serde_json::from_str(&text) {
                Ok(doc) => handle.import(&doc).await,
                Err(e) => Err(format!("not a JSON file: {e}")),
            };
            message.set(Some(match result {
                Ok(()) => "Workspace imported.".to_string(),
                Err(e) => format!("Import failed: {e}"),
            }));
        });
    };
    let active =
        move |r: Route| move || route.get() == r || (r == Route::Home && matches!(route.get(), Route::Table(..)));
    view! {
        <header class="topbar">
            <a class="brand" href="#/">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2 21 7v10l-9 5-9-5V7z" fill="currentColor"/></svg>
                "Dynaplay"
            </a>
            <nav aria-label="Main">
                <a href="#/" class:active=active(Route::Home)>"Tables"</a>
                <a href="#/console" class:active=active(Route::Console)>"Console"</a>
                <a href="#/lessons" class:active=active(Route::Lessons) data-testid="lessons-link">"Lessons"</a>
                <a href="#/gallery" class:active=active(Route::Gallery)>"Examples"</a>
                <a href="#/share" class:active=active(Route::Share)>"Share"</a>
            </nav>
            <div class="spacer"></div>
            <RegionPicker message=message/>
            <WhoAmI message=message/>
            <span class="toast" role="status">{move || message.get().unwrap_or_default()}</span>
            <button class="ghost" on:click=export title="Download every table and item as one file">"Export"</button>
            <label class="ghost button" title="Replace this workspace with an exported file">
                "Import"
                <input type="file" accept="application/json,.json" class="visually-hidden" aria-label="Import workspace file" on:change=import/>
            </label>
            <button class="ghost" aria-label="Toggle dark theme" on:click=move |_| theme.update(|t| *t = if t == "dark" { "light".into() } else { "dark".into() })>
                {move || if theme.get() == "dark" { "Light theme" } else { "Dark theme" }}
            </button>
        </header>
    }
}

/// Which region the views show: the regions in use, then a few more to start using (a
/// new region is empty until a replica or a table is made there); a link to the global
/// tables view.
#[component]
fn RegionPicker(message: RwSignal<Option<String>>) -> impl IntoView {
    let engine = use_engine();
    let names = Memo::new(move |_| {
        engine.with_value(|h| {
            h.version().track();
            let used = h.region_names();
            let more: Vec<String> =
                crate::handle::SUGGESTED_REGIONS.iter().map(|r| r.to_string()).filter(|r| !used.contains(r)).collect();
            (h.region_name(), used, more)
        })
    });
    let choose = move |e: leptos::ev::Event| {
        let region = event_target_value(&e);
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            if let Err(why) = handle.set_region(&region).await {
                message.set(Some(format!("Region not changed: {why}")));
            }
        });
    };
    move || {
        let (current, used, more) = names.get();
        let option = move |n: String| {
            let selected = n == current;
            view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
        };
        view! {
            <label class="region-picker" title="Every request is made in a region; each region has its own tables">"Region"
                <select on:change=choose data-testid="region-picker">
                    <optgroup label="In use">{used.into_iter().map(option.clone()).collect_view()}</optgroup>
                    <optgroup label="Start using">{more.into_iter().map(option).collect_view()}</optgroup>
                </select>
            </label>
            <a class="ghost button" href=crate::routes::href(&Route::Global(None)) data-testid="global-link">"Global"</a>
        }
    }
}

/// "Who am I": the principal requests are made as (once the workspace has more than the
/// administrator, or IAM is on), and a link to `#/iam`.
#[component]
fn WhoAmI(message: RwSignal<Option<String>>) -> impl IntoView {
    let engine = use_engine();
    let info = super::iam_view::iam_memo();
    let choose = move |e: leptos::ev::Event| {
        let arn = event_target_value(&e);
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            let body = serde_json::json!({"ActingAs": arn});
            if let Err(why) = handle.owner_request("UpdateAccessControl", &body).await {
                message.set(Some(format!("Not changed: {why}")));
            }
        });
    };
    move || {
        let i = info.get();
        let shown = i.enforce || i.principals.len() > 1;
        let acting = i.acting_as.clone();
        let picker = shown.then(|| {
            view! {
                <label class="who-am-i" title="The principal the page's requests are made as">
                    {if i.enforce { "As" } else { "As (IAM off)" }}
                    <select on:change=choose data-testid="who-am-i">
                        {i.principals.into_iter().map(|p| {
                            let selected = p.arn == acting;
                            view! { <option value=p.arn.clone() selected=selected>{p.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            }
        });
        view! {
            {picker}
            <a class="ghost button" href=crate::routes::href(&Route::Iam) data-testid="iam-link">"IAM"</a>
        }
    }
}
