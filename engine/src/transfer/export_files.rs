//! An export's data: the lines of each data file, one file per partition of the table,
//! each holding the items (or changes) of that partition's hash range.

use std::collections::BTreeMap;

use super::export::Format;
use super::{ion, lines};
use crate::log::Logged;
use crate::table::{Items, KeySchema, Partitions, StoreKey};
use crate::value::{Item, PackedItem};

/// What goes into the data files: lines per partition, the item count and the billed bytes.
pub struct Data {
    pub parts: Vec<Vec<String>>,
    pub item_count: u64,
    pub billed_bytes: u64,
}

/// A full export of `items` (the table at the export time).
pub fn full(partitions: &Partitions, items: &Items, format: Format) -> Data {
    let mut parts = vec![Vec::new(); partitions.parts.len().max(1)];
    let mut billed = 0u64;
    for (key, item) in items.iter() {
        billed = billed.saturating_add(item.size() as u64);
        let item = item.item();
        let line = match format {
            Format::DynamoDbJson => lines::item_line(&item),
            Format::Ion => ion::item_line(&item),
        };
        if let Some(p) = parts.get_mut(partitions.index_of(key.hash)) {
            p.push(line);
        }
    }
    Data { parts, item_count: items.len() as u64, billed_bytes: billed }
}

/// An incremental export of `changes` (the window's, in commit order), compacted to one
/// line per item: its state before the window's first change (the old image) and after its
/// last (the new image). An item created and deleted inside the window has no line.
pub fn incremental<'a>(
    schema: &KeySchema,
    partitions: &Partitions,
    changes: impl Iterator<Item = Logged<'a>>,
    view_old: bool,
    format: Format,
) -> Data {
    let mut per_item: BTreeMap<StoreKey, (Logged, Logged)> = BTreeMap::new();
    for c in changes {
        let Some(id) = c.store_key(schema) else { continue };
        per_item.entry(id).and_modify(|(_, last)| *last = c).or_insert((c, c));
    }
    let mut parts = vec![Vec::new(); partitions.parts.len().max(1)];
    let (mut count, mut billed) = (0u64, 0u64);
    for (first, last) in per_item.values() {
        if first.before.is_none() && last.after.is_none() {
            continue;
        }
        let old = if view_old { first.before.as_ref().map(PackedItem::item) } else { None };
        let line = change_line(*last, &last.key(schema), old.as_ref(), format);
        billed = billed.saturating_add(line.len() as u64);
        count += 1;
        if let Some(p) = parts.get_mut(partitions.index_of(last.hash)) {
            p.push(line);
        }
    }
    Data { parts, item_count: count, billed_bytes: billed }
}

fn change_line(last: Logged<'_>, key: &Item, old: Option<&Item>, format: Format) -> String {
    match format {
        Format::DynamoDbJson => {
            lines::change_line(last.at_ms, key, last.after.as_ref().map(PackedItem::item).as_ref(), old)
        }
        // Ion carries the same four fields.
        Format::Ion => {
            let mut item = Item::new();
            let micros = crate::value::Number::parse(&last.at_ms.saturating_mul(1000).to_string());
            if let Ok(n) = micros {
                let meta: Item = [("WriteTimestampMicros".to_string(), crate::value::AttributeValue::N(n))].into();
                item.insert("Metadata", crate::value::AttributeValue::M(meta));
            }
            item.insert("Keys", crate::value::AttributeValue::M(key.clone()));
            if let Some(n) = &last.after {
                item.insert("NewImage", crate::value::AttributeValue::M(n.item()));
            }
            if let Some(o) = old {
                item.insert("OldImage", crate::value::AttributeValue::M(o.clone()));
            }
            ion::struct_line(&item)
        }
    }
}
