//! Items read back from their wire JSON text without a `serde_json::Value` in between:
//! what a reload does with every item and change record it stored (see
//! [`crate::snapshot`]). Stored text was written by the engine, so this checks that each
//! value is well formed but leaves AWS's request validation (its messages, limits and
//! empty sets) to [`item_from_json`](super::item_from_json), which requests go through.

use std::fmt;
use thin_vec::ThinVec;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

use super::{AttributeValue, Item, Name, Number};

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Item, D::Error> {
        d.deserialize_map(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an item: attribute names to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut entries: smallvec::SmallVec<[(Name, AttributeValue); 8]> = smallvec::SmallVec::new();
        while let Some(entry) = map.next_entry::<Name, AttributeValue>()? {
            entries.push(entry);
        }
        Ok(entries.into_iter().collect())
    }
}

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AttributeValue, D::Error> {
        d.deserialize_map(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an attribute value such as {\"S\": \"text\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        // Tags, names and numbers read as `Name`: short ones inline, not one allocation each.
        let Some(tag) = map.next_key::<Name>()? else {
            return Err(A::Error::custom("an attribute value has no type"));
        };
        let number = |s: Name| Number::parse(&s).map_err(|e| A::Error::custom(e.message(&s)));
        let bytes = |s: String| BASE64.decode(s).map(ThinVec::from).map_err(A::Error::custom);
        let value = match tag.as_str() {
            "S" => AttributeValue::S(map.next_value()?),
            "N" => AttributeValue::N(number(map.next_value()?)?),
            "B" => AttributeValue::B(bytes(map.next_value()?)?),
            "BOOL" => AttributeValue::Bool(map.next_value()?),
            "NULL" => {
                map.next_value::<bool>()?;
                AttributeValue::Null
            }
            "M" => AttributeValue::M(map.next_value()?),
            "L" => AttributeValue::L(map.next_value()?),
            "SS" => AttributeValue::Ss(map.next_value()?),
            "NS" => {
                AttributeValue::Ns(map.next_value::<Vec<Name>>()?.into_iter().map(number).collect::<Result<_, _>>()?)
            }
            "BS" => {
                AttributeValue::Bs(map.next_value::<Vec<String>>()?.into_iter().map(bytes).collect::<Result<_, _>>()?)
            }
            other => return Err(A::Error::custom(format!("unknown attribute type {other}"))),
        };
        if map.next_key::<Name>()?.is_some() {
            return Err(A::Error::custom("an attribute value has more than one type"));
        }
        Ok(value)
    }
}
