//! A stored item's wire JSON text written straight from its bytes: the same text as
//! [`crate::value::write_item`] writes for the item unpacked, without unpacking it (no
//! allocation but the text's). A GetItem's answer, a record a workspace saves and the
//! check a reload makes of an image it found are written so.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use super::{PackedItem, Reader, B, BS, FALSE, KEY_B, KEY_S, L, M, N, NS, NULL, S, SS, TRUE};
use crate::value::write_json_str;

/// Appends `item`'s wire JSON text.
pub fn write_packed(out: &mut String, item: &PackedItem) {
    let mut reader = item.reader();
    out.push('{');
    for (i, name) in item.keys().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_str(out, name);
        out.push(':');
        // Only damaged bytes stop it, and only the engine writes them.
        if write_value(out, &mut reader).is_none() {
            break;
        }
    }
    out.push('}');
}

fn write_value(out: &mut String, r: &mut Reader<'_>) -> Option<()> {
    match r.byte()? {
        NULL => out.push_str("{\"NULL\":true}"),
        FALSE => out.push_str("{\"BOOL\":false}"),
        TRUE => out.push_str("{\"BOOL\":true}"),
        S => {
            out.push_str("{\"S\":");
            write_json_str(out, r.text()?);
            out.push('}');
        }
        N => {
            out.push_str("{\"N\":");
            write_number(out, r)?;
            out.push('}');
        }
        B => {
            out.push_str("{\"B\":");
            write_binary(out, r)?;
            out.push('}');
        }
        M => {
            out.push_str("{\"M\":{");
            each(out, r, |out, r| {
                write_json_str(out, r.text()?);
                out.push(':');
                write_value(out, r)
            })?;
            out.push_str("}}");
        }
        L => list(out, r, "{\"L\":[", write_value)?,
        SS => list(out, r, "{\"SS\":[", write_text)?,
        NS => list(out, r, "{\"NS\":[", write_number)?,
        BS => list(out, r, "{\"BS\":[", write_binary)?,
        KEY_S => {
            out.push_str("{\"S\":");
            write_json_str(out, std::str::from_utf8(r.key_part()?).ok()?);
            out.push('}');
        }
        KEY_B => {
            out.push_str("{\"B\":\"");
            BASE64.encode_string(r.key_part()?, out);
            out.push_str("\"}");
        }
        _ => return None,
    }
    Some(())
}

fn write_text(out: &mut String, r: &mut Reader<'_>) -> Option<()> {
    write_json_str(out, r.text()?);
    Some(())
}

fn write_number(out: &mut String, r: &mut Reader<'_>) -> Option<()> {
    out.push('"');
    r.number()?.write_text(out);
    out.push('"');
    Some(())
}

fn write_binary(out: &mut String, r: &mut Reader<'_>) -> Option<()> {
    out.push('"');
    BASE64.encode_string(r.bytes()?, out);
    out.push('"');
    Some(())
}

/// `open`, the elements comma-separated, then `]}`.
fn list(
    out: &mut String,
    r: &mut Reader<'_>,
    open: &str,
    element: impl Fn(&mut String, &mut Reader<'_>) -> Option<()>,
) -> Option<()> {
    out.push_str(open);
    each(out, r, element)?;
    out.push_str("]}");
    Some(())
}

/// The count read, then that many elements, comma-separated.
fn each(
    out: &mut String,
    r: &mut Reader<'_>,
    element: impl Fn(&mut String, &mut Reader<'_>) -> Option<()>,
) -> Option<()> {
    for i in 0..r.count()? {
        if i > 0 {
            out.push(',');
        }
        element(out, r)?;
    }
    Some(())
}
