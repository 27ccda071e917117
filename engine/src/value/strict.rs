//! Request attribute maps read straight from the body's text, without a
//! `serde_json::Value` in between: the fast path for the members the single-item
//! operations read most (see [`crate::request::Body`]).
//!
//! It takes only what [`item_from_json`](super::item_from_json) would take and read to the
//! same item, and declines everything else (a null, a second type, an empty or repeated
//! set, a bad number, a boolean written as a string, too deep a nesting, a repeated name):
//! the caller then reads the body the slow way, whose checks word AWS's errors. Declining
//! is a serde error whose text nobody sees.

use std::fmt;
use thin_vec::ThinVec;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

use super::{check_name, has_duplicates, AttributeValue, Item, Name, Number, MAX_NESTING};

/// An attribute map whose values sit at nesting `depth` (0 for an `Item` or a `Key`).
#[derive(Clone, Copy)]
pub(crate) struct StrictItem {
    pub depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictItem {
    type Value = Item;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StrictItem {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an attribute map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        // Gathered first, so the item is allocated once at its size (the JSON reader
        // cannot say how many members an object has).
        let mut entries: SmallVec<[(Name, AttributeValue); 8]> = SmallVec::new();
        while let Some(name) = map.next_key::<Name>()? {
            check_name(&name).map_err(|_| A::Error::custom("name too long"))?;
            entries.push((name, map.next_value_seed(StrictValue { depth: self.depth })?));
        }
        let mut item = Item::with_capacity(entries.len());
        for (name, value) in entries {
            if item.insert(name, value).is_some() {
                return Err(A::Error::custom("a repeated name"));
            }
        }
        Ok(item)
    }
}

/// One attribute value at nesting `depth`.
#[derive(Clone, Copy)]
struct StrictValue {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = AttributeValue;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<AttributeValue, D::Error> {
        if self.depth > MAX_NESTING {
            return Err(D::Error::custom("too deep"));
        }
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an attribute value of one type")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        let tag = map.next_key::<Name>()?.ok_or_else(|| A::Error::custom("no type"))?;
        let inner = StrictItem { depth: self.depth + 1 };
        let value = match tag.as_str() {
            "S" => AttributeValue::S(map.next_value()?),
            "N" => AttributeValue::N(number(&map.next_value::<Name>()?)?),
            "B" => AttributeValue::B(binary(&map.next_value::<String>()?)?),
            "BOOL" => AttributeValue::Bool(map.next_value()?),
            "NULL" => match map.next_value::<bool>()? {
                true => AttributeValue::Null,
                false => return Err(A::Error::custom("NULL false")),
            },
            "M" => AttributeValue::M(map.next_value_seed(inner)?),
            "L" => AttributeValue::L(map.next_value_seed(StrictList { depth: self.depth + 1 })?),
            "SS" => AttributeValue::Ss(set(map.next_value::<ThinVec<Name>>()?)?),
            "NS" => AttributeValue::Ns(set(map
                .next_value::<Vec<Name>>()?
                .iter()
                .map(|n| number(n))
                .collect::<Result<_, _>>()?)?),
            "BS" => AttributeValue::Bs(set(map
                .next_value::<Vec<String>>()?
                .iter()
                .map(|b| binary(b))
                .collect::<Result<_, _>>()?)?),
            _ => return Err(A::Error::custom("unknown type")),
        };
        match map.next_key::<IgnoredAny>()? {
            Some(_) => Err(A::Error::custom("a second type")),
            None => Ok(value),
        }
    }
}

/// A list's elements, each at nesting `depth`.
struct StrictList {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictList {
    type Value = ThinVec<AttributeValue>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ThinVec<AttributeValue>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for StrictList {
    type Value = ThinVec<AttributeValue>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of attribute values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ThinVec<AttributeValue>, A::Error> {
        let mut out = ThinVec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(StrictValue { depth: self.depth })? {
            out.push(v);
        }
        Ok(out)
    }
}

fn number<E: Error>(text: &str) -> Result<Number, E> {
    Number::parse(text).map_err(|_| E::custom("a bad number"))
}

fn binary<E: Error>(text: &str) -> Result<ThinVec<u8>, E> {
    BASE64.decode(text).map(ThinVec::from).map_err(|_| E::custom("bad base64"))
}

/// A set's elements, read straight into the vector the value keeps.
fn set<T: PartialEq, E: Error>(elements: ThinVec<T>) -> Result<ThinVec<T>, E> {
    if elements.is_empty() || has_duplicates(&elements) {
        return Err(E::custom("an empty or repeating set"));
    }
    Ok(elements)
}
