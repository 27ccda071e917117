//! ExportTableToPointInTime: the table as it was at `ExportTime` (a full export) or the
//! changes of a window (an incremental export), read from point-in-time recovery and
//! written to a bucket of the simulated S3 as AWS lays it out (see `transfer::export`).
//! It consumes no capacity. The answer says IN_PROGRESS; the manifests are written and the
//! export is COMPLETED once the engine clock passes `Config::transfer_delay_ms`.

use serde_json::{json, Value};

use super::exports::{description, table_of_arn};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Input, Violations};
use crate::trace::Trace;
use crate::transfer::export::{file_name, no_such_bucket, DataFile, Export, Format, Incremental};
use crate::transfer::{compression::gzip, export_files, job_id};

/// An incremental export's window: 15 minutes to 24 hours, as AWS allows.
const MIN_WINDOW_MS: u64 = 15 * 60 * 1000;
const MAX_WINDOW_MS: u64 = 24 * 60 * 60 * 1000;

/// The request, model-checked.
struct Request<'a> {
    table_arn: &'a str,
    bucket: &'a str,
    owner: Option<&'a str>,
    prefix: Option<&'a str>,
    sse: (Option<&'a str>, Option<&'a str>),
    token: Option<&'a str>,
    format: Format,
    at_s: Option<f64>,
    incremental: Option<Input<'a>>,
}

fn read<'a>(input: &Input<'a>) -> Result<Request<'a>> {
    let mut v = Violations::new();
    let table_arn = input.str("TableArn")?;
    v.not_null(table_arn, "tableArn");
    v.length(table_arn.map(str::len), table_arn.unwrap_or_default(), "tableArn", 1, Some(1024));
    let bucket = input.str("S3Bucket")?;
    v.not_null(bucket, "s3Bucket");
    v.pattern(bucket, "s3Bucket", "^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$", bucket_pattern);
    let owner = input.str("S3BucketOwner")?;
    v.pattern(owner, "s3BucketOwner", "[0-9]{12}", |o| o.len() == 12 && o.bytes().all(|b| b.is_ascii_digit()));
    let prefix = input.str("S3Prefix")?;
    v.length(prefix.map(str::len), prefix.unwrap_or_default(), "s3Prefix", 0, Some(1024));
    let algorithm = input.str("S3SseAlgorithm")?;
    v.one_of(algorithm, "s3SseAlgorithm", &["AES256", "KMS"]);
    let token = input.str("ClientToken")?;
    v.pattern(token, "clientToken", "^[^\\$]+$", |t| !t.is_empty() && !t.contains('$'));
    let format = input.str("ExportFormat")?;
    v.one_of(format, "exportFormat", &["DYNAMODB_JSON", "ION"]);
    let kind = input.str("ExportType")?;
    v.one_of(kind, "exportType", &["FULL_EXPORT", "INCREMENTAL_EXPORT"]);
    let spec = input.object("IncrementalExportSpecification")?;
    let view = spec.as_ref().map(|s| s.str("ExportViewType")).transpose()?.flatten();
    v.one_of(view, "incrementalExportSpecification.exportViewType", &["NEW_IMAGE", "NEW_AND_OLD_IMAGES"]);
    v.finish()?;
    if input.has("FilterSpecification") {
        return Err(super::table_request::not_built("FilterSpecification", "a filtered export"));
    }
    let incremental = match (kind, spec) {
        (Some("INCREMENTAL_EXPORT"), Some(s)) => Some(s),
        (Some("INCREMENTAL_EXPORT"), None) => {
            return Err(Error::validation("IncrementalExportSpecification must be provided for an incremental export"))
        }
        (_, Some(_)) => {
            return Err(Error::validation(
                "IncrementalExportSpecification is only valid when ExportType is INCREMENTAL_EXPORT",
            ))
        }
        _ => None,
    };
    Ok(Request {
        table_arn: table_arn.unwrap_or_default(),
        bucket: bucket.unwrap_or_default(),
        owner,
        prefix,
        sse: (algorithm, input.str("S3SseKmsKeyId")?),
        token,
        format: format.and_then(Format::parse).unwrap_or(Format::DynamoDbJson),
        at_s: input.number("ExportTime")?,
        incremental,
    })
}

/// S3's bucket-name pattern in the service model.
fn bucket_pattern(b: &str) -> bool {
    let inner = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    b.len() >= 2
        && b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.chars().all(inner)
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    let req = read(&input)?;
    if let Some(answer) = replay(engine, &req)? {
        return Ok(answer);
    }
    let name =
        table_of_arn(req.table_arn).ok_or_else(|| Error::validation(format!("Invalid TableArn: {}", req.table_arn)))?;
    let t = engine
        .tables
        .get(name)
        .ok_or_else(|| Error::new(ErrorKind::TableNotFound, format!("Table not found: {name}")))?;
    let pitr = engine.pitr.get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::PointInTimeRecoveryUnavailable,
            format!("Point in time recovery is not enabled for table '{name}'"),
        )
    })?;
    let now = engine.now_ms;
    let (earliest, _) = pitr.window(now, 0);
    let (at, window) = times(&req, earliest, now)?;
    let log = engine.logs.get(name);
    let data = match &window {
        None => export_files::full(&t.partitions, &pitr.items_at(&t.def.schema, log, at), req.format),
        Some(w) => {
            let changes = log.into_iter().flat_map(|l| l.committed_between(w.from_ms, w.to_ms));
            export_files::incremental(&t.def.schema, &t.partitions, changes, w.view != "NEW_IMAGE", req.format)
        }
    };
    let table_arn = engine.arn(name);
    let export = Export {
        arn: format!("{table_arn}/export/{}", job_id(&table_arn, now)),
        table_arn,
        table_id: t.def.table_id.clone(),
        client_token: req.token.map(str::to_string),
        bucket: req.bucket.to_string(),
        bucket_owner: req.owner.map(str::to_string),
        prefix: req.prefix.map(str::to_string),
        sse_algorithm: req.sse.0.map(str::to_string),
        sse_key: req.sse.1.map(str::to_string),
        format: req.format,
        incremental: window,
        export_time_ms: at,
        start_ms: now,
        end_ms: now.saturating_add(engine.config.transfer_delay_ms),
        item_count: data.item_count,
        billed_bytes: data.billed_bytes,
        files: Vec::new(),
        failure: None,
        completed: false,
    };
    let export = write_data(engine, export, data.parts, trace);
    let answer = description(&export);
    trace.jobs_changed.insert(export.arn.clone());
    engine.exports.push(export);
    Ok(json!({ "ExportDescription": answer }))
}

/// The export time and, for an incremental export, its window, checked against the
/// recovery window `[earliest, now]`.
fn times(req: &Request, earliest: u64, now: u64) -> Result<(u64, Option<Incremental>)> {
    let ms = |s: f64| if s.is_finite() && s >= 0.0 { (s * 1000.0) as u64 } else { u64::MAX };
    let outside = |what: &str, t: u64| {
        Error::new(
            ErrorKind::InvalidExportTime,
            format!(
                "{what} {} is not in the point in time recovery window {} to {}",
                t / 1000,
                earliest / 1000,
                now / 1000
            ),
        )
    };
    let Some(spec) = &req.incremental else {
        let at = req.at_s.map_or(now, ms);
        return if (earliest..=now).contains(&at) { Ok((at, None)) } else { Err(outside("Export time", at)) };
    };
    let from = spec
        .number("ExportFromTime")?
        .map(ms)
        .ok_or_else(|| Error::validation("ExportFromTime must be provided for an incremental export"))?;
    let to = spec.number("ExportToTime")?.map_or(now, ms);
    let view = spec.str("ExportViewType")?.unwrap_or("NEW_AND_OLD_IMAGES").to_string();
    if from < earliest || from > now {
        return Err(outside("ExportFromTime", from));
    }
    if to > now {
        return Err(outside("ExportToTime", to));
    }
    let span = to.saturating_sub(from);
    if to <= from || !(MIN_WINDOW_MS..=MAX_WINDOW_MS).contains(&span) {
        return Err(Error::validation(
            "The incremental export period must be at least 15 minutes and at most 24 hours: ExportToTime minus ExportFromTime",
        ));
    }
    Ok((to, Some(Incremental { from_ms: from, to_ms: to, view })))
}

/// Writes `_started` and the data files to the bucket, or fails the export as AWS does
/// when the bucket is missing or belongs to another account not named in `S3BucketOwner`.
fn write_data(engine: &mut Engine, mut export: Export, parts: Vec<Vec<String>>, trace: &mut Trace) -> Export {
    let account = engine.config.account_id.clone();
    let Some(bucket) = engine.s3.buckets.get_mut(&export.bucket) else {
        export.failure = Some(no_such_bucket());
        return export;
    };
    if bucket.owner != account && export.bucket_owner.as_deref() != Some(bucket.owner.as_str()) {
        export.failure = Some(("S3AccessDenied".into(), "Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied): the bucket belongs to another account; name it in S3BucketOwner".into()));
        return export;
    }
    let now = engine.now_ms;
    let started = format!("{}_started", export.folder());
    let mut objects = vec![(started, Vec::new(), None)];
    for (i, lines) in parts.into_iter().enumerate() {
        let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
        objects.push((export.data_key(&file_name(&export.arn, i)), gzip(body.as_bytes()), Some(lines.len() as u64)));
    }
    for (key, bytes, count) in objects {
        if let Some(n) = count {
            export.files.push(DataFile::of(key.clone(), &bytes, n));
        }
        bucket.put(&key, bytes, &account, now);
        trace.s3_changed.insert(crate::s3::object_key(&export.bucket, &key));
    }
    export
}

/// A `ClientToken` used within 8 hours: the same request answers the same export; other
/// parameters are a conflict.
fn replay(engine: &Engine, req: &Request) -> Result<Option<Value>> {
    const WINDOW_MS: u64 = 8 * 60 * 60 * 1000;
    let Some(token) = req.token else { return Ok(None) };
    let now = engine.now_ms;
    let Some(e) = engine
        .exports
        .iter()
        .rev()
        .find(|e| e.client_token.as_deref() == Some(token) && e.start_ms.saturating_add(WINDOW_MS) > now)
    else {
        return Ok(None);
    };
    let same = e.table_arn == req.table_arn
        && e.bucket == req.bucket
        && e.prefix.as_deref() == req.prefix
        && e.format == req.format
        && e.incremental.is_some() == req.incremental.is_some();
    if same {
        Ok(Some(json!({ "ExportDescription": description(e) })))
    } else {
        Err(Error::new(
            ErrorKind::ExportConflict,
            format!("There is already an export with client token {token} and different parameters"),
        ))
    }
}
