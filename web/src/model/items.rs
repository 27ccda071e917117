//! The items view's model: one page of a table's items in storage order (partition-key
//! hash, then sort key), a column for every attribute, key attributes first.

use dynaplay_engine::table::{StoreKey, Table};
use dynaplay_engine::value::item_to_json;
use serde_json::Value;

use crate::convert::cell_text;

pub const PAGE_SIZE: usize = 25;

#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
    pub next: Option<StoreKey>,
}

impl Page {
    /// The page after `start` (from the first item when `None`).
    pub fn of(t: &Table, start: Option<&StoreKey>) -> Page {
        let keys: Vec<String> = t.def.schema.names().map(str::to_string).collect();
        let mut entries: Vec<(StoreKey, Value)> =
            t.items_after(start).take(PAGE_SIZE + 1).map(|(k, i)| (k.owned(), item_to_json(&i.item()))).collect();
        let next = if entries.len() > PAGE_SIZE {
            entries.pop();
            entries.last().map(|(k, _)| k.clone())
        } else {
            None
        };
        let mut others: Vec<String> = entries
            .iter()
            .flat_map(|(_, v)| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
            .filter(|k| !keys.contains(k))
            .collect();
        // Every attribute gets a column; the grid scrolls sideways.
        dynaplay_engine::sorted::sort(&mut others);
        others.dedup();
        let columns: Vec<String> = keys.iter().cloned().chain(others).collect();
        let rows = entries
            .iter()
            .map(|(_, v)| {
                let cells = columns.iter().map(|c| v.get(c).map(cell_text).unwrap_or_default()).collect();
                (serde_json::to_string_pretty(v).unwrap_or_default(), cells)
            })
            .collect();
        Page { columns, rows, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_of_items_with_every_attribute_as_a_column() {
        let mut e = crate::model::engine_with_table("Pets", &[("id", "N")]);
        for i in 0..PAGE_SIZE + 3 {
            let extra = if i == 7 { json!({"tags": {"SS": ["a"]}}) } else { json!({"name": {"S": format!("p{i}")}}) };
            let mut item = json!({"id": {"N": i.to_string()}});
            item.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            let put = json!({"TableName": "Pets", "Item": item});
            assert_eq!(e.request("PutItem", put.to_string().as_bytes(), 0).status, 200);
        }
        let t = e.table("Pets").unwrap();
        let first = Page::of(t, None);
        assert_eq!(first.rows.len(), PAGE_SIZE);
        assert_eq!(first.columns[0], "id");
        let second = Page::of(t, first.next.as_ref());
        assert_eq!(second.rows.len(), 3);
        assert!(second.next.is_none());
        let all: usize = [&first, &second].iter().map(|p| p.rows.len()).sum();
        assert_eq!(all, PAGE_SIZE + 3, "every item once");
        let pages = [first, second];
        let with_tags: Vec<&Page> = pages.iter().filter(|p| p.columns.contains(&"tags".to_string())).collect();
        assert_eq!(with_tags.len(), 1, "a column only on the page whose item has the attribute");
        assert_eq!(with_tags[0].columns[1..], ["name".to_string(), "tags".into()], "key first, then sorted");
        let tagged = with_tags[0].rows.iter().find(|r| r.0.contains("\"SS\"")).unwrap();
        assert_eq!(tagged.1, ["7".to_string(), String::new(), "{a} (SS set)".into()]);
    }
}
