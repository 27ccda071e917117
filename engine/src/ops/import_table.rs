//! ImportTable: a new table made from objects in a bucket of the simulated S3 (DynamoDB
//! JSON, Ion or CSV; GZIP, ZSTD or none). It consumes no write capacity. The table is
//! created with `TableCreationParameters` (CreateTable's rules) and loaded at once; it
//! stays CREATING and the import IN_PROGRESS until the engine clock passes
//! `Config::transfer_delay_ms`. Items that fail validation are skipped and counted, and the
//! import then ends FAILED with AWS's `ItemValidationError`, the table keeping the rest.

use serde_json::{json, Map, Value};

use super::imports::{description, find};
use super::table_settings::uuid_from;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::table::{Table, TableStatus};
use crate::trace::Trace;
use crate::transfer::export::no_such_bucket;
use crate::transfer::import::{read_source, Import, Reading, ITEM_VALIDATION_MESSAGE};
use crate::transfer::job_id;

/// The TableCreationParameters members CreateTable reads.
const CREATE_MEMBERS: &[&str] = &[
    "TableName",
    "AttributeDefinitions",
    "KeySchema",
    "BillingMode",
    "ProvisionedThroughput",
    "OnDemandThroughput",
    "SSESpecification",
    "GlobalSecondaryIndexes",
];

struct Request<'a> {
    bucket: &'a str,
    prefix: &'a str,
    format: &'a str,
    compression: &'a str,
    delimiter: u8,
    header: Option<Vec<String>>,
    creation: Input<'a>,
    token: Option<&'a str>,
}

fn read<'a>(input: &Input<'a>) -> Result<Request<'a>> {
    let mut v = Violations::new();
    let source = input.object("S3BucketSource")?;
    v.not_null(source.as_ref(), "s3BucketSource");
    let bucket = source.as_ref().map(|s| s.str("S3Bucket")).transpose()?.flatten();
    if source.is_some() {
        v.not_null(bucket, "s3BucketSource.s3Bucket");
    }
    let format = input.str("InputFormat")?;
    v.not_null(format, "inputFormat");
    v.one_of(format, "inputFormat", &["DYNAMODB_JSON", "ION", "CSV"]);
    let compression = input.str("InputCompressionType")?;
    v.one_of(compression, "inputCompressionType", &["GZIP", "ZSTD", "NONE"]);
    let creation = input.object("TableCreationParameters")?;
    v.not_null(creation.as_ref(), "tableCreationParameters");
    let token = input.str("ClientToken")?;
    v.pattern(token, "clientToken", "^[^\\$]+$", |t| !t.is_empty() && !t.contains('$'));
    let csv = input.object("InputFormatOptions")?.map(|o| o.object("Csv")).transpose()?.flatten();
    let delimiter = csv.as_ref().map(|c| c.str("Delimiter")).transpose()?.flatten();
    v.pattern(delimiter, "inputFormatOptions.csv.delimiter", "[,;:|\\t ]", |d| {
        matches!(d, "," | ";" | ":" | "|" | "\t" | " ")
    });
    let header = csv.as_ref().map(|c| c.array("HeaderList")).transpose()?.flatten();
    v.length(header.map(Vec::len), "HeaderList", "inputFormatOptions.csv.headerList", 1, Some(255));
    v.finish()?;
    let (Some(source), Some(creation)) = (source, creation) else {
        return Err(Error::validation("Missing S3BucketSource"));
    };
    if creation.has("VectorIndexes") {
        return Err(super::table_request::not_built("VectorIndexes", "vector indexes"));
    }
    Ok(Request {
        prefix: source.str("S3KeyPrefix")?.unwrap_or_default(),
        bucket: bucket.unwrap_or_default(),
        format: format.unwrap_or_default(),
        compression: compression.unwrap_or("NONE"),
        delimiter: delimiter.and_then(|d| d.bytes().next()).unwrap_or(b','),
        header: header.map(|h| h.iter().map(|c| c.as_str().unwrap_or_default().to_string()).collect()),
        creation,
        token,
    })
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let req = read(&input)?;
    if let Some(answer) = replay(engine, &req, &input)? {
        return Ok(answer);
    }
    let name = req.creation.str("TableName")?.unwrap_or_default().to_string();
    if engine.tables.contains_key(&name) {
        return Err(Error::new(ErrorKind::ResourceInUse, format!("Table already exists: {name}")));
    }
    let now = engine.now_ms;
    let mut import = record(engine, &req, &input, &name, now);
    if engine.s3.buckets.contains_key(req.bucket) {
        load(engine, &req, &name, &mut import, trace)?;
    } else {
        import.failure = Some(no_such_bucket());
    }
    let answer = description(engine, &import, now);
    trace.jobs_changed.insert(import.arn.clone());
    engine.imports.push(import);
    Ok(json!({ "ImportTableDescription": answer }))
}

/// The import as requested, before anything is read.
fn record(engine: &Engine, req: &Request, input: &Input, name: &str, now: u64) -> Import {
    let table_arn = engine.arn(name);
    let raw = |k: &str| input.raw(k).cloned();
    Import {
        arn: format!("{table_arn}/import/{}", job_id(&table_arn, now)),
        table_id: uuid_from(name, now),
        table_arn,
        client_token: req.token.map(str::to_string),
        source: raw("S3BucketSource").unwrap_or(Value::Null),
        format_options: raw("InputFormatOptions"),
        creation: raw("TableCreationParameters").unwrap_or(Value::Null),
        format: req.format.to_string(),
        compression: req.compression.to_string(),
        start_ms: now,
        end_ms: now.saturating_add(engine.config.transfer_delay_ms),
        processed_bytes: 0,
        processed_items: 0,
        imported_items: 0,
        error_count: 0,
        failure: None,
        errors: Vec::new(),
    }
}

/// Creates the table as CreateTable would, then fills it from the bucket.
fn load(engine: &mut Engine, req: &Request, name: &str, import: &mut Import, trace: &mut Trace) -> Result<()> {
    let mut create = Map::new();
    for k in CREATE_MEMBERS {
        if let Some(v) = req.creation.raw(k) {
            create.insert((*k).to_string(), v.clone());
        }
    }
    let create = Value::Object(create);
    super::create_table::run(engine, Input::new(&create)?, trace)?;
    let t = engine.tables.remove(name).ok_or_else(|| Error::table_not_found(name))?;
    let bucket = engine.s3.buckets.get(req.bucket).ok_or_else(|| Error::table_not_found(name))?;
    let how = Reading {
        format: req.format,
        compression: req.compression,
        delimiter: req.delimiter,
        header: req.header.as_deref(),
    };
    let out = read_source(bucket, req.prefix, &how, &t.def);
    let mut table = Table::load(t.def, t.partitions, out.items.into_values())
        .map_err(|e| Error::new(ErrorKind::InternalServerError, e))?;
    table.status = TableStatus::Creating;
    table.status_until_ms = Some(import.end_ms);
    import.table_id = table.def.table_id.clone();
    import.processed_bytes = out.processed_bytes;
    import.processed_items = out.processed_items;
    import.imported_items = table.item_count() as u64;
    import.error_count = out.error_count;
    import.errors = out.errors;
    if out.error_count > 0 {
        import.failure = Some(("ItemValidationError".into(), ITEM_VALIDATION_MESSAGE.into()));
    }
    engine.tables.insert(name.to_string(), table);
    trace.tables_rewritten.insert(name.to_string());
    Ok(())
}

/// A `ClientToken` used within 8 hours: the same request answers the same import; other
/// parameters are a conflict.
fn replay(engine: &Engine, req: &Request, input: &Input) -> Result<Option<Value>> {
    const WINDOW_MS: u64 = 8 * 60 * 60 * 1000;
    let Some(token) = req.token else { return Ok(None) };
    let now = engine.now_ms;
    let found = engine
        .imports
        .iter()
        .rev()
        .find(|i| i.client_token.as_deref() == Some(token) && i.start_ms.saturating_add(WINDOW_MS) > now);
    let Some(i) = found else { return Ok(None) };
    let same = Some(&i.source) == input.raw("S3BucketSource")
        && Some(&i.creation) == input.raw("TableCreationParameters")
        && i.format == req.format;
    if !same {
        return Err(Error::new(
            ErrorKind::ImportConflict,
            format!("There is already an import with client token {token} and different parameters"),
        ));
    }
    let i = find(engine, &i.arn)?;
    Ok(Some(json!({ "ImportTableDescription": description(engine, i, now) })))
}
