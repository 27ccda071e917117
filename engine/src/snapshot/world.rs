//! A world's own state written down: its settings (lags, jitter, regions offline) and each
//! global table's replicas and replication progress. With one engine export per region
//! it is the whole of a [`World`]: the page keeps it in IndexedDB beside the home region's
//! records, and a workspace export carries it (`regions` and `global`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{bad, Result, SnapshotError};
use crate::engine::{Config, Engine};
use crate::global::{Conflict, GlobalTable, Member, ReplicaStatus, Version, World};
use crate::sorted;

/// The world's state record. Its global tables (`tables`, each a [`TableRecord`]) are
/// written and read by cold code ([`global_tables_record`], [`read_regions_and_tables`]):
/// only cold code makes them.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorldRecord {
    lag_ms: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pair_lag_ms: Vec<PairLag>,
    #[serde(default)]
    jitter_ms: u64,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    offline: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    tables: Value,
}

#[derive(Serialize, Deserialize)]
struct PairLag {
    from: String,
    to: String,
    ms: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TableRecord {
    members: BTreeMap<String, MemberRecord>,
    /// (source, destination, first sequence number not yet applied).
    cursors: Vec<(String, String, u64)>,
    /// (source, destination, sequence numbers past the cursor already applied).
    done: Vec<(String, String, BTreeSet<u64>)>,
    /// Per region, each item's last write: item key → (time, region).
    versions: BTreeMap<String, BTreeMap<String, (u64, String)>>,
    seen: BTreeMap<String, u64>,
    conflicts: Vec<ConflictRecord>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MemberRecord {
    status: String,
    ready_ms: u64,
    source: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConflictRecord {
    region: String,
    key: Value,
    kept: (u64, String),
    lost: (u64, String),
    at_ms: u64,
}

fn version_record(v: &Version) -> (u64, String) {
    (v.at_ms, v.region.clone())
}

fn version_of((at_ms, region): (u64, String)) -> Version {
    Version { at_ms, region }
}

fn table_record(g: &GlobalTable) -> TableRecord {
    let member = |m: &Member| MemberRecord {
        status: m.status.as_str().to_string(),
        ready_ms: m.ready_ms,
        source: m.source.clone(),
    };
    TableRecord {
        members: sorted::map(g.members.iter().map(|(r, m)| (r.clone(), member(m)))),
        cursors: g.cursors.iter().map(|((a, b), n)| (a.clone(), b.clone(), *n)).collect(),
        done: g
            .done
            .iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|((a, b), s)| (a.clone(), b.clone(), s.clone()))
            .collect(),
        versions: sorted::map(
            g.versions
                .iter()
                .map(|(r, v)| (r.clone(), sorted::map(v.iter().map(|(k, v)| (k.clone(), version_record(v)))))),
        ),
        seen: g.seen.clone(),
        conflicts: g
            .conflicts
            .iter()
            .map(|c| ConflictRecord {
                region: c.region.clone(),
                key: c.key.clone(),
                kept: version_record(&c.kept),
                lost: version_record(&c.lost),
                at_ms: c.at_ms,
            })
            .collect(),
    }
}

fn read_table(r: TableRecord) -> Result<GlobalTable> {
    let mut members = BTreeMap::new();
    for (region, m) in r.members {
        let status = match m.status.as_str() {
            "CREATING" => ReplicaStatus::Creating,
            "ACTIVE" => ReplicaStatus::Active,
            _ => return Err(bad("replica status")),
        };
        members.insert(region, Member { status, ready_ms: m.ready_ms, source: m.source });
    }
    Ok(GlobalTable {
        members,
        cursors: sorted::map(r.cursors.into_iter().map(|(a, b, n)| ((a, b), n))),
        done: sorted::map(r.done.into_iter().map(|(a, b, s)| ((a, b), s))),
        versions: sorted::map(
            r.versions
                .into_iter()
                .map(|(region, v)| (region, sorted::map(v.into_iter().map(|(k, v)| (k, version_of(v)))))),
        ),
        seen: r.seen,
        conflicts: r
            .conflicts
            .into_iter()
            .map(|c| Conflict {
                region: c.region,
                key: c.key,
                kept: version_of(c.kept),
                lost: version_of(c.lost),
                at_ms: c.at_ms,
            })
            .collect(),
    })
}

/// The world's global tables as its state record's `tables`: cold code, reached through
/// [`World::state_record`] (`cold::Writers`).
pub(crate) fn global_tables_record(world: &World) -> Value {
    let tables: BTreeMap<String, TableRecord> =
        sorted::map(world.globals.iter().map(|(name, g)| (name.clone(), table_record(g))));
    serde_json::to_value(tables).unwrap_or(Value::Null)
}

/// Adds the other regions (their engine exports, by name) and the global tables (a state
/// record's `tables`) to `world`: cold code, reached through [`World::restore`]
/// (`cold::Readers`).
pub(crate) fn read_regions_and_tables(world: &mut World, regions: &[(String, Value)], tables: &Value) -> Result<()> {
    let config = world.home_engine().config.clone();
    for (name, doc) in regions {
        crate::global::check_region(name).map_err(|_| bad("region name"))?;
        let engine = Engine::import(Config { region: name.clone(), ..config.clone() }, doc)?;
        world.insert_region(engine);
    }
    if !tables.is_null() {
        let tables: BTreeMap<String, TableRecord> = serde_json::from_value(tables.clone())
            .map_err(|e| SnapshotError(format!("stored state is damaged: {e}")))?;
        let tables = tables.into_iter().map(|(n, t)| Ok((n, read_table(t)?))).collect::<Result<Vec<_>>>()?;
        world.globals = sorted::map(tables);
    }
    Ok(())
}

/// Whether reading a world needs the cold code: it has other regions than the home one,
/// or its state record (`state`) has global tables.
pub fn world_needs_cold_readers(regions: usize, state: Option<&Value>) -> bool {
    let tables = state.and_then(|s| s.get("tables")).and_then(Value::as_object);
    regions > 0 || tables.is_some_and(|t| !t.is_empty())
}

impl World {
    /// The world's own state (not its regions' tables): see the module docs. An error only
    /// if it has global tables and the code that writes them is missing (it cannot be:
    /// only that code makes them).
    pub fn state_record(&self) -> Result<Value> {
        let tables = if self.globals.is_empty() {
            Value::Null
        } else {
            let writers =
                crate::cold::writers().ok_or_else(|| SnapshotError(crate::cold::writers_not_loaded().message))?;
            (writers.global_tables)(self)
        };
        let record = WorldRecord {
            lag_ms: self.lag_ms,
            pair_lag_ms: self
                .pair_lags
                .iter()
                .map(|((from, to), ms)| PairLag { from: from.clone(), to: to.clone(), ms: *ms })
                .collect(),
            jitter_ms: self.jitter_ms,
            offline: self.offline.clone(),
            tables,
        };
        Ok(serde_json::to_value(record).unwrap_or(Value::Null))
    }

    /// Rebuilds a world: the home region's engine, the other regions' engine exports (by
    /// region name) and the world's [state record](World::state_record), if any. Other
    /// regions and global tables are read by cold code ([`world_needs_cold_readers`]).
    pub fn restore(home: Engine, regions: &[(String, Value)], state: Option<&Value>) -> Result<World> {
        let config = home.config.clone();
        let mut world = World::from_engine(home);
        let mut tables = Value::Null;
        if let Some(state) = state {
            let r: WorldRecord = serde_json::from_value(state.clone())
                .map_err(|e| SnapshotError(format!("stored state is damaged: {e}")))?;
            world.lag_ms = r.lag_ms;
            world.pair_lags = sorted::map(r.pair_lag_ms.into_iter().map(|p| ((p.from, p.to), p.ms)));
            world.jitter_ms = r.jitter_ms;
            world.offline = r.offline;
            tables = r.tables;
        }
        if world_needs_cold_readers(regions.len(), state) {
            let code = crate::cold::code().ok_or_else(|| SnapshotError(crate::cold::readers_not_loaded().message))?;
            (code.readers.world)(&mut world, regions, &tables)?;
        }
        // The workspace's settings are the home region's (a region's record may predate a
        // change to them).
        world.configure(|c| *c = config.clone());
        Ok(world)
    }

    /// Every region but the home one, as (name, engine export).
    pub fn region_records(&self) -> Result<Vec<(String, Value)>> {
        self.regions().skip(1).map(|e| Ok((e.config.region.clone(), e.export()?))).collect()
    }

    /// The whole world as one workspace document: the home region's export, with the
    /// other regions (`regions`, by name) and the world's state (`global`) when there are
    /// other regions.
    pub fn export(&self) -> Result<Value> {
        let mut doc = self.home_engine().export()?;
        let regions = self.region_records()?;
        if let (Value::Object(m), false) = (&mut doc, regions.is_empty() && self.globals.is_empty()) {
            m.insert("regions".into(), sorted::object(regions));
            m.insert("global".into(), self.state_record()?);
        }
        Ok(doc)
    }

    /// Reads a document written by [`World::export`] (or [`Engine::export`]).
    pub fn import(config: Config, doc: &Value) -> Result<World> {
        let home = Engine::import(config, doc)?;
        let regions: Vec<(String, Value)> = match doc.get("regions") {
            None => Vec::new(),
            Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Some(_) => return Err(bad("regions")),
        };
        World::restore(home, &regions, doc.get("global"))
    }
}
