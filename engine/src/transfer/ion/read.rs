//! Reading one Ion text line of an import into an item.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use crate::value::{AttributeValue, Item, Number};

/// The deepest nesting read (DynamoDB stores 32 levels).
const MAX_DEPTH: usize = 40;

/// Reads one import line, `[$ion_1_0] {Item:{…}}`. The error says what was wrong and at
/// which byte.
pub fn read_item_line(line: &str) -> Result<Item, String> {
    let mut r = Reader { text: line.as_bytes(), at: 0 };
    r.skip_space();
    if r.rest().starts_with(b"$ion_1_0") {
        r.at += 8;
    }
    let top = r.value(0)?;
    r.skip_space();
    if r.at < r.text.len() {
        return Err(r.fail("more than one value on the line"));
    }
    match top {
        Ion::Struct(mut fields) => match fields.iter().position(|(k, _)| k == "Item") {
            Some(i) => match fields.swap_remove(i).1 {
                Ion::Struct(f) => f.into_iter().map(|(k, v)| Ok((k, v.into_attribute()?))).collect(),
                _ => Err("\"Item\" is not a struct".into()),
            },
            None => Err("The line has no Item field: Ion import lines are {Item:{…}}".into()),
        },
        _ => Err("The line is not an Ion struct".into()),
    }
}

enum Ion {
    Str(String),
    Num(String),
    Blob(Vec<u8>),
    Bool(bool),
    Null,
    Struct(Vec<(String, Ion)>),
    List(Option<String>, Vec<Ion>),
}

impl Ion {
    fn into_attribute(self) -> Result<AttributeValue, String> {
        let number = |s: &str| Number::parse(s).map_err(|e| e.message(s));
        Ok(match self {
            Ion::Str(s) => AttributeValue::S(s.into()),
            Ion::Num(n) => AttributeValue::N(number(&n)?),
            Ion::Blob(b) => AttributeValue::B(b.into()),
            Ion::Bool(b) => AttributeValue::Bool(b),
            Ion::Null => AttributeValue::Null,
            Ion::Struct(f) => AttributeValue::M(
                f.into_iter().map(|(k, v)| Ok((k, v.into_attribute()?))).collect::<Result<_, String>>()?,
            ),
            Ion::List(None, l) => AttributeValue::L(l.into_iter().map(Ion::into_attribute).collect::<Result<_, _>>()?),
            Ion::List(Some(a), l) => set(&a, l)?,
        })
    }
}

fn set(annotation: &str, values: Vec<Ion>) -> Result<AttributeValue, String> {
    let wrong = || format!("A {annotation} list holds a value of another type");
    match annotation {
        "$dynamodb_SS" => values
            .into_iter()
            .map(|v| if let Ion::Str(s) = v { Ok(s.into()) } else { Err(wrong()) })
            .collect::<Result<_, _>>()
            .map(AttributeValue::Ss),
        "$dynamodb_NS" => values
            .into_iter()
            .map(|v| if let Ion::Num(n) = v { Number::parse(&n).map_err(|e| e.message(&n)) } else { Err(wrong()) })
            .collect::<Result<_, _>>()
            .map(AttributeValue::Ns),
        "$dynamodb_BS" => values
            .into_iter()
            .map(|v| if let Ion::Blob(b) = v { Ok(b.into()) } else { Err(wrong()) })
            .collect::<Result<_, _>>()
            .map(AttributeValue::Bs),
        other => Err(format!("Unknown annotation {other}: DynamoDB reads $dynamodb_SS, $dynamodb_NS and $dynamodb_BS")),
    }
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &[u8] {
        self.text.get(self.at..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn fail(&self, what: &str) -> String {
        format!("Ion text could not be read at byte {}: {what}", self.at)
    }

    fn skip_space(&mut self) {
        loop {
            while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                self.at += 1;
            }
            if self.rest().starts_with(b"//") {
                self.at += self.rest().iter().position(|&c| c == b'\n').unwrap_or(self.rest().len());
            } else if self.rest().starts_with(b"/*") {
                self.at += self.rest().windows(2).position(|w| w == b"*/").map_or(self.rest().len(), |p| p + 2);
            } else {
                return;
            }
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.skip_space();
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.fail(&format!("expected '{}'", c as char)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Ion, String> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nested too deeply"));
        }
        self.skip_space();
        let annotation = self.annotation()?;
        self.skip_space();
        match self.peek() {
            Some(b'{') if self.rest().starts_with(b"{{") => self.blob(),
            Some(b'{') => self.structure(depth),
            Some(b'[') => self.list(annotation, depth),
            Some(b'"') => self.string(b'"').map(Ion::Str),
            Some(c) if c == b'-' || c.is_ascii_digit() => Ok(Ion::Num(self.number()?)),
            _ => self.keyword(),
        }
    }

    /// An annotation `name::`, if one is here.
    fn annotation(&mut self) -> Result<Option<String>, String> {
        let start = self.at;
        let word = self.word();
        self.skip_space();
        if !word.is_empty() && self.rest().starts_with(b"::") {
            self.at += 2;
            return Ok(Some(word));
        }
        self.at = start;
        Ok(None)
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'.') {
            self.at += 1;
        }
        String::from_utf8_lossy(self.text.get(start..self.at).unwrap_or_default()).into_owned()
    }

    fn keyword(&mut self) -> Result<Ion, String> {
        match self.word().as_str() {
            "true" => Ok(Ion::Bool(true)),
            "false" => Ok(Ion::Bool(false)),
            w if w == "null" || w.starts_with("null.") => Ok(Ion::Null),
            "" => Err(self.fail("expected a value")),
            w => Err(self.fail(&format!("{w} is not a value DynamoDB imports"))),
        }
    }

    fn number(&mut self) -> Result<String, String> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.' | b'_')) {
            self.at += 1;
        }
        let raw = String::from_utf8_lossy(self.text.get(start..self.at).unwrap_or_default()).replace('_', "");
        let text = raw.replace(['d', 'D'], "e");
        let text = text.strip_suffix('.').unwrap_or(&text);
        if text.is_empty() || text.contains("0x") || text.contains("0b") {
            return Err(self.fail(&format!("{raw} is not a decimal number")));
        }
        Ok(text.to_string())
    }

    fn string(&mut self, quote: u8) -> Result<String, String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.fail("unterminated string")),
                Some(c) if c == quote => break,
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut out)?;
                    continue;
                }
                Some(c) => out.push(c),
            }
            self.at += 1;
        }
        self.at += 1;
        String::from_utf8(out).map_err(|_| self.fail("a string that is not UTF-8"))
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        let c = self.peek().ok_or_else(|| self.fail("unterminated escape"))?;
        self.at += 1;
        let simple = match c {
            b'n' => Some(b'\n'),
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'0' => Some(0),
            b'"' | b'\'' | b'\\' | b'/' => Some(c),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            return Ok(());
        }
        let digits = match c {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => return Err(self.fail("an unknown escape")),
        };
        let hex = self.text.get(self.at..self.at + digits).ok_or_else(|| self.fail("a short escape"))?;
        let code = u32::from_str_radix(&String::from_utf8_lossy(hex), 16).map_err(|_| self.fail("a bad escape"))?;
        self.at += digits;
        let ch = char::from_u32(code).ok_or_else(|| self.fail("an escape that is not a character"))?;
        out.extend(ch.to_string().as_bytes());
        Ok(())
    }

    fn blob(&mut self) -> Result<Ion, String> {
        self.at += 2;
        let end = self.rest().windows(2).position(|w| w == b"}}").ok_or_else(|| self.fail("unterminated blob"))?;
        let body: Vec<u8> = self.rest().iter().take(end).copied().filter(|c| !c.is_ascii_whitespace()).collect();
        self.at += end + 2;
        BASE64.decode(body).map(Ion::Blob).map_err(|_| self.fail("a blob that is not base64"))
    }

    fn field_name(&mut self) -> Result<String, String> {
        self.skip_space();
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => self.string(q),
            _ => match self.word() {
                w if w.is_empty() => Err(self.fail("expected a field name")),
                w => Ok(w),
            },
        }
    }

    fn structure(&mut self, depth: usize) -> Result<Ion, String> {
        self.at += 1;
        let mut fields = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(b'}') {
                self.at += 1;
                return Ok(Ion::Struct(fields));
            }
            let name = self.field_name()?;
            self.expect(b':')?;
            fields.push((name, self.value(depth + 1)?));
            self.skip_space();
            if self.peek() == Some(b',') {
                self.at += 1;
            } else if self.peek() != Some(b'}') {
                return Err(self.fail("expected ',' or '}'"));
            }
        }
    }

    fn list(&mut self, annotation: Option<String>, depth: usize) -> Result<Ion, String> {
        self.at += 1;
        let mut values = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(b']') {
                self.at += 1;
                return Ok(Ion::List(annotation, values));
            }
            values.push(self.value(depth + 1)?);
            self.skip_space();
            if self.peek() == Some(b',') {
                self.at += 1;
            } else if self.peek() != Some(b']') {
                return Err(self.fail("expected ',' or ']'"));
            }
        }
    }
}
