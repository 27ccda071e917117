//! An item collection in sort-key order, and why each key sorts where it does.

use std::cmp::Ordering;

use crate::table::{KeyValue, ScalarType, Table};
use crate::value::Item;

#[derive(Clone, Debug, PartialEq)]
pub struct SortedCollection {
    pub pk: KeyValue,
    /// The sort key's name and type; `None` for a table without one.
    pub sort_key: Option<(String, ScalarType)>,
    /// The collection in the order a forward Query reads it.
    pub entries: Vec<SortEntry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortEntry {
    pub sk: Option<KeyValue>,
    pub item: Item,
    pub size: usize,
}

/// The items with partition key `pk`, in sort-key order.
pub fn sorted_collection(table: &Table, pk: &KeyValue) -> SortedCollection {
    let sort_key = table.def.schema.range.as_ref().map(|k| (k.name.clone(), k.ty));
    let entries = table
        .collection(pk)
        .map(|(key, item)| SortEntry { sk: key.sk(), item: item.item(), size: item.size() })
        .collect();
    SortedCollection { pk: pk.clone(), sort_key, entries }
}

/// The ordering rule of a key type, in a sentence.
pub fn rule(ty: ScalarType) -> &'static str {
    match ty {
        ScalarType::N => "Numbers sort by numeric value: 9 before 10, -5 before 2, 1.5 before 1.75.",
        ScalarType::S => {
            "Strings sort by their UTF-8 bytes, one byte at a time: \"10\" before \"9\", \"Zebra\" before \"apple\"."
        }
        ScalarType::B => "Binary values sort as unsigned bytes, one byte at a time: 0x7f before 0x80.",
    }
}

/// How two keys of one type compare, and the step that decides it.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub ordering: Ordering,
    pub reason: String,
}

/// Compares `a` with `b` as DynamoDB orders sort keys, explaining the deciding step.
pub fn compare(a: &KeyValue, b: &KeyValue) -> Comparison {
    let ordering = a.cmp(b);
    let sign = match ordering {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    };
    let reason = match (a, b) {
        (KeyValue::N(x), KeyValue::N(y)) => format!("{x} {sign} {y}: numbers compare by value"),
        (KeyValue::S(x), KeyValue::S(y)) => {
            let step = first_difference(x.as_bytes(), y.as_bytes(), |b| {
                let c = char::from(b);
                if c.is_ascii_graphic() || c == ' ' {
                    format!("'{c}' (0x{b:02x})")
                } else {
                    format!("0x{b:02x}")
                }
            });
            format!("\"{x}\" {sign} \"{y}\": {step}")
        }
        (KeyValue::B(x), KeyValue::B(y)) => {
            let step = first_difference(x, y, |b| format!("0x{b:02x}"));
            format!("{} {sign} {}: {step}", hex(x), hex(y))
        }
        _ => "different types never share a key attribute".to_string(),
    };
    Comparison { ordering, reason }
}

fn first_difference(x: &[u8], y: &[u8], show: impl Fn(u8) -> String) -> String {
    match x.iter().zip(y).position(|(a, b)| a != b) {
        Some(i) => {
            let (a, b) = (x.get(i).copied().unwrap_or(0), y.get(i).copied().unwrap_or(0));
            let sign = if a < b { "<" } else { ">" };
            format!("byte {} decides, {} {sign} {}", i + 1, show(a), show(b))
        }
        None if x.len() == y.len() => "the same bytes".to_string(),
        None if x.len() < y.len() => "the first is a prefix of the second, so it sorts first".to_string(),
        None => "the second is a prefix of the first, so it sorts first".to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::from("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Number;

    fn n(s: &str) -> KeyValue {
        KeyValue::N(Number::parse(s).unwrap())
    }
    fn s(s: &str) -> KeyValue {
        KeyValue::S(s.into())
    }

    #[test]
    fn explains_the_deciding_step() {
        assert_eq!(
            compare(&n("9"), &n("10")),
            Comparison { ordering: Ordering::Less, reason: "9 < 10: numbers compare by value".into() }
        );
        assert_eq!(compare(&s("10"), &s("9")).reason, "\"10\" < \"9\": byte 1 decides, '1' (0x31) < '9' (0x39)");
        assert_eq!(compare(&s("Zebra"), &s("apple")).ordering, Ordering::Less);
        assert_eq!(
            compare(&s("ab"), &s("abc")).reason,
            "\"ab\" < \"abc\": the first is a prefix of the second, so it sorts first"
        );
        assert_eq!(
            compare(&KeyValue::B(vec![0x80]), &KeyValue::B(vec![0x7f])).reason,
            "0x80 > 0x7f: byte 1 decides, 0x80 > 0x7f"
        );
        assert_eq!(compare(&s("é"), &s("z")).reason, "\"é\" > \"z\": byte 1 decides, 0xc3 > 'z' (0x7a)");
    }

    #[test]
    fn collection_is_in_query_order() {
        let mut e = crate::Engine::new(crate::Config::default());
        let create = r#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}"#;
        e.request("CreateTable", create.as_bytes(), 0);
        for sk in ["9", "10", "100", "a", "B"] {
            let body = format!(r#"{{"TableName":"Tbl","Item":{{"pk":{{"S":"p"}},"sk":{{"S":"{sk}"}}}}}}"#);
            assert_eq!(e.request("PutItem", body.as_bytes(), 1).status, 200);
        }
        let c = sorted_collection(e.table("Tbl").unwrap(), &s("p"));
        let order: Vec<KeyValue> = c.entries.iter().filter_map(|e| e.sk.clone()).collect();
        assert_eq!(order, vec![s("10"), s("100"), s("9"), s("B"), s("a")]);
        let q = e.request(
            "Query",
            br#"{"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}"#,
            2,
        );
        let body: serde_json::Value = serde_json::from_str(&q.body).unwrap();
        let queried: Vec<&str> =
            body["Items"].as_array().unwrap().iter().map(|i| i["sk"]["S"].as_str().unwrap()).collect();
        assert_eq!(queried, ["10", "100", "9", "B", "a"]);
        assert_eq!(c.sort_key, Some(("sk".into(), ScalarType::S)));
    }
}
