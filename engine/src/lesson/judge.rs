//! Judging a check against a database's state, read through [`Observe`]: Dynaplay's
//! engine ([`EngineState`]) or, in the CLI, a DynamoDB endpoint asked over HTTP.

use serde_json::Value;

use super::check::{Check, Last};
use super::last::last_request;
use crate::engine::Engine;
use crate::scenario::subset_mismatch;
use crate::value::{item_from_json, item_to_json};

/// What a check learns of one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableFacts {
    pub hash: String,
    pub range: Option<String>,
    /// Its secondary indexes' names, local and global.
    pub indexes: Vec<String>,
    /// A stream is enabled.
    pub stream: bool,
}

/// What checks read of a database. An `Err` says why the state could not be read.
pub trait Observe {
    /// The table's facts; `None` when there is no such table.
    fn table(&mut self, name: &str) -> Result<Option<TableFacts>, String>;
    /// The item under `key` (DynamoDB JSON) in its DynamoDB JSON; `None` when absent.
    fn item(&mut self, table: &str, key: &Value) -> Result<Option<Value>, String>;
    /// How many items the table holds.
    fn item_count(&mut self, table: &str) -> Result<u64, String>;
    /// How many partitions the table has; `None` where only Dynaplay can say.
    fn partitions(&mut self, table: &str) -> Option<u64>;
}

/// A check's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    /// What is still missing.
    Missing(String),
    /// The check cannot be answered here (why); never counted as passed.
    Skipped(String),
}

impl Verdict {
    fn of(result: Result<(), String>) -> Verdict {
        result.map_or_else(Verdict::Missing, |()| Verdict::Holds)
    }
}

pub(super) fn judge(check: &Check, observe: &mut dyn Observe, last: Option<&Last>) -> Verdict {
    match check {
        Check::All(list) => {
            let verdicts: Vec<Verdict> = list.iter().map(|c| judge(c, observe, last)).collect();
            let missing: Vec<&str> = verdicts
                .iter()
                .filter_map(|v| if let Verdict::Missing(m) = v { Some(m.as_str()) } else { None })
                .collect();
            match (missing.first(), verdicts.iter().find(|v| matches!(v, Verdict::Skipped(_)))) {
                (Some(m), _) => Verdict::Missing((*m).to_string()),
                (None, Some(skipped)) => skipped.clone(),
                (None, None) => Verdict::Holds,
            }
        }
        Check::Any(list) => {
            let verdicts: Vec<Verdict> = list.iter().map(|c| judge(c, observe, last)).collect();
            if verdicts.contains(&Verdict::Holds) {
                return Verdict::Holds;
            }
            if let Some(skipped) = verdicts.iter().find(|v| matches!(v, Verdict::Skipped(_))) {
                return skipped.clone();
            }
            let misses: Vec<String> =
                verdicts.into_iter().filter_map(|v| if let Verdict::Missing(m) = v { Some(m) } else { None }).collect();
            Verdict::Missing(format!("one of: {}", misses.join("; or ")))
        }
        Check::LastRequest(want) => Verdict::of(last_request(want, last)),
        Check::Partitions { table, at_least } => match observe.partitions(table) {
            None => Verdict::Skipped(format!("{table}'s partitions: only Dynaplay shows them")),
            Some(n) if n < *at_least => {
                Verdict::Missing(format!("at least {at_least} partitions in {table} (it has {n})"))
            }
            Some(_) => Verdict::Holds,
        },
        state => Verdict::of(state_check(state, observe)),
    }
}

fn state_check(check: &Check, observe: &mut dyn Observe) -> Result<(), String> {
    let mut table = |name: &str| observe.table(name)?.ok_or_else(|| format!("a table named {name}"));
    match check {
        Check::Table { table: name, hash, range } => {
            let t = table(name)?;
            if let Some(h) = hash.as_ref().filter(|h| **h != t.hash) {
                return Err(format!("{name}'s partition key should be {h} (it is {})", t.hash));
            }
            match (range, &t.range) {
                (Some(r), Some(k)) if r != k => Err(format!("{name}'s sort key should be {r} (it is {k})")),
                (Some(r), None) => Err(format!("{name} should have the sort key {r}")),
                _ => Ok(()),
            }
        }
        Check::Index { table: name, index } => {
            table(name)?.indexes.contains(index).then_some(()).ok_or_else(|| format!("an index {index} on {name}"))
        }
        Check::Stream { table: name } => table(name)?.stream.then_some(()).ok_or_else(|| format!("a stream on {name}")),
        Check::Item { table: name, key, attributes } => item_check(observe, name, key, attributes.as_ref()),
        Check::NoItem { table: name, key } => match item_check(observe, name, key, None) {
            Ok(()) => Err(format!("the item {key} in {name} should be gone")),
            Err(_) => Ok(()),
        },
        Check::ItemCount { table: name, at_least, at_most } => {
            table(name)?;
            let n = observe.item_count(name)?;
            match (at_least, at_most) {
                (Some(lo), _) if n < *lo => Err(format!("at least {lo} items in {name} (it has {n})")),
                (_, Some(hi)) if n > *hi => Err(format!("at most {hi} items in {name} (it has {n})")),
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

fn item_check(observe: &mut dyn Observe, name: &str, key: &Value, attributes: Option<&Value>) -> Result<(), String> {
    let missing = || format!("an item in {name} with the key {key}");
    let item = observe.item(name, key).map_err(|e| format!("{} ({e})", missing()))?.ok_or_else(missing)?;
    let Some(want) = attributes else { return Ok(()) };
    match subset_mismatch(want, &item, "item") {
        None => Ok(()),
        Some(path) => Err(format!("the item {key} in {name} to have {want} (it differs at {path})")),
    }
}

/// Checks read from Dynaplay's engine.
pub struct EngineState<'a>(pub &'a Engine);

impl Observe for EngineState<'_> {
    fn table(&mut self, name: &str) -> Result<Option<TableFacts>, String> {
        Ok(self.0.table(name).map(|t| TableFacts {
            hash: t.def.schema.hash.name.clone(),
            range: t.def.schema.range.as_ref().map(|k| k.name.clone()),
            indexes: t.def.indexes.iter().map(|i| i.name.clone()).collect(),
            stream: self.0.streams().current(name).is_some(),
        }))
    }

    fn item(&mut self, table: &str, key: &Value) -> Result<Option<Value>, String> {
        let Some(t) = self.0.table(table) else { return Ok(None) };
        let k = item_from_json(key).map_err(|e| e.to_string())?;
        let store_key = crate::ops::common::key_from_request(&t.def, &k).map_err(|e| e.message.clone())?;
        Ok(t.get(&store_key).map(|i| item_to_json(&i.item())))
    }

    fn item_count(&mut self, table: &str) -> Result<u64, String> {
        Ok(self.0.table(table).map_or(0, |t| t.item_count() as u64))
    }

    fn partitions(&mut self, table: &str) -> Option<u64> {
        self.0.table(table).map(|t| t.partitions.parts.len() as u64)
    }
}
