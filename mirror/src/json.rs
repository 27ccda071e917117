//! GlueSQL's results as the JSON ExecuteSql answers.

use gluesql_core::data::Value as SqlValue;
use gluesql_core::executor::Payload;
use serde_json::{json, Value};

/// One statement's result: rows for a query, what it did for the rest.
pub fn payload(p: Payload) -> Value {
    match p {
        Payload::Select { labels, rows } => {
            let rows: Vec<Value> = rows.into_iter().map(|r| Value::Array(r.into_iter().map(value).collect())).collect();
            json!({ "Columns": labels, "Rows": rows })
        }
        Payload::SelectMap(maps) => {
            let mut columns: Vec<String> = maps.iter().flat_map(|m| m.keys().cloned()).collect();
            columns.sort();
            columns.dedup();
            let rows: Vec<Value> = maps
                .into_iter()
                .map(|mut m| Value::Array(columns.iter().map(|c| m.remove(c).map_or(Value::Null, value)).collect()))
                .collect();
            json!({ "Columns": columns, "Rows": rows })
        }
        Payload::ShowColumns(cols) => {
            let rows: Vec<Value> = cols.into_iter().map(|(name, ty)| json!([name, ty.to_string()])).collect();
            json!({ "Columns": ["Field", "Type"], "Rows": rows })
        }
        Payload::ShowVariable(v) => {
            let rows: Vec<Value> = match v {
                gluesql_core::executor::PayloadVariable::Tables(t)
                | gluesql_core::executor::PayloadVariable::Functions(t) => t.into_iter().map(|n| json!([n])).collect(),
                gluesql_core::executor::PayloadVariable::Version(v) => vec![json!([v])],
            };
            json!({ "Columns": ["Name"], "Rows": rows })
        }
        Payload::Insert(n) => json!({ "Statement": "INSERT", "Count": n }),
        Payload::Delete(n) => json!({ "Statement": "DELETE", "Count": n }),
        Payload::Update(n) => json!({ "Statement": "UPDATE", "Count": n }),
        Payload::DropTable(n) => json!({ "Statement": "DROP TABLE", "Count": n }),
        Payload::Create => json!({ "Statement": "CREATE TABLE" }),
        Payload::AlterTable => json!({ "Statement": "ALTER TABLE" }),
        Payload::CreateIndex => json!({ "Statement": "CREATE INDEX" }),
        Payload::DropIndex => json!({ "Statement": "DROP INDEX" }),
        Payload::DropFunction => json!({ "Statement": "DROP FUNCTION" }),
        Payload::StartTransaction => json!({ "Statement": "BEGIN" }),
        Payload::Commit => json!({ "Statement": "COMMIT" }),
        Payload::Rollback => json!({ "Statement": "ROLLBACK" }),
    }
}

/// A SQL value as JSON: numbers as numbers, bytes as hex, dates and times as text.
fn value(v: SqlValue) -> Value {
    let text = String::from(&v);
    Value::try_from(v).unwrap_or(Value::String(text))
}
