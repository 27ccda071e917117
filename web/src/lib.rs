//! Dynaplay in the browser: the engine compiled to wasm, persisted in IndexedDB, with a
//! Leptos UI. `start` mounts the app; `window.dynaplay` is the scripting handle.

mod app;
pub mod code;
mod cold;
mod components;
pub mod convert;
mod files;
pub mod handle;
mod js_api;
pub mod lessons;
pub mod mirror;
pub mod model;
mod pages;
pub mod persist;
pub mod routes;
pub mod text;

use wasm_bindgen::prelude::*;

/// std's allocator, growing memory a megabyte at a time (see `dynaplay-wasm-alloc`).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: dynaplay_wasm_alloc::PageAllocator = dynaplay_wasm_alloc::PageAllocator::new();

/// The bytes live on the heap, and the most that have been at once since the page
/// started (a reload's peak): what `window.dynaplay.heapBytes()` tells the measurements.
pub fn heap_bytes() -> (usize, usize) {
    #[cfg(target_arch = "wasm32")]
    return (ALLOCATOR.live_bytes(), ALLOCATOR.peak_bytes());
    #[cfg(not(target_arch = "wasm32"))]
    (0, 0)
}

/// Waits `ms` milliseconds (at once outside a browser window).
pub(crate) async fn sleep_ms(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().and_then(|w| {
            let ms = i32::try_from(ms).unwrap_or(i32::MAX);
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).ok()
        });
        if scheduled.is_none() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Mounts the app into `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// The same, callable from JavaScript.
#[wasm_bindgen(js_name = startDynaplay)]
pub fn start_js() {
    start();
}
