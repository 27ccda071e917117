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

use serde_json::{json, Value};

use serde::Deserialize;

use crate::engine::{Config, Engine};
use crate::table::Table;
use crate::value::{item_from_json, item_to_json, Item, PackedItem};

mod backups;
mod cold_records;
mod history;
mod images;
mod logs;
mod record;
mod reload;
mod tables;
mod transfers;
mod triggers;
mod world;

pub(crate) use backups::{backup_record, pitr_record};
use backups::{read_backup, read_pitr};
pub use history::{change_group_text, change_key, change_record, change_record_text, read_change, read_change_text};
use record::TableRecord;
pub use reload::{Progress, Reload, Slice, Source};
use tables::TablesLoad;
pub(crate) use transfers::job_record;
pub use world::world_needs_cold_readers;
pub(crate) use world::{global_tables_record, read_regions_and_tables};

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

pub(crate) type Result<T> = std::result::Result<T, SnapshotError>;

fn bad(what: &str) -> SnapshotError {
    SnapshotError(format!("stored state is damaged: {what}"))
}

impl Engine {
    /// A table's definition, status, partition map and streams (no items). For a deleted
    /// table whose streams are still readable, a record of those streams alone
    /// ([`record::DeletedTableStreams`]); `None` once nothing of the table is left.
    pub fn table_snapshot(&self, name: &str) -> Option<Value> {
        let mut streams = self.streams.list.iter().filter(|s| s.table == name).peekable();
        let record = match self.tables.get(name) {
            Some(t) => serde_json::to_value(TableRecord::of(t, streams)),
            None if streams.peek().is_some() => serde_json::to_value(record::DeletedTableStreams::of(name, streams)),
            None => return None,
        };
        let mut v = record.ok()?;
        // The next change's number: a log trimmed empty must not start again from 1.
        if let (Some(log), Value::Object(m)) = (self.logs.get(name), &mut v) {
            m.insert("logNextSeq".into(), json!(log.next_seq));
        }
        Some(v)
    }

    /// Every table's snapshot, and the record of each deleted table whose streams are still
    /// readable, as (table name, record).
    pub fn table_snapshots(&self) -> Vec<(String, Value)> {
        let names = crate::sorted::set(self.tables.keys().chain(self.streams.list.iter().map(|s| &s.table)));
        names.into_iter().filter_map(|n| Some((n.clone(), self.table_snapshot(n)?))).collect()
    }

    /// Every change the log keeps, as (storage key, change record).
    pub fn change_records(&self) -> Vec<(String, Value)> {
        let each = self.logs.iter().flat_map(|(t, log)| log.iter().map(move |c| (t, c)));
        each.map(|(t, c)| (change_key(t, c.seq), change_record(t, c))).collect()
    }

    /// Every item of a table, as (storage key, item record).
    pub fn table_items(&self, name: &str) -> Vec<(String, Value)> {
        let Some(t) = self.tables.get(name) else { return Vec::new() };
        t.items_after(None)
            .map(|(_, item)| (item_key(name, &t.def.schema.packed_key_item(item)), item_record(name, item)))
            .collect()
    }

    /// Rebuilds an engine from table snapshots, item records and change records (any order).
    pub fn restore(
        config: Config,
        now_ms: u64,
        tables: &[Value],
        items: &[Value],
        changes: &[Value],
    ) -> Result<Engine> {
        let mut load = TablesLoad::new(tables)?;
        for record in items {
            let (table, item) = read_item(record)?;
            load.add(&table, item)?;
        }
        let mut logs = logs::LogsRead::default();
        for record in changes {
            let (table, seq, change) = read_change(record)?;
            logs.push(&table, seq, change);
        }
        let mut engine = load.engine(config, now_ms);
        logs.finish(&mut engine);
        share_images(&mut engine);
        Ok(engine)
    }

    /// [`Engine::restore`] from the records' stored text, each read straight into items
    /// and changes (a reload: no `Value` per record). The log's images share the table's
    /// items again, found by their text ([`Images`]).
    pub fn restore_stored<S: AsRef<str>>(
        config: Config,
        now_ms: u64,
        tables: &[Value],
        items: &[S],
        changes: &[S],
    ) -> Result<Engine> {
        Reload::new(config, now_ms, tables, items, changes).finish()
    }

    /// The whole workspace as one JSON document (an error only if the code that writes
    /// cold state is missing, see `cold_records`, or the relational mirror cannot save).
    pub fn export(&self) -> Result<Value> {
        // Every table, and every deleted table whose streams are still readable.
        let tables: Vec<Value> = self
            .table_snapshots()
            .into_iter()
            .filter_map(|(name, mut t)| {
                let items: Vec<Value> =
                    self.table_items(&name).into_iter().filter_map(|(_, r)| r.get("i").cloned()).collect();
                t.as_object_mut()?.insert("items".into(), Value::Array(items));
                Some(t)
            })
            .collect();
        let changes: Vec<Value> = self.change_records().into_iter().map(|(_, r)| r).collect();
        let mut doc =
            json!({"format": WORKSPACE_FORMAT, "version": FORMAT_VERSION, "clockMs": self.now_ms, "tables": tables});
        if let Value::Object(m) = &mut doc {
            // The change log (streams' records), when there is one.
            if !changes.is_empty() {
                m.insert("changes".into(), Value::Array(changes));
            }
            if !self.backups.is_empty() {
                m.insert("backups".into(), self.backup_records()?.into_iter().map(|(_, r)| r).collect());
            }
            if !self.pitr.is_empty() {
                m.insert("pitr".into(), self.pitr_records()?.into_iter().map(|(_, r)| r).collect());
            }
            // The simulated S3 and the export and import jobs.
            let transfers: Vec<Value> =
                self.s3_records().into_iter().chain(self.job_records()?).map(|(_, r)| r).collect();
            if !transfers.is_empty() {
                m.insert("s3".into(), Value::Array(transfers));
            }
            // Triggers and the relational mirror.
            if !self.triggers.is_empty() {
                m.insert("triggers".into(), self.trigger_records()?.into_iter().map(|(_, r)| r).collect());
            }
            // A SQL engine plugged in but never used leaves no trace in the file.
            if self.mirror.has_data() {
                if let Some(state) = self.mirror_state()? {
                    m.insert("mirror".into(), state);
                }
            }
            // IAM, once it is more than the one administrator with enforcement off.
            if !self.iam.is_default(&self.config.account_id) {
                m.insert("iam".into(), self.iam.record());
            }
            // The workspace's settings that differ from the defaults.
            let settings = settings_of(&self.config);
            if !settings.is_empty() {
                m.insert("settings".into(), Value::Object(settings));
            }
        }
        Ok(doc)
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
        let setting = |k: &str| doc.get("settings").and_then(|s| s.get(k)).and_then(Value::as_u64);
        let config = Config {
            ttl_delay_ms: setting("ttlDelayMs").unwrap_or(config.ttl_delay_ms),
            pitr_lag_ms: setting("pitrLagMs").unwrap_or(config.pitr_lag_ms),
            replication_lag_ms: setting("replicationLagMs").unwrap_or(config.replication_lag_ms),
            table_replication_lag_ms: table_lags(doc.get("settings").and_then(|s| s.get("tableReplicationLagMs")))
                .unwrap_or(config.table_replication_lag_ms),
            enforce_capacity: doc
                .get("settings")
                .and_then(|s| s.get("enforceCapacity"))
                .and_then(Value::as_bool)
                .unwrap_or(config.enforce_capacity),
            ..config
        };
        let mut tables = Vec::new();
        let mut items = Vec::new();
        for t in doc.get("tables").and_then(Value::as_array).ok_or_else(|| bad("tables"))? {
            let name = t.get("name").and_then(Value::as_str).ok_or_else(|| bad("table name"))?;
            for i in t.get("items").and_then(Value::as_array).into_iter().flatten() {
                items.push(json!({"t": name, "i": i}));
            }
            tables.push(t.clone());
        }
        let changes: Vec<Value> = doc.get("changes").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut engine = Engine::restore(config, now, &tables, &items, &changes)?;
        engine.restore_backups(doc.get("backups").and_then(Value::as_array).map_or(&[][..], Vec::as_slice))?;
        engine.restore_pitr(doc.get("pitr").and_then(Value::as_array).map_or(&[][..], Vec::as_slice))?;
        engine.restore_transfers(doc.get("s3").and_then(Value::as_array).map_or(&[][..], Vec::as_slice))?;
        engine.restore_triggers(doc.get("triggers").and_then(Value::as_array).map_or(&[][..], Vec::as_slice))?;
        if let Some(state) = doc.get("mirror") {
            engine.restore_mirror(state.clone())?;
        }
        if let Some(record) = doc.get("iam") {
            engine.restore_iam(record)?;
        }
        Ok(engine)
    }
}

impl Engine {
    /// Replaces IAM's state with a stored one (`Iam::record`). A record of the state IAM
    /// already has (a new engine's: one administrator, enforcement off) is not read.
    pub fn restore_iam(&mut self, record: &Value) -> Result<()> {
        if *record == self.iam.record() {
            return Ok(());
        }
        self.read_cold_records(std::slice::from_ref(record), |r| r.iam)
    }

    /// Reads IAM's stored state (the last of `records`): cold code, reached through
    /// [`Engine::restore_iam`].
    pub(crate) fn read_iam(&mut self, records: &[Value]) -> Result<()> {
        for record in records {
            self.iam = crate::iam::Iam::from_record(record).map_err(|e| SnapshotError(format!("iam: {e}")))?;
        }
        Ok(())
    }

    /// Replaces IAM's state (`dynaplay serve --iam`).
    pub fn set_iam(&mut self, iam: crate::iam::Iam) {
        self.iam = iam;
    }

    /// IAM's state as a record, for a host to save.
    pub fn iam_record(&self) -> Value {
        self.iam.record()
    }

    /// Adds stored point-in-time recovery records (of tables that exist).
    pub fn restore_pitr(&mut self, records: &[Value]) -> Result<()> {
        self.read_cold_records(records, |r| r.pitr)
    }

    /// Adds stored point-in-time recovery records: cold code, reached through
    /// [`Engine::restore_pitr`].
    pub(crate) fn read_pitr(&mut self, records: &[Value]) -> Result<()> {
        for r in records {
            let table = r.get("table").and_then(Value::as_str).ok_or_else(|| bad("pitr table"))?;
            let Some(t) = self.tables.get(table) else { continue };
            let p = read_pitr(r, &t.def.schema)?;
            self.pitr.insert(table.to_string(), p);
        }
        Ok(())
    }

    /// Replaces the backups with stored ones.
    pub fn restore_backups(&mut self, records: &[Value]) -> Result<()> {
        self.backups.clear();
        self.read_cold_records(records, |r| r.backups)
    }

    /// Adds stored buckets, objects, exports and imports.
    pub fn restore_transfers(&mut self, records: &[Value]) -> Result<()> {
        self.read_cold_records(records, |r| r.transfers)
    }

    /// Replaces the triggers with stored ones.
    pub fn restore_triggers(&mut self, records: &[Value]) -> Result<()> {
        self.triggers.clear();
        self.read_cold_records(records, |r| r.triggers)
    }

    /// Reads records only cold operations make, with their reader in the cold code (see
    /// [`crate::cold`]): a workspace with none of them loads without it.
    fn read_cold_records(&mut self, records: &[Value], reader: fn(crate::cold::Readers) -> ColdReader) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let code = crate::cold::code().ok_or_else(|| SnapshotError(crate::cold::readers_not_loaded().message))?;
        reader(code.readers)(self, records)
    }

    /// Adds stored backups and sorts them oldest first: cold code, reached through
    /// [`Engine::restore_backups`].
    pub(crate) fn read_backups(&mut self, records: &[Value]) -> Result<()> {
        for record in records {
            self.backups.push(read_backup(record)?);
        }
        let backups = &mut self.backups;
        crate::sorted::sort_by(backups, |a, b| a.created_ms.cmp(&b.created_ms).then_with(|| a.arn.cmp(&b.arn)));
        Ok(())
    }
}

/// A reader of records only cold operations make ([`crate::cold::Readers`]).
pub(crate) type ColdReader = fn(&mut Engine, &[Value]) -> Result<()>;

/// Whether a workspace document (an export, a region's record) holds records that only
/// cold code reads (backups, recovery windows, the simulated S3 and its jobs, triggers,
/// IAM's state, which an export has only when it is more than the default, other regions,
/// global tables): a host that fetches that code on demand fetches it before reading one.
pub fn needs_cold_readers(doc: &Value) -> bool {
    let own = ["backups", "pitr", "s3", "triggers"]
        .iter()
        .any(|k| doc.get(k).and_then(Value::as_array).is_some_and(|a| !a.is_empty()));
    let regions = doc.get("regions").and_then(Value::as_object).map_or(0, |m| m.len());
    own || doc.get("iam").is_some() || world_needs_cold_readers(regions, doc.get("global"))
}

/// The workspace settings a page keeps (the TTL sweep delay, the PITR lag, the replication
/// lag, whether capacity is enforced) that differ from the engine's defaults, as a
/// workspace file writes them.
fn settings_of(config: &Config) -> serde_json::Map<String, Value> {
    let defaults = Config::default();
    let each = [
        ("ttlDelayMs", config.ttl_delay_ms, defaults.ttl_delay_ms),
        ("pitrLagMs", config.pitr_lag_ms, defaults.pitr_lag_ms),
        ("replicationLagMs", config.replication_lag_ms, defaults.replication_lag_ms),
    ];
    let mut m = crate::sorted::object_map(
        each.into_iter().filter(|(_, v, d)| v != d).map(|(k, v, _)| (k.to_string(), json!(v))),
    );
    if config.enforce_capacity != defaults.enforce_capacity {
        m.insert("enforceCapacity".into(), json!(config.enforce_capacity));
    }
    if !config.table_replication_lag_ms.is_empty() {
        m.insert("tableReplicationLagMs".into(), json!(config.table_replication_lag_ms));
    }
    m
}

/// Tables' own replication lags, from a workspace's settings (`None`: none given, or not a
/// map of whole numbers).
pub fn table_lags(v: Option<&Value>) -> Option<std::collections::BTreeMap<String, u64>> {
    let lags = v?.as_object()?.iter().map(|(k, v)| Some((k.clone(), v.as_u64()?))).collect::<Option<Vec<_>>>()?;
    Some(crate::sorted::map(lags))
}

/// Makes the logs read back from `Value`s share their images again, as the running engine
/// did (a reload from text does it as it reads, [`Images`]).
fn share_images(engine: &mut Engine) {
    let Engine { logs, tables, .. } = engine;
    for (name, log) in logs.iter_mut() {
        share_log_images(tables.get(name), log);
    }
}

/// A change's old image shares the previous change's new one (of the same item), and an
/// item's last new image the table's item, where they are equal. Memory after a reload
/// then matches memory before it.
fn share_log_images(table: Option<&Table>, log: &mut crate::log::ChangeLog) {
    let Some(table) = table else { return };
    // The newest image of each item seen so far. Fx, not SipHash (a twentieth of a
    // reload's instructions): the keys come from the engine's own records.
    let mut last: rustc_hash::FxHashMap<crate::table::StoreKey, PackedItem> = rustc_hash::FxHashMap::default();
    last.reserve(log.len().min(table.item_count()));
    for c in log.changes_mut() {
        let Some(key) = c.store_key(&table.def.schema) else { continue };
        if let (Some(before), Some(prev)) = (&c.before, last.get(&key)) {
            if before == prev {
                c.before = Some(prev.clone());
            }
        }
        match &c.after {
            Some(after) => {
                let stored = table.get(&key).filter(|s| *s == after).cloned();
                let after = stored.unwrap_or_else(|| after.clone());
                c.after = Some(after.clone());
                last.insert(key, after);
            }
            None => drop(last.remove(&key)),
        }
    }
}

/// The storage key of an item: its table, a NUL, and its key attributes canonically
/// written. Table names cannot hold NUL, so one table's keys sort together.
pub fn item_key(table: &str, key: &Item) -> String {
    format!("{table}\u{0}{}", item_to_json(key))
}

/// The bounds of every [`item_key`] of `table`: from `table` NUL (inclusive) to `table`
/// U+0001 (exclusive).
pub fn item_key_range(table: &str) -> (String, String) {
    (format!("{table}\u{0}"), format!("{table}\u{1}"))
}

/// Reads an item record (`{"t": table, "i": wire JSON}`) given as a value.
fn read_item(record: &Value) -> Result<(String, Item)> {
    let table = record.get("t").and_then(Value::as_str).ok_or_else(|| bad("item table"))?;
    let item = item_from_json(record.get("i").ok_or_else(|| bad("item"))?).map_err(|e| bad(&e.message))?;
    Ok((table.to_string(), item))
}

/// An item record read: its table and item, and the item's text when read from one.
type ReadItem<'a> = ((String, Item), Option<&'a str>);

/// An item record as stored, its item kept as text.
#[derive(Deserialize)]
struct StoredItem<'a> {
    #[serde(borrow)]
    t: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    i: &'a serde_json::value::RawValue,
}

/// Reads the text of a record written by [`item_record`]: its table and item, and the
/// item's own text.
fn read_item_text(text: &str) -> Result<ReadItem<'_>> {
    if let Some((table, i)) = item_record_parts(text) {
        if let Ok(item) = serde_json::from_str(i) {
            return Ok(((table.to_string(), item), Some(i)));
        }
    }
    read_item_in_full(text)
}

/// [`read_item_text`] for any layout: the record read in full, then its item.
fn read_item_in_full(text: &str) -> Result<ReadItem<'_>> {
    let r: StoredItem = serde_json::from_str(text).map_err(|e| bad(&format!("item: {e}")))?;
    let item = serde_json::from_str(r.i.get()).map_err(|e| bad(&format!("item: {e}")))?;
    Ok(((r.t.into_owned(), item), Some(r.i.get())))
}

/// The table and the item's text of an item record as written, by [`item_record_text`]
/// (`{"t":"<table>","i":<item>}`) or as [`item_record`]'s `Value` (`{"i":<item>,"t":
/// "<table>"}`), found without reading the item twice (finding its end took a fifth of a
/// reload's instructions); `None` for any other layout. A table name has no quote nor
/// backslash, so when what is left reads as one item, a full read of the record finds the
/// same (anything else is read in full).
fn item_record_parts(text: &str) -> Option<(&str, &str)> {
    let (table, item) = match text.strip_prefix(r#"{"t":""#) {
        Some(rest) => {
            let (table, rest) = rest.split_once('"')?;
            (table, rest.strip_prefix(r#","i":"#)?.strip_suffix('}')?)
        }
        None => {
            let (item, table) = text.strip_prefix(r#"{"i":"#)?.strip_suffix(r#""}"#)?.rsplit_once(r#","t":""#)?;
            (table, item)
        }
    };
    (!table.contains(['\\', '"'])).then_some((table, item))
}

/// An item as stored: `{"t": table, "i": wire JSON}`.
pub fn item_record(table: &str, item: &PackedItem) -> Value {
    json!({"t": table, "i": item_to_json(&item.item())})
}

/// The text of [`item_record`], written straight from the item: what the page stores.
pub fn item_record_text(table: &str, item: &PackedItem) -> String {
    let mut text = String::with_capacity(table.len() + 128);
    text.push_str("{\"t\":");
    crate::value::write_json_str(&mut text, table);
    text.push_str(",\"i\":");
    crate::value::write_packed(&mut text, item);
    text.push('}');
    text
}

/// A table and its streams, or a deleted table's streams alone.
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
        let doc = e.export().unwrap();
        let mut back = Engine::import(Config::default(), &serde_json::from_str(&doc.to_string()).unwrap()).unwrap();
        assert_eq!(back.export().unwrap(), doc);
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
    fn an_item_record_reads_the_same_by_its_parts_or_in_full() {
        let item_text = r#"{"n":{"N":"1"},"pk":{"S":"a\"}"}}"#;
        let item: Item = serde_json::from_str(item_text).unwrap();
        let packed = PackedItem::new(&item);
        let written = item_record_text("T", &packed);
        assert_eq!(item_record_parts(&written), Some(("T", item_text)));
        assert_eq!(item_record_parts(&item_record("T", &packed).to_string()), Some(("T", item_text)));
        let other_layouts = [
            format!(r#"{{"t":"T","i":{item_text},"x":1}}"#),
            format!(r#"{{ "t": "T", "i": {item_text} }}"#),
            format!(r#"{{"i":{item_text},"t":"T","x":"y"}}"#),
        ];
        assert!(other_layouts.iter().all(|t| item_record_parts(t).is_none() || t.contains(r#""x":1"#)));
        for text in other_layouts.iter().chain([&written, &item_record("T", &packed).to_string()]) {
            let ((table, read), i) = read_item_text(text).unwrap();
            assert_eq!((table.as_str(), &read, i), ("T", &item, Some(item_text)), "{text}");
        }
        let escaped = format!(r#"{{"t":"T\\","i":{item_text}}}"#);
        assert_eq!(item_record_parts(&escaped), None);
        assert_eq!(read_item_text(&escaped).unwrap().0 .0, "T\\");
    }

    proptest::proptest! {
        /// Whatever the table name and the members around the item, reading a record by
        /// its parts finds what reading it in full finds.
        #[test]
        fn an_item_record_reads_by_its_parts_as_in_full(
            table in r#"[a-z",:{}it\\]{0,6}"#, extra in r#"[a-z",:{}it1\\]{0,10}"#, sorted: bool
        ) {
            let item = r#"{"n":{"N":"1"},"t":{"S":"x\",\"t\":\""}}"#;
            let table = serde_json::to_string(&table).unwrap();
            let text = match sorted {
                true => format!(r#"{{"i":{item}{extra},"t":{table}{extra}}}"#),
                false => format!(r#"{{"t":{table}{extra},"i":{item}{extra}}}"#),
            };
            let key = |r: Result<ReadItem>| r.ok().map(|((t, i), _)| (t, i));
            proptest::prop_assert_eq!(key(read_item_text(&text)), key(read_item_in_full(&text)));
        }
    }

    /// [`engine_with_data`] with an item written twice (its second change's old image is
    /// its first's new one), and its records as the page stores them: tables, items, changes.
    fn stored_with_an_item_written_twice() -> (Engine, Vec<Value>, Vec<String>, Vec<String>) {
        let mut e = engine_with_data();
        for (v, at) in [("a", 400), ("b", 401)] {
            let put = json!({"TableName": "snap", "Item": {"pk": {"S": "twice"}, "sk": {"N": "1"}, "v": {"S": v}}});
            assert_eq!(e.request("PutItem", put.to_string().as_bytes(), at).status, 200);
        }
        let text = |list: Vec<(String, Value)>| list.into_iter().map(|(_, v)| v.to_string()).collect::<Vec<_>>();
        let tables: Vec<Value> = e.table_snapshots().into_iter().map(|(_, v)| v).collect();
        let items = text(["snap", "prov"].iter().flat_map(|t| e.table_items(t)).collect());
        let changes = text(e.change_records());
        (e, tables, items, changes)
    }

    #[test]
    fn a_reload_from_stored_text_is_the_same_engine_and_shares_the_logs_images_again() {
        let (e, tables, items, changes) = stored_with_an_item_written_twice();
        let back = Engine::restore_stored(Config::default(), e.now_ms, &tables, &items, &changes).unwrap();
        let values = |list: &[String]| list.iter().map(|t| serde_json::from_str(t).unwrap()).collect::<Vec<Value>>();
        let by_value =
            Engine::restore(Config::default(), e.now_ms, &tables, &values(&items), &values(&changes)).unwrap();
        assert_eq!(back.export().unwrap(), e.export().unwrap());
        assert_eq!(by_value.export().unwrap(), e.export().unwrap());
        let log: Vec<crate::log::Logged> = back.logs["snap"].iter().collect();
        let (first, last) = (log[log.len() - 2], log[log.len() - 1]);
        let key = last.store_key(&back.table("snap").unwrap().def.schema).unwrap();
        let stored = back.table("snap").unwrap().get(&key).unwrap();
        assert!(PackedItem::same(last.after.as_ref().unwrap(), stored));
        assert!(PackedItem::same(last.before.as_ref().unwrap(), first.after.as_ref().unwrap()));
        let damaged = vec!["{\"t\": \"snap\", \"i\": {\"pk\": {\"N\": \"x\"}}}".to_string()];
        assert!(Engine::restore_stored(Config::default(), 0, &tables, &damaged, &[]).is_err());
    }

    /// A reload in steps of any size is the reload in one go, its progress counts every
    /// record once and only up, and a damaged record stops it at its step.
    #[test]
    fn a_reload_in_steps_is_the_reload_in_one() {
        let (e, tables, items, changes) = stored_with_an_item_written_twice();
        let total = items.len() + changes.len();
        assert!(items.len() > 3 && changes.len() > 3, "{} items, {} changes", items.len(), changes.len());
        for size in [1, 2, 3, 1000] {
            let mut reload = Reload::new(Config::default(), e.now_ms, &tables, &items, &changes);
            assert_eq!(reload.progress(), Progress { read: 0, total, complete: true });
            let (mut seen, mut steps) = (0, 0);
            while !reload.step(size).unwrap() {
                let p = reload.progress();
                assert!(p.read >= seen && p.read - seen <= size && p.total == total, "{p:?} after {seen}");
                seen = p.read;
                steps += 1;
            }
            assert_eq!(reload.progress(), Progress { read: total, total, complete: true });
            // One step per `size` records, one to build the tables and one to make the logs.
            assert_eq!(steps + 1, items.len().div_ceil(size) + 1 + changes.len().div_ceil(size) + 1, "size {size}");
            let back = reload.finish().unwrap();
            assert_eq!(back.export().unwrap(), e.export().unwrap(), "size {size}");
        }
        // Finishing early reads what is left.
        let mut reload = Reload::new(Config::default(), e.now_ms, &tables, &items, &changes);
        reload.step(2).unwrap();
        assert_eq!(reload.finish().unwrap().export().unwrap(), e.export().unwrap());
        let mut damaged = items.clone();
        damaged[2] = "{\"t\": \"snap\", \"i\": {\"pk\": {\"N\": \"x\"}}}".to_string();
        let mut reload = Reload::new(Config::default(), e.now_ms, &tables, &damaged, &changes);
        assert!(reload.step(2).is_ok());
        assert!(reload.step(2).is_err());
        let empty: [&str; 0] = [];
        let mut nothing = Reload::new(Config::default(), 5, &[], &empty, &empty);
        assert_eq!(nothing.progress(), Progress { read: 0, total: 0, complete: true });
        // Its two steps: the tables built (none), the logs made (none).
        assert!(!nothing.step(10).unwrap());
        assert!(nothing.step(10).unwrap());
        assert_eq!(nothing.finish().unwrap().now_ms(), 5);
    }

    /// Records that come a few at a time while the reload reads them (as a page's come
    /// from IndexedDB) reload the same engine: the reload waits only for a source whose
    /// records it has all read and that has not ended, a step while it waits reads
    /// nothing, and its progress counts the records come so far, complete once both
    /// sources have ended.
    #[test]
    fn a_reload_of_records_still_coming_is_the_reload_in_one() {
        use std::cell::RefCell;
        use std::collections::VecDeque;
        let (e, tables, items, changes) = stored_with_an_item_written_twice();
        let total = items.len() + changes.len();
        for (chunk, step) in [(1, 1), (3, 2), (2, 5), (100, 100)] {
            let come: [RefCell<VecDeque<String>>; 2] = Default::default();
            let from = |i: usize| {
                let come = &come;
                std::iter::from_fn(move || come[i].borrow_mut().pop_front().map(Ok))
            };
            let mut reload = Reload::streamed(Config::default(), e.now_ms, &tables, from(0), from(1));
            let mut left = [items.chunks(chunk), changes.chunks(chunk)];
            // The next chunk of `source` comes, or its end.
            let mut arrive = |reload: &mut Reload<'_, _, _>, source: Source| match left[source as usize].next() {
                Some(records) => {
                    come[source as usize].borrow_mut().extend(records.iter().cloned());
                    reload.arrived(source, records.len());
                }
                None => reload.ended(source),
            };
            let (mut rounds, mut seen) = (0, 0);
            loop {
                rounds += 1;
                // Change records come early too, as the page asks for both stores at once.
                if rounds % 3 == 0 {
                    arrive(&mut reload, Source::Changes);
                }
                if let Some(source) = reload.waits_for() {
                    assert!(!reload.step(step).unwrap(), "a step while waiting does nothing");
                    assert_eq!(reload.progress().read, seen, "nothing read while waiting");
                    arrive(&mut reload, source);
                    continue;
                }
                if reload.step(step).unwrap() {
                    break;
                }
                let p = reload.progress();
                assert!(p.read >= seen && p.read <= p.total && p.total <= total, "{p:?}");
                assert!(!p.complete || p.total == total, "{p:?}");
                seen = p.read;
            }
            assert_eq!(reload.progress(), Progress { read: total, total, complete: true }, "chunk {chunk}");
            assert_eq!(reload.finish().unwrap().export().unwrap(), e.export().unwrap(), "chunk {chunk}");
        }
        // Finished while its sources are open, it takes them to have ended.
        let come = RefCell::new(VecDeque::from(items.clone()));
        let from = std::iter::from_fn(|| come.borrow_mut().pop_front().map(Ok));
        let mut reload =
            Reload::streamed(Config::default(), e.now_ms, &tables, from, std::iter::empty::<Result<String>>());
        assert_eq!(reload.waits_for(), Some(Source::Items));
        reload.arrived(Source::Items, items.len());
        assert_eq!((reload.waits_for(), reload.progress().complete), (None, false));
        let back = reload.finish().unwrap();
        assert_eq!(back.table("snap").map(|t| t.item_count()), e.table("snap").map(|t| t.item_count()));
    }

    /// Change records made as the reload asks for them (owned texts, let go once read)
    /// reload the same engine, with the log's images sharing the tables' items; a record
    /// the source cannot give stops the reload with its error, and a source that runs
    /// out early ends the reload instead of waiting for records that are not there.
    #[test]
    fn change_records_made_as_asked_reload_the_same() {
        let (e, tables, items, changes) = stored_with_an_item_written_twice();
        // Item records made as asked too, as the page's reload asks for them.
        let item_records = || items.iter().map(|i| Ok::<_, SnapshotError>(i.clone()));
        let made = changes.iter().map(|c| Ok::<_, SnapshotError>(c.clone()));
        let sources = (item_records(), items.len(), made, changes.len());
        let mut reload = Reload::with_records(Config::default(), e.now_ms, &tables, sources);
        while !reload.step(2).unwrap() {}
        let back = reload.finish().unwrap();
        assert_eq!(back.export().unwrap(), e.export().unwrap());
        let log: Vec<crate::log::Logged> = back.logs["snap"].iter().collect();
        let (first, last) = (log[log.len() - 2], log[log.len() - 1]);
        let key = last.store_key(&back.table("snap").unwrap().def.schema).unwrap();
        let stored = back.table("snap").unwrap().get(&key).unwrap();
        assert!(PackedItem::same(last.after.as_ref().unwrap(), stored), "the new image is the table's item");
        assert!(PackedItem::same(first.after.as_ref().unwrap(), last.before.as_ref().unwrap()), "one item, two images");

        let failing = changes.iter().enumerate().map(|(i, c)| match i {
            1 => Err(SnapshotError("stored state is damaged: a change record that is not text".into())),
            _ => Ok(c.clone()),
        });
        let sources = (item_records(), items.len(), failing, changes.len());
        let reload = Reload::with_records(Config::default(), e.now_ms, &tables, sources);
        assert_eq!(reload.finish().err().unwrap().0, "stored state is damaged: a change record that is not text");

        let short = changes.iter().take(2).map(|c| Ok::<_, SnapshotError>(c.clone()));
        let sources = (item_records(), items.len(), short, changes.len());
        let mut reload = Reload::with_records(Config::default(), e.now_ms, &tables, sources);
        while !reload.step(1).unwrap() {}
        assert_eq!(reload.progress(), Progress { read: items.len() + 2, total: items.len() + 2, complete: true });
        // Item records the same: a failing one stops the reload, a short source ends them.
        let failing = items.iter().enumerate().map(|(i, t)| match i {
            1 => Err(SnapshotError("stored state is damaged: an item record that is not text".into())),
            _ => Ok(t.clone()),
        });
        let sources = (failing, items.len(), changes.iter().map(Ok), changes.len());
        let reload = Reload::with_records(Config::default(), e.now_ms, &tables, sources);
        assert_eq!(reload.finish().err().unwrap().0, "stored state is damaged: an item record that is not text");
        let short = items.iter().take(2).map(Ok);
        let sources = (short, items.len(), changes.iter().map(Ok), changes.len());
        let mut reload = Reload::with_records(Config::default(), e.now_ms, &tables, sources);
        while !reload.step(1).unwrap() {}
        let total = 2 + changes.len();
        assert_eq!(reload.progress(), Progress { read: total, total, complete: true });
    }

    #[test]
    fn records_written_as_text_are_the_records_as_values() {
        let mut e = engine_with_data();
        // A transaction's change (its token), an update (both images), a delete (no new one).
        let tx = json!({"ClientRequestToken": "tok", "TransactItems": [{"Put": {"TableName": "prov", "Item": {"pk": {"S": "t"}, "b": {"B": "AQI="}, "l": {"L": [{"NS": ["1", "2.5"]}]}}}}]});
        assert_eq!(e.request("TransactWriteItems", tx.to_string().as_bytes(), 400).status, 200);
        let update = json!({"TableName": "prov", "Key": {"pk": {"S": "t"}}, "UpdateExpression": "SET m = :m", "ExpressionAttributeValues": {":m": {"M": {"q": {"S": "\"quoted\"\n"}}}}});
        assert_eq!(e.request("UpdateItem", update.to_string().as_bytes(), 401).status, 200);
        let delete = json!({"TableName": "snap", "Key": {"pk": {"S": "p0"}, "sk": {"N": "0"}}});
        assert_eq!(e.request("DeleteItem", delete.to_string().as_bytes(), 402).status, 200);
        let parsed = |text: String| serde_json::from_str::<Value>(&text).unwrap();
        let mut seen = 0;
        for (table, log) in &e.logs {
            for c in log.iter() {
                assert_eq!(parsed(change_record_text(table, c)), change_record(table, c));
                seen += 1;
            }
            let all: Vec<crate::log::Logged> = log.iter().collect();
            let group: Vec<Value> = all.iter().map(|c| change_record(table, *c)).collect();
            assert_eq!(parsed(change_group_text(table, all.iter().copied())), Value::Array(group));
        }
        assert_eq!(seen, 63);
        for name in ["snap", "prov"] {
            for (_, item) in e.table(name).unwrap().items_after(None) {
                assert_eq!(parsed(item_record_text(name, item)), item_record(name, item));
            }
        }
    }

    #[test]
    fn grouped_change_records_read_back_as_the_single_ones() {
        let mut e = engine_with_data();
        for at in 400..407 {
            let put =
                json!({"TableName": "snap", "Item": {"pk": {"S": "g"}, "sk": {"N": "1"}, "v": {"N": at.to_string()}}});
            assert_eq!(e.request("PutItem", put.to_string().as_bytes(), at).status, 200);
        }
        let tables: Vec<Value> = e.table_snapshots().into_iter().map(|(_, v)| v).collect();
        let items: Vec<String> =
            ["snap", "prov"].iter().flat_map(|t| e.table_items(t)).map(|(_, v)| v.to_string()).collect();
        let singles: Vec<String> = e.change_records().into_iter().map(|(_, v)| v.to_string()).collect();
        // Each log's first change alone (as an older workspace stored it), the rest in threes.
        let mut grouped = Vec::new();
        for (table, log) in &e.logs {
            let entries: Vec<crate::log::Logged> = log.iter().collect();
            let Some((first, rest)) = entries.split_first() else { continue };
            grouped.push(change_record_text(table, *first));
            grouped.extend(rest.chunks(3).map(|c| change_group_text(table, c.iter().copied())));
        }
        assert!(grouped.len() < singles.len());
        let from_singles = Engine::restore_stored(Config::default(), e.now_ms, &tables, &items, &singles).unwrap();
        let from_groups = Engine::restore_stored(Config::default(), e.now_ms, &tables, &items, &grouped).unwrap();
        assert_eq!(from_groups.logs, e.logs);
        assert_eq!(from_groups.logs, from_singles.logs);
        assert_eq!(from_groups.export().unwrap(), e.export().unwrap());
        // A group with one damaged member is refused whole.
        let damaged = vec![format!("[{}, 5]", singles[0])];
        let refused = Engine::restore_stored(Config::default(), 0, &tables, &items, &damaged).err();
        assert!(refused.is_some_and(|e| e.0.contains("changes")));
    }

    #[test]
    fn item_keys_of_a_table_fall_in_its_range_and_no_other() {
        let e = engine_with_data();
        let (lo, hi) = item_key_range("snap");
        let keys = e.table_items("snap");
        assert_eq!(keys.len(), 60);
        assert!(keys.iter().all(|(k, _)| lo <= *k && *k < hi));
        // A table whose name extends another's ("snap" and "snap2") is outside the range.
        let other = item_key("snap2", &e.table("snap").unwrap().items().next().unwrap().1.item());
        assert!(!(lo <= other && other < hi));
    }

    #[test]
    fn the_workspace_settings_travel_with_the_workspace() {
        let e = Engine::new(Config { ttl_delay_ms: 2_500, ..Config::default() });
        let doc = e.export().unwrap();
        assert_eq!(doc["settings"], json!({"ttlDelayMs": 2500}));
        assert_eq!(Engine::import(Config::default(), &doc).unwrap().config.ttl_delay_ms, 2_500);
        let lags = Config { pitr_lag_ms: 0, replication_lag_ms: 3_000, ..Config::default() };
        let doc = Engine::new(lags.clone()).export().unwrap();
        assert_eq!(doc["settings"], json!({"pitrLagMs": 0, "replicationLagMs": 3000}));
        assert_eq!(Engine::import(Config::default(), &doc).unwrap().config, lags);
        assert!(Engine::new(Config::default()).export().unwrap().get("settings").is_none(), "defaults are not written");
        // The page enforces capacity: its workspace files say so, and a file that says
        // nothing keeps the importer's setting.
        let page = Config { enforce_capacity: true, ..Config::default() };
        let doc = Engine::new(page.clone()).export().unwrap();
        assert_eq!(doc["settings"], json!({"enforceCapacity": true}));
        assert!(Engine::import(Config::default(), &doc).unwrap().config.enforce_capacity);
        let plain = Engine::new(Config::default()).export().unwrap();
        assert!(Engine::import(page, &plain).unwrap().config.enforce_capacity);
        // A table's own replication lag travels too.
        let mut per_table = Config::default();
        per_table.table_replication_lag_ms.insert("Orders".into(), 2_000);
        let doc = Engine::new(per_table.clone()).export().unwrap();
        assert_eq!(doc["settings"], json!({"tableReplicationLagMs": {"Orders": 2000}}));
        assert_eq!(Engine::import(Config::default(), &doc).unwrap().config, per_table);
    }

    #[test]
    fn rejects_foreign_and_future_documents() {
        assert!(Engine::import(Config::default(), &json!({"format": "other"})).is_err());
        let e = Engine::import(Config::default(), &json!({"format": WORKSPACE_FORMAT, "version": 99, "tables": []}));
        assert!(e.unwrap_err().0.contains("version 99"));
        let damaged = json!({"format": WORKSPACE_FORMAT, "version": 1, "tables": [{"v": 1, "name": "x"}]});
        assert!(Engine::import(Config::default(), &damaged).is_err());
    }

    /// What makes the page fetch the cold code before it reads a workspace document.
    #[test]
    fn records_only_cold_code_reads() {
        let plain = Engine::new(Config::default()).export().unwrap();
        assert!(!needs_cold_readers(&plain), "{plain}");
        for key in ["backups", "pitr", "s3", "triggers", "iam"] {
            let mut doc = plain.clone();
            if key != "iam" {
                doc[key] = json!([]);
                assert!(!needs_cold_readers(&doc), "{key}: none");
            }
            doc[key] = json!([{}]);
            assert!(needs_cold_readers(&doc), "{key}");
            let world = json!({"regions": {"eu-west-1": doc}});
            assert!(needs_cold_readers(&world), "{key} in another region");
        }
        assert!(needs_cold_readers(&json!({"regions": {"eu-west-1": plain}})), "another region");
        assert!(!needs_cold_readers(&json!({"regions": {}, "global": {"lagMs": 1}})), "the world's settings alone");
        assert!(needs_cold_readers(&json!({"global": {"lagMs": 1, "tables": {"T": {}}}})), "a global table");
        assert!(plain.get("iam").is_none(), "an export leaves a new workspace's IAM out");
    }

    /// A stored record of the IAM a new engine has is not read (and so needs no cold
    /// code); any other is.
    #[test]
    fn a_default_iam_record_is_not_read() {
        let mut engine = Engine::new(Config::default());
        let record = engine.iam_record();
        assert_eq!(engine.restore_iam(&record), Ok(()));
        let mut enforced = record.clone();
        enforced["enforce"] = json!(true);
        assert_eq!(engine.restore_iam(&enforced), Ok(()));
        assert!(engine.iam.enforce);
    }
}
