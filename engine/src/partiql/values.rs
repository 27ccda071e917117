//! PartiQL literals as DynamoDB JSON: `'text'` a string, `12.5` a number, `TRUE`/`FALSE`
//! a boolean, `NULL`, `[…]` a list, `{'k': …}` a map, `<<…>>` a set of strings or
//! numbers.

use serde_json::{json, Map, Value};

use super::lexer::Tok;
use super::parser::{describe, Parser};
use super::syntax;
use crate::error::Result;

/// The literal at the parser's position, if one starts there.
pub(super) fn literal(p: &mut Parser) -> Result<Option<Value>> {
    let Some(token) = p.next_token() else { return Ok(None) };
    let value = match token.tok {
        Tok::Str(s) => json!({ "S": s }),
        Tok::Num(n) => json!({ "N": n }),
        Tok::Sym("-") => match p.peek().map(|t| t.tok.clone()) {
            Some(Tok::Num(n)) => {
                p.next_token();
                json!({ "N": format!("-{n}") })
            }
            _ => return Err(p.expected("a number after '-'")),
        },
        Tok::Word(w) if w.eq_ignore_ascii_case("true") => json!({ "BOOL": true }),
        Tok::Word(w) if w.eq_ignore_ascii_case("false") => json!({ "BOOL": false }),
        Tok::Word(w) if w.eq_ignore_ascii_case("null") => json!({ "NULL": true }),
        Tok::Sym("[") => list(p)?,
        Tok::Sym("{") => map(p)?,
        Tok::Sym("<<") => set(p, token.span.start)?,
        _ => {
            p.back();
            return Ok(None);
        }
    };
    Ok(Some(value))
}

/// A member of a list or map: a literal, or a `?` (kept as `{"?": n}` until the
/// parameters are known: see [`fill`]).
fn value(p: &mut Parser) -> Result<Value> {
    if let Some(n) = p.take_param() {
        return Ok(json!({ PARAM: n }));
    }
    literal(p)?.ok_or_else(|| p.expected("a value"))
}

/// The key of a parameter's place in a literal (no AttributeValue has it).
const PARAM: &str = "?";

/// A literal with its parameters' places filled from `params`.
pub fn fill(v: &Value, params: &[Value]) -> Result<Value> {
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key(PARAM) => {
            let n = m.get(PARAM).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok());
            n.and_then(|n| params.get(n))
                .cloned()
                .ok_or_else(|| crate::error::Error::validation(super::PARAMETER_COUNT))
        }
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| Ok((k.clone(), fill(v, params)?)))
            .collect::<Result<Vec<_>>>()
            .map(crate::sorted::object),
        Value::Array(a) => a.iter().map(|v| fill(v, params)).collect::<Result<Vec<_>>>().map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn list(p: &mut Parser) -> Result<Value> {
    let mut items = Vec::new();
    if !p.take_sym("]") {
        loop {
            items.push(value(p)?);
            if p.take_sym("]") {
                break;
            }
            p.need_sym(",")?;
        }
    }
    Ok(json!({ "L": items }))
}

fn map(p: &mut Parser) -> Result<Value> {
    let mut members = Map::new();
    if !p.take_sym("}") {
        loop {
            let key = match p.peek().map(|t| t.tok.clone()) {
                Some(Tok::Str(k)) => {
                    p.next_token();
                    k
                }
                _ => return Err(p.expected("an attribute name in single quotes")),
            };
            p.need_sym(":")?;
            members.insert(key, value(p)?);
            if p.take_sym("}") {
                break;
            }
            p.need_sym(",")?;
        }
    }
    Ok(json!({ "M": members }))
}

/// `<<'a', 'b'>>` (SS) or `<<1, 2>>` (NS); never empty, never mixed.
fn set(p: &mut Parser, start: usize) -> Result<Value> {
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    loop {
        match literal(p)? {
            Some(Value::Object(m)) if m.contains_key("S") => strings.extend(m.get("S").cloned()),
            Some(Value::Object(m)) if m.contains_key("N") => numbers.extend(m.get("N").cloned()),
            Some(other) => {
                return Err(syntax(&format!("a set holds strings or numbers, not {other} (the set at {start})")))
            }
            None if strings.is_empty() && numbers.is_empty() && p.peek_sym(">>") => {
                return Err(syntax(&format!("a set cannot be empty (the set at {start})")))
            }
            None => {
                return Err(match p.peek() {
                    Some(t) => syntax(&format!("expected a value, found {} at {}", describe(&t.tok), t.span.start)),
                    None => syntax("expected a value, found the end of the statement"),
                })
            }
        }
        if p.take_sym(">>") {
            break;
        }
        p.need_sym(",")?;
    }
    match (strings.is_empty(), numbers.is_empty()) {
        (false, true) => Ok(json!({ "SS": strings })),
        (true, false) => Ok(json!({ "NS": numbers })),
        _ => Err(syntax(&format!("a set holds strings or numbers, not both (the set at {start})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parser::literal_value;
    use serde_json::json;

    #[test]
    fn literals_become_dynamodb_json() {
        assert_eq!(literal_value("'x'").unwrap(), json!({"S": "x"}));
        assert_eq!(literal_value("-2.5").unwrap(), json!({"N": "-2.5"}));
        assert_eq!(literal_value("TRUE").unwrap(), json!({"BOOL": true}));
        assert_eq!(literal_value("null").unwrap(), json!({"NULL": true}));
        assert_eq!(
            literal_value("{'a': [1, 'b'], 'c': <<'x', 'y'>>, 'd': <<3>>, 'e': {}}").unwrap(),
            json!({"M": {"a": {"L": [{"N": "1"}, {"S": "b"}]}, "c": {"SS": ["x", "y"]}, "d": {"NS": ["3"]}, "e": {"M": {}}}})
        );
    }

    #[test]
    fn bad_sets_are_refused() {
        let msg = |t: &str| literal_value(t).unwrap_err().message;
        assert_eq!(
            msg("<<>>"),
            "Statement wasn't well formed, can't be processed: a set cannot be empty (the set at 0)"
        );
        assert_eq!(
            msg("<<'a', 1>>"),
            "Statement wasn't well formed, can't be processed: a set holds strings or numbers, not both (the set at 0)"
        );
    }
}
