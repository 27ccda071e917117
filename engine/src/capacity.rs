//! Capacity units, charged as AWS charges them, and the `ConsumedCapacity` they are
//! reported in.
//!
//! Reads: one unit per 4 KB (rounded up), half for eventually consistent reads, double in
//! transactions. Writes: one unit per 1 KB (rounded up), double in transactions. A read or
//! write of nothing still costs the minimum unit.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

pub const READ_UNIT_BYTES: usize = 4096;
pub const WRITE_UNIT_BYTES: usize = 1024;

/// How reads are charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadMode {
    Eventual,
    Strong,
    Transactional,
}

impl ReadMode {
    pub fn from_consistent(consistent: bool) -> ReadMode {
        if consistent {
            ReadMode::Strong
        } else {
            ReadMode::Eventual
        }
    }

    fn factor(self) -> f64 {
        match self {
            ReadMode::Eventual => 0.5,
            ReadMode::Strong => 1.0,
            ReadMode::Transactional => 2.0,
        }
    }
}

/// Read units for `bytes` read in one request unit (one item, or one Query/Scan page).
pub fn read_units(bytes: usize, mode: ReadMode) -> f64 {
    bytes.div_ceil(READ_UNIT_BYTES).max(1) as f64 * mode.factor()
}

/// Write units for writing an item of `bytes`.
pub fn write_units(bytes: usize, transactional: bool) -> f64 {
    let units = bytes.div_ceil(WRITE_UNIT_BYTES).max(1) as f64;
    if transactional {
        units * 2.0
    } else {
        units
    }
}

/// `ReturnConsumedCapacity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReturnCapacity {
    #[default]
    None,
    Total,
    Indexes,
}

impl ReturnCapacity {
    pub fn parse(s: Option<&str>) -> ReturnCapacity {
        match s {
            Some("TOTAL") => ReturnCapacity::Total,
            Some("INDEXES") => ReturnCapacity::Indexes,
            _ => ReturnCapacity::None,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Units {
    pub read: f64,
    pub write: f64,
}

impl Units {
    fn total(&self) -> f64 {
        self.read + self.write
    }

    /// AWS shows the read/write split only on transactions; every other operation
    /// reports the aggregate `CapacityUnits` alone.
    fn to_json(self, split: bool) -> Value {
        let mut m = Map::new();
        m.insert("CapacityUnits".into(), json!(self.total()));
        if !split {
            return Value::Object(m);
        }
        if self.read > 0.0 {
            m.insert("ReadCapacityUnits".into(), json!(self.read));
        }
        if self.write > 0.0 {
            m.insert("WriteCapacityUnits".into(), json!(self.write));
        }
        Value::Object(m)
    }
}

/// What one request consumed on one table and its indexes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Consumed {
    pub table_name: String,
    pub table: Units,
    pub global_indexes: BTreeMap<String, Units>,
    pub local_indexes: BTreeMap<String, Units>,
}

impl Consumed {
    pub fn new(table_name: &str) -> Consumed {
        Consumed { table_name: table_name.to_string(), ..Consumed::default() }
    }

    pub fn total(&self) -> Units {
        let mut t = self.table;
        for u in self.global_indexes.values().chain(self.local_indexes.values()) {
            t.read += u.read;
            t.write += u.write;
        }
        t
    }

    /// Adds `cost` to the per-table list a batch or transaction reports: one entry per
    /// table, in the order tables were first charged.
    pub fn add_per_table(list: &mut Vec<Consumed>, cost: &Consumed) {
        match list.iter_mut().find(|c| c.table_name == cost.table_name) {
            Some(c) => c.absorb(cost),
            None => list.push(cost.clone()),
        }
    }

    /// Adds another charge on the same table.
    pub fn absorb(&mut self, other: &Consumed) {
        self.table.read += other.table.read;
        self.table.write += other.table.write;
        for (k, u) in &other.global_indexes {
            let e = self.global_indexes.entry(k.clone()).or_default();
            e.read += u.read;
            e.write += u.write;
        }
        for (k, u) in &other.local_indexes {
            let e = self.local_indexes.entry(k.clone()).or_default();
            e.read += u.read;
            e.write += u.write;
        }
    }

    /// The `ConsumedCapacity` object of a non-transactional operation, or `None` when
    /// the caller did not ask for one.
    pub fn to_json(&self, mode: ReturnCapacity) -> Option<Value> {
        self.render(mode, false)
    }

    /// The same for TransactWriteItems and TransactGetItems, which also show
    /// `ReadCapacityUnits`/`WriteCapacityUnits`, at the top and in the breakdown.
    pub fn to_json_transactional(&self, mode: ReturnCapacity) -> Option<Value> {
        self.render(mode, true)
    }

    fn render(&self, mode: ReturnCapacity, split: bool) -> Option<Value> {
        let total = self.total();
        match mode {
            ReturnCapacity::None => None,
            ReturnCapacity::Total => {
                let Value::Object(mut m) = total.to_json(split) else {
                    return None;
                };
                m.insert("TableName".into(), json!(self.table_name));
                Some(Value::Object(m))
            }
            ReturnCapacity::Indexes => {
                let Value::Object(mut m) = total.to_json(split) else {
                    return None;
                };
                m.insert("TableName".into(), json!(self.table_name));
                m.insert("Table".into(), self.table.to_json(split));
                let indexes = |ix: &BTreeMap<String, Units>| -> Value {
                    crate::sorted::object(ix.iter().map(|(k, u)| (k.clone(), u.to_json(split))))
                };
                if !self.global_indexes.is_empty() {
                    m.insert("GlobalSecondaryIndexes".into(), indexes(&self.global_indexes));
                }
                if !self.local_indexes.is_empty() {
                    m.insert("LocalSecondaryIndexes".into(), indexes(&self.local_indexes));
                }
                Some(Value::Object(m))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_the_developer_guide() {
        assert_eq!(read_units(0, ReadMode::Strong), 1.0);
        assert_eq!(read_units(0, ReadMode::Eventual), 0.5);
        assert_eq!(read_units(4096, ReadMode::Strong), 1.0);
        assert_eq!(read_units(4097, ReadMode::Strong), 2.0);
        // Query example: 10 items totalling 40.8 KB → 44 KB → 11 strong, 5.5 eventual.
        let bytes = (40.8 * 1024.0) as usize;
        assert_eq!(read_units(bytes, ReadMode::Strong), 11.0);
        assert_eq!(read_units(bytes, ReadMode::Eventual), 5.5);
        assert_eq!(read_units(1, ReadMode::Transactional), 2.0);
        assert_eq!(write_units(500, false), 1.0);
        assert_eq!(write_units(3584, false), 4.0);
        assert_eq!(write_units(1025, true), 4.0);
    }

    #[test]
    fn consumed_capacity_shapes() {
        let mut c = Consumed::new("T");
        c.table.write = 2.0;
        c.global_indexes.insert("g".into(), Units { read: 0.0, write: 1.0 });
        assert_eq!(c.to_json(ReturnCapacity::Total), Some(json!({"TableName": "T", "CapacityUnits": 3.0})));
        assert_eq!(
            c.to_json(ReturnCapacity::Indexes),
            Some(json!({
                "TableName": "T", "CapacityUnits": 3.0,
                "Table": {"CapacityUnits": 2.0},
                "GlobalSecondaryIndexes": {"g": {"CapacityUnits": 1.0}}
            }))
        );
        assert_eq!(
            c.to_json_transactional(ReturnCapacity::Total),
            Some(json!({"TableName": "T", "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0}))
        );
        assert_eq!(
            c.to_json_transactional(ReturnCapacity::Indexes),
            Some(json!({
                "TableName": "T", "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0,
                "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
                "GlobalSecondaryIndexes": {"g": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}}
            }))
        );
        assert_eq!(c.to_json(ReturnCapacity::None), None);
    }
}
