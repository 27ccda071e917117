//! Amazon Ion text, as DynamoDB exports and imports it: each line `$ion_1_0 {Item:{…}}`;
//! strings, decimals (`103.`, `6d2`), blobs (`{{…}}`), booleans, `null`, structs and lists,
//! sets as lists annotated `$dynamodb_SS`, `$dynamodb_NS` or `$dynamodb_BS`.
//!
//! Written by hand: Amazon's `ion-rs` reads and writes all of Ion (binary, timestamps,
//! symbol tables, …) at a size the browser build would carry for one export format; the
//! subset DynamoDB uses is small. The reader takes any Ion text value DynamoDB could map
//! (numbers of every Ion numeric type, comments, quoted field names) and says where it
//! stopped otherwise.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use crate::value::{AttributeValue, Item, Number};

/// One export line: `$ion_1_0 {Item:{…}}`.
pub fn item_line(item: &Item) -> String {
    let mut out = String::from("$ion_1_0 {Item:");
    write_struct(item, &mut out);
    out.push('}');
    out
}

/// A line of an incremental Ion export: `$ion_1_0 {Metadata:…,Keys:…,NewImage:…}`.
pub fn struct_line(fields: &Item) -> String {
    let mut out = String::from("$ion_1_0 ");
    write_struct(fields, &mut out);
    out
}

fn write_struct(item: &Item, out: &mut String) {
    out.push('{');
    for (i, (name, value)) in item.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_field_name(name, out);
        out.push(':');
        write_value(value, out);
    }
    out.push('}');
}

fn write_field_name(name: &str, out: &mut String) {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(name, "true" | "false" | "null" | "nan");
    if plain {
        out.push_str(name);
    } else {
        out.push('\'');
        for c in name.chars() {
            match c {
                '\'' | '\\' => out.extend(['\\', c]),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\'');
    }
}

fn write_list(annotation: &str, values: impl Iterator<Item = String>, out: &mut String) {
    out.push_str(annotation);
    out.push('[');
    out.push_str(&values.collect::<Vec<_>>().join(","));
    out.push(']');
}

fn write_value(value: &AttributeValue, out: &mut String) {
    use AttributeValue::*;
    match value {
        S(s) => out.push_str(&serde_json::Value::String(s.to_string()).to_string()),
        N(n) => out.push_str(&decimal(n)),
        B(b) => out.push_str(&format!("{{{{{}}}}}", BASE64.encode(b))),
        Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Null => out.push_str("null"),
        M(m) => write_struct(m, out),
        L(l) => {
            out.push('[');
            for (i, v) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(v, out);
            }
            out.push(']');
        }
        Ss(s) => {
            write_list("$dynamodb_SS::", s.iter().map(|s| serde_json::Value::String(s.to_string()).to_string()), out)
        }
        Ns(n) => write_list("$dynamodb_NS::", n.iter().map(decimal), out),
        Bs(b) => write_list("$dynamodb_BS::", b.iter().map(|b| format!("{{{{{}}}}}", BASE64.encode(b))), out),
    }
}

/// A DynamoDB number as an Ion decimal: `103.` for a whole number, `1.5`, `12d-3`.
fn decimal(n: &Number) -> String {
    let text = n.to_string().replace(['e', 'E'], "d");
    if text.contains('.') || text.contains('d') {
        text
    } else {
        format!("{text}.")
    }
}

mod read;
pub use read::read_item_line;

#[cfg(test)]
mod tests;
