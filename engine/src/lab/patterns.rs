//! The four ways a client increments the counter, as requests, and how it reads their
//! answers.

use serde_json::{json, Value};

use super::TABLE;
use crate::value::{AttributeValue, Item};
use crate::wire::Response;

/// How a client increments the counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// GetItem, then PutItem of the value plus one, with no condition.
    ReadModifyWrite,
    /// UpdateItem `ADD n :one`.
    AtomicCounter,
    /// GetItem, then PutItem of the value plus one and the version plus one, on condition
    /// that the version is still the one read; on a failed condition, read again.
    OptimisticLocking,
    /// TransactWriteItems adding one to the counter and to a second item.
    Transaction,
}

impl Pattern {
    pub const ALL: [Pattern; 4] =
        [Pattern::ReadModifyWrite, Pattern::AtomicCounter, Pattern::OptimisticLocking, Pattern::Transaction];

    pub fn title(self) -> &'static str {
        match self {
            Pattern::ReadModifyWrite => "Read, modify, write",
            Pattern::AtomicCounter => "Atomic counter (ADD)",
            Pattern::OptimisticLocking => "Optimistic locking",
            Pattern::Transaction => "Transaction",
        }
    }

    /// The requests, in a sentence.
    pub fn explain(self) -> &'static str {
        match self {
            Pattern::ReadModifyWrite => "GetItem, then PutItem with n + 1 and no condition: two clients that read the same value both write the same next value, and one increment is lost.",
            Pattern::AtomicCounter => "UpdateItem with ADD n :one: DynamoDB adds on the leader, one write at a time, so nothing is lost and nothing conflicts.",
            Pattern::OptimisticLocking => "GetItem, then PutItem with n + 1 and version + 1 on condition version = the one read; a failed condition means someone wrote first: read again and retry.",
            Pattern::Transaction => "TransactWriteItems adding 1 to the counter and to a second item: a transaction that meets another in flight is canceled (TransactionConflict) and retried.",
        }
    }
}

/// A simulated client: where it is in its increments.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Client {
    pub id: u32,
    /// Increments done or given up.
    pub finished: u32,
    /// Attempt of the current increment, from 1.
    pub attempt: u32,
    /// When the current increment's first request was sent.
    pub started_ms: u64,
    /// When the request in flight was sent.
    pub sent_ms: u64,
    /// The counter and version read, between a GetItem and its write.
    pub read: Option<(i64, i64)>,
}

/// What a client makes of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Answer {
    /// A read: the write comes next.
    Read,
    /// The increment succeeded; `lost`: its write replaced a value it had not read.
    Done {
        lost: bool,
    },
    /// A failed condition or a conflict (else a throttle): retry after a backoff.
    Retry {
        throttled: bool,
    },
    Failed,
}

impl Client {
    pub fn new(id: u32) -> Client {
        Client { id, finished: 0, attempt: 1, started_ms: 0, sent_ms: 0, read: None }
    }

    pub fn next_increment(&mut self) {
        self.finished += 1;
        self.attempt = 1;
        self.read = None;
    }

    pub fn retry(&mut self) {
        self.attempt += 1;
        self.read = None;
    }

    /// The client's next request.
    pub fn request(&self, pattern: Pattern) -> (&'static str, Value) {
        let key = json!({"id": {"S": "counter"}});
        let add = |id: &str| json!({"Update": {"TableName": TABLE, "Key": {"id": {"S": id}}, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}});
        match (pattern, self.read) {
            (Pattern::AtomicCounter, _) => (
                "UpdateItem",
                json!({"TableName": TABLE, "Key": key, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}),
            ),
            (Pattern::Transaction, _) => {
                ("TransactWriteItems", json!({"TransactItems": [add("counter"), add("audit")]}))
            }
            (_, None) => ("GetItem", json!({"TableName": TABLE, "Key": key, "ConsistentRead": true})),
            (Pattern::ReadModifyWrite, Some((n, v))) => {
                ("PutItem", json!({"TableName": TABLE, "Item": item(n + 1, v)}))
            }
            (Pattern::OptimisticLocking, Some((n, v))) => (
                "PutItem",
                json!({"TableName": TABLE, "Item": item(n + 1, v + 1),
                "ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": {"N": v.to_string()}}}),
            ),
        }
    }

    /// Reads the answer to the client's request.
    pub fn answer(&mut self, pattern: Pattern, r: &Response) -> Answer {
        let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
        if r.status == 200 {
            let read_now =
                self.read.is_none() && matches!(pattern, Pattern::ReadModifyWrite | Pattern::OptimisticLocking);
            if read_now {
                let num = |k: &str| item_number(&body, k);
                self.read = Some((num("n"), num("version")));
                return Answer::Read;
            }
            let before = r.trace.writes.first().and_then(|w| w.before.as_ref()).map(|i| number(&i.item(), "n"));
            let lost = pattern == Pattern::ReadModifyWrite && before != self.read.map(|(n, _)| n);
            return Answer::Done { lost };
        }
        match crate::wire::error_of(&body).map(|(kind, _)| kind) {
            Some(
                "ConditionalCheckFailedException" | "TransactionCanceledException" | "TransactionConflictException",
            ) => Answer::Retry { throttled: false },
            Some("ProvisionedThroughputExceededException" | "ThrottlingException") => Answer::Retry { throttled: true },
            _ => Answer::Failed,
        }
    }
}

/// The whole number attribute `name` of a GetItem answer's `Item` (0 when missing).
pub(super) fn item_number(body: &Value, name: &str) -> i64 {
    let n = body.get("Item").and_then(|i| i.get(name)).and_then(|a| a.get("N")).and_then(Value::as_str);
    n.and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// A counter item: `n` and its `version`.
fn item(n: i64, version: i64) -> Value {
    json!({"id": {"S": "counter"}, "n": {"N": n.to_string()}, "version": {"N": version.to_string()}})
}

/// The whole number attribute `name` of `item` (0 when missing).
fn number(item: &Item, name: &str) -> i64 {
    match item.get(name) {
        Some(AttributeValue::N(n)) => n.to_string().parse().unwrap_or(0),
        _ => 0,
    }
}
