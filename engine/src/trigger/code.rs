//! A trigger's handler as the Lambda function a learner would deploy: Python (DB-API,
//! `%s` parameters, psycopg) and Node.js (node-postgres, `$n` parameters). Each does what
//! the mirror does: one database transaction per batch, every record's statements with
//! its bindings as parameters, numbers as exact decimals.

use super::bind::{placeholders, statements};
use super::triggers::HandlerSql;

/// One statement with the driver's placeholders, and the binding names they take.
type Statement = (String, Vec<String>);

/// Each event name's statements as `(sql, binding names)`, with the driver's placeholders.
fn entries(
    handler: &HandlerSql,
    mark: &dyn Fn(usize) -> String,
    escape: &dyn Fn(&str) -> String,
) -> Vec<(&'static str, Vec<Statement>)> {
    handler
        .each()
        .map(|(event, sql)| {
            let each = statements(sql).into_iter().map(|s| placeholders(&escape(s), mark)).collect();
            (event, each)
        })
        .collect()
}

fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The handler as a Python Lambda function.
pub fn python(handler: &HandlerSql) -> String {
    // DB-API's "format" style reads every % as a placeholder: literal ones are doubled.
    let entries = entries(handler, &|_| "%s".into(), &|s| s.replace('%', "%%"));
    let mut table = String::new();
    for (event, list) in entries {
        table.push_str(&format!("    {}: [\n", quoted(event)));
        for (sql, names) in list {
            let names: Vec<String> = names.iter().map(|n| quoted(n)).collect();
            table.push_str(&format!("        ({}, [{}]),\n", quoted(&sql), names.join(", ")));
        }
        table.push_str("    ],\n");
    }
    format!("{PY_HEAD}SQL = {{\n{table}}}\n{PY_TAIL}")
}

/// The handler as a Node.js Lambda function.
pub fn node(handler: &HandlerSql) -> String {
    let entries = entries(handler, &|n| format!("${n}"), &|s| s.to_string());
    let mut table = String::new();
    for (event, list) in entries {
        table.push_str(&format!("  {event}: [\n"));
        for (sql, names) in list {
            let names: Vec<String> = names.iter().map(|n| quoted(n)).collect();
            table.push_str(&format!("    [{}, [{}]],\n", quoted(&sql), names.join(", ")));
        }
        table.push_str("  ],\n");
    }
    format!("{JS_HEAD}const SQL = {{\n{table}}};\n{JS_TAIL}")
}

const PY_HEAD: &str = r#"# A Lambda function on the table's stream doing what this trigger does.
# Needs a PostgreSQL driver (psycopg 3) and DATABASE_URL in the environment.
import base64
import json
import os
from decimal import Decimal

import psycopg

conn = psycopg.connect(os.environ["DATABASE_URL"])

# Each record's statements, by event name, with the bindings they take.
"#;

const PY_TAIL: &str = r#"

def value(attr):
    """A DynamoDB attribute value from the stream as a Python value."""
    if attr is None:
        return None
    ((kind, v),) = attr.items()
    if kind == "N":
        return Decimal(v)
    if kind in ("S", "BOOL"):
        return v
    if kind == "B":
        return base64.b64decode(v)
    if kind == "NULL":
        return None
    return json.dumps(attr)


def binding(record, name):
    d = record["dynamodb"]
    root, _, path = name.partition(".")
    if not path:
        return {
            "eventName": record["eventName"],
            "eventID": record["eventID"],
            "sequenceNumber": d["SequenceNumber"],
            "approximateCreationDateTime": d["ApproximateCreationDateTime"],
            "sizeBytes": d["SizeBytes"],
        }[root]
    image = d.get({"new": "NewImage", "old": "OldImage", "keys": "Keys"}[root], {})
    first, *rest = path.split(".")
    attr = image.get(first)
    for step in rest:
        attr = (attr or {}).get("M", {}).get(step)
    return value(attr)


def handler(event, context):
    # One transaction per batch: a failure rolls the batch back and Lambda retries it.
    with conn.transaction():
        with conn.cursor() as cur:
            for record in event["Records"]:
                for sql, names in SQL.get(record["eventName"], []):
                    cur.execute(sql, [binding(record, n) for n in names])
"#;

const JS_HEAD: &str = r#"// A Lambda function on the table's stream doing what this trigger does.
// Needs node-postgres (npm install pg) and the PG* connection variables.
import pg from "pg";

const pool = new pg.Pool();

// Each record's statements, by event name, with the bindings they take.
"#;

const JS_TAIL: &str = r#"
// A DynamoDB attribute value from the stream as a value for pg (numbers stay exact strings).
function value(attr) {
  if (attr == null) return null;
  const [[kind, v]] = Object.entries(attr);
  if (kind === "N" || kind === "S" || kind === "BOOL") return v;
  if (kind === "B") return Buffer.from(v, "base64");
  if (kind === "NULL") return null;
  return JSON.stringify(attr);
}

function binding(record, name) {
  const d = record.dynamodb;
  const [root, ...path] = name.split(".");
  if (path.length === 0) {
    return {
      eventName: record.eventName,
      eventID: record.eventID,
      sequenceNumber: d.SequenceNumber,
      approximateCreationDateTime: d.ApproximateCreationDateTime,
      sizeBytes: d.SizeBytes,
    }[root];
  }
  const image = d[{ new: "NewImage", old: "OldImage", keys: "Keys" }[root]] ?? {};
  let attr = image[path[0]];
  for (const step of path.slice(1)) attr = attr?.M?.[step];
  return value(attr);
}

// One transaction per batch: a failure rolls the batch back and Lambda retries it.
export const handler = async (event) => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    for (const record of event.Records) {
      for (const [sql, names] of SQL[record.eventName] ?? []) {
        await client.query(sql, names.map((n) => binding(record, n)));
      }
    }
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK");
    throw e;
  } finally {
    client.release();
  }
};
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn handler() -> HandlerSql {
        HandlerSql {
            insert: Some("INSERT INTO orders VALUES (:keys.orderId, :new.amount); UPDATE n SET c = c + 1".into()),
            modify: None,
            remove: Some("DELETE FROM orders WHERE id = :keys.orderId AND note LIKE 'a%'".into()),
        }
    }

    #[test]
    fn python_uses_dbapi_placeholders_and_doubles_percent_signs() {
        let code = python(&handler());
        let table = r#"SQL = {
    "INSERT": [
        ("INSERT INTO orders VALUES (%s, %s)", ["keys.orderId", "new.amount"]),
        ("UPDATE n SET c = c + 1", []),
    ],
    "REMOVE": [
        ("DELETE FROM orders WHERE id = %s AND note LIKE 'a%%'", ["keys.orderId"]),
    ],
}"#;
        assert!(code.contains(table), "{code}");
        assert!(code.contains("def handler(event, context):"));
    }

    #[test]
    fn node_uses_numbered_placeholders() {
        let code = node(&handler());
        let table = r#"const SQL = {
  INSERT: [
    ["INSERT INTO orders VALUES ($1, $2)", ["keys.orderId", "new.amount"]],
    ["UPDATE n SET c = c + 1", []],
  ],
  REMOVE: [
    ["DELETE FROM orders WHERE id = $1 AND note LIKE 'a%'", ["keys.orderId"]],
  ],
};"#;
        assert!(code.contains(table), "{code}");
        assert!(code.contains("export const handler = async (event) => {"));
    }
}
