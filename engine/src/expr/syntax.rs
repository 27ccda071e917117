//! Recursive-descent parsers for the expression languages, producing a raw syntax tree:
//! names, `#placeholders` and `:placeholders` are kept as written, with spans. The resolve
//! pass (`resolve.rs`) turns it into the tree the evaluator runs, applying AWS's semantic
//! checks; this module reports only syntax errors, as `Syntax error; token: …, near: …`.
//!
//! Precedence in conditions, loosest first: OR, AND, NOT, then comparisons, BETWEEN, IN and
//! functions. Keywords are case-insensitive; function names are not (they are checked by
//! name in the resolve pass).

use std::ops::Range;

use super::lexer::{lex, Tok, Token};

pub type Span = Range<usize>;

#[derive(Clone, Debug, PartialEq)]
pub enum RawElem {
    /// A bare attribute name.
    Attr(String, Span),
    /// A `#name` placeholder.
    Name(String, Span),
    /// A list index `[n]`.
    Index(usize, Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct RawPath {
    pub elems: Vec<RawElem>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RawCall {
    pub name: String,
    pub span: Span,
    pub args: Vec<RawOperand>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RawOperand {
    Path(RawPath),
    Value(String, Span),
    Call(RawCall),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum RawCond {
    Compare(CmpOp, RawOperand, RawOperand),
    Between(RawOperand, RawOperand, RawOperand),
    In(RawOperand, Vec<RawOperand>),
    Call(RawCall),
    And(Box<RawCond>, Box<RawCond>),
    Or(Box<RawCond>, Box<RawCond>),
    Not(Box<RawCond>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum RawSetValue {
    Operand(RawOperand),
    Plus(RawOperand, RawOperand),
    Minus(RawOperand, RawOperand),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Set,
    Remove,
    Add,
    Delete,
}

impl Section {
    pub fn keyword(self) -> &'static str {
        match self {
            Section::Set => "SET",
            Section::Remove => "REMOVE",
            Section::Add => "ADD",
            Section::Delete => "DELETE",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum RawAction {
    Set(RawPath, RawSetValue),
    Remove(RawPath),
    Add(RawPath, String, Span),
    Delete(RawPath, String, Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct RawUpdate {
    /// Sections in the order written, each with its keyword span and actions.
    pub sections: Vec<(Section, Span, Vec<RawAction>)>,
}

/// A parse result with the syntax-level facts the resolve pass reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<T> {
    pub ast: T,
    /// The first `((…))`: AWS rejects redundant parentheses.
    pub redundant_parens: Option<Span>,
}

/// `Syntax error; token: "<tok>", near: "<context>"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub token: String,
    pub near: String,
    pub span: Span,
}

impl SyntaxError {
    pub fn detail(&self) -> String {
        format!("Syntax error; token: \"{}\", near: \"{}\"", self.token, self.near)
    }
}

/// A character no token starts with is the error's token; like any token, it is shown
/// from the token before it to the end of the token after it (`SET _123` for `_`).
fn bad_char(src: &str, span: Span) -> SyntaxError {
    let token = src.get(span.clone()).unwrap_or("").to_string();
    let before = src.get(..span.start).and_then(|s| lex(s).ok());
    let start = before
        .and_then(|toks| toks.iter().rev().find(|t| t.kind != Tok::Eof).map(|t| t.span.start))
        .unwrap_or(span.start);
    let rest = src.get(span.end..).unwrap_or("");
    let next_end = match lex(rest) {
        Ok(toks) => toks.first().filter(|t| t.kind != Tok::Eof).map_or(0, |t| t.span.end),
        // The next character is bad too: it ends the context.
        Err(b) if rest.get(..b.span.start).is_some_and(|s| s.trim().is_empty()) => b.span.end,
        Err(b) => rest.get(..b.span.start).map_or(0, |s| s.trim_end().len()),
    };
    SyntaxError { near: src.get(start..span.end + next_end).unwrap_or("").to_string(), token, span }
}

/// How deeply parentheses and NOTs may nest. The parsers, the resolver, the evaluator
/// and the printer recurse once per level, so this bounds their stack use on every
/// thread: 100 levels fit in 1 MiB even in a debug build (the browser's wasm stack is
/// 1 MiB; a server worker's 2 MiB), as `tests/it/hostile.rs` checks. DynamoDB itself
/// allows up to 300 operators, so an expression nested 101 to 300 levels deep is
/// refused here and not there (README, "Where Dynaplay differs").
pub const MAX_NESTING: usize = 100;

/// How deeply `src` nests, counted on its tokens before any recursion: the deepest
/// parenthesis plus every NOT (NOT NOT … recurses too). `None` when it does not lex (the
/// parser reports that). Returns the depth and the span of the token that reached it.
pub fn nesting(src: &str) -> Option<(usize, Span)> {
    let toks = lex(src).ok()?;
    let (mut open, mut nots, mut deepest) = (0usize, 0usize, (0usize, 0..0));
    for t in &toks {
        match t.kind {
            Tok::LParen => open += 1,
            Tok::RParen => open = open.saturating_sub(1),
            Tok::Ident if src.get(t.span.clone()).is_some_and(|w| w.eq_ignore_ascii_case("NOT")) => nots += 1,
            _ => continue,
        }
        if open + nots > deepest.0 {
            deepest = (open + nots, t.span.clone());
        }
    }
    Some(deepest)
}

const KEYWORDS: [&str; 5] = ["AND", "OR", "NOT", "BETWEEN", "IN"];
const SECTIONS: [&str; 4] = ["SET", "REMOVE", "ADD", "DELETE"];

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    /// Token index pairs of every parenthesised group parsed so far.
    groups: Vec<(usize, usize)>,
    /// The furthest syntax error seen, kept across backtracking.
    furthest: Option<(usize, SyntaxError)>,
    /// Words that cannot be attribute names in this language.
    keywords: &'static [&'static str],
}

type PResult<T> = Result<T, ()>;

impl<'a> Parser<'a> {
    fn new(src: &'a str, keywords: &'static [&'static str]) -> Result<Parser<'a>, SyntaxError> {
        let toks = lex(src).map_err(|bad| bad_char(src, bad.span))?;
        Ok(Parser { src, toks, pos: 0, groups: Vec::new(), furthest: None, keywords })
    }

    fn kind(&self) -> Tok {
        self.kind_at(self.pos)
    }

    fn kind_at(&self, i: usize) -> Tok {
        self.toks.get(i).map_or(Tok::Eof, |t| t.kind)
    }

    fn span_at(&self, i: usize) -> Span {
        self.toks.get(i).map_or(self.src.len()..self.src.len(), |t| t.span.clone())
    }

    fn text_at(&self, i: usize) -> &'a str {
        self.src.get(self.span_at(i)).unwrap_or("")
    }

    fn is_word(&self, word: &str) -> bool {
        self.kind() == Tok::Ident && self.text_at(self.pos).eq_ignore_ascii_case(word)
    }

    fn is_keyword_at(&self, i: usize) -> bool {
        self.kind_at(i) == Tok::Ident && self.keywords.iter().any(|k| self.text_at(i).eq_ignore_ascii_case(k))
    }

    fn bump(&mut self) -> usize {
        let at = self.pos;
        if self.kind() != Tok::Eof {
            self.pos += 1;
        }
        at
    }

    /// Records a syntax error at the current token and fails.
    fn fail<T>(&mut self) -> PResult<T> {
        let i = self.pos;
        let here = self.span_at(i);
        let err = if self.kind_at(i) == Tok::Eof {
            let prev = i.checked_sub(1).map(|p| self.span_at(p)).unwrap_or(here.clone());
            SyntaxError { token: "<EOF>".into(), near: self.src.get(prev).unwrap_or("").into(), span: here }
        } else {
            let start = i.checked_sub(1).map_or(here.start, |p| self.span_at(p).start);
            let end = if self.kind_at(i + 1) == Tok::Eof { here.end } else { self.span_at(i + 1).end };
            SyntaxError {
                token: self.text_at(i).into(),
                near: self.src.get(start..end).unwrap_or("").into(),
                span: here,
            }
        };
        if self.furthest.as_ref().is_none_or(|(at, _)| i >= *at) {
            self.furthest = Some((i, err));
        }
        Err(())
    }

    fn expect(&mut self, kind: Tok) -> PResult<usize> {
        if self.kind() == kind {
            Ok(self.bump())
        } else {
            self.fail()
        }
    }

    fn finish<T>(mut self, result: PResult<T>) -> Result<Parsed<T>, SyntaxError> {
        let ast = match result {
            Ok(ast) if self.kind() == Tok::Eof => ast,
            Ok(_) => {
                let _ = self.fail::<()>();
                return Err(self.take_error());
            }
            Err(()) => return Err(self.take_error()),
        };
        let redundant = self
            .groups
            .iter()
            .find(|(open, close)| self.groups.contains(&(open + 1, close - 1)))
            .map(|(open, close)| self.span_at(*open).start..self.span_at(*close).end);
        Ok(Parsed { ast, redundant_parens: redundant })
    }

    fn take_error(&mut self) -> SyntaxError {
        self.furthest.take().map(|(_, e)| e).unwrap_or(SyntaxError {
            token: "<EOF>".into(),
            near: String::new(),
            span: self.src.len()..self.src.len(),
        })
    }

    // ---- paths and operands ----

    fn path(&mut self) -> PResult<RawPath> {
        let start = self.span_at(self.pos).start;
        let mut elems = vec![self.path_name()?];
        loop {
            match self.kind() {
                Tok::Dot => {
                    self.bump();
                    elems.push(self.path_name()?);
                }
                Tok::LBracket => {
                    self.bump();
                    if self.kind() != Tok::Int {
                        return self.fail();
                    }
                    let at = self.pos;
                    let Ok(index) = self.text_at(at).parse::<usize>() else {
                        return self.fail();
                    };
                    self.bump();
                    self.expect(Tok::RBracket)?;
                    elems.push(RawElem::Index(index, self.span_at(at)));
                }
                _ => break,
            }
        }
        let end = self.span_at(self.pos.saturating_sub(1)).end;
        Ok(RawPath { elems, span: start..end })
    }

    fn path_name(&mut self) -> PResult<RawElem> {
        let at = self.pos;
        match self.kind() {
            Tok::Ident if !self.is_keyword_at(at) => {
                self.bump();
                Ok(RawElem::Attr(self.text_at(at).to_string(), self.span_at(at)))
            }
            Tok::Name => {
                self.bump();
                Ok(RawElem::Name(self.text_at(at).to_string(), self.span_at(at)))
            }
            _ => self.fail(),
        }
    }

    fn operand(&mut self) -> PResult<RawOperand> {
        let at = self.pos;
        match self.kind() {
            Tok::Value => {
                self.bump();
                Ok(RawOperand::Value(self.text_at(at).to_string(), self.span_at(at)))
            }
            Tok::Ident if self.kind_at(at + 1) == Tok::LParen && !self.is_keyword_at(at) => {
                self.bump();
                self.bump();
                let mut args = vec![self.operand_parens()?];
                while self.kind() == Tok::Comma {
                    self.bump();
                    args.push(self.operand_parens()?);
                }
                let close = self.expect(Tok::RParen)?;
                Ok(RawOperand::Call(RawCall {
                    name: self.text_at(at).to_string(),
                    span: self.span_at(at).start..self.span_at(close).end,
                    args,
                }))
            }
            _ => Ok(RawOperand::Path(self.path()?)),
        }
    }

    fn operand_parens(&mut self) -> PResult<RawOperand> {
        if self.kind() == Tok::LParen {
            let open = self.bump();
            let inner = self.operand_parens()?;
            let close = self.expect(Tok::RParen)?;
            self.groups.push((open, close));
            Ok(inner)
        } else {
            self.operand()
        }
    }

    // ---- conditions ----

    fn or(&mut self) -> PResult<RawCond> {
        let mut left = self.and()?;
        while self.is_word("OR") {
            self.bump();
            let right = self.and()?;
            left = RawCond::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> PResult<RawCond> {
        let mut left = self.not()?;
        while self.is_word("AND") {
            self.bump();
            let right = self.not()?;
            left = RawCond::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> PResult<RawCond> {
        if self.is_word("NOT") {
            self.bump();
            return Ok(RawCond::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> PResult<RawCond> {
        if self.kind() == Tok::LParen {
            // Either a parenthesised condition or a parenthesised operand of a comparison:
            // try the condition first and fall back.
            let (saved_pos, saved_groups) = (self.pos, self.groups.len());
            let open = self.bump();
            if let Ok(inner) = self.or() {
                if self.kind() == Tok::RParen {
                    let close = self.bump();
                    if !self.at_comparison() {
                        self.groups.push((open, close));
                        return Ok(inner);
                    }
                }
            }
            self.pos = saved_pos;
            self.groups.truncate(saved_groups);
        }
        self.comparison()
    }

    fn at_comparison(&self) -> bool {
        matches!(self.kind(), Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge)
            || self.is_word("BETWEEN")
            || self.is_word("IN")
    }

    fn comparison(&mut self) -> PResult<RawCond> {
        let left = self.operand_parens()?;
        let op = match self.kind() {
            Tok::Eq => Some(CmpOp::Eq),
            Tok::Ne => Some(CmpOp::Ne),
            Tok::Lt => Some(CmpOp::Lt),
            Tok::Le => Some(CmpOp::Le),
            Tok::Gt => Some(CmpOp::Gt),
            Tok::Ge => Some(CmpOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.bump();
            let right = self.operand_parens()?;
            return Ok(RawCond::Compare(op, left, right));
        }
        if self.is_word("BETWEEN") {
            self.bump();
            let low = self.operand_parens()?;
            if !self.is_word("AND") {
                return self.fail();
            }
            self.bump();
            let high = self.operand_parens()?;
            return Ok(RawCond::Between(left, low, high));
        }
        if self.is_word("IN") {
            self.bump();
            self.expect(Tok::LParen)?;
            let mut list = vec![self.operand_parens()?];
            while self.kind() == Tok::Comma {
                self.bump();
                list.push(self.operand_parens()?);
            }
            self.expect(Tok::RParen)?;
            return Ok(RawCond::In(left, list));
        }
        match left {
            RawOperand::Call(call) => Ok(RawCond::Call(call)),
            _ => self.fail(),
        }
    }

    // ---- update expressions ----

    fn update(&mut self) -> PResult<RawUpdate> {
        let mut sections = Vec::new();
        loop {
            let at = self.pos;
            let section = if self.is_word("SET") {
                Section::Set
            } else if self.is_word("REMOVE") {
                Section::Remove
            } else if self.is_word("ADD") {
                Section::Add
            } else if self.is_word("DELETE") {
                Section::Delete
            } else {
                return self.fail();
            };
            self.bump();
            let mut actions = vec![self.action(section)?];
            while self.kind() == Tok::Comma {
                self.bump();
                actions.push(self.action(section)?);
            }
            sections.push((section, self.span_at(at), actions));
            if self.kind() == Tok::Eof {
                return Ok(RawUpdate { sections });
            }
        }
    }

    fn action(&mut self, section: Section) -> PResult<RawAction> {
        let path = self.path()?;
        match section {
            Section::Set => {
                self.expect(Tok::Eq)?;
                Ok(RawAction::Set(path, self.set_value()?))
            }
            Section::Remove => Ok(RawAction::Remove(path)),
            Section::Add | Section::Delete => {
                let at = self.expect(Tok::Value)?;
                let (name, span) = (self.text_at(at).to_string(), self.span_at(at));
                Ok(if section == Section::Add {
                    RawAction::Add(path, name, span)
                } else {
                    RawAction::Delete(path, name, span)
                })
            }
        }
    }

    fn set_value(&mut self) -> PResult<RawSetValue> {
        if self.kind() == Tok::LParen {
            let (saved_pos, saved_groups) = (self.pos, self.groups.len());
            self.bump();
            if let Ok(inner) = self.bare_set_value() {
                if self.kind() == Tok::RParen {
                    self.bump();
                    if !matches!(self.kind(), Tok::Plus | Tok::Minus) {
                        return Ok(inner);
                    }
                }
            }
            self.pos = saved_pos;
            self.groups.truncate(saved_groups);
        }
        self.bare_set_value()
    }

    fn bare_set_value(&mut self) -> PResult<RawSetValue> {
        let left = self.operand_parens()?;
        match self.kind() {
            Tok::Plus => {
                self.bump();
                Ok(RawSetValue::Plus(left, self.operand_parens()?))
            }
            Tok::Minus => {
                self.bump();
                Ok(RawSetValue::Minus(left, self.operand_parens()?))
            }
            _ => Ok(RawSetValue::Operand(left)),
        }
    }

    // ---- projections ----

    fn projection(&mut self) -> PResult<Vec<RawPath>> {
        let mut paths = vec![self.path()?];
        while self.kind() == Tok::Comma {
            self.bump();
            paths.push(self.path()?);
        }
        Ok(paths)
    }
}

/// Parses a condition, filter or key-condition expression.
pub fn parse_condition(src: &str) -> Result<Parsed<RawCond>, SyntaxError> {
    let mut p = Parser::new(src, &KEYWORDS)?;
    let result = p.or();
    p.finish(result)
}

/// Parses an update expression.
pub fn parse_update(src: &str) -> Result<Parsed<RawUpdate>, SyntaxError> {
    let mut p = Parser::new(src, &SECTIONS)?;
    let result = p.update();
    p.finish(result)
}

/// Parses a projection expression.
pub fn parse_projection(src: &str) -> Result<Parsed<Vec<RawPath>>, SyntaxError> {
    let mut p = Parser::new(src, &[])?;
    let result = p.projection();
    p.finish(result)
}

#[cfg(test)]
mod tests;
