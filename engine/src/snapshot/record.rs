//! A table definition as stored: serde records that mirror the format version 1 wrote by
//! hand, member for member, so workspaces saved before keep loading. Converting to and from
//! the engine's [`TableDef`] is the only logic here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{bad, Result};
use crate::streams::{Shard, Stream, ViewType};
use crate::table::{
    BillingMode, IndexDef, KeyDef, KeySchema, Loader, OnDemand, Partition, Partitions, Projection, Restored,
    ScalarType, Table, TableDef, TableStatus, Throughput, ThroughputChanges, TimeToLive, Traffic,
};

/// A key attribute: `[name, "S" | "N" | "B"]`.
type KeyRecord = (String, String);

#[derive(Serialize, Deserialize)]
struct SchemaRecord {
    hash: KeyRecord,
    #[serde(default)]
    range: Option<KeyRecord>,
}

/// `"ALL"`, `"KEYS_ONLY"`, or the INCLUDE list of attribute names.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum ProjectionRecord {
    Named(String),
    Include(Vec<String>),
}

#[derive(Serialize, Deserialize)]
struct IndexRecord {
    name: String,
    schema: SchemaRecord,
    projection: ProjectionRecord,
    #[serde(default)]
    local: bool,
    #[serde(default)]
    throughput: Option<(i64, i64)>,
}

/// Time to Live: the attribute, whether it is on, and when it last changed.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct TtlRecord {
    #[serde(default)]
    attribute: Option<String>,
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    changed_ms: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct PartitionsRecord {
    #[serde(default = "one")]
    scale: u64,
    /// `[first hash, created at]` of each partition, in hash order.
    parts: Vec<(u64, u64)>,
}

fn one() -> u64 {
    1
}

fn active() -> String {
    "ACTIVE".into()
}

/// A table's definition, status and partition boundaries (not its items).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRecord {
    pub v: u64,
    pub name: String,
    schema: SchemaRecord,
    attributes: Vec<KeyRecord>,
    #[serde(default)]
    billing: String,
    #[serde(default)]
    billing_summary_ms: Option<u64>,
    #[serde(default)]
    throughput: Option<(i64, i64)>,
    /// `[last increase, last decrease, decreases that day]`.
    #[serde(default)]
    throughput_changes: Option<(Option<u64>, Option<u64>, u32)>,
    #[serde(default)]
    indexes: Vec<IndexRecord>,
    #[serde(default)]
    stream: Option<String>,
    #[serde(default)]
    deletion_protection: bool,
    #[serde(default)]
    table_class: Option<String>,
    #[serde(default)]
    sse_kms_key_arn: Option<String>,
    #[serde(default)]
    on_demand: Option<(i64, i64)>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    created_ms: u64,
    #[serde(default)]
    table_id: String,
    #[serde(default = "active")]
    status: String,
    #[serde(default)]
    status_until_ms: Option<u64>,
    partitions: PartitionsRecord,
    /// Absent before Time to Live was built (and while it has never been set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl: Option<TtlRecord>,
    /// The backup the table was restored from: `[backup ARN, source table ARN, time]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    restored: Option<(String, String, u64)>,
    /// The table's streams, current and disabled (absent before Streams were built).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    streams: Vec<StreamRecord>,
}

/// The streams of a table that no longer exists, readable for 24 hours after it was
/// deleted, as AWS keeps them: `{"v", "name", "deleted": true, "streams": [...]}` under the
/// table's name, where its snapshot was.
#[derive(Serialize, Deserialize)]
pub struct DeletedTableStreams {
    pub v: u64,
    pub name: String,
    pub deleted: bool,
    streams: Vec<StreamRecord>,
}

impl DeletedTableStreams {
    pub fn of<'s>(name: &str, streams: impl Iterator<Item = &'s Stream>) -> DeletedTableStreams {
        DeletedTableStreams {
            v: super::FORMAT_VERSION,
            name: name.into(),
            deleted: true,
            streams: streams.map(stream_record).collect(),
        }
    }

    pub fn streams(&self) -> Result<Vec<Stream>> {
        self.streams.iter().map(|r| stream(&self.name, r)).collect()
    }
}

/// A stream as stored.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StreamRecord {
    arn: String,
    label: String,
    view: String,
    keys: SchemaRecord,
    created_ms: u64,
    #[serde(default)]
    disabled_ms: Option<u64>,
    shards: Vec<ShardRecord>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShardRecord {
    id: String,
    #[serde(default)]
    parent: Option<String>,
    /// Hash range bounds in hex: 64-bit values do not survive a JavaScript number.
    start: String,
    end: String,
    first_seq: u64,
    #[serde(default)]
    end_seq: Option<u64>,
    created_ms: u64,
}

fn stream_record(s: &Stream) -> StreamRecord {
    let shards = s.shards.iter().map(|sh| ShardRecord {
        id: sh.id.clone(),
        parent: sh.parent.clone(),
        start: format!("{:016x}", sh.start_hash),
        end: format!("{:016x}", sh.end_hash),
        first_seq: sh.first_seq,
        end_seq: sh.end_seq,
        created_ms: sh.created_ms,
    });
    StreamRecord {
        arn: s.arn.clone(),
        label: s.label.clone(),
        view: s.view.as_str().to_string(),
        keys: schema_record(&s.keys),
        created_ms: s.created_ms,
        disabled_ms: s.disabled_ms,
        shards: shards.collect(),
    }
}

fn stream(table: &str, r: &StreamRecord) -> Result<Stream> {
    let hex = |h: &str| u64::from_str_radix(h, 16).map_err(|_| bad("shard hash range"));
    let shards = r.shards.iter().map(|sh| {
        Ok(Shard {
            id: sh.id.clone(),
            parent: sh.parent.clone(),
            start_hash: hex(&sh.start)?,
            end_hash: hex(&sh.end)?,
            first_seq: sh.first_seq,
            end_seq: sh.end_seq,
            created_ms: sh.created_ms,
            records: 0,
        })
    });
    Ok(Stream {
        arn: r.arn.clone(),
        table: table.to_string(),
        label: r.label.clone(),
        view: ViewType::parse(&r.view).ok_or_else(|| bad("stream view type"))?,
        keys: schema(&r.keys)?,
        created_ms: r.created_ms,
        disabled_ms: r.disabled_ms,
        shards: shards.collect::<Result<Vec<_>>>()?,
    })
}

fn key_record(d: &KeyDef) -> KeyRecord {
    (d.name.clone(), d.ty.as_str().to_string())
}

fn schema_record(s: &KeySchema) -> SchemaRecord {
    SchemaRecord { hash: key_record(&s.hash), range: s.range.as_ref().map(key_record) }
}

fn key_def((name, ty): &KeyRecord) -> Result<KeyDef> {
    Ok(KeyDef { name: name.clone(), ty: ScalarType::parse(ty).ok_or_else(|| bad("key type"))? })
}

fn schema(s: &SchemaRecord) -> Result<KeySchema> {
    Ok(KeySchema { hash: key_def(&s.hash)?, range: s.range.as_ref().map(key_def).transpose()? })
}

fn throughput(t: Throughput) -> (i64, i64) {
    (t.read, t.write)
}

fn index_record(i: &IndexDef) -> IndexRecord {
    let projection = match &i.projection {
        Projection::All => ProjectionRecord::Named("ALL".into()),
        Projection::KeysOnly => ProjectionRecord::Named("KEYS_ONLY".into()),
        Projection::Include(a) => ProjectionRecord::Include(a.clone()),
    };
    IndexRecord {
        name: i.name.clone(),
        schema: schema_record(&i.schema),
        projection,
        local: i.local,
        throughput: i.throughput.map(throughput),
    }
}

fn index_def(i: &IndexRecord) -> Result<IndexDef> {
    let projection = match &i.projection {
        ProjectionRecord::Named(s) if s == "ALL" => Projection::All,
        ProjectionRecord::Named(_) => Projection::KeysOnly,
        ProjectionRecord::Include(a) => Projection::Include(a.clone()),
    };
    Ok(IndexDef {
        name: i.name.clone(),
        schema: schema(&i.schema)?,
        projection,
        local: i.local,
        throughput: i.throughput.map(|(read, write)| Throughput { read, write }),
    })
}

fn status(s: &str) -> TableStatus {
    match s {
        "CREATING" => TableStatus::Creating,
        "UPDATING" => TableStatus::Updating,
        "DELETING" => TableStatus::Deleting,
        _ => TableStatus::Active,
    }
}

impl TableRecord {
    pub fn of<'s>(t: &Table, streams: impl Iterator<Item = &'s Stream>) -> TableRecord {
        TableRecord {
            status: t.status.as_str().to_string(),
            status_until_ms: t.status_until_ms,
            streams: streams.map(stream_record).collect(),
            ..TableRecord::of_parts(&t.def, &t.partitions)
        }
    }

    /// A definition and partition map (an ACTIVE table with no streams: a backup's).
    pub fn of_parts(d: &TableDef, partitions: &Partitions) -> TableRecord {
        let c = &d.throughput_changes;
        TableRecord {
            v: super::FORMAT_VERSION,
            name: d.name.clone(),
            schema: schema_record(&d.schema),
            attributes: d.attribute_definitions.iter().map(|(n, t)| (n.clone(), t.as_str().to_string())).collect(),
            billing: d.billing.as_str().to_string(),
            billing_summary_ms: d.billing_summary_ms,
            throughput: Some(throughput(d.throughput)),
            throughput_changes: Some((c.last_increase_ms, c.last_decrease_ms, c.decreases_that_day)),
            indexes: d.indexes.iter().map(index_record).collect(),
            stream: d.stream.map(|v| v.as_str().to_string()),
            deletion_protection: d.deletion_protection,
            table_class: d.table_class.clone(),
            sse_kms_key_arn: d.sse_kms_key_arn.clone(),
            on_demand: d.on_demand.map(|o| (o.max_read, o.max_write)),
            tags: d.tags.clone(),
            created_ms: d.created_ms,
            table_id: d.table_id.clone(),
            status: active(),
            status_until_ms: None,
            partitions: PartitionsRecord {
                scale: partitions.scale,
                parts: partitions.parts.iter().map(|p| (p.start, p.created_ms)).collect(),
            },
            streams: Vec::new(),
            restored: d.restored.as_ref().map(|r| (r.backup_arn.clone(), r.source_table_arn.clone(), r.at_ms)),
            ttl: (d.ttl != TimeToLive::default()).then(|| TtlRecord {
                attribute: d.ttl.attribute.clone(),
                enabled: d.ttl.enabled,
                changed_ms: d.ttl.changed_ms,
            }),
        }
    }

    pub fn def(&self) -> Result<TableDef> {
        let attribute_definitions =
            self.attributes.iter().map(|a| key_def(a).map(|d| (d.name, d.ty))).collect::<Result<Vec<_>>>()?;
        let changes = self.throughput_changes.map_or_else(ThroughputChanges::default, |(up, down, n)| {
            ThroughputChanges { last_increase_ms: up, last_decrease_ms: down, decreases_that_day: n, previous: None }
        });
        Ok(TableDef {
            name: self.name.clone(),
            schema: schema(&self.schema)?,
            attribute_definitions,
            billing: if self.billing == "PAY_PER_REQUEST" {
                BillingMode::PayPerRequest
            } else {
                BillingMode::Provisioned
            },
            billing_summary_ms: self.billing_summary_ms,
            throughput: self
                .throughput
                .map_or(Throughput { read: 0, write: 0 }, |(read, write)| Throughput { read, write }),
            throughput_changes: changes,
            indexes: self.indexes.iter().map(index_def).collect::<Result<Vec<_>>>()?,
            stream: self.stream.as_deref().and_then(ViewType::parse),
            deletion_protection: self.deletion_protection,
            table_class: self.table_class.clone(),
            sse_kms_key_arn: self.sse_kms_key_arn.clone(),
            on_demand: self.on_demand.map(|(max_read, max_write)| OnDemand { max_read, max_write }),
            tags: self.tags.clone(),
            created_ms: self.created_ms,
            table_id: self.table_id.clone(),
            restored: self.restored.as_ref().map(|(b, s, at)| Restored {
                backup_arn: b.clone(),
                source_table_arn: s.clone(),
                at_ms: *at,
            }),
            ttl: self.ttl.as_ref().map_or_else(TimeToLive::default, |t| TimeToLive {
                attribute: t.attribute.clone(),
                enabled: t.enabled,
                changed_ms: t.changed_ms,
            }),
        })
    }

    pub fn partitions(&self) -> Result<Partitions> {
        let parts: Vec<Partition> = self
            .partitions
            .parts
            .iter()
            .map(|&(start, created_ms)| Partition {
                start,
                items: 0,
                bytes: 0,
                collections: 0,
                traffic: Traffic::default(),
                created_ms,
            })
            .collect();
        let ordered = parts.windows(2).all(|w| matches!(w, [a, b] if a.start < b.start));
        if parts.first().map(|p| p.start) != Some(0) || !ordered {
            return Err(bad("partition boundaries"));
        }
        Ok(Partitions { parts, scale: self.partitions.scale.max(1) })
    }

    /// The table's streams.
    pub fn streams(&self) -> Result<Vec<Stream>> {
        self.streams.iter().map(|r| stream(&self.name, r)).collect()
    }

    /// A loader of the table, its items still to add.
    pub fn loader(&self) -> Result<Loader> {
        Ok(Loader::new(self.def()?, self.partitions()?).with_status(status(&self.status), self.status_until_ms))
    }
}
