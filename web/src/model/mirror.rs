//! The mirror view's model: the SQL console's results as tables, and the new-trigger
//! form's starting request.

use serde_json::{json, Value};

/// One statement's result as the console draws it.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlResult {
    Rows {
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// What a statement that returns no rows did: `INSERT: 2 rows`.
    Done(String),
}

/// The results of an ExecuteSql response body.
pub fn results(body: &Value) -> Vec<SqlResult> {
    let list = body.get("Results").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    list.iter()
        .map(|r| match (r.get("Columns").and_then(Value::as_array), r.get("Statement").and_then(Value::as_str)) {
            (Some(cols), _) => SqlResult::Rows {
                columns: cols.iter().map(cell).collect(),
                rows: r
                    .get("Rows")
                    .and_then(Value::as_array)
                    .map(|rows| {
                        rows.iter()
                            .map(|row| row.as_array().map_or_else(Vec::new, |c| c.iter().map(cell).collect()))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            (None, Some(statement)) => SqlResult::Done(match r.get("Count").and_then(Value::as_u64) {
                Some(n) => format!("{statement}: {}", crate::text::count(n as usize, "row")),
                None => format!("{statement}: done"),
            }),
            (None, None) => SqlResult::Done(r.to_string()),
        })
        .collect()
}

/// A value as a cell shows it: text as itself, NULL for null.
pub fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "NULL".into(),
        other => other.to_string(),
    }
}

/// A CreateTrigger request to start from: a trigger on `table` copying its items' keys
/// into a SQL table of the same name.
pub fn trigger_template(table: &str, key: &str) -> String {
    let sql_table = table.to_lowercase().replace(['-', '.'], "_");
    let request = json!({
        "TriggerName": format!("{sql_table}-to-sql"),
        "TableName": table,
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 100,
        "MaximumRetryAttempts": 10,
        "BisectBatchOnFunctionError": true,
        "Handler": {
            "INSERT": format!("INSERT INTO {sql_table} VALUES (:keys.{key})"),
            "REMOVE": format!("DELETE FROM {sql_table} WHERE id = :keys.{key}"),
        },
    });
    serde_json::to_string_pretty(&request).unwrap_or_default()
}

/// The SQL table the template's handler writes to.
pub fn template_table_sql(table: &str) -> String {
    let sql_table = table.to_lowercase().replace(['-', '.'], "_");
    format!("CREATE TABLE {sql_table} (id TEXT PRIMARY KEY)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_become_tables_and_counts() {
        let body = json!({"Results": [
            {"Columns": ["customer", "total"], "Rows": [["ana", 42.5], [null, 1]]},
            {"Statement": "INSERT", "Count": 2},
            {"Statement": "CREATE TABLE"},
        ]});
        assert_eq!(
            results(&body),
            vec![
                SqlResult::Rows {
                    columns: vec!["customer".into(), "total".into()],
                    rows: vec![vec!["ana".into(), "42.5".into()], vec!["NULL".into(), "1".into()]],
                },
                SqlResult::Done("INSERT: 2 rows".into()),
                SqlResult::Done("CREATE TABLE: done".into()),
            ]
        );
    }

    #[test]
    fn the_template_is_a_valid_request_for_the_table() {
        let t: Value = serde_json::from_str(&trigger_template("My-Orders", "orderId")).unwrap();
        assert_eq!(t["TriggerName"], "my_orders-to-sql");
        assert_eq!(t["Handler"]["INSERT"], "INSERT INTO my_orders VALUES (:keys.orderId)");
        assert_eq!(template_table_sql("My-Orders"), "CREATE TABLE my_orders (id TEXT PRIMARY KEY)");
    }
}
