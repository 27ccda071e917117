//! PartiQL, DynamoDB's SQL-compatible language: a hand-written lexer and recursive-descent
//! parser ([`parser::parse`]), a planner that turns each statement into one of the
//! engine's own operations ([`plan`]), and the running of a planned statement
//! ([`run`]) for ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.
//!
//! A syntax error is DynamoDB's ValidationException "Statement wasn't well formed, can't
//! be processed: …"; the detail after the colon is DynamoDB's for a statement that is not
//! one of the four ("Expected data manipulation") and ours otherwise (with the offset in
//! the statement).

pub mod ast;
pub mod explain;
mod exprs;
pub mod lexer;
pub mod parser;
pub mod plan;
pub mod print;
pub mod run;
mod values;

pub use exprs::PARAMETER_COUNT;

use crate::error::Error;

/// Where a token is in the statement (byte offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A syntax error, in DynamoDB's words around ours.
pub(crate) fn syntax(detail: &str) -> Error {
    Error::validation(format!("Statement wasn't well formed, can't be processed: {detail}"))
}

/// A syntax error at `span` of the statement: the page underlines it (the wire answer is
/// the message alone, as AWS's).
pub(crate) fn syntax_at(detail: &str, span: Span) -> Error {
    let at = crate::error::ErrorSpan { parameter: "Statement", start: span.start, end: span.end, hint: None };
    Error { span: Some(Box::new(at)), ..syntax(detail) }
}
