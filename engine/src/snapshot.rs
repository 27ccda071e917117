//! The persisted format: the only module that decides how an engine's state is written
//! down, and the only one that reads it back. Versioned, so stored data can be upgraded.
//!
//! Two granularities, one encoding:
//! - per table ([`Engine::table_snapshot`]) and per item ([`item_record`]): what the
//!   browser writes to IndexedDB after each operation (the change set in a trace);
//! - the whole workspace ([`Engine::export`] / [`Engine::import`]): one JSON document for
//!   download and upload.
//!
//! Items are stored in their wire JSON. Table definitions use the compact shape below.
//! Partition boundaries are kept (they are history: splits never merge); per-partition
//! counts are recomputed on load; traffic and `ClientRequestToken` records are not kept.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::engine::{Config, Engine};
use crate::table::{
    BillingMode, IndexDef, KeyDef, KeySchema, OnDemand, Partition, Partitions, Projection, ScalarType, Table, TableDef,
    TableStatus, Throughput, ThroughputChanges,
};
use crate::value::{item_from_json, item_to_json, Item};

/// The version of the format this engine writes. Readers accept this and older versions.
pub const FORMAT_VERSION: u64 = 1;
/// The `format` tag of a whole-workspace export.
pub const WORKSPACE_FORMAT: &str = "dynaplay-workspace";

/// Why stored state could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotError(pub String);

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, SnapshotError>;

fn bad(what: &str) -> SnapshotError {
    SnapshotError(format!("stored state is damaged: {what}"))
}

fn key_def(d: &KeyDef) -> Value {
    json!([d.name, d.ty.as_str()])
}

fn schema_json(s: &KeySchema) -> Value {
    json!({"hash": key_def(&s.hash), "range": s.range.as_ref().map(key_def)})
}

fn read_key_def(v: &Value) -> Result<KeyDef> {
    let name = v.get(0).and_then(Value::as_str).ok_or_else(|| bad("key name"))?;
    let ty = v.get(1).and_then(Value::as_str).and_then(ScalarType::parse).ok_or_else(|| bad("key type"))?;
    Ok(KeyDef { name: name.to_string(), ty })
}

fn read_schema(v: &Value) -> Result<KeySchema> {
    let hash = read_key_def(v.get("hash").ok_or_else(|| bad("hash key"))?)?;
    let range = match v.get("range") {
        Some(Value::Null) | None => None,
        Some(r) => Some(read_key_def(r)?),
    };
    Ok(KeySchema { hash, range })
}

fn throughput_json(t: Option<Throughput>) -> Value {
    t.map_or(Value::Null, |t| json!([t.read, t.write]))
}

fn read_throughput(v: Option<&Value>) -> Option<Throughput> {
    let v = v?;
    Some(Throughput { read: v.get(0)?.as_i64()?, write: v.get(1)?.as_i64()? })
}

fn status_str(s: TableStatus) -> &'static str {
    s.as_str()
}

fn read_status(s: &str) -> TableStatus {
    match s {
        "CREATING" => TableStatus::Creating,
        "UPDATING" => TableStatus::Updating,
        "DELETING" => TableStatus::Deleting,
        _ => TableStatus::Active,
    }
}

impl Engine {
    /// A table's definition, status and partition map (no items).
    pub fn table_snapshot(&self, name: &str) -> Option<Value> {
        let t = self.tables.get(name)?;
        let d = &t.def;
        let indexes: Vec<Value> = d
            .indexes
            .iter()
            .map(|i| {
                let projection = match &i.projection {
                    Projection::All => json!("ALL"),
                    Projection::KeysOnly => json!("KEYS_ONLY"),
                    Projection::Include(a) => json!(a),
                };
                json!({"name": i.name, "schema": schema_json(&i.schema), "projection": projection, "local": i.local,
                       "throughput": throughput_json(i.throughput)})
            })
            .collect();
        Some(json!({
            "v": FORMAT_VERSION,
            "name": d.name,
            "schema": schema_json(&d.schema),
            "attributes": d.attribute_definitions.iter().map(|(n, t)| json!([n, t.as_str()])).collect::<Vec<_>>(),
            "billing": d.billing.as_str(),
            "billingSummaryMs": d.billing_summary_ms,
            "throughput": throughput_json(Some(d.throughput)),
            "throughputChanges": [
                d.throughput_changes.last_increase_ms,
                d.throughput_changes.last_decrease_ms,
                d.throughput_changes.decreases_that_day
            ],
            "indexes": indexes,
            "stream": d.stream,
            "deletionProtection": d.deletion_protection,
            "tableClass": d.table_class,
            "sseKmsKeyArn": d.sse_kms_key_arn,
            "onDemand": d.on_demand.map(|o| json!([o.max_read, o.max_write])),
            "tags": d.tags,
            "createdMs": d.created_ms,
            "tableId": d.table_id,
            "status": status_str(t.status),
            "statusUntilMs": t.status_until_ms,
            "partitions": {
                "scale": t.partitions.scale,
                "parts": t.partitions.parts.iter().map(|p| json!([p.start, p.created_ms])).collect::<Vec<_>>(),
            },
        }))
    }

    /// Every item of a table, as (storage key, item record).
    pub fn table_items(&self, name: &str) -> Vec<(String, Value)> {
        let Some(t) = self.tables.get(name) else { return Vec::new() };
        t.items_after(None)
            .map(|(_, item)| (item_key(name, &t.def.schema.key_item(item)), item_record(name, item)))
            .collect()
    }

    /// Rebuilds an engine from table snapshots and item records (any order).
    pub fn restore(config: Config, now_ms: u64, tables: &[Value], items: &[Value]) -> Result<Engine> {
        let mut engine = Engine::new(config);
        engine.now_ms = now_ms;
        let mut by_table: BTreeMap<String, Vec<Item>> = BTreeMap::new();
        for record in items {
            let table = record.get("t").and_then(Value::as_str).ok_or_else(|| bad("item table"))?;
            let item = item_from_json(record.get("i").ok_or_else(|| bad("item"))?).map_err(|e| bad(&e.message))?;
            by_table.entry(table.to_string()).or_default().push(item);
        }
        for snapshot in tables {
            let table = read_table(
                snapshot,
                by_table.remove(snapshot.get("name").and_then(Value::as_str).unwrap_or("")).unwrap_or_default(),
            )?;
            engine.tables.insert(table.def.name.clone(), table);
        }
        Ok(engine)
    }

    /// The whole workspace as one JSON document.
    pub fn export(&self) -> Value {
        let tables: Vec<Value> = self
            .tables
            .keys()
            .filter_map(|name| {
                let mut t = self.table_snapshot(name)?;
                let items: Vec<Value> =
                    self.table_items(name).into_iter().filter_map(|(_, r)| r.get("i").cloned()).collect();
                t.as_object_mut()?.insert("items".into(), Value::Array(items));
                Some(t)
            })
            .collect();
        json!({"format": WORKSPACE_FORMAT, "version": FORMAT_VERSION, "clockMs": self.now_ms, "tables": tables})
    }

    /// Reads a document written by [`Engine::export`].
    pub fn import(config: Config, doc: &Value) -> Result<Engine> {
        if doc.get("format").and_then(Value::as_str) != Some(WORKSPACE_FORMAT) {
            return Err(SnapshotError("this file is not a Dynaplay workspace export".into()));
        }
        let version = doc.get("version").and_then(Value::as_u64).unwrap_or(0);
        if version == 0 || version > FORMAT_VERSION {
            return Err(SnapshotError(format!(
                "this workspace was written by format version {version}; this Dynaplay reads versions 1 to {FORMAT_VERSION}"
            )));
        }
        let now = doc.get("clockMs").and_then(Value::as_u64).unwrap_or(0);
        let mut tables = Vec::new();
        let mut items = Vec::new();
        for t in doc.get("tables").and_then(Value::as_array).ok_or_else(|| bad("tables"))? {
            let name = t.get("name").and_then(Value::as_str).ok_or_else(|| bad("table name"))?;
            for i in t.get("items").and_then(Value::as_array).into_iter().flatten() {
                items.push(json!({"t": name, "i": i}));
            }
            tables.push(t.clone());
        }
        Engine::restore(config, now, &tables, &items)
    }
}

/// The storage key of an item: its table and its key attributes, canonically written.
pub fn item_key(table: &str, key: &Item) -> String {
    format!("{table}\u{0}{}", item_to_json(key))
}

/// An item as stored: `{"t": table, "i": wire JSON}`.
pub fn item_record(table: &str, item: &Item) -> Value {
    json!({"t": table, "i": item_to_json(item)})
}

fn read_table(v: &Value, items: Vec<Item>) -> Result<Table> {
    let version = v.get("v").and_then(Value::as_u64).unwrap_or(0);
    if version == 0 || version > FORMAT_VERSION {
        return Err(SnapshotError(format!("table stored in unknown format version {version}")));
    }
    let name = v.get("name").and_then(Value::as_str).ok_or_else(|| bad("table name"))?;
    let schema = read_schema(v.get("schema").ok_or_else(|| bad("schema"))?)?;
    let attribute_definitions = v
        .get("attributes")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("attributes"))?
        .iter()
        .map(|a| read_key_def(a).map(|d| (d.name, d.ty)))
        .collect::<Result<Vec<_>>>()?;
    let mut indexes = Vec::new();
    for i in v.get("indexes").and_then(Value::as_array).into_iter().flatten() {
        let projection = match i.get("projection") {
            Some(Value::String(s)) if s == "ALL" => Projection::All,
            Some(Value::String(_)) => Projection::KeysOnly,
            Some(Value::Array(a)) => {
                Projection::Include(a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            }
            _ => return Err(bad("index projection")),
        };
        indexes.push(IndexDef {
            name: i.get("name").and_then(Value::as_str).ok_or_else(|| bad("index name"))?.to_string(),
            schema: read_schema(i.get("schema").ok_or_else(|| bad("index schema"))?)?,
            projection,
            local: i.get("local").and_then(Value::as_bool).unwrap_or(false),
            throughput: read_throughput(i.get("throughput")),
        });
    }
    let def = TableDef {
        name: name.to_string(),
        schema,
        attribute_definitions,
        billing: if v.get("billing").and_then(Value::as_str) == Some("PAY_PER_REQUEST") {
            BillingMode::PayPerRequest
        } else {
            BillingMode::Provisioned
        },
        billing_summary_ms: v.get("billingSummaryMs").and_then(Value::as_u64),
        throughput: read_throughput(v.get("throughput")).unwrap_or(Throughput { read: 0, write: 0 }),
        throughput_changes: match v.get("throughputChanges").and_then(Value::as_array).map(Vec::as_slice) {
            Some([up, down, n]) => ThroughputChanges {
                last_increase_ms: up.as_u64(),
                last_decrease_ms: down.as_u64(),
                decreases_that_day: n.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
            },
            _ => ThroughputChanges::default(),
        },
        indexes,
        stream: v.get("stream").and_then(Value::as_str).map(str::to_string),
        deletion_protection: v.get("deletionProtection").and_then(Value::as_bool).unwrap_or(false),
        table_class: v.get("tableClass").and_then(Value::as_str).map(str::to_string),
        sse_kms_key_arn: v.get("sseKmsKeyArn").and_then(Value::as_str).map(str::to_string),
        on_demand: v.get("onDemand").and_then(Value::as_array).and_then(|a| match a.as_slice() {
            [r, w] => Some(OnDemand { max_read: r.as_i64()?, max_write: w.as_i64()? }),
            _ => None,
        }),
        tags: v
            .get("tags")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
            .unwrap_or_default(),
        created_ms: v.get("createdMs").and_then(Value::as_u64).unwrap_or(0),
        table_id: v.get("tableId").and_then(Value::as_str).unwrap_or_default().to_string(),
    };
    let p = v.get("partitions").ok_or_else(|| bad("partitions"))?;
    let scale = p.get("scale").and_then(Value::as_u64).unwrap_or(1);
    let parts: Vec<Partition> = p
        .get("parts")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("partition list"))?
        .iter()
        .map(|e| Partition {
            start: e.get(0).and_then(Value::as_u64).unwrap_or(0),
            items: 0,
            bytes: 0,
            traffic: crate::table::Traffic::default(),
            created_ms: e.get(1).and_then(Value::as_u64).unwrap_or(0),
        })
        .collect();
    if parts.first().map(|p| p.start) != Some(0)
        || parts.windows(2).any(|w| w.first().map(|a| a.start) >= w.get(1).map(|b| b.start))
    {
        return Err(bad("partition boundaries"));
    }
    let mut table = Table::load(def, Partitions { parts, scale: scale.max(1) }, items).map_err(|e| bad(&e))?;
    table.status = read_status(v.get("status").and_then(Value::as_str).unwrap_or("ACTIVE"));
    table.status_until_ms = v.get("statusUntilMs").and_then(Value::as_u64);
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine_with_data() -> Engine {
        let mut e = Engine::new(Config::default());
        let create = json!({"TableName": "snap", "BillingMode": "PAY_PER_REQUEST", "DynaplayTeachingScale": 1_000_000,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}]});
        assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), 10).status, 200);
        for i in 0..60 {
            let put = json!({"TableName": "snap", "Item": {"pk": {"S": format!("p{}", i % 7)}, "sk": {"N": i.to_string()}, "g": {"S": "x"}, "pad": {"S": "y".repeat(300)}}});
            assert_eq!(e.request("PutItem", put.to_string().as_bytes(), 20 + i).status, 200);
        }
        // Table settings that only DescribeTable shows must survive too.
        let create = json!({"TableName": "prov", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "SSESpecification": {"Enabled": true}, "TableClass": "STANDARD_INFREQUENT_ACCESS", "Tags": [{"Key": "k", "Value": "v"}]});
        assert_eq!(e.request("CreateTable", create.to_string().as_bytes(), 100).status, 200);
        let update =
            json!({"TableName": "prov", "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 1}});
        assert_eq!(e.request("UpdateTable", update.to_string().as_bytes(), 200).status, 200);
        let update = json!({"TableName": "snap", "OnDemandThroughput": {"MaxReadRequestUnits": 7}});
        assert_eq!(e.request("UpdateTable", update.to_string().as_bytes(), 300).status, 200);
        e
    }

    #[test]
    fn export_then_import_answers_the_same() {
        let e = engine_with_data();
        assert!(e.table("snap").unwrap().partitions.parts.len() > 1, "the data split partitions");
        let doc = e.export();
        let mut back = Engine::import(Config::default(), &serde_json::from_str(&doc.to_string()).unwrap()).unwrap();
        assert_eq!(back.export(), doc);
        let mut orig = e.clone();
        for (op, body) in [
            ("Scan", json!({"TableName": "snap"})),
            (
                "Query",
                json!({"TableName": "snap", "IndexName": "byG", "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "x"}}}),
            ),
            ("DescribeTable", json!({"TableName": "snap"})),
            ("DescribeTable", json!({"TableName": "prov"})),
            ("ListTagsOfResource", json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/prov"})),
        ] {
            let a = orig.request(op, body.to_string().as_bytes(), 1000);
            let b = back.request(op, body.to_string().as_bytes(), 1000);
            assert_eq!(a.body, b.body, "{op}");
        }
    }

    #[test]
    fn rejects_foreign_and_future_documents() {
        assert!(Engine::import(Config::default(), &json!({"format": "other"})).is_err());
        let e = Engine::import(Config::default(), &json!({"format": WORKSPACE_FORMAT, "version": 99, "tables": []}));
        assert!(e.unwrap_err().0.contains("version 99"));
        let damaged = json!({"format": WORKSPACE_FORMAT, "version": 1, "tables": [{"v": 1, "name": "x"}]});
        assert!(Engine::import(Config::default(), &damaged).is_err());
    }
}
