//! CSV import rows (the `csv` crate reads the quoting rules): the first line is the header
//! unless `HeaderList` names the columns; key attributes of the table and its indexes are
//! typed by their attribute definitions, every other column imports as a string, as AWS
//! documents. An empty cell in a non-key column is left out of the item (Dynaplay's
//! choice: AWS does not document it).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use crate::table::ScalarType;
use crate::value::{AttributeValue, Item, Number};

/// How to read the rows.
pub struct CsvFormat<'a> {
    pub delimiter: u8,
    /// `HeaderList`; `None`: the first line is the header.
    pub header: Option<&'a [String]>,
    /// The key attributes of the table and its indexes, with their types.
    pub keys: &'a BTreeMap<String, ScalarType>,
}

/// Each data row of `text` as an item, or what was wrong with it.
pub fn read(text: &str, format: &CsvFormat) -> Vec<Result<Item, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(format.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match format.header {
        Some(h) => h.to_vec(),
        None => match records.next() {
            Some(Ok(r)) => r.iter().map(str::to_string).collect(),
            Some(Err(e)) => return vec![Err(format!("The header line could not be read: {e}"))],
            None => return Vec::new(),
        },
    };
    records
        .map(|r| match r {
            Ok(row) if row.len() != header.len() => {
                Err(format!("The row has {} columns; the header has {}", row.len(), header.len()))
            }
            Ok(row) => row_item(&header, row.iter(), format.keys),
            Err(e) => Err(format!("The row could not be read: {e}")),
        })
        .collect()
}

fn row_item<'a>(
    header: &[String],
    cells: impl Iterator<Item = &'a str>,
    keys: &BTreeMap<String, ScalarType>,
) -> Result<Item, String> {
    let mut item = Item::new();
    for (name, cell) in header.iter().zip(cells) {
        let value = match keys.get(name) {
            Some(t) => {
                typed(cell, *t).map_err(|e| format!("One or more parameter values were invalid: {name}: {e}"))?
            }
            None if cell.is_empty() => continue,
            None => AttributeValue::S(cell.into()),
        };
        item.insert(name.clone(), value);
    }
    Ok(item)
}

fn typed(cell: &str, t: ScalarType) -> Result<AttributeValue, String> {
    match t {
        ScalarType::S => Ok(AttributeValue::S(cell.into())),
        ScalarType::N => Number::parse(cell).map(AttributeValue::N).map_err(|e| e.message(cell)),
        ScalarType::B => {
            BASE64.decode(cell).map(|b| AttributeValue::B(b.into())).map_err(|_| format!("{cell:?} is not base64"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> BTreeMap<String, ScalarType> {
        [("pk".to_string(), ScalarType::S), ("year".to_string(), ScalarType::N)].into()
    }

    #[test]
    fn header_line_key_types_and_strings() {
        let text = "pk,year,title\nA1,1973,\"Dark Side, The\"\nA2,x,Y\nA3,1990\nA4,1991,\n";
        let rows = read(text, &CsvFormat { delimiter: b',', header: None, keys: &keys() });
        assert_eq!(rows.len(), 4);
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.get("year"), Some(&AttributeValue::N(Number::parse("1973").unwrap())));
        assert_eq!(first.get("title"), Some(&AttributeValue::S("Dark Side, The".into())));
        assert!(rows[1].as_ref().unwrap_err().starts_with("One or more parameter values were invalid: year:"));
        assert_eq!(rows[2].as_ref().unwrap_err(), "The row has 2 columns; the header has 3");
        assert_eq!(rows[3].as_ref().unwrap().get("title"), None);
    }

    #[test]
    fn header_list_makes_the_first_line_data() {
        let header = ["pk".to_string(), "title".to_string()];
        let rows = read("A1|one\nA2|two", &CsvFormat { delimiter: b'|', header: Some(&header), keys: &keys() });
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].as_ref().unwrap().get("pk"), Some(&AttributeValue::S("A1".into())));
    }
}
