//! Items written as wire JSON text straight from storage: the same text as
//! [`item_to_json`](super::item_to_json) then `to_string`, without building a
//! `serde_json::Value` (a map and a copied string per attribute) first. The reads' answers
//! are mostly items, so this is most of what a GetItem, Query or Scan answer costs.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use thin_vec::ThinVec;

use super::{AttributeValue, Item, Number};

/// An item's wire form: its attributes in name order, as `item_to_json` gives them.
impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (name, value) in self.iter() {
            map.serialize_entry(name.as_str(), value)?;
        }
        map.end()
    }
}

/// A value's wire form: `{"S": "x"}`, `{"NULL": true}`, sets as arrays in their order.
impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        match self {
            AttributeValue::S(v) => map.serialize_entry("S", v)?,
            AttributeValue::N(n) => map.serialize_entry("N", n.plain().as_str())?,
            AttributeValue::B(b) => map.serialize_entry("B", &BASE64.encode(b))?,
            AttributeValue::Bool(b) => map.serialize_entry("BOOL", b)?,
            AttributeValue::Null => map.serialize_entry("NULL", &true)?,
            AttributeValue::M(m) => map.serialize_entry("M", m)?,
            AttributeValue::L(l) => map.serialize_entry("L", l)?,
            AttributeValue::Ss(v) => map.serialize_entry("SS", v)?,
            AttributeValue::Ns(v) => map.serialize_entry("NS", &Each(v, |n: &Number| n.plain()))?,
            AttributeValue::Bs(v) => map.serialize_entry("BS", &Each(v, |b: &ThinVec<u8>| BASE64.encode(b)))?,
        }
        map.end()
    }
}

impl Serialize for super::number::Plain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A set's elements, each written as `f` makes it.
struct Each<'a, T, F>(&'a [T], F);

impl<'a, T, F, R> Serialize for Each<'a, T, F>
where
    F: Fn(&'a T) -> R,
    R: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for x in self.0 {
            seq.serialize_element(&(self.1)(x))?;
        }
        seq.end()
    }
}

/// The wire JSON text of an item, or of a list of items (`&[Item]`).
pub fn json_text<T: Serialize + ?Sized>(items: &T) -> String {
    // Our `Serialize` impls write only string keys, so serde_json cannot fail on them.
    serde_json::to_string(items).unwrap_or_default()
}

/// [`write_item`] for a list of items (a Query or Scan page's `Items`).
pub fn write_items<'a>(out: &mut String, items: impl Iterator<Item = &'a Item>) {
    list(out, "[", items, write_item, "]");
}

/// `open`, then each element as `each` writes it, comma-separated, then `close`.
fn list<T>(out: &mut String, open: &str, items: impl Iterator<Item = T>, each: impl Fn(&mut String, T), close: &str) {
    out.push_str(open);
    for (i, x) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, x);
    }
    out.push_str(close);
}

/// Appends an item's wire JSON text, read from storage (a GetItem's item): the same text
/// as [`json_text`], written by hand. Strings that need no escaping, nearly all of them,
/// are copied whole instead of byte by byte, and type tags are literals.
pub fn write_item(out: &mut String, item: &Item) {
    out.push('{');
    for (i, (name, value)) in item.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_str(out, name);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_value(out: &mut String, value: &AttributeValue) {
    let number = |out: &mut String, n: &Number| {
        out.push('"');
        n.write_text(out);
        out.push('"');
    };
    let binary = |out: &mut String, b: &ThinVec<u8>| {
        out.push('"');
        BASE64.encode_string(b, out);
        out.push('"');
    };
    let tagged = |out: &mut String, tag: &str, write: &dyn Fn(&mut String)| {
        out.push_str(tag);
        write(out);
        out.push('}');
    };
    match value {
        AttributeValue::S(s) => tagged(out, "{\"S\":", &|out| write_json_str(out, s)),
        AttributeValue::N(n) => tagged(out, "{\"N\":", &|out| number(out, n)),
        AttributeValue::B(b) => tagged(out, "{\"B\":", &|out| binary(out, b)),
        AttributeValue::Bool(true) => out.push_str("{\"BOOL\":true}"),
        AttributeValue::Bool(false) => out.push_str("{\"BOOL\":false}"),
        AttributeValue::Null => out.push_str("{\"NULL\":true}"),
        AttributeValue::M(m) => tagged(out, "{\"M\":", &|out| write_item(out, m)),
        AttributeValue::L(l) => list(out, "{\"L\":[", l.iter(), write_value, "]}"),
        AttributeValue::Ss(v) => list(out, "{\"SS\":[", v.iter(), |out, s| write_json_str(out, s), "]}"),
        AttributeValue::Ns(v) => list(out, "{\"NS\":[", v.iter(), number, "]}"),
        AttributeValue::Bs(v) => list(out, "{\"BS\":[", v.iter(), binary, "]}"),
    }
}

/// A JSON string, escaped exactly as serde_json escapes it (`"`, `\` and control
/// characters); copied whole when it has none of them.
pub fn write_json_str(out: &mut String, s: &str) {
    // Every byte is looked at (no early exit), so the check runs several bytes at a time.
    let plain = s.bytes().fold(true, |plain, b| plain & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        // Serialising a string into text cannot fail.
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}
