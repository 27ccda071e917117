//! The engine's one error type. Each variant of [`ErrorKind`] is one AWS error type; the
//! wire layer renders `__type`, the HTTP status and the message key from it, so the message
//! text built at the check that failed reaches the client unchanged.

use serde_json::Value;

/// The AWS error types the engine can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    Validation,
    Serialization,
    UnknownOperation,
    ResourceNotFound,
    ResourceInUse,
    ConditionalCheckFailed,
    TransactionCanceled,
    TransactionConflict,
    TransactionInProgress,
    IdempotentParameterMismatch,
    LimitExceeded,
    AccessDenied,
    InternalServerError,
    /// DynamoDB Streams: a shard iterator older than 15 minutes.
    ExpiredIterator,
    /// DynamoDB Streams: a position in records already trimmed (24-hour retention).
    TrimmedDataAccess,
    BackupNotFound,
    BackupInUse,
    TableNotFound,
    TableAlreadyExists,
    TableInUse,
    PointInTimeRecoveryUnavailable,
    InvalidRestoreTime,
    ExportNotFound,
    ExportConflict,
    InvalidExportTime,
    ImportNotFound,
    ImportConflict,
    /// A provisioned table or index, or a hot key range, over its throughput.
    ProvisionedThroughputExceeded,
    /// An on-demand table over its current or configured maximum throughput.
    Throttling,
    /// PartiQL: an INSERT of an item whose key exists.
    DuplicateItem,
    /// An access key (or, in the page, a principal) IAM does not know.
    UnrecognizedClient,
    /// A SigV4 signature that does not match the request.
    InvalidSignature,
    /// No `Authorization` header where one is required (`dynaplay serve --iam`).
    MissingAuthenticationToken,
    /// An `Authorization` header that is not a SigV4 one.
    IncompleteSignature,
    /// GetResourcePolicy of a resource without one; a revision ID that does not match.
    PolicyNotFound,
}

impl ErrorKind {
    /// The `__type` DynamoDB sends for this error.
    pub fn wire_type(self) -> &'static str {
        match self {
            ErrorKind::Validation => "com.amazon.coral.validate#ValidationException",
            ErrorKind::Serialization => "com.amazon.coral.service#SerializationException",
            ErrorKind::UnknownOperation => "com.amazon.coral.service#UnknownOperationException",
            ErrorKind::ResourceNotFound => "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
            ErrorKind::ResourceInUse => "com.amazonaws.dynamodb.v20120810#ResourceInUseException",
            ErrorKind::ConditionalCheckFailed => "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            ErrorKind::TransactionCanceled => "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            ErrorKind::TransactionConflict => "com.amazonaws.dynamodb.v20120810#TransactionConflictException",
            ErrorKind::TransactionInProgress => "com.amazonaws.dynamodb.v20120810#TransactionInProgressException",
            ErrorKind::IdempotentParameterMismatch => {
                "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException"
            }
            ErrorKind::LimitExceeded => "com.amazonaws.dynamodb.v20120810#LimitExceededException",
            ErrorKind::AccessDenied => "com.amazon.coral.service#AccessDeniedException",
            ErrorKind::InternalServerError => "com.amazonaws.dynamodb.v20120810#InternalServerError",
            ErrorKind::ExpiredIterator => "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException",
            ErrorKind::TrimmedDataAccess => "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException",
            ErrorKind::BackupNotFound => "com.amazonaws.dynamodb.v20120810#BackupNotFoundException",
            ErrorKind::BackupInUse => "com.amazonaws.dynamodb.v20120810#BackupInUseException",
            ErrorKind::TableNotFound => "com.amazonaws.dynamodb.v20120810#TableNotFoundException",
            ErrorKind::TableAlreadyExists => "com.amazonaws.dynamodb.v20120810#TableAlreadyExistsException",
            ErrorKind::TableInUse => "com.amazonaws.dynamodb.v20120810#TableInUseException",
            ErrorKind::PointInTimeRecoveryUnavailable => {
                "com.amazonaws.dynamodb.v20120810#PointInTimeRecoveryUnavailableException"
            }
            ErrorKind::InvalidRestoreTime => "com.amazonaws.dynamodb.v20120810#InvalidRestoreTimeException",
            ErrorKind::ExportNotFound => "com.amazonaws.dynamodb.v20120810#ExportNotFoundException",
            ErrorKind::ExportConflict => "com.amazonaws.dynamodb.v20120810#ExportConflictException",
            ErrorKind::InvalidExportTime => "com.amazonaws.dynamodb.v20120810#InvalidExportTimeException",
            ErrorKind::ImportNotFound => "com.amazonaws.dynamodb.v20120810#ImportNotFoundException",
            ErrorKind::ImportConflict => "com.amazonaws.dynamodb.v20120810#ImportConflictException",
            ErrorKind::ProvisionedThroughputExceeded => {
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"
            }
            ErrorKind::Throttling => "com.amazon.coral.availability#ThrottlingException",
            ErrorKind::DuplicateItem => "com.amazonaws.dynamodb.v20120810#DuplicateItemException",
            ErrorKind::UnrecognizedClient => "com.amazon.coral.service#UnrecognizedClientException",
            ErrorKind::InvalidSignature => "com.amazon.coral.service#InvalidSignatureException",
            ErrorKind::MissingAuthenticationToken => "com.amazon.coral.service#MissingAuthenticationTokenException",
            ErrorKind::IncompleteSignature => "com.amazon.coral.service#IncompleteSignatureException",
            ErrorKind::PolicyNotFound => "com.amazonaws.dynamodb.v20120810#PolicyNotFoundException",
        }
    }

    /// The short name, as SDKs report it (`ValidationException`).
    pub fn name(self) -> &'static str {
        let t = self.wire_type();
        t.rsplit('#').next().unwrap_or(t)
    }

    /// HTTP status: every client error is 400; only internal errors are 500.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::InternalServerError => 500,
            _ => 400,
        }
    }

    /// The JSON key of the message. The service model gives the transaction exceptions a
    /// capitalised `Message`; the others use `message`.
    pub fn message_key(self) -> &'static str {
        match self {
            ErrorKind::TransactionCanceled
            | ErrorKind::TransactionInProgress
            | ErrorKind::IdempotentParameterMismatch
            | ErrorKind::AccessDenied
            | ErrorKind::Serialization => "Message",
            _ => "message",
        }
    }
}

/// One entry of a `TransactionCanceledException`'s `CancellationReasons`.
#[derive(Debug, Clone, PartialEq)]
pub struct CancellationReason {
    /// `None` (the literal string) for actions that did not fail.
    pub code: String,
    pub message: Option<String>,
    /// The item, in wire JSON (errors are made after values are read, and only written).
    pub item: Option<Value>,
}

impl CancellationReason {
    pub fn none() -> CancellationReason {
        CancellationReason { code: "None".to_string(), message: None, item: None }
    }

    /// An action whose own parameters are invalid (a key that does not match the
    /// schema, say): AWS cancels the transaction rather than failing the request.
    pub fn validation(message: String) -> CancellationReason {
        CancellationReason { code: "ValidationError".to_string(), message: Some(message), item: None }
    }
}

/// Where in a request an error is: an expression parameter and the byte range of the
/// offending text in it, with a hint for the usual slip. Never sent on the wire (AWS sends
/// only the message); the page underlines the range and shows the hint beside AWS's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorSpan {
    /// `ConditionExpression`, `FilterExpression`, …
    pub parameter: &'static str,
    pub start: usize,
    pub end: usize,
    pub hint: Option<String>,
}

/// An error answered to the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// `ReturnValuesOnConditionCheckFailure: ALL_OLD`: the item that failed the condition,
    /// in wire JSON.
    pub item: Option<Value>,
    pub cancellation_reasons: Vec<CancellationReason>,
    /// Boxed: most errors have none, and `Error` travels in every `Result`.
    pub span: Option<Box<ErrorSpan>>,
    /// Why a throttled request was throttled (`ThrottlingReasons`).
    pub throttling: Vec<ThrottlingReason>,
}

/// One entry of a throttling error's `ThrottlingReasons`: what was throttled and why
/// (`TableWriteProvisionedThroughputExceeded`), and the table's or index's ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottlingReason {
    pub reason: String,
    pub resource: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            item: None,
            cancellation_reasons: Vec::new(),
            span: None,
            throttling: Vec::new(),
        }
    }

    pub fn validation(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Validation, message)
    }

    pub fn serialization(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Serialization, message)
    }

    /// Data-plane calls on a missing or not-yet-active table.
    pub fn resource_not_found() -> Error {
        Error::new(ErrorKind::ResourceNotFound, "Requested resource not found")
    }

    /// Control-plane calls on a missing table name the table.
    pub fn table_not_found(table: &str) -> Error {
        Error::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: Table: {table} not found"))
    }

    pub fn conditional_check_failed(item: Option<Value>) -> Error {
        Error { item, ..Error::new(ErrorKind::ConditionalCheckFailed, "The conditional request failed") }
    }

    /// A cancelled transaction, one reason per action in request order.
    pub fn transaction_canceled(reasons: Vec<CancellationReason>) -> Error {
        let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
        let message = format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        );
        Error { cancellation_reasons: reasons, ..Error::new(ErrorKind::TransactionCanceled, message) }
    }

    /// `One or more parameter values were invalid: …`, AWS's prefix for most semantic
    /// validation failures.
    pub fn invalid_parameter(detail: impl AsRef<str>) -> Error {
        Error::validation(format!("One or more parameter values were invalid: {}", detail.as_ref()))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
