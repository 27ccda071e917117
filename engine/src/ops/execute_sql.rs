//! ExecuteSql (Dynaplay's own): runs SQL on the relational mirror, the SQL console's
//! request. `{"Sql": "…"}` answers `{"Results": [...]}`, one per statement: `{"Columns":
//! [...], "Rows": [[...]]}` for a query, `{"Statement": "INSERT", "Count": n}` for the
//! rest. The statements run all or nothing. The SQL functions that read the clock or a
//! random source are refused, so a scenario replays the same.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::Input;
use crate::trace::Trace;
use crate::trigger::bind;

/// SQL text is at most this long.
const MAX_SQL: usize = 100_000;

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let sql = input.str("Sql")?.unwrap_or_default();
    if sql.trim().is_empty() || sql.len() > MAX_SQL {
        return Err(Error::validation(format!("Sql must be 1 to {MAX_SQL} characters.")));
    }
    if let Some(f) = bind::nondeterministic(sql) {
        return Err(Error::validation(format!(
            "{f}() gives a different result on every replay, so the mirror does not run it."
        )));
    }
    let mirror = engine.mirror.live().ok_or_else(not_loaded)?;
    let results = mirror.execute(sql).map_err(|e| Error::validation(format!("SQL error: {e}")))?;
    if results.iter().any(|r| r.get("Statement").is_some()) {
        trace.triggers_changed = true;
    }
    Ok(json!({ "Results": results }))
}

/// The answer while no SQL engine is plugged in (the page loads it on first use).
pub(crate) fn not_loaded() -> Error {
    Error::validation("The relational mirror is not loaded yet.")
}
