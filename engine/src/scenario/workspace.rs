//! A workspace as a scenario: each table as the CreateTable request that makes it again
//! (with its stream), its items as seed items, a step for each Time to Live and
//! point-in-time recovery setting, and the workspace's TTL delay and PITR lag, so the
//! current state can be shared as a link or file.

use serde_json::{json, Map, Value};

use super::{Expect, Scenario, Settings, Step};
use crate::table::{BillingMode, IndexDef, KeySchema, Projection, Table};
use crate::value::item_to_json;
use crate::Engine;

fn key_schema(s: &KeySchema) -> Value {
    let mut out = vec![json!({"AttributeName": s.hash.name, "KeyType": "HASH"})];
    if let Some(r) = &s.range {
        out.push(json!({"AttributeName": r.name, "KeyType": "RANGE"}));
    }
    Value::Array(out)
}

fn projection(p: &Projection) -> Value {
    match p {
        Projection::All => json!({"ProjectionType": "ALL"}),
        Projection::KeysOnly => json!({"ProjectionType": "KEYS_ONLY"}),
        Projection::Include(a) => json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": a}),
    }
}

fn index(ix: &IndexDef, provisioned: bool) -> Value {
    let mut m = Map::new();
    m.insert("IndexName".into(), json!(ix.name));
    m.insert("KeySchema".into(), key_schema(&ix.schema));
    m.insert("Projection".into(), projection(&ix.projection));
    if let (Some(t), true, false) = (ix.throughput, provisioned, ix.local) {
        m.insert("ProvisionedThroughput".into(), json!({"ReadCapacityUnits": t.read, "WriteCapacityUnits": t.write}));
    }
    Value::Object(m)
}

/// The CreateTable request that makes a table like `t` (definition and teaching scale).
pub fn create_request(t: &Table) -> Value {
    let d = &t.def;
    let provisioned = d.billing == BillingMode::Provisioned;
    let mut m = Map::new();
    m.insert("TableName".into(), json!(d.name));
    m.insert(
        "AttributeDefinitions".into(),
        Value::Array(
            d.attribute_definitions
                .iter()
                .map(|(n, ty)| json!({"AttributeName": n, "AttributeType": ty.as_str()}))
                .collect(),
        ),
    );
    m.insert("KeySchema".into(), key_schema(&d.schema));
    m.insert("BillingMode".into(), json!(d.billing.as_str()));
    if provisioned {
        m.insert(
            "ProvisionedThroughput".into(),
            json!({"ReadCapacityUnits": d.throughput.read, "WriteCapacityUnits": d.throughput.write}),
        );
    }
    let (local, global): (Vec<&IndexDef>, Vec<&IndexDef>) = d.indexes.iter().partition(|i| i.local);
    if !global.is_empty() {
        m.insert("GlobalSecondaryIndexes".into(), global.iter().map(|i| index(i, provisioned)).collect());
    }
    if !local.is_empty() {
        m.insert("LocalSecondaryIndexes".into(), local.iter().map(|i| index(i, provisioned)).collect());
    }
    if t.partitions.scale != 1 {
        m.insert("DynaplayTeachingScale".into(), json!(t.partitions.scale));
    }
    if let Some(view) = d.stream {
        m.insert("StreamSpecification".into(), json!({"StreamEnabled": true, "StreamViewType": view.as_str()}));
    }
    Value::Object(m)
}

/// A step turning point-in-time recovery on for each table that has it (its history
/// before the share is not carried: the recovery window starts again).
fn pitr_steps(engine: &Engine) -> Vec<Step> {
    engine
        .pitr
        .iter()
        .map(|(name, p)| Step {
            region: None,
            principal: None,
            title: Some(format!("Point-in-time recovery on {name}, {} days", p.period_days)),
            operation: "UpdateContinuousBackups".into(),
            request: json!({"TableName": name, "PointInTimeRecoverySpecification":
                {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": p.period_days}}),
            expect: Some(Expect { status: Some(200), ..Expect::default() }),
        })
        .collect()
}

/// The steps that give the tables their settings no CreateTable carries: Time to Live.
fn setting_steps(tables: &[&Table]) -> Vec<Step> {
    let with_ttl =
        tables.iter().filter_map(|t| Some((&t.def.name, t.def.ttl.attribute.as_ref().filter(|_| t.def.ttl.enabled)?)));
    with_ttl
        .map(|(name, attribute)| Step {
            region: None,
            principal: None,
            title: Some(format!("Time to Live on {name}, on the attribute {attribute}")),
            operation: "UpdateTimeToLive".into(),
            request: json!({"TableName": name, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": attribute}}),
            expect: Some(Expect { status: Some(200), ..Expect::default() }),
        })
        .collect()
}

impl Scenario {
    /// The engine's tables and items as a scenario with no steps.
    pub fn from_engine(engine: &Engine, title: &str) -> Scenario {
        let tables: Vec<&Table> = engine.tables().collect();
        Scenario {
            buckets: engine.s3().buckets.keys().cloned().collect(),
            title: title.to_string(),
            notes: String::new(),
            settings: Settings {
                ttl_delay_ms: (engine.config.ttl_delay_ms != crate::engine::DEFAULT_TTL_DELAY_MS)
                    .then_some(engine.config.ttl_delay_ms),
                pitr_lag_ms: (engine.config.pitr_lag_ms != crate::engine::DEFAULT_PITR_LAG_MS)
                    .then_some(engine.config.pitr_lag_ms),
                replication_lag_ms: (engine.config.replication_lag_ms != 0).then_some(engine.config.replication_lag_ms),
                seed: engine.config.seed,
                transaction_ms: (engine.config.transaction_ms != 0).then_some(engine.config.transaction_ms),
                enforce_capacity: (!engine.config.enforce_capacity).then_some(false),
                ..Settings::default()
            },
            tables: tables.iter().map(|t| create_request(t)).collect(),
            items: tables
                .iter()
                .filter(|t| t.item_count() > 0)
                .map(|t| (t.def.name.clone(), t.items().map(|(_, item)| item_to_json(&item.item())).collect()))
                .collect(),
            steps: setting_steps(&tables).into_iter().chain(pitr_steps(engine)).collect(),
            pair_lags: Vec::new(),
        }
    }
}
