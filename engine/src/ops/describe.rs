//! `TableDescription`, shared by CreateTable, DescribeTable, UpdateTable and DeleteTable.

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::table::{BillingMode, IndexDef, Projection, Table, TableDef, TableStatus};

fn seconds(ms: u64) -> Value {
    json!(ms as f64 / 1000.0)
}

fn throughput(read: i64, write: i64) -> Value {
    json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": read, "WriteCapacityUnits": write})
}

pub fn table_description(engine: &Engine, table: &Table) -> Value {
    let def = &table.def;
    let arn = engine.arn(&def.name);
    let mut m = Map::new();
    let attrs: Vec<Value> = def
        .attribute_definitions
        .iter()
        .map(|(n, t)| json!({"AttributeName": n, "AttributeType": t.as_str()}))
        .collect();
    m.insert("AttributeDefinitions".into(), Value::Array(attrs));
    m.insert("TableName".into(), json!(def.name));
    m.insert("KeySchema".into(), def.schema.to_json());
    m.insert("TableStatus".into(), json!(table.status.as_str()));
    m.insert("CreationDateTime".into(), seconds(def.created_ms));
    m.insert("ProvisionedThroughput".into(), table_throughput(def, engine.now_ms));
    m.insert("TableSizeBytes".into(), json!(table.size_bytes()));
    m.insert("ItemCount".into(), json!(table.item_count()));
    m.insert("TableArn".into(), json!(arn));
    m.insert("TableId".into(), json!(def.table_id));
    if let Some(ms) = def.billing_summary_ms {
        let mut summary = Map::new();
        summary.insert("BillingMode".into(), json!(def.billing.as_str()));
        if def.billing == BillingMode::PayPerRequest {
            summary.insert("LastUpdateToPayPerRequestDateTime".into(), seconds(ms));
        }
        m.insert("BillingModeSummary".into(), Value::Object(summary));
    }
    let (gsis, lsis): (Vec<&IndexDef>, Vec<&IndexDef>) = def.indexes.iter().partition(|ix| !ix.local);
    let described = |list: Vec<&IndexDef>| Value::Array(list.into_iter().map(|ix| index(table, ix, &arn)).collect());
    if !gsis.is_empty() {
        m.insert("GlobalSecondaryIndexes".into(), described(gsis));
    }
    if !lsis.is_empty() {
        m.insert("LocalSecondaryIndexes".into(), described(lsis));
    }
    if let Some(view) = def.stream {
        m.insert("StreamSpecification".into(), json!({"StreamEnabled": true, "StreamViewType": view.as_str()}));
    }
    // A table made again under the same name does not inherit the old one's stream.
    if let Some(stream) = engine.streams.latest(&def.name).filter(|s| s.created_ms >= def.created_ms) {
        m.insert("LatestStreamArn".into(), json!(stream.arn));
        m.insert("LatestStreamLabel".into(), json!(stream.label));
    }
    if let Some(class) = &def.table_class {
        m.insert("TableClassSummary".into(), json!({"TableClass": class}));
    }
    if let Some(arn) = &def.sse_kms_key_arn {
        m.insert("SSEDescription".into(), super::table_settings::sse_description(arn));
    }
    if let Some(o) = def.on_demand {
        m.insert("OnDemandThroughput".into(), super::table_settings::on_demand_description(o));
    }
    m.insert("DeletionProtectionEnabled".into(), json!(def.deletion_protection));
    if let Some(r) = &def.restored {
        let mut summary = json!({"SourceTableArn": r.source_table_arn, "RestoreDateTime": seconds(r.at_ms),
            "RestoreInProgress": table.status == TableStatus::Creating});
        // A point-in-time restore names no backup.
        if let (false, Value::Object(o)) = (r.backup_arn.is_empty(), &mut summary) {
            o.insert("SourceBackupArn".into(), json!(r.backup_arn));
        }
        m.insert("RestoreSummary".into(), summary);
    }
    Value::Object(m)
}

/// The table's `ProvisionedThroughput` (zeros on demand), with its changes of today.
fn table_throughput(def: &TableDef, now_ms: u64) -> Value {
    let (r, w) = match def.billing {
        BillingMode::Provisioned => (def.throughput.read, def.throughput.write),
        BillingMode::PayPerRequest => (0, 0),
    };
    let mut provisioned = throughput(r, w);
    let changes = def.throughput_changes;
    if let Value::Object(p) = &mut provisioned {
        p.insert("NumberOfDecreasesToday".into(), json!(changes.decreases_today(now_ms)));
        if let Some(ms) = changes.last_increase_ms {
            p.insert("LastIncreaseDateTime".into(), seconds(ms));
        }
        if let Some(ms) = changes.last_decrease_ms {
            p.insert("LastDecreaseDateTime".into(), seconds(ms));
        }
    }
    provisioned
}

/// An index's name, key schema and projection (and, for a provisioned global index, its
/// throughput), as a backup's feature details list it.
pub fn index_json(ix: &IndexDef, def: &TableDef) -> Value {
    let mut e = Map::new();
    e.insert("IndexName".into(), json!(ix.name));
    e.insert("KeySchema".into(), ix.schema.to_json());
    e.insert("Projection".into(), projection_json(&ix.projection));
    if let (false, Some(t), BillingMode::Provisioned) = (ix.local, ix.throughput, def.billing) {
        e.insert("ProvisionedThroughput".into(), json!({"ReadCapacityUnits": t.read, "WriteCapacityUnits": t.write}));
    }
    Value::Object(e)
}

fn projection_json(p: &Projection) -> Value {
    match p {
        Projection::All => json!({"ProjectionType": "ALL"}),
        Projection::KeysOnly => json!({"ProjectionType": "KEYS_ONLY"}),
        Projection::Include(attrs) => json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": attrs}),
    }
}

/// One index's description: key schema, projection, size and count, and for a global
/// index its status and throughput.
fn index(table: &Table, ix: &IndexDef, table_arn: &str) -> Value {
    let def = &table.def;
    let mut e = Map::new();
    e.insert("IndexName".into(), json!(ix.name));
    e.insert("KeySchema".into(), ix.schema.to_json());
    e.insert("Projection".into(), projection_json(&ix.projection));
    let (count, bytes) = table.index_entries_in(&ix.name).fold((0usize, 0usize), |(n, b), (_, tk)| {
        let size = table.get(tk).map_or(0, |item| crate::value::item_size(&ix.project(&def.schema, &item.item())));
        (n + 1, b + size)
    });
    if !ix.local {
        let status = if table.status == TableStatus::Creating { "CREATING" } else { "ACTIVE" };
        e.insert("IndexStatus".into(), json!(status));
        let t = ix.throughput.filter(|_| def.billing == BillingMode::Provisioned);
        e.insert("ProvisionedThroughput".into(), throughput(t.map_or(0, |t| t.read), t.map_or(0, |t| t.write)));
    }
    e.insert("IndexSizeBytes".into(), json!(bytes));
    e.insert("ItemCount".into(), json!(count));
    e.insert("IndexArn".into(), json!(format!("{table_arn}/index/{}", ix.name)));
    Value::Object(e)
}
