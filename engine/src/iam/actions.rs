//! What each operation asks IAM: one or more (action, resource ARN, condition keys).
//!
//! As AWS authorises them ("Actions, resources, and condition keys for Amazon
//! DynamoDB"; "Using IAM with DynamoDB transactions"):
//! - a Query or Scan of an index is checked on the index's ARN;
//! - each action inside TransactWriteItems / TransactGetItems is checked as PutItem,
//!   UpdateItem, DeleteItem, ConditionCheckItem or GetItem, with
//!   `dynamodb:EnclosingOperation`;
//! - batches are checked once per table, with every requested key's partition value in
//!   `dynamodb:LeadingKeys`;
//! - PartiQL statements are `dynamodb:PartiQLSelect` / `Insert` / `Update` / `Delete`.
//!
//! The request is read leniently here: what cannot be read is left out of the context,
//! and the operation itself then refuses the request with its own error.

use serde_json::{Map, Value};

use super::Context;
use crate::engine::Engine;

/// One thing IAM is asked.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub action: String,
    pub resource: String,
    pub context: Context,
}

/// Operations checked on the table named by `TableName`.
const ON_TABLE: &[&str] = &[
    "CreateTable",
    "DeleteTable",
    "DescribeTable",
    "UpdateTable",
    "UpdateTimeToLive",
    "DescribeTimeToLive",
    "DescribeContinuousBackups",
    "UpdateContinuousBackups",
    "CreateBackup",
];
/// Operations on no particular resource.
const ON_ANY: &[&str] =
    &["ListTables", "ListBackups", "ListExports", "ListImports", "ListStreams", "DescribeLimits", "DescribeEndpoints"];

/// The checks for `operation` with request `body`.
pub fn checks(engine: &Engine, operation: &str, body: &Map<String, Value>) -> Vec<Check> {
    let r = Reader { engine, body };
    let dynamodb = |resource: String| vec![r.check(operation, resource, Context::new())];
    match operation {
        "GetItem" | "PutItem" | "UpdateItem" | "DeleteItem" => vec![r.item_check(operation, body, None)],
        "Query" | "Scan" => vec![r.read_check(operation)],
        "BatchGetItem" | "BatchWriteItem" => r.batch(operation),
        "TransactWriteItems" | "TransactGetItems" => r.transaction(operation),
        "ExecuteStatement" => r.statements(std::slice::from_ref(&Value::Object(body.clone()))),
        "BatchExecuteStatement" | "ExecuteTransaction" => {
            let list = body.get("Statements").or_else(|| body.get("TransactStatements"));
            r.statements(list.and_then(Value::as_array).map_or(&[][..], Vec::as_slice))
        }
        op if ON_TABLE.contains(&op) => dynamodb(r.table_arn(r.text("TableName"))),
        "RestoreTableFromBackup" | "RestoreTableToPointInTime" => dynamodb(r.table_arn(r.text("TargetTableName"))),
        "ImportTable" => {
            let name = body.get("TableCreationParameters").and_then(|p| p.get("TableName")).and_then(Value::as_str);
            dynamodb(r.table_arn(name.unwrap_or_default()))
        }
        "ExportTableToPointInTime" => dynamodb(r.text("TableArn").to_string()),
        "TagResource" | "UntagResource" | "ListTagsOfResource" => dynamodb(r.text("ResourceArn").to_string()),
        "PutResourcePolicy" | "GetResourcePolicy" | "DeleteResourcePolicy" => {
            dynamodb(r.text("ResourceArn").to_string())
        }
        "DescribeBackup" | "DeleteBackup" => dynamodb(r.text("BackupArn").to_string()),
        "DescribeExport" => dynamodb(r.text("ExportArn").to_string()),
        "DescribeImport" => dynamodb(r.text("ImportArn").to_string()),
        "DescribeStream" | "GetShardIterator" => dynamodb(r.text("StreamArn").to_string()),
        "GetRecords" => {
            let it = crate::streams::ShardIterator::decode(r.text("ShardIterator"));
            dynamodb(it.map_or_else(|| "*".to_string(), |it| it.stream_arn))
        }
        op if ON_ANY.contains(&op) => dynamodb("*".to_string()),
        op if op.starts_with("S3") => vec![s3_check(op, body)],
        // Dynaplay's own operations (triggers, the mirror, outages, IAM itself).
        op => vec![Check { action: format!("dynaplay:{op}"), resource: "*".into(), context: Context::new() }],
    }
}

/// The simulated S3's operations: S3's action on the bucket's or the object's ARN.
fn s3_check(operation: &str, body: &Map<String, Value>) -> Check {
    let bucket = body.get("Bucket").and_then(Value::as_str).unwrap_or_default();
    let key = body.get("Key").and_then(Value::as_str);
    let action = match operation {
        "S3CreateBucket" => "CreateBucket",
        "S3PutBucketOwnershipControls" => "PutBucketOwnershipControls",
        "S3PutBucketPolicy" => "PutBucketPolicy",
        "S3ListObjects" => "ListBucket",
        "S3GetObjectAcl" => "GetObjectAcl",
        "S3PutObjectAcl" => "PutObjectAcl",
        _ => "GetObject",
    };
    let resource = match key {
        Some(k) if operation.contains("Object") && operation != "S3ListObjects" => format!("arn:aws:s3:::{bucket}/{k}"),
        _ => format!("arn:aws:s3:::{bucket}"),
    };
    Check { action: format!("s3:{action}"), resource, context: Context::new() }
}

struct Reader<'a> {
    engine: &'a Engine,
    body: &'a Map<String, Value>,
}

impl Reader<'_> {
    fn text(&self, key: &str) -> &str {
        self.body.get(key).and_then(Value::as_str).unwrap_or_default()
    }

    fn table_arn(&self, table: &str) -> String {
        self.engine.arn(table)
    }

    fn check(&self, operation: &str, resource: String, mut context: Context) -> Check {
        if let Some(rcc) = self.body.get("ReturnConsumedCapacity").and_then(Value::as_str) {
            context.one("dynamodb:ReturnConsumedCapacity", rcc);
        }
        Check { action: format!("dynamodb:{operation}"), resource, context }
    }

    /// The partition key attribute of a table, or of one of its indexes.
    fn partition_key(&self, table: &str, index: Option<&str>) -> Option<String> {
        let def = &self.engine.table(table)?.def;
        let schema = match index {
            Some(i) => &def.index(i)?.schema,
            None => &def.schema,
        };
        Some(schema.hash.name.clone())
    }

    /// GetItem, PutItem, UpdateItem, DeleteItem (alone, or one action of a transaction
    /// named by `enclosing`): `obj` is the request or the transaction action.
    fn item_check(&self, action: &str, obj: &Map<String, Value>, enclosing: Option<&str>) -> Check {
        let table = obj.get("TableName").and_then(Value::as_str).unwrap_or_default();
        let mut c = Context::new();
        let key = obj.get("Key").or_else(|| obj.get("Item"));
        if let Some(value) = self.partition_key(table, None).and_then(|pk| key?.get(&pk).and_then(key_text)) {
            c.one("dynamodb:LeadingKeys", value);
        }
        let names = obj.get("ExpressionAttributeNames").and_then(Value::as_object);
        let attributes = match action {
            "PutItem" => obj.get("Item").and_then(Value::as_object).map(|i| i.keys().cloned().collect()),
            "UpdateItem" => update_attributes(obj, names),
            _ => projected(obj, names),
        };
        if let Some(a) = attributes {
            c.insert("dynamodb:Attributes".into(), a);
        }
        if let Some(rv) = obj.get("ReturnValues").and_then(Value::as_str) {
            c.one("dynamodb:ReturnValues", rv);
        }
        if let Some(op) = enclosing {
            c.one("dynamodb:EnclosingOperation", op);
        }
        self.check(action, self.table_arn(table), c)
    }

    /// Query and Scan, on the table or the index.
    fn read_check(&self, operation: &str) -> Check {
        let table = self.text("TableName");
        let index = self.body.get("IndexName").and_then(Value::as_str);
        let mut resource = self.table_arn(table);
        if let Some(i) = index {
            resource = format!("{resource}/index/{i}");
        }
        let mut c = Context::new();
        let names = self.body.get("ExpressionAttributeNames").and_then(Value::as_object);
        if operation == "Query" {
            if let Some(value) = self.partition_key(table, index).and_then(|pk| query_partition(self.body, &pk, names))
            {
                c.one("dynamodb:LeadingKeys", value);
            }
        }
        if let Some(a) = projected(self.body, names) {
            c.insert("dynamodb:Attributes".into(), a);
        }
        if let Some(select) = self.body.get("Select").and_then(Value::as_str) {
            c.one("dynamodb:Select", select);
        }
        self.check(operation, resource, c)
    }

    /// One check per table of a batch, with all its keys' partition values.
    fn batch(&self, operation: &str) -> Vec<Check> {
        let Some(tables) = self.body.get("RequestItems").and_then(Value::as_object) else {
            return vec![self.check(operation, self.table_arn(""), Context::new())];
        };
        let mut out = Vec::new();
        for (table, spec) in tables {
            let pk = self.partition_key(table, None);
            let items: Vec<&Value> = match spec {
                Value::Object(get) => get.get("Keys").and_then(Value::as_array).into_iter().flatten().collect(),
                Value::Array(writes) => writes.iter().filter_map(write_key).collect(),
                _ => Vec::new(),
            };
            let mut c = Context::new();
            let keys: Vec<String> = items.iter().filter_map(|i| i.get(pk.as_deref()?).and_then(key_text)).collect();
            if !keys.is_empty() {
                c.insert("dynamodb:LeadingKeys".into(), dedup(keys));
            }
            if let Some(a) = spec
                .as_object()
                .and_then(|g| projected(g, g.get("ExpressionAttributeNames").and_then(Value::as_object)))
            {
                c.insert("dynamodb:Attributes".into(), a);
            }
            out.push(self.check(operation, self.table_arn(table), c));
        }
        out
    }

    /// One check per action of a transaction.
    fn transaction(&self, operation: &str) -> Vec<Check> {
        let actions = self.body.get("TransactItems").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let mut out = Vec::new();
        for a in actions.iter().filter_map(Value::as_object) {
            for (kind, inner) in a {
                let Some(inner) = inner.as_object() else { continue };
                let action = match kind.as_str() {
                    "Put" => "PutItem",
                    "Update" => "UpdateItem",
                    "Delete" => "DeleteItem",
                    "ConditionCheck" => "ConditionCheckItem",
                    "Get" => "GetItem",
                    _ => continue,
                };
                out.push(self.item_check(action, inner, Some(operation)));
            }
        }
        out
    }

    /// PartiQL: each statement's action, on its table (or index).
    fn statements(&self, list: &[Value]) -> Vec<Check> {
        use crate::partiql::ast::Statement as S;
        let mut out = Vec::new();
        for s in list {
            let text = s.get("Statement").and_then(Value::as_str).unwrap_or_default();
            let Ok(parsed) = crate::partiql::parser::parse(text) else { continue };
            let (action, table, index) = match &parsed {
                S::Select(s) => ("PartiQLSelect", &s.table, s.index.as_deref()),
                S::Insert { table, .. } => ("PartiQLInsert", table, None),
                S::Update(u) => ("PartiQLUpdate", &u.table, None),
                S::Delete(d) => ("PartiQLDelete", &d.table, None),
            };
            let mut resource = self.table_arn(table);
            if let Some(i) = index {
                resource = format!("{resource}/index/{i}");
            }
            out.push(self.check(action, resource, Context::new()));
        }
        out
    }
}

/// A key attribute's value as IAM sees it: the string, the number's text, the base64.
fn key_text(v: &Value) -> Option<String> {
    let m = v.as_object()?;
    ["S", "N", "B"].iter().find_map(|t| m.get(*t).and_then(Value::as_str).map(str::to_string))
}

fn write_key(w: &Value) -> Option<&Value> {
    w.get("PutRequest").and_then(|p| p.get("Item")).or_else(|| w.get("DeleteRequest").and_then(|d| d.get("Key")))
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    crate::sorted::sort(&mut v);
    v.dedup();
    v
}

/// The top-level name of a path as written (`#n.a[1]` → what `#n` stands for).
fn root_name(path: &str, names: Option<&Map<String, Value>>) -> Option<String> {
    let root = path.trim().split(['.', '[']).next()?.trim();
    if root.starts_with('#') {
        names?.get(root)?.as_str().map(str::to_string)
    } else {
        (!root.is_empty()).then(|| root.to_string())
    }
}

/// The attributes a read asks for (`ProjectionExpression` or `AttributesToGet`); `None`
/// when it asks for all of them.
fn projected(obj: &Map<String, Value>, names: Option<&Map<String, Value>>) -> Option<Vec<String>> {
    if let Some(p) = obj.get("ProjectionExpression").and_then(Value::as_str) {
        return Some(dedup(p.split(',').filter_map(|path| root_name(path, names)).collect()));
    }
    let list = obj.get("AttributesToGet")?.as_array()?;
    Some(dedup(list.iter().filter_map(Value::as_str).map(str::to_string).collect()))
}

/// The attributes an UpdateItem writes: its key's and those its update names.
fn update_attributes(obj: &Map<String, Value>, names: Option<&Map<String, Value>>) -> Option<Vec<String>> {
    let mut out: Vec<String> = obj.get("Key").and_then(Value::as_object).map(|k| k.keys().cloned().collect())?;
    if let Some(u) = obj.get("AttributeUpdates").and_then(Value::as_object) {
        out.extend(u.keys().cloned());
    }
    if let Some(src) = obj.get("UpdateExpression").and_then(Value::as_str) {
        out.extend(update_paths(src).iter().filter_map(|p| root_name(p, names)));
    }
    Some(dedup(out))
}

/// The paths an update expression writes, read from its text: `SET p = v, …`,
/// `REMOVE p, …`, `ADD p v, …`, `DELETE p v, …` (the keywords are reserved words, so a
/// bare word equal to one is always a keyword).
fn update_paths(src: &str) -> Vec<String> {
    const KEYWORDS: [&str; 4] = ["SET", "REMOVE", "ADD", "DELETE"];
    let mut clauses: Vec<(bool, String)> = Vec::new();
    for word in src.split_whitespace() {
        let upper = word.to_ascii_uppercase();
        if KEYWORDS.contains(&upper.as_str()) {
            clauses.push((upper == "SET", String::new()));
        } else if let Some((_, body)) = clauses.last_mut() {
            body.push_str(word);
            body.push(' ');
        }
    }
    let mut out = Vec::new();
    for (set, body) in &clauses {
        for item in split_top(body, ',') {
            let path = if *set { item.split('=').next() } else { item.split_whitespace().next() };
            out.extend(path.map(str::trim).filter(|p| !p.is_empty()).map(str::to_string));
        }
    }
    out
}

/// `text` split at `sep` outside parentheses.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c == sep && depth <= 0 => {
                out.push(text.get(start..i).unwrap_or_default());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(text.get(start..).unwrap_or_default());
    out
}

/// The partition value a Query's key condition pins (`pk = :v`, or the legacy
/// `KeyConditions`).
fn query_partition(body: &Map<String, Value>, pk: &str, names: Option<&Map<String, Value>>) -> Option<String> {
    if let Some(src) = body.get("KeyConditionExpression").and_then(Value::as_str) {
        let values = body.get("ExpressionAttributeValues")?.as_object()?;
        let words = src.split_whitespace().collect::<Vec<_>>().join(" ");
        for part in words.split(" AND ").flat_map(|p| p.split(" and ")) {
            let Some((left, right)) = part.split_once('=') else { continue };
            if left.ends_with(['<', '>', '!']) {
                continue;
            }
            let (left, right) = (left.trim().trim_start_matches('('), right.trim().trim_end_matches(')'));
            let (path, value) = if right.starts_with(':') { (left, right) } else { (right, left) };
            if root_name(path, names).as_deref() == Some(pk) && value.starts_with(':') {
                return values.get(value.trim()).and_then(key_text);
            }
        }
        return None;
    }
    let cond = body.get("KeyConditions")?.get(pk)?;
    (cond.get("ComparisonOperator")?.as_str()? == "EQ").then_some(())?;
    cond.get("AttributeValueList")?.get(0).and_then(key_text)
}
