//! PartiQL's tokens, each with its span in the statement: words (keywords and bare
//! names, matched without regard to case), `"quoted names"`, `'strings'` (a doubled quote
//! inside is one quote), numbers, `?` parameters and symbols, `<<` and `>>` (sets) among
//! them. A `--` comment runs to the end of its line.

use super::{syntax_at, Span};
use crate::error::Result;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Word(String),
    Quoted(String),
    Str(String),
    Num(String),
    Param,
    Sym(&'static str),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Longest first, so `<=` is not read as `<` then `=`.
const SYMBOLS: [&str; 22] = [
    "<<", ">>", "<=", ">=", "<>", "!=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "=", "<", ">", "+", "-", "*", ";",
];

/// The statement's tokens.
pub fn lex(text: &str) -> Result<Vec<Token>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if text[i..].starts_with("--") {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            continue;
        }
        let (tok, end) = match b {
            b'\'' => quoted(text, i, '\'').map(|(s, e)| (Tok::Str(s), e))?,
            b'"' => quoted(text, i, '"').map(|(s, e)| (Tok::Quoted(s), e))?,
            b'?' => (Tok::Param, i + 1),
            b'0'..=b'9' => number(text, i),
            _ if b.is_ascii_alphabetic() || b == b'_' => word(text, i),
            _ => symbol(text, i)?,
        };
        out.push(Token { tok, span: Span { start: i, end } });
        i = end;
    }
    Ok(out)
}

/// A quoted string or name from `start` (its opening quote); a doubled quote is one.
fn quoted(text: &str, start: usize, quote: char) -> Result<(String, usize)> {
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != quote {
            out.push(c);
            continue;
        }
        if chars.peek().map(|&(_, n)| n) == Some(quote) {
            chars.next();
            out.push(quote);
            continue;
        }
        return Ok((out, start + 1 + at + 1));
    }
    let what = if quote == '\'' { "string" } else { "quoted name" };
    Err(syntax_at(&format!("unterminated {what} at {start}"), Span { start, end: text.len() }))
}

/// Digits, an optional fraction and exponent.
fn number(text: &str, start: usize) -> (Tok, usize) {
    let bytes = text.as_bytes();
    let mut end = start;
    let digits = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        at
    };
    end = digits(end);
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits(end + 1);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        if bytes.get(end + 1 + sign).is_some_and(u8::is_ascii_digit) {
            end = digits(end + 1 + sign);
        }
    }
    (Tok::Num(text[start..end].to_string()), end)
}

fn word(text: &str, start: usize) -> (Tok, usize) {
    let len = text[start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    (Tok::Word(text[start..start + len].to_string()), start + len)
}

fn symbol(text: &str, start: usize) -> Result<(Tok, usize)> {
    match SYMBOLS.iter().find(|s| text[start..].starts_with(**s)) {
        Some(s) => Ok((Tok::Sym(s), start + s.len())),
        None => {
            let c = text[start..].chars().next().unwrap_or(' ');
            Err(syntax_at(&format!("unexpected character '{c}' at {start}"), Span { start, end: start + c.len_utf8() }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_strings_numbers_and_symbols() {
        assert_eq!(
            toks(r#"SELECT * FROM "My Table" WHERE a.b[2] <= -1.5e3 AND s = 'it''s' -- note"#),
            [
                Tok::Word("SELECT".into()),
                Tok::Sym("*"),
                Tok::Word("FROM".into()),
                Tok::Quoted("My Table".into()),
                Tok::Word("WHERE".into()),
                Tok::Word("a".into()),
                Tok::Sym("."),
                Tok::Word("b".into()),
                Tok::Sym("["),
                Tok::Num("2".into()),
                Tok::Sym("]"),
                Tok::Sym("<="),
                Tok::Sym("-"),
                Tok::Num("1.5e3".into()),
                Tok::Word("AND".into()),
                Tok::Word("s".into()),
                Tok::Sym("="),
                Tok::Str("it's".into()),
            ]
        );
        assert_eq!(
            toks("<<1, 2>> ?"),
            [Tok::Sym("<<"), Tok::Num("1".into()), Tok::Sym(","), Tok::Num("2".into()), Tok::Sym(">>"), Tok::Param]
        );
    }

    #[test]
    fn broken_text_is_a_syntax_error() {
        let e = lex("SELECT * FROM 'open").unwrap_err();
        assert_eq!(e.message, "Statement wasn't well formed, can't be processed: unterminated string at 14");
        let e = lex("SELECT # FROM t").unwrap_err();
        assert_eq!(e.message, "Statement wasn't well formed, can't be processed: unexpected character '#' at 7");
    }
}
