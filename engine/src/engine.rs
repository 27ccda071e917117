//! The engine: every table, the engine clock, and transaction idempotency records.
//!
//! The engine never reads a clock or a random source: each request carries the time
//! (`now_ms`, milliseconds since the Unix epoch), so the same requests at the same times
//! give the same responses in tests, the browser and the CLI.

use std::collections::BTreeMap;

use crate::log::{ChangeLog, Origin, RETENTION_MS};
use crate::streams::Streams;
use crate::table::{Table, TableStatus};

/// Settings fixed for an engine's lifetime.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub region: String,
    pub account_id: String,
    /// How long a new table stays CREATING (0: active on the next request).
    pub create_delay_ms: u64,
    /// How long a deleted table stays DELETING before it is gone.
    pub delete_delay_ms: u64,
    /// How long UpdateTable keeps a table UPDATING.
    pub update_delay_ms: u64,
    /// The teaching scale new tables get unless the request names one.
    pub default_teaching_scale: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            create_delay_ms: 0,
            delete_delay_ms: 0,
            update_delay_ms: 0,
            default_teaching_scale: 1,
        }
    }
}

/// A committed TransactWriteItems, remembered for `ClientRequestToken` idempotency.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenRecord {
    /// The request, canonicalised, to detect reuse with different parameters.
    pub request: String,
    /// The response without `ConsumedCapacity`: a replay reports its own.
    pub response: serde_json::Value,
    /// What a replay consumes: AWS bills it as a transactional read of each item.
    pub replay_cost: Vec<crate::capacity::Consumed>,
    pub expires_ms: u64,
}

/// Idempotency window for `ClientRequestToken`: 10 minutes.
pub const TOKEN_WINDOW_MS: u64 = 10 * 60 * 1000;

#[derive(Clone, Debug, Default)]
pub struct Engine {
    pub config: Config,
    pub(crate) tables: BTreeMap<String, Table>,
    pub(crate) now_ms: u64,
    pub(crate) tokens: BTreeMap<String, TokenRecord>,
    /// Each table's change log, by table name (kept after the table is deleted, for as
    /// long as its entries are retained, so a deleted table's stream stays readable).
    pub(crate) logs: BTreeMap<String, ChangeLog>,
    /// The request being answered: what the change log records each change came from.
    pub(crate) origin: Origin,
    /// DynamoDB Streams: every table's current stream and the disabled ones still readable.
    pub(crate) streams: Streams,
}

impl Engine {
    pub fn new(config: Config) -> Engine {
        Engine { config, ..Engine::default() }
    }

    /// The engine clock as of the last request.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Moves the clock forward while no request arrives (the page calls it every second,
    /// so a table turns ACTIVE on screen without one). True when a table changed status.
    pub fn tick(&mut self, now_ms: u64) -> bool {
        !self.advance(now_ms).is_empty()
    }

    /// Moves the clock forward (never back) and completes due status transitions; returns
    /// the tables whose status changed (or that are gone).
    pub(crate) fn advance(&mut self, now_ms: u64) -> Vec<String> {
        self.now_ms = self.now_ms.max(now_ms);
        let now = self.now_ms;
        let mut gone = Vec::new();
        let mut changed = Vec::new();
        for (name, t) in &mut self.tables {
            if t.status_until_ms.is_some_and(|until| until <= now) {
                changed.push(name.clone());
                t.status_until_ms = None;
                match t.status {
                    TableStatus::Deleting => gone.push(name.clone()),
                    _ => t.status = TableStatus::Active,
                }
            }
        }
        for name in gone {
            self.tables.remove(&name);
        }
        self.tokens.retain(|_, r| r.expires_ms > now);
        let horizon = now.saturating_sub(RETENTION_MS);
        for log in self.logs.values_mut() {
            log.trim(horizon);
        }
        self.logs.retain(|name, log| !log.entries.is_empty() || self.tables.contains_key(name));
        self.streams.expire(now);
        changed
    }

    /// The streams, current and disabled, oldest first.
    pub fn streams(&self) -> &Streams {
        &self.streams
    }

    /// A table's change log (empty for a table that has changed nothing yet).
    pub fn change_log(&self, table: &str) -> Option<&ChangeLog> {
        self.logs.get(table)
    }

    /// A table by name, in any status.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// Every table, by name.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    pub fn arn(&self, table: &str) -> String {
        format!("arn:aws:dynamodb:{}:{}:table/{}", self.config.region, self.config.account_id, table)
    }
}
