//! Tokens of DynamoDB's expression languages, each with its byte span in the source.
//!
//! One lexer serves all five languages (condition, filter, key condition, update,
//! projection); keywords are plain identifiers here and are recognised by the parsers,
//! case-insensitively, as DynamoDB does.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// `[A-Za-z_][A-Za-z0-9_]*`: attribute names, keywords and function names.
    Ident,
    /// `#name`: an `ExpressionAttributeNames` placeholder.
    Name,
    /// `:value`: an `ExpressionAttributeValues` placeholder.
    Value,
    /// `[0-9]+`: list indexes.
    Int,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Eof,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    pub span: Range<usize>,
}

/// A character no token starts with, at this byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadChar {
    pub span: Range<usize>,
}

/// Splits `src` into tokens, ending with one `Eof` token whose span is empty.
pub fn lex(src: &str) -> Result<Vec<Token>, BadChar> {
    let bytes = src.as_bytes();
    // Tokens are mostly spaced (`#c = :one`): room for one in two bytes and the end, made
    // once rather than grown from empty.
    let mut out = Vec::with_capacity(src.len() / 2 + 2);
    let mut i = 0;
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while let Some(&c) = bytes.get(i) {
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b',' => Tok::Comma,
            b'.' => Tok::Dot,
            b'=' => Tok::Eq,
            b'+' => Tok::Plus,
            b'-' => Tok::Minus,
            b'<' => match bytes.get(i + 1) {
                Some(b'=') => {
                    i += 1;
                    Tok::Le
                }
                Some(b'>') => {
                    i += 1;
                    Tok::Ne
                }
                _ => Tok::Lt,
            },
            b'>' => {
                if bytes.get(i + 1) == Some(&b'=') {
                    i += 1;
                    Tok::Ge
                } else {
                    Tok::Gt
                }
            }
            b'#' | b':' => {
                let mut j = i + 1;
                while bytes.get(j).is_some_and(|&b| word(b)) {
                    j += 1;
                }
                if j == i + 1 {
                    return Err(BadChar { span: i..i + 1 });
                }
                i = j - 1;
                if c == b'#' {
                    Tok::Name
                } else {
                    Tok::Value
                }
            }
            b'0'..=b'9' => {
                while bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                Tok::Int
            }
            // A name starts with a letter: `_a` and `1a` are syntax errors in DynamoDB.
            b if b.is_ascii_alphabetic() => {
                while bytes.get(i + 1).is_some_and(|&b| word(b)) {
                    i += 1;
                }
                Tok::Ident
            }
            _ => {
                let width = src.get(i..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
                return Err(BadChar { span: i..i + width });
            }
        };
        i += 1;
        out.push(Token { kind, span: start..i });
    }
    out.push(Token { kind: Tok::Eof, span: src.len()..src.len() });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn splits_operators_placeholders_and_paths() {
        use Tok::*;
        assert_eq!(kinds("a.b[2] <> :v"), [Ident, Dot, Ident, LBracket, Int, RBracket, Ne, Value, Eof]);
        assert_eq!(kinds("#n>=:x AND (c<=d)"), [Name, Ge, Value, Ident, LParen, Ident, Le, Ident, RParen, Eof]);
        assert_eq!(kinds("SET a = a + :one, b = if_not_exists(b, :z)").len(), 16);
    }

    #[test]
    fn reports_bad_characters_with_spans() {
        assert_eq!(lex("a = @"), Err(BadChar { span: 4..5 }));
        assert_eq!(lex("a = #"), Err(BadChar { span: 4..5 }));
        assert_eq!(lex("é"), Err(BadChar { span: 0..2 }));
    }
}
