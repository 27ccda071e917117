//! Items written as wire JSON text straight from storage: the same text as
//! [`item_to_json`](super::item_to_json) then `to_string`, without building a
//! `serde_json::Value` (a map and a copied string per attribute) first. The reads' answers
//! are mostly items, so this is most of what a GetItem, Query or Scan answer costs.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{AttributeValue, Item};

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
            AttributeValue::N(n) => map.serialize_entry("N", &Shown(n))?,
            AttributeValue::B(b) => map.serialize_entry("B", &BASE64.encode(b))?,
            AttributeValue::Bool(b) => map.serialize_entry("BOOL", b)?,
            AttributeValue::Null => map.serialize_entry("NULL", &true)?,
            AttributeValue::M(m) => map.serialize_entry("M", m)?,
            AttributeValue::L(l) => map.serialize_entry("L", l)?,
            AttributeValue::Ss(v) => map.serialize_entry("SS", v)?,
            AttributeValue::Ns(v) => map.serialize_entry("NS", &Each(v, Shown))?,
            AttributeValue::Bs(v) => map.serialize_entry("BS", &Each(v, |b: &Vec<u8>| BASE64.encode(b)))?,
        }
        map.end()
    }
}

/// A value written as the string its `Display` gives (a Number).
struct Shown<'a, T>(&'a T);

impl<T: std::fmt::Display> Serialize for Shown<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
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
