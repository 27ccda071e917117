//! DynamoDB's expression languages: condition and filter expressions, key conditions,
//! update expressions and projections.
//!
//! The pipeline is `lexer` → `syntax` (raw tree with spans; syntax errors only) →
//! `resolve` (placeholders substituted, AWS's semantic checks, resolved `ast`) → `eval`.
//! Errors are structured ([`ExprError`]: kind + span) and rendered to AWS's text in
//! `error.rs`.
//!
//! Why hand-written rather than a parser library: the error text must be AWS's to the
//! character, and hand-written code adds the least to the wasm binary.

pub mod ast;
mod error;
pub mod eval;
mod lexer;
mod print;
mod reserved;
mod resolve;
pub mod syntax;

pub use error::{ExprError, ExprErrorKind, ExprKind};
pub use reserved::is_reserved;
pub use resolve::{condition, projection, update, Placeholders};
