//! `window.dynaplay`: the engine handle for scripts, tests and embedding pages.
//!
//! - `request(operation, body, options)` → `Promise<{status, body}>`: `body` may be a JSON
//!   string or an object; the result's `body` is the parsed response. `options.region`
//!   names the region (made on first use; without it, the region on screen);
//!   `options.principal` the principal's ARN it is made as (without it, the acting
//!   principal, whom IAM checks once it is on). Same wire layer, same
//!   persistence as the UI: it resolves after the IndexedDB commit, and rejects (with the
//!   storage error's text) when the change could not be saved.
//! - `exportWorkspace()` → `Promise<string>`: the workspace export document as JSON text
//!   (it rejects with the reason when the workspace cannot be written).
//! - `operations`: the supported operation names.
//! - `memoryBytes()` → the size of the page's WebAssembly memory, in bytes: the most the
//!   engine has held at once so far (it grows, and never gives memory back).
//! - `heapBytes()` → `{live, peak}`: the bytes live on the heap now, and the most that
//!   have been at once since the page started (what the memory had to grow to hold).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::handle::{Caller, EngineHandle};

pub fn install(handle: EngineHandle) {
    let api = Object::new();
    let h = handle.clone();
    let request = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> js_sys::Promise>::new(
        move |op: JsValue, body: JsValue, options: JsValue| {
            let h = h.clone();
            // Only an object is asked: `Reflect.get` on `undefined` throws, and a thrown
            // exception per request was a measurable share of a burst's time.
            let option = |name: &str| {
                options.is_object().then(|| Reflect::get(&options, &name.into()).ok()?.as_string()).flatten()
            };
            let (region, principal) = (option("region"), option("principal"));
            future_to_promise(async move {
                let op = op.as_string().ok_or_else(|| JsValue::from_str("operation must be a string"))?;
                let body = match body.as_string() {
                    Some(s) => s,
                    None if body.is_undefined() || body.is_null() => "{}".to_string(),
                    None => js_sys::JSON::stringify(&body)
                        .map(String::from)
                        .map_err(|_| JsValue::from_str("body is not JSON"))?,
                };
                let caller = Caller { principal, owner: false };
                let r = h
                    .request_with(&caller, region.as_deref(), &op, &body)
                    .await
                    .map_err(|e| JsValue::from_str(&e.to_string()))?;
                let out = Object::new();
                Reflect::set(&out, &"status".into(), &JsValue::from(r.status))?;
                Reflect::set(&out, &"body".into(), &js_sys::JSON::parse(&r.body)?)?;
                Ok(out.into())
            })
        },
    );
    let h = handle.clone();
    // Rejects with the reason when the workspace cannot be written.
    let export = Closure::<dyn Fn() -> js_sys::Promise>::new(move || {
        let h = h.clone();
        future_to_promise(async move {
            h.export().await.map(|doc| JsValue::from_str(&doc.to_string())).map_err(|e| JsValue::from_str(&e))
        })
    });
    let memory = Closure::<dyn Fn() -> f64>::new(|| {
        let buffer = Reflect::get(&wasm_bindgen::memory(), &"buffer".into()).unwrap_or_default();
        Reflect::get(&buffer, &"byteLength".into()).ok().and_then(|n| n.as_f64()).unwrap_or(0.0)
    });
    let heap = Closure::<dyn Fn() -> JsValue>::new(|| {
        let (live, peak) = crate::heap_bytes();
        let out = Object::new();
        let _ = Reflect::set(&out, &"live".into(), &JsValue::from(live as f64));
        let _ = Reflect::set(&out, &"peak".into(), &JsValue::from(peak as f64));
        out.into()
    });
    let ops: Array = dynaplay_engine::OPERATIONS.iter().map(|o| JsValue::from_str(o)).collect();
    let _ = Reflect::set(&api, &"request".into(), request.as_ref());
    let _ = Reflect::set(&api, &"exportWorkspace".into(), export.as_ref());
    let _ = Reflect::set(&api, &"operations".into(), &ops);
    let _ = Reflect::set(&api, &"memoryBytes".into(), memory.as_ref());
    let _ = Reflect::set(&api, &"heapBytes".into(), heap.as_ref());
    request.forget();
    export.forget();
    memory.forget();
    heap.forget();
    if let Some(w) = web_sys::window() {
        let _ = Reflect::set(&w, &"dynaplay".into(), &api);
    }
}
