//! A table at a glance, as the table page heads it: status, key schema with types,
//! capacity (and whether Dynaplay enforces it), size, partitions, indexes, and a new
//! item's skeleton with the key attributes filled in by type.

use serde_json::Value;

use super::keys::{empty_value, key_with, keys_text};
use crate::table::{BillingMode, KeySchema, Table};

#[derive(Clone, Debug, PartialEq)]
pub struct TableSummary {
    pub name: String,
    pub status: &'static str,
    pub keys: KeySchema,
    /// Provisioned read and write units; `None` for on-demand tables.
    pub provisioned: Option<(i64, i64)>,
    pub items: usize,
    pub bytes: usize,
    pub partitions: usize,
    /// Index names, each with whether it is local.
    pub indexes: Vec<(String, bool)>,
    /// A new item holding only the key attributes, with an example value of each type.
    pub skeleton: Value,
    /// Whether capacity is enforced (`Config::enforce_capacity`).
    pub enforced: bool,
}

impl TableSummary {
    /// "Artist (S), Song (S)".
    pub fn keys_text(&self) -> String {
        keys_text(&self.keys)
    }

    /// What the page says of capacity, and whether it is enforced: a workspace can turn
    /// throttling off, and then the page says so rather than let a learner believe
    /// otherwise.
    pub fn capacity_text(&self) -> String {
        let mode = match self.provisioned {
            None => "On demand".to_string(),
            Some((r, w)) => format!("Provisioned: {r} RCU, {w} WCU"),
        };
        if self.enforced {
            mode
        } else {
            format!("{mode} (not enforced in this workspace: nothing is throttled)")
        }
    }
}

/// `table`'s summary; `enforced`: whether the engine throttles requests over capacity.
pub fn table_summary(table: &Table, enforced: bool) -> TableSummary {
    let d = &table.def;
    TableSummary {
        enforced,
        name: d.name.clone(),
        status: table.status.as_str(),
        provisioned: (d.billing == BillingMode::Provisioned).then_some((d.throughput.read, d.throughput.write)),
        keys: d.schema.clone(),
        items: table.item_count(),
        bytes: table.size_bytes(),
        partitions: table.partitions.parts.len(),
        indexes: d.indexes.iter().map(|i| (i.name.clone(), i.local)).collect(),
        skeleton: key_with(&d.schema, empty_value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Engine};
    use serde_json::json;

    #[test]
    fn a_new_table_turns_active_on_the_clock_alone() {
        let mut engine = Engine::new(Config { create_delay_ms: 1_000, ..Config::default() });
        let create = r#"{"TableName":"Music","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":2},
            "AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"Year","AttributeType":"N"}],
            "KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"Year","KeyType":"RANGE"}]}"#;
        assert_eq!(engine.request("CreateTable", create.as_bytes(), 10_000).status, 200);
        let summary = |e: &Engine| table_summary(e.table("Music").unwrap(), e.config.enforce_capacity);
        assert_eq!(summary(&engine).status, "CREATING");
        assert!(engine.tick(10_500).tables_changed.is_empty(), "not due yet");
        assert!(engine.tick(11_000).tables_changed.contains("Music"), "no request needed");
        let s = summary(&engine);
        assert_eq!(s.status, "ACTIVE");
        assert_eq!(s.keys_text(), "Artist (S), Year (N)");
        assert_eq!(
            s.capacity_text(),
            "Provisioned: 5 RCU, 2 WCU (not enforced in this workspace: nothing is throttled)"
        );
        assert_eq!(TableSummary { enforced: true, ..s.clone() }.capacity_text(), "Provisioned: 5 RCU, 2 WCU");
        assert_eq!(s.skeleton, json!({"Artist": {"S": ""}, "Year": {"N": "0"}}));
        assert!(engine.tick(5_000).tables_changed.is_empty(), "the clock never goes back");
    }
}
