//! Capacity receipts (the rounding behind a charge, step by step) and item diffs.

use crate::capacity::{read_units, write_units, ReadMode, READ_UNIT_BYTES, WRITE_UNIT_BYTES};
use crate::table::TableDef;
use crate::value::{item_size, AttributeValue, Item};

/// How a read of `bytes` (one item, or one Query/Scan page) is charged.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadReceipt {
    pub bytes: usize,
    pub mode: ReadMode,
    /// 4 KB blocks, rounded up, at least one.
    pub blocks: usize,
    /// Units per block: 0.5 eventually consistent, 1 strongly, 2 transactional.
    pub per_block: f64,
    pub units: f64,
}

pub fn read_receipt(bytes: usize, mode: ReadMode) -> ReadReceipt {
    let blocks = bytes.div_ceil(READ_UNIT_BYTES).max(1);
    let units = read_units(bytes, mode);
    ReadReceipt { bytes, mode, blocks, per_block: units / blocks as f64, units }
}

impl ReadReceipt {
    /// The charge in words: `5,321 bytes → 2 × 4 KB blocks (rounded up) × 0.5 (eventually
    /// consistent) = 1 RCU`.
    pub fn explain(&self) -> String {
        let mode = match self.mode {
            ReadMode::Eventual => "eventually consistent",
            ReadMode::Strong => "strongly consistent",
            ReadMode::Transactional => "transactional",
        };
        let blocks = if self.bytes == 0 {
            "1 × 4 KB block (the minimum)".to_string()
        } else {
            format!("{} × 4 KB block{} (rounded up)", self.blocks, plural(self.blocks))
        };
        format!(
            "{} bytes → {blocks} × {} ({mode}) = {} RCU",
            group(self.bytes),
            units(self.per_block),
            units(self.units)
        )
    }
}

/// How one item write is charged: on the larger of the item before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteReceipt {
    pub before: Option<usize>,
    pub after: Option<usize>,
    pub charged_bytes: usize,
    /// 1 KB blocks, rounded up, at least one.
    pub blocks: usize,
    pub transactional: bool,
    /// The table's own write units.
    pub units: f64,
    /// Each secondary index the write touched, with its write units (computed by the
    /// same function that charges the request).
    pub index_units: Vec<(String, f64)>,
    /// Table and indexes: what `ConsumedCapacity` reports.
    pub total: f64,
}

pub fn write_receipt(def: &TableDef, before: Option<&Item>, after: Option<&Item>, transactional: bool) -> WriteReceipt {
    let cost = crate::ops::write_cost(def, before, after, transactional);
    let index_units =
        cost.global_indexes.iter().chain(&cost.local_indexes).map(|(name, u)| (name.clone(), u.write)).collect();
    let (before, after) = (before.map(item_size), after.map(item_size));
    let charged_bytes = before.unwrap_or(0).max(after.unwrap_or(0));
    WriteReceipt {
        before,
        after,
        charged_bytes,
        blocks: charged_bytes.div_ceil(WRITE_UNIT_BYTES).max(1),
        transactional,
        units: write_units(charged_bytes, transactional),
        index_units,
        total: cost.total().write,
    }
}

impl WriteReceipt {
    /// The charge in words: `old item 1,100 bytes, new item 60 bytes: the larger, 1,100
    /// bytes → 2 × 1 KB blocks (rounded up) = 2 WCU`.
    pub fn explain(&self) -> String {
        let size = |s: Option<usize>| s.map_or("none".to_string(), |b| format!("{} bytes", group(b)));
        let blocks = format!("{} × 1 KB block{} (rounded up)", self.blocks, plural(self.blocks));
        let tx = if self.transactional { " × 2 (transactional)" } else { "" };
        let table = format!(
            "old item {}, new item {}: charged on the larger, {} bytes → {blocks}{tx} = {} WCU",
            size(self.before),
            size(self.after),
            group(self.charged_bytes),
            units(self.units)
        );
        if self.index_units.is_empty() {
            return table;
        }
        let indexes: Vec<String> =
            self.index_units.iter().map(|(n, u)| format!("index {n} {} WCU", units(*u))).collect();
        format!("{table}; plus {}: {} WCU in all", indexes.join(", "), units(self.total))
    }
}

/// What happened to one attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttrDiff {
    pub name: String,
    pub change: Change,
    pub before: Option<AttributeValue>,
    pub after: Option<AttributeValue>,
}

/// Attribute-by-attribute comparison of an item before and after a write, with the
/// attributes named in `first` (the key) leading and the rest in name order.
pub fn diff(before: Option<&Item>, after: Option<&Item>, first: &[&str]) -> Vec<AttrDiff> {
    let empty = Item::new();
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let mut names: Vec<&crate::value::Name> = b.keys().chain(a.keys()).collect();
    crate::sorted::sort_by_key(&mut names, |n| (first.iter().position(|f| f == n).unwrap_or(first.len()), n.as_str()));
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let (old, new) = (b.get(name), a.get(name));
            let change = match (old, new) {
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Removed,
                (Some(x), Some(y)) if x == y => Change::Unchanged,
                _ => Change::Changed,
            };
            AttrDiff { name: name.to_string(), change, before: old.cloned(), after: new.cloned() }
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `12345` → `12,345`.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Units as Rust prints them, without a trailing `.0`: `1`, `0.5`, `2.5`.
fn units(u: f64) -> String {
    format!("{u}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::item_from_json;

    fn item(json: &str) -> Item {
        item_from_json(&serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn read_receipts_spell_out_the_rounding() {
        let r = read_receipt(5321, ReadMode::Eventual);
        assert_eq!((r.blocks, r.per_block, r.units), (2, 0.5, 1.0));
        assert_eq!(r.explain(), "5,321 bytes → 2 × 4 KB blocks (rounded up) × 0.5 (eventually consistent) = 1 RCU");
        assert_eq!(
            read_receipt(0, ReadMode::Strong).explain(),
            "0 bytes → 1 × 4 KB block (the minimum) × 1 (strongly consistent) = 1 RCU"
        );
        assert_eq!(read_receipt(4097, ReadMode::Transactional).units, 4.0);
        for bytes in [0, 1, 4095, 4096, 4097, 1_000_000] {
            for mode in [ReadMode::Eventual, ReadMode::Strong, ReadMode::Transactional] {
                let r = read_receipt(bytes, mode);
                assert_eq!(r.units, read_units(bytes, mode));
                assert_eq!(r.blocks as f64 * r.per_block, r.units);
            }
        }
    }

    /// A hash-only table `pk` with no indexes.
    fn plain_def() -> TableDef {
        let mut e = crate::Engine::new(crate::Config::default());
        let create = r#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}"#;
        e.request("CreateTable", create.as_bytes(), 0);
        e.table("Tbl").map(|t| t.def.clone()).unwrap()
    }

    #[test]
    fn write_receipts_charge_the_larger_item() {
        let def = plain_def();
        let big = item(&format!(r#"{{"pk":{{"S":"a"}},"Name":{{"S":"{}"}}}}"#, "x".repeat(1100)));
        let small = item(r#"{"pk":{"S":"a"},"Country":{"S":"Norway"}}"#);
        let r = write_receipt(&def, Some(&big), Some(&small), false);
        assert_eq!((r.charged_bytes, r.blocks, r.units), (1107, 2, 2.0));
        assert_eq!(r.explain(), "old item 1,107 bytes, new item 16 bytes: charged on the larger, 1,107 bytes → 2 × 1 KB blocks (rounded up) = 2 WCU");
        let r = write_receipt(&def, None, Some(&small), true);
        assert_eq!(r.units, 2.0);
        assert_eq!(r.explain(), "old item none, new item 16 bytes: charged on the larger, 16 bytes → 1 × 1 KB block (rounded up) × 2 (transactional) = 2 WCU");
    }

    #[test]
    fn receipts_match_what_the_engine_charged() {
        let mut e = crate::Engine::new(crate::Config::default());
        let create = r#"{"TableName":"People","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}"#;
        e.request("CreateTable", create.as_bytes(), 0);
        let big =
            format!(r#"{{"TableName":"People","Item":{{"id":{{"S":"1"}},"Name":{{"S":"{}"}}}}}}"#, "x".repeat(3000));
        let steps = [
            ("PutItem", big.as_str()),
            ("PutItem", r#"{"TableName":"People","Item":{"id":{"S":"1"},"Country":{"S":"Norway"}}}"#),
            (
                "UpdateItem",
                r#"{"TableName":"People","Key":{"id":{"S":"1"}},"UpdateExpression":"SET Bio = :b","ExpressionAttributeValues":{":b":{"S":"hi"}}}"#,
            ),
            ("DeleteItem", r#"{"TableName":"People","Key":{"id":{"S":"1"}}}"#),
        ];
        let mut charged = Vec::new();
        for (op, body) in steps {
            let r = e.request(op, body.as_bytes(), 1);
            assert_eq!(r.status, 200, "{}", r.body);
            let w = &r.trace.writes[0];
            let def = e.table("People").map(|t| t.def.clone()).unwrap();
            let receipt = write_receipt(&def, w.before_item().as_ref(), w.after_item().as_ref(), false);
            assert_eq!(receipt.units, w.write_units, "{op}");
            charged.push(w.write_units);
        }
        // The put over a 3 KB item pays for the 3 KB item it replaced.
        assert_eq!(charged, [3.0, 3.0, 1.0, 1.0]);
    }

    #[test]
    fn receipts_on_an_indexed_table_count_the_index_writes() {
        let mut e = crate::Engine::new(crate::Config::default());
        let create = r#"{"TableName":"Orders","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"status","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
            "GlobalSecondaryIndexes":[{"IndexName":"byStatus","Projection":{"ProjectionType":"ALL"},
                "KeySchema":[{"AttributeName":"status","KeyType":"HASH"}]}]}"#;
        e.request("CreateTable", create.as_bytes(), 0);
        let steps = [
            r#"{"TableName":"Orders","Item":{"id":{"S":"1"},"status":{"S":"open"}},"ReturnConsumedCapacity":"TOTAL"}"#,
            r#"{"TableName":"Orders","Item":{"id":{"S":"1"},"status":{"S":"shipped"}},"ReturnConsumedCapacity":"TOTAL"}"#,
        ];
        let mut totals = Vec::new();
        for body in steps {
            let r = e.request("PutItem", body.as_bytes(), 1);
            let charged: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            let w = &r.trace.writes[0];
            let def = e.table("Orders").map(|t| t.def.clone()).unwrap();
            let receipt = write_receipt(&def, w.before_item().as_ref(), w.after_item().as_ref(), false);
            assert_eq!(receipt.total, charged["ConsumedCapacity"]["CapacityUnits"].as_f64().unwrap());
            totals.push((receipt.units, receipt.index_units.clone(), receipt.total));
        }
        // A new index entry is one write; moving it to another key is a delete and a put.
        assert_eq!(totals[0], (1.0, vec![("byStatus".to_string(), 1.0)], 2.0));
        assert_eq!(totals[1], (1.0, vec![("byStatus".to_string(), 2.0)], 3.0));
        let r = e.request("PutItem", steps[0].as_bytes(), 2);
        let w = &r.trace.writes[0];
        let def = e.table("Orders").map(|t| t.def.clone()).unwrap();
        assert!(write_receipt(&def, w.before_item().as_ref(), w.after_item().as_ref(), false)
            .explain()
            .ends_with("; plus index byStatus 2 WCU: 3 WCU in all"));
    }

    #[test]
    fn diffs_classify_every_attribute() {
        let before = item(r#"{"id":{"S":"1"},"Name":{"S":"Jane"},"Gender":{"S":"F"},"Age":{"N":"30"}}"#);
        let after = item(r#"{"id":{"S":"1"},"Country":{"S":"Norway"},"Age":{"N":"31"}}"#);
        let d = diff(Some(&before), Some(&after), &["id"]);
        let got: Vec<(&str, Change)> = d.iter().map(|a| (a.name.as_str(), a.change)).collect();
        assert_eq!(
            got,
            [
                ("id", Change::Unchanged),
                ("Age", Change::Changed),
                ("Country", Change::Added),
                ("Gender", Change::Removed),
                ("Name", Change::Removed),
            ]
        );
        assert!(diff(None, None, &[]).is_empty());
        assert!(diff(None, Some(&after), &["id"]).iter().all(|a| a.change == Change::Added));
    }
}
