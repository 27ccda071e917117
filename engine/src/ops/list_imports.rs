//! ListImports: the imports, oldest first, into one table or all, `PageSize` (1–25) at a
//! time.

use serde_json::{json, Value};

use super::imports::{page_token, read_page_token, summary};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{Input, Violations};

pub fn run(engine: &Engine, input: Input) -> Result<Value> {
    let mut v = Violations::new();
    let table = input.str("TableArn")?;
    v.length(table.map(str::len), table.unwrap_or_default(), "tableArn", 1, Some(1024));
    let size = input.int("PageSize")?;
    v.range(size, "pageSize", 1, Some(25));
    let token = input.str("NextToken")?;
    let hex = |t: &str| t.len() >= 112 && t.len() % 16 == 0 && t.bytes().all(|b| b.is_ascii_hexdigit());
    v.pattern(token, "nextToken", "([0-9a-f]{16})+", hex);
    v.finish()?;
    let after_arn = match token {
        Some(t) => Some(read_page_token(t).ok_or_else(|| Error::validation(format!("Invalid NextToken: {t}")))?),
        None => None,
    };
    let now = engine.now_ms;
    let mine = engine.imports.iter().filter(|i| table.is_none_or(|t| i.table_arn == t));
    let mut after = mine.skip_while(|i| after_arn.as_ref().is_some_and(|a| &i.arn != a));
    if after_arn.is_some() && after.next().is_none() {
        return Err(Error::validation(format!("Invalid NextToken: {}", token.unwrap_or_default())));
    }
    let limit = size.map_or(25, |s| s as usize);
    let page: Vec<_> = after.take(limit + 1).collect();
    let list: Vec<Value> = page.iter().take(limit).map(|i| summary(engine, i, now)).collect();
    let mut out = json!({ "ImportSummaryList": list });
    if page.len() > limit {
        if let (Some(last), Value::Object(m)) = (page.get(limit - 1), &mut out) {
            m.insert("NextToken".into(), json!(page_token(&last.arn)));
        }
    }
    Ok(out)
}
