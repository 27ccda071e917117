//! The relational mirror in the page: a second wasm module (crate `dynaplay-web-mirror`,
//! GlueSQL), fetched with a dynamic `import()` the first time the workspace uses triggers
//! or SQL, then registered with the engine. Each database lives in that module; this side
//! holds it by number (JS values stay in this thread's table, so the engine's `Mirror`
//! stays `Send`) and talks to it in JSON text.

use std::cell::RefCell;

use dynaplay_engine::trigger::bind::Bound;
use dynaplay_engine::trigger::mirror::Mirror;
use js_sys::{Function, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// Where `xtask dist` puts the module's JS glue, next to the page.
const MODULE_URL: &str = "./mirror/dynaplay_mirror.js";

#[wasm_bindgen(inline_js = "export async function import_mirror(url) { \
    const m = await import(new URL(url, document.baseURI).href); await m.default(); return m; }")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn import_mirror(url: &str) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// The loaded module (its exports), once loaded.
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// The databases made so far, by number (a dropped one leaves `None`).
    static DBS: RefCell<Vec<Option<JsValue>>> = const { RefCell::new(Vec::new()) };
}

/// Whether the module is loaded.
pub fn loaded() -> bool {
    MODULE.with(|m| m.borrow().is_some())
}

/// Loads the module (once) and registers it with the engine crate.
pub async fn load() -> Result<(), String> {
    if loaded() {
        return Ok(());
    }
    let module = import_mirror(MODULE_URL).await.map_err(|e| format!("cannot load the SQL engine: {}", text(&e)))?;
    MODULE.with(|m| *m.borrow_mut() = Some(module));
    dynaplay_engine::trigger::mirror::register(factory);
    Ok(())
}

/// A new, empty database (the registered factory). Before the module is loaded it
/// cannot exist; the engine only calls this after [`load`] registered it.
pub fn new_db() -> Box<dyn Mirror> {
    factory()
}

fn factory() -> Box<dyn Mirror> {
    let db = MODULE.with(|m| {
        let m = m.borrow();
        let class = m.as_ref().and_then(|m| Reflect::get(m, &"MirrorDb".into()).ok())?;
        Reflect::construct(class.unchecked_ref::<Function>(), &js_sys::Array::new()).ok()
    });
    Box::new(JsMirror { id: keep(db.unwrap_or(JsValue::NULL)) })
}

fn keep(db: JsValue) -> usize {
    DBS.with(|d| {
        let mut d = d.borrow_mut();
        d.push(Some(db));
        d.len() - 1
    })
}

fn text(e: &JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// A database in the mirror module.
pub struct JsMirror {
    id: usize,
}

impl JsMirror {
    /// Calls the database's method `name` with string arguments.
    fn call(&self, name: &str, args: &[&str]) -> Result<JsValue, String> {
        let db = DBS.with(|d| d.borrow().get(self.id).cloned().flatten()).ok_or("the SQL database is gone")?;
        let f: Function = Reflect::get(&db, &name.into()).map_err(|e| text(&e))?.dyn_into().map_err(|e| text(&e))?;
        let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
        f.apply(&db, &args).map_err(|e| text(&e))
    }

    fn call_text(&self, name: &str, args: &[&str]) -> Result<String, String> {
        self.call(name, args)?.as_string().ok_or_else(|| format!("{name} answered no text"))
    }
}

impl Drop for JsMirror {
    fn drop(&mut self) {
        DBS.with(|d| {
            if let Some(slot) = d.borrow_mut().get_mut(self.id) {
                if let Some(db) = slot.take() {
                    // Frees the database's memory in the other module.
                    if let Ok(free) = Reflect::get(&db, &"free".into()).and_then(|f| f.dyn_into::<Function>()) {
                        let _ = free.call0(&db);
                    }
                }
            }
        });
    }
}

impl Mirror for JsMirror {
    fn run_batch(&mut self, statements: &[Bound]) -> Result<(), String> {
        let batch = serde_json::to_string(statements).map_err(|e| e.to_string())?;
        self.call("run_batch", &[&batch]).map(drop)
    }

    fn execute(&mut self, sql: &str) -> Result<Vec<Value>, String> {
        let results: Value = serde_json::from_str(&self.call_text("execute", &[sql])?).map_err(|e| e.to_string())?;
        Ok(results.as_array().cloned().unwrap_or_default())
    }

    fn check(&self, sql: &str) -> Result<(), String> {
        self.call("check", &[sql]).map(drop)
    }

    fn save(&self) -> Result<Value, String> {
        serde_json::from_str(&self.call_text("save", &[])?).map_err(|e| e.to_string())
    }

    fn load(&mut self, state: &Value) -> Result<(), String> {
        self.call("load", &[&state.to_string()]).map(drop)
    }

    fn tables(&self) -> Vec<(String, String, usize)> {
        let tables = self.call_text("tables", &[]).unwrap_or_default();
        serde_json::from_str(&tables).unwrap_or_default()
    }

    fn box_clone(&self) -> Box<dyn Mirror> {
        let copy = self.call("duplicate", &[]).unwrap_or(JsValue::NULL);
        Box::new(JsMirror { id: keep(copy) })
    }
}
