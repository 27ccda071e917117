//! The relational mirror: a SQL database (GlueSQL, in memory) that trigger handlers write
//! into and the SQL console reads. It implements the engine's [`Mirror`] trait; the CLI
//! registers it at start, the page loads it as a module of its own on first use.
//!
//! Batches and console requests run all or nothing: the storage is copied first and put
//! back on an error (GlueSQL's memory storage has no transactions).

mod json;
mod state;

use dynaplay_engine::trigger::bind::{Bound, Param};
use dynaplay_engine::trigger::mirror::Mirror;
use gluesql_core::prelude::Glue;
use gluesql_core::store::Store;
use gluesql_core::translate::{IntoParamLiteral, ParamLiteral};
use gluesql_memory_storage::MemoryStorage;
use serde_json::Value;

/// The GlueSQL database.
pub struct SqlMirror {
    glue: Glue<MemoryStorage>,
}

impl Default for SqlMirror {
    fn default() -> SqlMirror {
        SqlMirror { glue: Glue::new(MemoryStorage::default()) }
    }
}

/// Makes an empty mirror: what hosts register ([`dynaplay_engine::trigger::mirror::register`]).
pub fn factory() -> Box<dyn Mirror> {
    Box::new(SqlMirror::default())
}

impl SqlMirror {
    /// Runs `f` on the database; on an error, puts the database back as it was.
    fn atomically<T>(&mut self, f: impl FnOnce(&mut Glue<MemoryStorage>) -> Result<T, String>) -> Result<T, String> {
        let before = self.glue.storage.clone();
        let result = f(&mut self.glue);
        if result.is_err() {
            self.glue.storage = before;
        }
        result
    }
}

fn param(p: &Param) -> ParamLiteral {
    match p {
        Param::Null => ParamLiteral::null(),
        Param::Bool(b) => b.into_param_literal(),
        Param::Text(s) => s.clone().into_param_literal(),
        Param::Bytes(b) => b.clone().into_param_literal(),
    }
}

impl Mirror for SqlMirror {
    fn run_batch(&mut self, statements: &[Bound]) -> Result<(), String> {
        self.atomically(|glue| {
            for s in statements {
                glue.execute_with_params(&s.sql, s.params.iter().map(param)).map_err(|e| e.to_string())?;
            }
            Ok(())
        })
    }

    fn execute(&mut self, sql: &str) -> Result<Vec<Value>, String> {
        self.atomically(|glue| {
            let payloads = glue.execute(sql).map_err(|e| e.to_string())?;
            Ok(payloads.into_iter().map(json::payload).collect())
        })
    }

    fn check(&self, sql: &str) -> Result<(), String> {
        let parsed = gluesql_core::parse_sql::parse(sql).map_err(|e| e.to_string())?;
        if parsed.is_empty() {
            return Err("no SQL statement".into());
        }
        Ok(())
    }

    fn save(&self) -> Result<Value, String> {
        state::save(&self.glue.storage)
    }

    fn load(&mut self, v: &Value) -> Result<(), String> {
        self.glue.storage = state::load(v)?;
        Ok(())
    }

    fn tables(&self) -> Vec<(String, String, usize)> {
        let storage = &self.glue.storage;
        let schemas = storage.fetch_all_schemas().unwrap_or_default();
        schemas
            .into_iter()
            .map(|s| {
                let rows = storage.items.get(&s.table_name).map_or(0, |i| i.rows.len());
                (s.table_name.clone(), s.to_ddl(), rows)
            })
            .collect()
    }

    fn box_clone(&self) -> Box<dyn Mirror> {
        Box::new(SqlMirror { glue: Glue::new(self.glue.storage.clone()) })
    }
}

#[cfg(test)]
mod tests;
