//! The database as stored: every table's schema and rows, and the functions made with
//! CREATE FUNCTION, as JSON (GlueSQL's own serde forms).

use std::collections::{BTreeMap, HashMap};

use gluesql_core::data::{CustomFunction, Key, Schema, Value as SqlValue};
use gluesql_memory_storage::{Item, MemoryStorage};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const VERSION: u64 = 1;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    version: u64,
    id_counter: i64,
    tables: Vec<StoredTable>,
    #[serde(default)]
    functions: Vec<CustomFunction>,
}

#[derive(Serialize, Deserialize)]
struct StoredTable {
    schema: Schema,
    rows: Vec<(Key, Vec<SqlValue>)>,
}

pub fn save(storage: &MemoryStorage) -> Result<Value, String> {
    let mut tables: Vec<StoredTable> = storage
        .items
        .values()
        .map(|i| StoredTable {
            schema: i.schema.clone(),
            rows: i.rows.iter().map(|(k, r)| (k.clone(), r.clone())).collect(),
        })
        .collect();
    tables.sort_by(|a, b| a.schema.table_name.cmp(&b.schema.table_name));
    let mut functions: Vec<CustomFunction> = storage.functions.values().cloned().collect();
    functions.sort_by(|a, b| a.func_name.cmp(&b.func_name));
    let stored = Stored { version: VERSION, id_counter: storage.id_counter, tables, functions };
    serde_json::to_value(stored).map_err(|e| format!("cannot save the SQL database: {e}"))
}

pub fn load(v: &Value) -> Result<MemoryStorage, String> {
    let stored: Stored = serde_json::from_value(v.clone()).map_err(|e| format!("a damaged SQL database: {e}"))?;
    if stored.version > VERSION {
        return Err(format!("the SQL database was saved by a newer Dynaplay (version {})", stored.version));
    }
    let items: HashMap<String, Item> = stored
        .tables
        .into_iter()
        .map(|t| {
            (
                t.schema.table_name.clone(),
                Item { schema: t.schema, rows: t.rows.into_iter().collect::<BTreeMap<_, _>>() },
            )
        })
        .collect();
    let functions = stored.functions.into_iter().map(|f| (f.func_name.to_uppercase(), f)).collect();
    Ok(MemoryStorage { id_counter: stored.id_counter, items, metadata: HashMap::new(), functions })
}
