//! Dynaplay's engine: a DynamoDB-compatible storage engine in pure Rust.
pub mod error;
pub mod expr;
pub mod value;
