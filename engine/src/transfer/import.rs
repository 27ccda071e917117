//! One import: where it read from, what it counted, and the error log AWS would write to
//! CloudWatch (`/aws-dynamodb/imports`, stream `<import id>/error`), kept here so the page
//! can show it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::compression::inflate;
use super::csv_rows::{self, CsvFormat};
use super::{ion, lines};
use crate::s3::Bucket;
use crate::table::{ScalarType, StoreKey, TableDef};
use crate::value::Item;

/// The most error-log entries kept per import.
pub const MAX_LOGGED: usize = 100;

/// The failure AWS reports when items failed validation.
pub const ITEM_VALIDATION_MESSAGE: &str =
    "Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.";

/// One error-log entry: which object and item, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemError {
    pub key: String,
    pub item_index: u64,
    pub message: String,
}

/// One import. Stored as its serde form (`snapshot::transfers`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Import {
    pub arn: String,
    pub table_arn: String,
    pub table_id: String,
    pub client_token: Option<String>,
    /// `S3BucketSource`, `InputFormatOptions` and `TableCreationParameters` as requested.
    pub source: Value,
    pub format_options: Option<Value>,
    pub creation: Value,
    pub format: String,
    pub compression: String,
    pub start_ms: u64,
    pub end_ms: u64,
    pub processed_bytes: u64,
    pub processed_items: u64,
    pub imported_items: u64,
    pub error_count: u64,
    pub failure: Option<(String, String)>,
    pub errors: Vec<ItemError>,
}

impl Import {
    /// `IN_PROGRESS` until the engine clock passes its end (so ImportTable itself always
    /// answers IN_PROGRESS, as AWS does), then `COMPLETED` or `FAILED`.
    pub fn status(&self, now_ms: u64) -> &'static str {
        match (now_ms <= self.end_ms, &self.failure) {
            (true, _) => "IN_PROGRESS",
            (false, Some(_)) => "FAILED",
            (false, None) => "COMPLETED",
        }
    }
}

/// How to read the objects: format, compression and CSV options.
pub struct Reading<'a> {
    pub format: &'a str,
    pub compression: &'a str,
    pub delimiter: u8,
    pub header: Option<&'a [String]>,
}

/// What reading the source gave: the items by key (a later duplicate overwrites), the
/// counts and the error log.
#[derive(Default)]
pub struct Outcome {
    pub items: BTreeMap<StoreKey, Item>,
    pub processed_bytes: u64,
    pub processed_items: u64,
    pub error_count: u64,
    pub errors: Vec<ItemError>,
}

impl Outcome {
    fn error(&mut self, key: &str, item_index: u64, message: String) {
        self.error_count = self.error_count.saturating_add(1);
        if self.errors.len() < MAX_LOGGED {
            self.errors.push(ItemError { key: key.to_string(), item_index, message });
        }
    }
}

/// Reads every object of `bucket` under `prefix` into items for a table defined by `def`.
pub fn read_source(bucket: &Bucket, prefix: &str, how: &Reading, def: &TableDef) -> Outcome {
    let keys = key_types(def);
    let mut out = Outcome::default();
    for (key, object) in bucket.under(prefix).filter(|(k, _)| !k.ends_with('/')) {
        out.processed_bytes = out.processed_bytes.saturating_add(object.bytes.len() as u64);
        let text = match inflate(&object.bytes, how.compression).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                out.error(key, 0, "The object is not UTF-8 text".into());
                continue;
            }
            Err(e) => {
                out.error(key, 0, e);
                continue;
            }
        };
        for (index, parsed) in parse(&text, how, &keys).into_iter().enumerate() {
            out.processed_items = out.processed_items.saturating_add(1);
            match parsed.and_then(|item| check(def, item)) {
                Ok((k, item)) => {
                    out.items.insert(k, item);
                }
                Err(e) => out.error(key, index as u64, e),
            }
        }
    }
    out
}

fn parse(text: &str, how: &Reading, keys: &BTreeMap<String, ScalarType>) -> Vec<Result<Item, String>> {
    let lines = || text.lines().filter(|l| !l.trim().is_empty());
    match how.format {
        "CSV" => csv_rows::read(text, &CsvFormat { delimiter: how.delimiter, header: how.header, keys }),
        "ION" => lines().map(ion::read_item_line).collect(),
        _ => lines().map(lines::read_item_line).collect(),
    }
}

/// The item's key, after the checks a PutItem makes (keys present and typed, index keys,
/// size), worded as AWS's error log words them.
fn check(def: &TableDef, item: Item) -> Result<(StoreKey, Item), String> {
    let key = crate::ops::common::key_from_item(def, &item, false).map_err(|e| e.message)?;
    Ok((key, item))
}

/// The table's and its indexes' key attributes with their types (CSV types these).
fn key_types(def: &TableDef) -> BTreeMap<String, ScalarType> {
    let table = std::iter::once(&def.schema);
    let schemas = table.chain(def.indexes.iter().map(|i| &i.schema));
    crate::sorted::map(
        schemas.flat_map(|s| std::iter::once(&s.hash).chain(s.range.as_ref())).map(|d| (d.name.clone(), d.ty)),
    )
}
