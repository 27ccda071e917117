//! The wire layer: (target, JSON body) in, (HTTP status, JSON body) out, exactly as
//! DynamoDB answers. The only module that knows target prefixes, status codes and error
//! envelopes; everything below it deals in typed values and [`Error`].

use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind};
use crate::log::Origin;
use crate::ops;
use crate::request::{Body, Input};
use crate::trace::Trace;

/// The `X-Amz-Target` prefix of DynamoDB's API version.
pub const TARGET_PREFIX: &str = "DynamoDB_20120810.";
/// The `X-Amz-Target` prefix of DynamoDB Streams' API version.
pub const STREAMS_TARGET_PREFIX: &str = "DynamoDBStreams_20120810.";
/// The `X-Amz-Target` prefix of Dynaplay's own operations (triggers, the mirror).
pub const DYNAPLAY_TARGET_PREFIX: &str = "Dynaplay_20261130.";
/// The content type of every request and response.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// One answered request.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: String,
    pub trace: Trace,
}

/// The operation an `X-Amz-Target` header names: a DynamoDB operation after DynamoDB's
/// prefix, a Streams operation after DynamoDB Streams', one of Dynaplay's own after
/// Dynaplay's (each service knows only its own).
pub fn operation_of(target: &str) -> Option<&str> {
    let own = |op: &&str| ops::STREAMS_OPERATIONS.contains(op) || ops::DYNAPLAY_OPERATIONS.contains(op);
    if let Some(op) = target.strip_prefix(TARGET_PREFIX) {
        return (!own(&op)).then_some(op);
    }
    let streams = target.strip_prefix(STREAMS_TARGET_PREFIX).filter(|op| ops::STREAMS_OPERATIONS.contains(op));
    streams.or_else(|| target.strip_prefix(DYNAPLAY_TARGET_PREFIX).filter(|op| ops::DYNAPLAY_OPERATIONS.contains(op)))
}

/// Who a request comes from, for IAM (whose state is the engine's; a world lends its
/// home region's to the region answering).
#[derive(Clone, Copy, Debug, Default)]
pub struct Access<'a> {
    /// The principal's ARN (`None`: the workspace's acting principal).
    pub principal: Option<&'a str>,
    /// The workspace's owner: the page's own panels (its IAM settings, say), which IAM
    /// does not check.
    pub owner: bool,
}

/// Answers one request. `operation` is the part of `X-Amz-Target` after the prefix.
pub fn handle(engine: &mut Engine, operation: &str, body: &[u8], now_ms: u64) -> Response {
    handle_as(engine, Access::default(), operation, body, now_ms)
}

/// [`handle`], with the request's principal and IAM state.
pub fn handle_as(engine: &mut Engine, access: Access, operation: &str, body: &[u8], now_ms: u64) -> Response {
    ops::hot::handle(engine, access, operation, body, now_ms)
}

/// [`handle_as`]'s work, once the code that runs requests is in ([`ops::hot`]: only
/// its [`operations`](ops::hot::operations) names this).
pub(crate) fn answer(engine: &mut Engine, access: Access, operation: &str, body: &[u8], now_ms: u64) -> Response {
    // Transitions the clock completes are this request's to persist too.
    let mut trace = Trace::default();
    crate::scheduler::advance(engine, now_ms, &mut trace);
    engine.origin = Origin { operation: operation.into(), ..Origin::default() };
    engine.caller = access.principal.map_or_else(|| engine.iam.acting_as.clone(), str::to_string);
    let result = dispatch(engine, access, operation, body, &mut trace);
    engine.origin = Origin::default();
    match result {
        Ok(answer) => Response { status: 200, body: answer.into_text(), trace },
        Err(e) => {
            let body = error_body(&e).to_string();
            Response { status: e.kind.status(), body, trace: Trace { error_span: e.span.map(|s| *s), ..trace } }
        }
    }
}

fn dispatch(
    engine: &mut Engine,
    access: Access,
    operation: &str,
    body: &[u8],
    trace: &mut Trace,
) -> Result<ops::Answer, Error> {
    if !ops::OPERATIONS.contains(&operation) {
        return Err(unknown_operation());
    }
    let text = std::str::from_utf8(body).map_err(|_| Error::serialization("Invalid UTF-8 in request body"))?;
    let iam_reads_body = !access.owner && engine.iam.enforce;
    let body = Body::parse(operation, text, !iam_reads_body)?;
    let input = Input::of(&body)?;
    crate::shape::check_request(operation, &body.value)?;
    if !access.owner {
        crate::iam::authorize::authorize(
            engine,
            &engine.iam,
            access.principal,
            operation,
            &body.value,
            &mut trace.access,
        )?;
    }
    ops::run(engine, operation, input, trace).unwrap_or_else(|| Err(unknown_operation()))
}

/// What [`handle`] answers while the code that runs requests is not in (the page's
/// build, offline: [`ops::hot`]), answered without it and without moving the clock, so
/// a host that cannot save a change yet changes nothing.
pub fn refused_before_loaded(operation: &str) -> Response {
    let known = ops::OPERATIONS.contains(&operation);
    error_response(&if known { ops::cold::not_loaded(operation) } else { unknown_operation() })
}

fn unknown_operation() -> Error {
    Error::new(ErrorKind::UnknownOperation, "An unknown operation was requested.")
}

/// The response to a request refused with `e`.
pub fn error_response(e: &Error) -> Response {
    Response { status: e.kind.status(), body: error_body(e).to_string(), trace: Trace::default() }
}

/// The short error type and message of an error response body
/// (`("ValidationException", "…")`), whichever key the message uses; `None` for success.
pub fn error_of(body: &Value) -> Option<(&str, &str)> {
    let full = body.get("__type")?.as_str()?;
    let short = full.rsplit('#').next().unwrap_or(full);
    let message = body.get("message").or_else(|| body.get("Message")).and_then(Value::as_str).unwrap_or("");
    Some((short, message))
}

/// Where in `body` the first wrong JSON type is (`Item.Plays.N`), with AWS's message for
/// it. DynamoDB's message names no member; the page adds the path beside it.
/// Its code comes with the code that runs requests (`crate::ops::hot`).
pub fn invalid_member(operation: &str, body: &Value) -> Option<(String, String)> {
    crate::ops::hot::invalid_member(operation, body)
}

/// [`invalid_member`]'s work.
pub(crate) fn find_invalid_member(operation: &str, body: &Value) -> Option<(String, String)> {
    crate::shape::invalid_member(operation, body).map(|(e, path)| (e.message, path))
}

/// `{"__type": …, "message": …}` plus the extra members some errors carry.
pub fn error_body(e: &Error) -> Value {
    let mut m = Map::new();
    m.insert("__type".into(), Value::String(e.kind.wire_type().into()));
    m.insert(e.kind.message_key().into(), Value::String(e.message.clone()));
    if let Some(item) = &e.item {
        m.insert("Item".into(), item.clone());
    }
    if e.kind == ErrorKind::TransactionCanceled {
        let reasons: Vec<Value> = e
            .cancellation_reasons
            .iter()
            .map(|r| {
                let mut o = Map::new();
                o.insert("Code".into(), Value::String(r.code.clone()));
                if let Some(msg) = &r.message {
                    o.insert("Message".into(), Value::String(msg.clone()));
                }
                if let Some(item) = &r.item {
                    o.insert("Item".into(), item.clone());
                }
                Value::Object(o)
            })
            .collect();
        m.insert("CancellationReasons".into(), Value::Array(reasons));
    }
    if !e.throttling.is_empty() {
        let reasons: Vec<Value> =
            e.throttling.iter().map(|r| serde_json::json!({"reason": r.reason, "resource": r.resource})).collect();
        // The service model names the member differently in the two exceptions.
        let key = if e.kind == ErrorKind::Throttling { "throttlingReasons" } else { "ThrottlingReasons" };
        m.insert(key.into(), Value::Array(reasons));
    }
    Value::Object(m)
}
