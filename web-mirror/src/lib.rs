//! The relational mirror (GlueSQL) for the page, as a wasm module of its own: the main
//! module loads it with a dynamic `import()` the first time a workspace uses triggers or
//! SQL, so the page's first load does not carry a SQL engine. The two modules share no
//! memory: statements, results and saved states cross as JSON text.

use dynaplay_engine::trigger::bind::Bound;
use dynaplay_engine::trigger::mirror::Mirror;
use dynaplay_mirror::SqlMirror;
use wasm_bindgen::prelude::*;

/// One SQL database.
#[wasm_bindgen]
#[derive(Default)]
pub struct MirrorDb {
    inner: SqlMirror,
}

#[wasm_bindgen]
impl MirrorDb {
    #[wasm_bindgen(constructor)]
    pub fn new() -> MirrorDb {
        MirrorDb::default()
    }

    /// Runs a batch (`[{"sql": …, "params": […]}]`), all or nothing.
    pub fn run_batch(&mut self, batch: &str) -> Result<(), String> {
        let statements: Vec<Bound> = serde_json::from_str(batch).map_err(|e| format!("a malformed batch: {e}"))?;
        self.inner.run_batch(&statements)
    }

    /// Runs SQL text; the results as a JSON array.
    pub fn execute(&mut self, sql: &str) -> Result<String, String> {
        self.inner.execute(sql).map(|r| serde_json::Value::Array(r).to_string())
    }

    pub fn check(&self, sql: &str) -> Result<(), String> {
        self.inner.check(sql)
    }

    pub fn save(&self) -> Result<String, String> {
        self.inner.save().map(|v| v.to_string())
    }

    pub fn load(&mut self, state: &str) -> Result<(), String> {
        let v = serde_json::from_str(state).map_err(|e| format!("a damaged SQL database: {e}"))?;
        self.inner.load(&v)
    }

    /// Each table as `[name, CREATE TABLE …, rows]`, a JSON array.
    pub fn tables(&self) -> String {
        serde_json::json!(self.inner.tables()).to_string()
    }

    /// A copy of the database.
    pub fn duplicate(&self) -> Result<MirrorDb, String> {
        let mut copy = MirrorDb::default();
        copy.inner.load(&self.inner.save()?)?;
        Ok(copy)
    }
}
