//! The sort-key order view's model: the table's key schema and collections to choose from,
//! one collection as a ladder of rungs with the reason each follows the one before, the
//! Query a key-condition form describes, and the sort keys a Query returned.

use dynaplay_engine::inspect::{collections, compare, key_schema, sorted_collection};
use dynaplay_engine::table::{KeySchema, KeyValue, Table};
use dynaplay_engine::value::item_from_json;
use serde_json::{json, Map, Value};

use crate::text::{key_text, parse_key};

/// At most this many rungs are drawn.
pub const RUNGS: usize = 200;
/// At most this many collections are offered.
const COLLECTIONS: usize = 500;

/// The sort-key operators the form offers; "(any)" reads the whole collection.
pub const OPERATORS: [&str; 8] = ["(any)", "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"];

#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub keys: KeySchema,
    /// Partition keys to choose from (as text), biggest collection first.
    pub collections: Vec<(String, usize)>,
}

impl Shape {
    pub fn of(table: &Table) -> Shape {
        let (cols, _) = collections(table, None, COLLECTIONS);
        let mut keys: Vec<(String, usize)> = cols.iter().map(|c| (key_text(&c.key), c.items)).collect();
        dynaplay_engine::sorted::sort_by(&mut keys, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Shape { keys: key_schema(table), collections: keys }
    }

    pub fn biggest(&self) -> Option<String> {
        self.collections.first().map(|k| k.0.clone())
    }
}

/// One item of a collection, in sort-key order.
#[derive(Clone, Debug, PartialEq)]
pub struct Rung {
    pub sk: Option<KeyValue>,
    pub text: String,
    pub size: usize,
    /// Why it sorts after the rung before (none for the first).
    pub why: Option<String>,
}

/// The collection of partition key `pk_text` as rungs (at most [`RUNGS`]), and its size.
pub fn ladder(table: &Table, pk_text: &str) -> Option<(Vec<Rung>, usize)> {
    let pk = parse_key(table.def.schema.hash.ty, pk_text).ok()?;
    let c = sorted_collection(table, &pk);
    let entries = c.entries.iter().take(RUNGS);
    let before = std::iter::once(None).chain(c.entries.iter().map(|e| e.sk.as_ref()));
    let rungs = entries
        .zip(before)
        .map(|(entry, prev)| Rung {
            sk: entry.sk.clone(),
            text: entry.sk.as_ref().map_or("(no sort key)".into(), key_text),
            size: entry.size,
            why: prev.zip(entry.sk.as_ref()).map(|(p, k)| compare(p, k).reason),
        })
        .collect();
    Some((rungs, c.entries.len()))
}

/// The key-condition form.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryForm {
    pub pk: String,
    pub operator: String,
    pub v1: String,
    pub v2: String,
    pub forward: bool,
    pub limit: String,
    pub consistent: bool,
}

impl Default for QueryForm {
    fn default() -> QueryForm {
        QueryForm {
            pk: String::new(),
            operator: OPERATORS[0].into(),
            v1: String::new(),
            v2: String::new(),
            forward: true,
            limit: String::new(),
            consistent: false,
        }
    }
}

impl QueryForm {
    /// The Query the form describes, on `table` with key schema `keys`.
    pub fn request(&self, table: &str, keys: &KeySchema) -> Result<Value, String> {
        let mut names = Map::new();
        names.insert("#pk".into(), json!(keys.hash.name));
        let mut values = Map::new();
        values.insert(":pk".into(), json!({ keys.hash.ty.as_str(): self.pk }));
        let mut condition = "#pk = :pk".to_string();
        if let (Some(sk), false) = (&keys.range, self.operator == OPERATORS[0]) {
            names.insert("#sk".into(), json!(sk.name));
            let typed = |v: &str| json!({ sk.ty.as_str(): v });
            values.insert(":a".into(), typed(&self.v1));
            condition.push_str(&match self.operator.as_str() {
                "BETWEEN" => {
                    values.insert(":b".into(), typed(&self.v2));
                    " AND #sk BETWEEN :a AND :b".to_string()
                }
                "begins_with" => " AND begins_with(#sk, :a)".to_string(),
                o => format!(" AND #sk {o} :a"),
            });
        }
        let mut request = json!({
            "TableName": table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": self.forward,
            "ConsistentRead": self.consistent,
            "ReturnConsumedCapacity": "TOTAL",
        });
        super::set_limit(&mut request, &self.limit)?;
        Ok(request)
    }
}

/// The sort keys (attribute `sk`) of the items a Query returned, in the order returned.
pub fn returned_keys(body: &Value, sk: &str) -> Vec<KeyValue> {
    let items = body["Items"].as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .filter_map(|i| item_from_json(i).ok())
        .filter_map(|i| i.get(sk).and_then(KeyValue::from_attribute))
        .collect()
}

/// `text` cut to `max` characters with an ellipsis (the whole text is the element's title).
pub fn fit(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if text.chars().count() > max => format!("{}…", &text[..at]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::Engine;

    fn music() -> Engine {
        let mut e = crate::model::engine_with_table("Music", &[("Artist", "S"), ("Year", "N")]);
        for (artist, year) in [("Abba", "1974"), ("Abba", "980"), ("Abba", "1976"), ("Cher", "1965")] {
            let put = json!({"TableName": "Music", "Item": {"Artist": {"S": artist}, "Year": {"N": year}}});
            assert_eq!(e.request("PutItem", put.to_string().as_bytes(), 0).status, 200);
        }
        e
    }

    #[test]
    fn a_collection_as_a_ladder_in_number_order() {
        let e = music();
        let t = e.table("Music").unwrap();
        let shape = Shape::of(t);
        assert_eq!(shape.collections, vec![("Abba".to_string(), 3), ("Cher".to_string(), 1)]);
        assert_eq!(shape.biggest().as_deref(), Some("Abba"));
        let (rungs, total) = ladder(t, "Abba").unwrap();
        assert_eq!(total, 3);
        let texts: Vec<&str> = rungs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["980", "1974", "1976"], "numbers sort by value, not as text");
        assert!(rungs[0].why.is_none() && rungs[1].why.is_some());
        assert_eq!(ladder(t, "Nobody").map(|l| l.1), Some(0));
    }

    #[test]
    fn the_form_describes_the_query_and_the_answer_marks_the_rungs() {
        let mut e = music();
        let keys = key_schema(e.table("Music").unwrap());
        let form = QueryForm {
            pk: "Abba".into(),
            operator: "BETWEEN".into(),
            v1: "1000".into(),
            v2: "1980".into(),
            forward: false,
            limit: "5".into(),
            ..QueryForm::default()
        };
        let request = form.request("Music", &keys).unwrap();
        assert_eq!(request["KeyConditionExpression"], "#pk = :pk AND #sk BETWEEN :a AND :b");
        assert_eq!(request["ExpressionAttributeValues"][":b"], json!({"N": "1980"}));
        assert_eq!((request["Limit"].as_u64(), request["ScanIndexForward"].as_bool()), (Some(5), Some(false)));
        let r = e.request("Query", request.to_string().as_bytes(), 0);
        let body: Value = serde_json::from_str(&r.body).unwrap();
        let texts: Vec<String> = returned_keys(&body, "Year").iter().map(key_text).collect();
        assert_eq!(texts, ["1976", "1974"]);
        let any = QueryForm { pk: "Abba".into(), ..QueryForm::default() }.request("Music", &keys).unwrap();
        assert_eq!(any["KeyConditionExpression"], "#pk = :pk");
        let bad = QueryForm { limit: "x".into(), ..QueryForm::default() }.request("Music", &keys);
        assert_eq!(bad, Err("Limit must be a whole number, not \"x\"".into()));
    }

    #[test]
    fn long_reasons_are_cut_short() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abcd", 4), "abcd");
    }
}
