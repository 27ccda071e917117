//! The change log as stored, keyed by table and sequence number, so the page appends a
//! request's changes in the same transaction as its items: one record per change, or one
//! per commit and table ([`change_group_text`], keyed by its last change), which a reload
//! reads as one.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use serde_json::value::RawValue;

use super::images::Images;
use super::logs::LogsRead;
use super::{bad, Result};
use crate::log::{Change, Logged, Principal, Stamp};
use crate::value::{item_from_json, item_to_json, write_json_str, write_packed, Item, PackedItem};

/// The storage key of a change: its table, a NUL, and its sequence number in 20 digits, so
/// one table's changes sort together and in order.
pub fn change_key(table: &str, seq: u64) -> String {
    format!("{table}\u{0}{seq:020}")
}

/// A change as stored: `{"t": table, "seq", "at", "hash" (hex), "before", "after", "op",
/// "tx", "by"}` (images, transaction and principal only when present). The item's key is
/// read from its images, as in memory; a `"key"` that records before 2026-12 carry is
/// ignored.
pub fn change_record(table: &str, c: Logged<'_>) -> Value {
    let mut m = Map::new();
    m.insert("t".into(), json!(table));
    m.insert("seq".into(), json!(c.seq));
    m.insert("at".into(), json!(c.at_ms));
    // Hex: a 64-bit hash does not survive a JavaScript number.
    m.insert("hash".into(), json!(format!("{:016x}", c.hash)));
    if let Some(b) = &c.before {
        m.insert("before".into(), item_to_json(&b.item()));
    }
    if let Some(a) = &c.after {
        m.insert("after".into(), item_to_json(&a.item()));
    }
    m.insert("op".into(), json!(c.operation()));
    if let Some(tx) = c.transaction() {
        m.insert("tx".into(), json!(tx));
    }
    m.insert("by".into(), json!(c.principal().as_str()));
    Value::Object(m)
}

/// Reads a record written by [`change_record`]: its table, number and change.
pub fn read_change(v: &Value) -> Result<(String, u64, Change)> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).ok_or_else(|| bad(&format!("change {k}")));
    let number = |k: &str| v.get(k).and_then(Value::as_u64).ok_or_else(|| bad(&format!("change {k}")));
    let item = |k: &str| -> Result<Option<Item>> {
        v.get(k).map(|i| item_from_json(i).map_err(|e| bad(&e.message))).transpose()
    };
    let image = |k: &str| -> Result<Option<PackedItem>> { Ok(item(k)?.map(Into::into)) };
    let hash = u64::from_str_radix(text("hash")?, 16).map_err(|_| bad("change hash"))?;
    let mut change = Change::new(hash, image("before")?, image("after")?, number("at")?);
    change.stamp = Some(stamp(
        text("op")?.into(),
        v.get("tx").and_then(Value::as_str).map(Into::into),
        Principal::parse(text("by")?),
    ));
    Ok((text("t")?.to_string(), number("seq")?, change))
}

/// A change's stamp as read back (the log keeps one for changes in a row that say the
/// same: [`crate::log::ChangeLog`]).
fn stamp(operation: compact_str::CompactString, transaction: Option<Box<str>>, principal: Principal) -> Arc<Stamp> {
    Arc::new(Stamp { operation, transaction, principal })
}

/// A change record as stored, read straight from its text (no `Value` in between; the
/// table, hash and principal borrowed from the text when they have no escapes, the images
/// kept as text until [`Images`] reads them).
#[derive(serde::Deserialize)]
struct Stored<'a> {
    #[serde(borrow)]
    t: Cow<'a, str>,
    seq: u64,
    at: u64,
    #[serde(borrow)]
    hash: Cow<'a, str>,
    #[serde(borrow)]
    before: Option<&'a RawValue>,
    #[serde(borrow)]
    after: Option<&'a RawValue>,
    op: compact_str::CompactString,
    tx: Option<Box<str>>,
    #[serde(borrow)]
    by: Cow<'a, str>,
}

/// Writes the change record of `c` (the members of [`change_record`], in its order) to
/// `out`, its images straight from their packed bytes.
fn write_change(out: &mut String, table: &str, c: Logged<'_>) {
    use std::fmt::Write;
    out.push_str("{\"t\":");
    write_json_str(out, table);
    // Writing to a String cannot fail.
    let _ = write!(out, ",\"seq\":{},\"at\":{},\"hash\":\"{:016x}\"", c.seq, c.at_ms, c.hash);
    for (name, image) in [(",\"before\":", &c.before), (",\"after\":", &c.after)] {
        if let Some(image) = image {
            out.push_str(name);
            write_packed(out, image);
        }
    }
    out.push_str(",\"op\":");
    write_json_str(out, c.operation());
    if let Some(tx) = c.transaction() {
        out.push_str(",\"tx\":");
        write_json_str(out, tx);
    }
    out.push_str(",\"by\":");
    write_json_str(out, c.principal().as_str());
    out.push('}');
}

/// The text of [`change_record`], written straight from the change: what the page stores.
pub fn change_record_text(table: &str, c: Logged<'_>) -> String {
    let mut out = String::with_capacity(table.len() + 256);
    write_change(&mut out, table, c);
    out
}

/// Several changes of one table as one stored record's text: a JSON array of
/// [`change_record`]s, stored under the [`change_key`] of the last (so a range delete of
/// the keys below a log's first kept number drops only records wholly trimmed).
pub fn change_group_text<'c>(table: &str, changes: impl IntoIterator<Item = Logged<'c>>) -> String {
    let mut out = String::from("[");
    for (i, c) in changes.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_change(&mut out, table, c);
    }
    out.push(']');
    out
}

/// Reads the text of a record written by [`change_record`] (what a reload reads back):
/// its table, number and change.
pub fn read_change_text(text: &str) -> Result<(String, u64, Change)> {
    let (table, seq, change) = Stored::read(text)?.change(None, &mut Images::default())?;
    Ok((table.into_owned(), seq, change))
}

/// Reads the text of a stored change record, one change or a group of them
/// ([`change_group_text`]), into its table's log in `logs`. A change with the stamp of
/// the one before it shares that one's; an image whose text `images` has read before
/// shares that item.
pub(super) fn read_changes_text(text: &str, logs: &mut LogsRead, images: &mut Images) -> Result<()> {
    let group: Vec<Stored> = match text.trim_start().starts_with('[') {
        true => serde_json::from_str(text).map_err(|e| bad(&format!("changes: {e}")))?,
        false => vec![Stored::read(text)?],
    };
    for r in group {
        let previous = logs.last_stamp(&r.t);
        let (table, seq, change) = r.change(previous, images)?;
        logs.push(&table, seq, change);
    }
    Ok(())
}

impl<'a> Stored<'a> {
    fn read(text: &'a str) -> Result<Stored<'a>> {
        serde_json::from_str(text).map_err(|e| bad(&format!("change: {e}")))
    }

    /// The change, its stamp shared with `previous` (the stamp before it) when they are
    /// alike, its images read through `images`.
    fn change(self, previous: Option<&Arc<Stamp>>, images: &mut Images) -> Result<(Cow<'a, str>, u64, Change)> {
        let principal = Principal::parse(&self.by);
        let stamp = match previous {
            Some(s) if s.operation == self.op && s.transaction == self.tx && s.principal == principal => Arc::clone(s),
            _ => stamp(self.op, self.tx, principal),
        };
        let hash = u64::from_str_radix(&self.hash, 16).map_err(|_| bad("change hash"))?;
        let before = self.before.map(|t| images.read(t.get())).transpose()?;
        let after = self.after.map(|t| images.read(t.get())).transpose()?;
        let change = Change { stamp: Some(stamp), ..Change::new(hash, before, after, self.at) };
        Ok((self.t, self.seq, change))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Changes read one after another share a stamp where they are alike, across records.
    #[test]
    fn changes_read_alike_share_the_stamp_before() {
        let change = |seq: u32, op: &str, tx: &str| {
            format!(
                r#"{{"t":"T","seq":{seq},"at":9,"hash":"00000000000000ff","after":{{"pk":{{"S":"a"}}}},"op":"{op}"{tx},"by":"user"}}"#
            )
        };
        let group = format!("[{},{}]", change(1, "PutItem", ""), change(2, "PutItem", ""));
        let texts = [
            group,
            change(3, "PutItem", ""),
            change(4, "PutItem", r#","tx":"t1""#),
            change(5, "DeleteItem", r#","tx":"t1""#),
        ];
        let (mut logs, mut images) = (LogsRead::default(), Images::default());
        for text in &texts {
            read_changes_text(text, &mut logs, &mut images).unwrap();
        }
        let out: Vec<Change> = logs.changes("T").into_iter().map(|(_, c)| c).collect();
        let stamp = |i: usize| out[i].stamp.clone().unwrap();
        assert!(Arc::ptr_eq(&stamp(0), &stamp(1)) && Arc::ptr_eq(&stamp(1), &stamp(2)));
        assert!(!Arc::ptr_eq(&stamp(2), &stamp(3)) && !Arc::ptr_eq(&stamp(3), &stamp(4)));
        assert_eq!((out[3].transaction(), out[4].operation()), (Some("t1"), "DeleteItem"));
        // Equal images, in one record or another, are one item.
        let image = |i: usize| out[i].after.clone().unwrap();
        assert!(PackedItem::same(&image(0), &image(1)) && PackedItem::same(&image(0), &image(4)));
    }

    /// Records written before the key was dropped from a change still load, in both
    /// readers, and the key comes back from the image.
    #[test]
    fn an_old_record_with_its_own_key_still_reads() {
        let old = r#"{"t":"T","seq":3,"at":9,"hash":"00000000000000ff","key":{"pk":{"S":"a"}},
            "after":{"pk":{"S":"a"},"n":{"N":"1"}},"op":"PutItem","by":"user"}"#;
        let (table, seq, c) = read_change_text(old).unwrap();
        let (_, same, _) = read_change(&serde_json::from_str(old).unwrap()).unwrap();
        assert_eq!((table.as_str(), seq, c.hash, same), ("T", 3, 0xff, 3));
        let hash = crate::table::KeyDef { name: "pk".into(), ty: crate::table::ScalarType::S };
        let schema = crate::table::KeySchema { hash, range: None };
        assert_eq!(item_to_json(&c.key(&schema)).to_string(), r#"{"pk":{"S":"a"}}"#);
        let logged = Logged { seq, at_ms: c.at_ms, stamp: c.stamp.as_ref(), change: &c.kept };
        assert!(!change_record_text("T", logged).contains("\"key\""));
    }
}
