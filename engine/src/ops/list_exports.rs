//! ListExports: the exports, oldest first, of one table or all, `MaxResults` (1–25) at a
//! time with a `NextToken` (the last export's ARN).

use serde_json::{json, Value};

use super::exports::summary;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let table = input.str("TableArn")?;
    v.length(table.map(str::len), table.unwrap_or_default(), "tableArn", 1, Some(1024));
    let max = input.int("MaxResults")?;
    v.range(max, "maxResults", 1, Some(25));
    let token = input.str("NextToken")?;
    v.finish()?;
    let mine = engine.exports.iter().filter(|e| table.is_none_or(|t| e.table_arn == t));
    let mut after = mine.skip_while(|e| token.is_some_and(|t| e.arn != t));
    if let Some(t) = token {
        after.next().ok_or_else(|| Error::validation(format!("Invalid NextToken: {t}")))?;
    }
    let limit = max.map_or(25, |m| m as usize);
    let page: Vec<_> = after.take(limit + 1).collect();
    let mut out = json!({ "ExportSummaries": page.iter().take(limit).map(|e| summary(e)).collect::<Vec<_>>() });
    if page.len() > limit {
        if let (Some(last), Value::Object(m)) = (page.get(limit - 1), &mut out) {
            m.insert("NextToken".into(), json!(last.arn));
        }
    }
    Ok(out)
}
