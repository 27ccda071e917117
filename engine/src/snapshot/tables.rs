//! The tables of a workspace being loaded from their records ([`TablesLoad`]): the table
//! records read first, then each item record added to its table as it is read (in a
//! reload's steps), then the engine made with the tables built.

use serde::Deserialize;
use serde_json::Value;

use super::record::{DeletedTableStreams, TableRecord};
use super::{bad, Result, SnapshotError, FORMAT_VERSION};
use crate::engine::{Config, Engine};
use crate::streams::Stream;
use crate::table::Loader;
use crate::value::{Item, PackedItem};

/// One table record read: its loader (none for a deleted table whose streams are still
/// readable), its streams, and the next sequence number of its change log.
struct Opened {
    name: String,
    loader: Option<Loader>,
    streams: Vec<Stream>,
    next_seq: Option<u64>,
}

/// The tables being loaded, in the order of their records.
pub(super) struct TablesLoad {
    tables: Vec<Opened>,
    /// The table the last item went to (a table's items come together).
    last: usize,
}

impl TablesLoad {
    /// Reads the table records; their items are added next.
    pub fn new(tables: &[Value]) -> Result<TablesLoad> {
        Ok(TablesLoad { tables: tables.iter().map(open).collect::<Result<_>>()?, last: 0 })
    }

    /// Adds an item to `table`: the item as the table keeps it, or `None` if no table
    /// stored under that name takes items (the item is left out, as a reload always has).
    pub fn add(&mut self, table: &str, item: Item) -> Result<Option<&PackedItem>> {
        if self.tables.get(self.last).is_none_or(|t| t.name != table) {
            match self.tables.iter().position(|t| t.name == table) {
                Some(i) => self.last = i,
                None => return Ok(None),
            }
        }
        let Some(loader) = self.tables.get_mut(self.last).and_then(|t| t.loader.as_mut()) else { return Ok(None) };
        loader.add(item).map(Some).map_err(|e| bad(&e))
    }

    /// An engine with these tables, built, before its change logs.
    pub fn engine(self, config: Config, now_ms: u64) -> Engine {
        let mut engine = Engine::new(config);
        engine.now_ms = now_ms;
        for opened in self.tables {
            engine.streams.list.extend(opened.streams);
            if let Some(next) = opened.next_seq {
                engine.logs.entry(opened.name.clone()).or_default().next_seq = next;
            }
            if let Some(loader) = opened.loader {
                engine.tables.insert(opened.name, loader.finish());
            }
        }
        crate::sorted::sort_by_key(&mut engine.streams.list, |s| s.created_ms);
        engine
    }
}

/// A table record read, its items still to come.
fn open(v: &Value) -> Result<Opened> {
    let name = v.get("name").and_then(Value::as_str).unwrap_or("").to_string();
    let next_seq = v.get("logNextSeq").and_then(Value::as_u64);
    let version = v.get("v").and_then(Value::as_u64).unwrap_or(0);
    if version == 0 || version > FORMAT_VERSION {
        return Err(SnapshotError(format!("table stored in unknown format version {version}")));
    }
    if v.get("deleted").and_then(Value::as_bool) == Some(true) {
        let record = DeletedTableStreams::deserialize(v).map_err(|e| bad(&e.to_string()))?;
        return Ok(Opened { name, loader: None, streams: record.streams()?, next_seq });
    }
    let record = TableRecord::deserialize(v).map_err(|e| bad(&e.to_string()))?;
    Ok(Opened { name, loader: Some(record.loader()?), streams: record.streams()?, next_seq })
}
