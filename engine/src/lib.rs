//! Dynaplay's engine: a DynamoDB-compatible storage engine in pure Rust.
//!
//! No I/O, no threads, no clock, no randomness: a request carries the time, so every run
//! of the same requests gives the same answers. The wire entry point takes an operation
//! name and a JSON body and returns DynamoDB's status and JSON body, plus a [`Trace`] of
//! what happened inside (partitions touched, capacity, each write's before and after).
//!
//! ```
//! use dynaplay_engine::{Config, Engine};
//!
//! let mut engine = Engine::new(Config::default());
//! let create = r#"{"TableName":"Music","BillingMode":"PAY_PER_REQUEST",
//!   "AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"}],
//!   "KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"}]}"#;
//! assert_eq!(engine.request("CreateTable", create.as_bytes(), 1_000).status, 200);
//! let put = r#"{"TableName":"Music","Item":{"Artist":{"S":"Arturus"}}}"#;
//! let r = engine.request("PutItem", put.as_bytes(), 2_000);
//! assert_eq!((r.status, r.body.as_str()), (200, "{}"));
//! ```

pub mod backup;
pub mod capacity;
pub mod contention;
mod engine;
pub mod error;
pub mod expr;
pub mod global;
pub mod iam;
pub mod inspect;
pub mod lab;
pub mod lesson;
pub mod log;
mod ops;
pub mod partiql;
pub mod pitr;
pub mod random;
pub mod replica;
mod request;
pub mod s3;
pub mod scenario;
mod scheduler;
mod shape;
pub mod snapshot;
pub mod sorted;
pub mod streams;
pub mod table;
pub mod throttle;
pub mod trace;
pub mod transfer;
pub mod trigger;
pub mod value;
pub mod wire;

pub use engine::{Config, Engine, DEFAULT_PITR_LAG_MS, DEFAULT_TTL_DELAY_MS};
pub use error::{Error, ErrorKind};
pub use ops::{cold, hot, is_cold, needs_cold_code, DYNAPLAY_OPERATIONS, OPERATIONS, STREAMS_OPERATIONS};
pub use trace::Trace;
pub use wire::Response;

impl Engine {
    /// Answers one request at engine time `now_ms`; see [`wire::handle`].
    pub fn request(&mut self, operation: &str, body: &[u8], now_ms: u64) -> Response {
        wire::handle(self, operation, body, now_ms)
    }

    /// [`Engine::request`] as `access` says: from a given principal, or from the
    /// workspace's owner.
    pub fn request_as(&mut self, access: wire::Access, operation: &str, body: &[u8], now_ms: u64) -> Response {
        wire::handle_as(self, access, operation, body, now_ms)
    }
}
