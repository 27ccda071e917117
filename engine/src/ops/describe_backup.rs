//! DescribeBackup: a backup's details, its source table and that table's features.

use serde_json::Value;

use super::backups::{description, find, read_arn};
use crate::engine::Engine;
use crate::error::Result;
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let arn = read_arn(&input, &mut v)?;
    v.finish()?;
    let b = find(engine, arn)?;
    Ok(description(b, b.status(engine.now_ms)))
}
