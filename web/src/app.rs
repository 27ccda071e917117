//! The root component: creates the engine handle and the route signal, provides both as
//! context, starts loading from IndexedDB, and lays out the page.

use leptos::prelude::*;

use crate::components::{Header, Home, LessonPanel, Loading, SandboxBanner, Sidebar, StorageBanner, TableView};
use crate::handle::{EngineHandle, LoadState, Shared};
use crate::routes::{self, Route};
use crate::{js_api, pages, persist};

/// "Skip to content" moves focus to the page's main region without touching the hash,
/// which is the router's: `#main` would be a route, and there is none.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = main.focus();
    }
}

/// The performance mark set when the saved workspace has loaded.
pub const READY_MARK: &str = "dynaplay:ready";

#[component]
pub fn App() -> impl IntoView {
    let handle = EngineHandle::new();
    let load = handle.load_state();
    let shared: Shared = StoredValue::new_local(handle.clone());
    provide_context(shared);
    let route = RwSignal::new(routes::current());
    provide_context(route);
    let listener = window_event_listener(leptos::ev::hashchange, move |_| route.set(routes::current()));
    on_cleanup(move || listener.remove());
    // A sandbox replay lives in memory: ask before a reload or a close loses it.
    let sandbox = handle.sandbox();
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if sandbox.with_untracked(Option::is_some) {
            ev.prevent_default();
        }
    });
    on_cleanup(move || unload.remove());
    // The console history is saved a moment after each request; a reload or a close
    // saves what is still unsaved.
    let leaving = handle.clone();
    let hide = window_event_listener(leptos::ev::pagehide, move |_| leaving.flush_history());
    on_cleanup(move || hide.remove());
    js_api::install(handle.clone());
    let ticking = handle.clone();
    leptos::task::spawn_local(async move { handle.start(persist::DB_NAME).await });
    // The engine clock keeps moving while the page is idle.
    if let Ok(interval) = set_interval_with_handle(move || ticking.tick(), std::time::Duration::from_secs(1)) {
        on_cleanup(move || interval.clear());
    }
    // The hash whose page is on screen (tests wait for it: a page may come in a module
    // fetched on demand, and a test must not act on the page before).
    Effect::new(move |_| {
        route.track();
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-route", &window().location().hash().unwrap_or_default());
        }
    });
    Effect::new(move |_| {
        let ready = load.get() == LoadState::Ready;
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-ready", if ready { "true" } else { "false" });
        }
        // When the saved workspace is in, on the page's own timeline (`cargo xtask measure`
        // reads it: a test tool notices the attribute later than the page sets it).
        if ready {
            if let Some(performance) = window().performance() {
                let _ = performance.mark(READY_MARK);
            }
        }
    });
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
        <Header/>
        <StorageBanner/>
        <SandboxBanner/>
        <div class="layout">
            <Sidebar/>
            <main id="main" class="main" tabindex="-1">
                <Show when=move || load.get() == LoadState::Ready fallback=|| view! { <Loading/> }>
                    <LessonPanel/>
                    {move || match route.get() {
                        Route::Home => view! { <Home/> }.into_any(),
                        Route::Console => pages::console(),
                        Route::Gallery => pages::gallery(),
                        Route::Opened => pages::opened_scenario(),
                        Route::Example(slug) => pages::example(slug),
                        Route::Scenario(payload) => pages::scenario_link(payload),
                        Route::Share => pages::share(),
                        Route::Backups => pages::deleted_backups(),
                        Route::S3 => pages::s3(),
                        Route::ContentionLab => pages::contention_lab(),
                        Route::Mirror => pages::mirror(),
                        Route::Iam => pages::iam(),
                        Route::Lessons => pages::lessons(),
                        Route::Workshop(link) => pages::workshop(link),
                        Route::Teach => pages::teach(),
                        Route::Global(table) => pages::global(table),
                        Route::Table(name, tab) => view! { <TableView name=name tab=tab/> }.into_any(),
                        Route::NotFound(path) => view! {
                            <section class="panel">
                                <h1>"Not found"</h1>
                                <p>"There is no page at " <code>{format!("#/{path}")}</code> ". "
                                   <a href="#/">"Go to your tables"</a></p>
                            </section>
                        }.into_any(),
                    }}
                </Show>
            </main>
        </div>
    }
}
