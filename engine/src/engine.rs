//! The engine: every table, the engine clock, and transaction idempotency records.
//!
//! The engine never reads a clock or a random source: each request carries the time
//! (`now_ms`, milliseconds since the Unix epoch), so the same requests at the same times
//! give the same responses in tests, the browser and the CLI.

use std::collections::BTreeMap;

use crate::log::{ChangeLog, Origin};
use crate::streams::Streams;
use crate::table::{Table, Tables};
use crate::trace::Trace;

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
    /// How long after an item's TTL passes the sweep deletes it. AWS takes up to a few
    /// days; Dynaplay's default is short enough to watch.
    pub ttl_delay_ms: u64,
    /// How long a new backup stays CREATING (0: AVAILABLE from the next request).
    pub backup_delay_ms: u64,
    /// How far behind the engine clock the latest restorable time is (AWS: 5 minutes).
    pub pitr_lag_ms: u64,
    /// How long an export or an import stays IN_PROGRESS (0: done from the next request).
    pub transfer_delay_ms: u64,
    /// How long after a write the two follower replicas apply it (0: eventually consistent
    /// reads are never stale). See `replica`.
    pub replication_lag_ms: u64,
    /// A table's own replication lag, overriding `replication_lag_ms` (the page sets it
    /// per table).
    pub table_replication_lag_ms: BTreeMap<String, u64>,
    /// Seeds the engine's randomness (which replica an eventually consistent read goes to).
    pub seed: u64,
    /// How long a transaction is in flight, holding its items (0: over when it answers).
    /// See `contention`.
    pub transaction_ms: u64,
    /// Whether provisioned and on-demand throughput are enforced (requests over them are
    /// throttled). See `throttle`.
    pub enforce_capacity: bool,
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
            ttl_delay_ms: DEFAULT_TTL_DELAY_MS,
            backup_delay_ms: 0,
            pitr_lag_ms: DEFAULT_PITR_LAG_MS,
            transfer_delay_ms: 0,
            replication_lag_ms: 0,
            table_replication_lag_ms: BTreeMap::new(),
            seed: 0,
            transaction_ms: 0,
            enforce_capacity: false,
        }
    }
}

impl Config {
    /// How long `table`'s followers take to apply a write: its own lag, else the
    /// workspace's.
    pub fn replication_lag_of(&self, table: &str) -> u64 {
        self.table_replication_lag_ms.get(table).copied().unwrap_or(self.replication_lag_ms)
    }
}

/// How far behind the clock point-in-time recovery's latest restorable time is, as in AWS.
pub const DEFAULT_PITR_LAG_MS: u64 = 5 * 60 * 1000;

/// The default delay between an item's expiry and its deletion: 10 seconds.
pub const DEFAULT_TTL_DELAY_MS: u64 = 10_000;

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
    pub(crate) tables: Tables,
    pub(crate) now_ms: u64,
    pub(crate) tokens: BTreeMap<String, TokenRecord>,
    /// Each table's change log, by table name (kept after the table is deleted, for as
    /// long as its entries are retained, so a deleted table's stream stays readable).
    pub(crate) logs: BTreeMap<String, ChangeLog>,
    /// The request being answered: what the change log records each change came from.
    pub(crate) origin: Origin,
    /// DynamoDB Streams: every table's current stream and the disabled ones still readable.
    pub(crate) streams: Streams,
    /// On-demand backups, oldest first.
    pub(crate) backups: Vec<crate::backup::Backup>,
    /// Point-in-time recovery, by table name.
    pub(crate) pitr: BTreeMap<String, crate::pitr::Pitr>,
    /// The simulated S3 that exports write to and imports read from.
    pub(crate) s3: crate::s3::S3,
    /// Exports, oldest first.
    pub(crate) exports: Vec<crate::transfer::export::Export>,
    /// Imports, oldest first.
    pub(crate) imports: Vec<crate::transfer::import::Import>,
    /// The state of the engine's random sequence, seeded by `Config::seed`.
    pub(crate) random: u64,
    /// Items held by in-flight transactions.
    pub(crate) holds: crate::contention::Holds,
    /// Capacity admission, by table name (memory only).
    pub(crate) throttles: BTreeMap<String, crate::throttle::state::State>,
    /// Triggers, by name.
    pub(crate) triggers: crate::trigger::triggers::Triggers,
    /// The relational mirror trigger handlers write into.
    pub(crate) mirror: crate::trigger::mirror::MirrorSlot,
    /// Principals, policies, and whether IAM is enforced (a world's regions read the
    /// home region's).
    pub(crate) iam: crate::iam::Iam,
    /// The principal ARN of the request being answered (its `Access`, else the acting
    /// principal): whose account a bucket it creates belongs to, whom S3 checks.
    pub(crate) caller: String,
}

impl Engine {
    pub fn new(config: Config) -> Engine {
        let account = config.account_id.clone();
        Engine {
            random: config.seed,
            config,
            mirror: crate::trigger::mirror::MirrorSlot::registered(),
            iam: crate::iam::Iam::new(&account),
            ..Engine::default()
        }
    }

    /// A new engine whose clock reads `now_ms`: what [`Engine::tick`] makes of a new engine,
    /// which holds nothing for the clock's work to do. Used where an engine is made, so
    /// making one does not need that work's code (the page's start leaves it out,
    /// `crate::ops::hot`).
    pub fn new_at(config: Config, now_ms: u64) -> Engine {
        Engine { now_ms, ..Engine::new(config) }
    }

    /// The next number of the engine's random sequence (SplitMix64 over `Config::seed`):
    /// the same seed gives the same sequence everywhere.
    pub(crate) fn next_random(&mut self) -> u64 {
        let mut r = crate::random::SplitMix64(self.random);
        let n = r.next_u64();
        self.random = r.0;
        n
    }

    /// The engine clock as of the last request.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Moves the clock forward while no request arrives (the page calls it every second,
    /// so a table turns ACTIVE and expired items go without a request). The trace says what
    /// the clock did: tables whose status changed, items the TTL sweep deleted.
    pub fn tick(&mut self, now_ms: u64) -> Trace {
        let mut trace = Trace::default();
        crate::scheduler::advance(self, now_ms, &mut trace);
        trace
    }

    /// Whether [`Engine::tick`] at `now_ms` would change what is stored.
    pub fn work_due(&self, now_ms: u64) -> bool {
        crate::scheduler::work_due(self, now_ms)
    }

    /// A table's point-in-time recovery, if it is on.
    pub fn pitr(&self, table: &str) -> Option<&crate::pitr::Pitr> {
        self.pitr.get(table)
    }

    /// The on-demand backups, oldest first.
    pub fn backups(&self) -> &[crate::backup::Backup] {
        &self.backups
    }

    /// The simulated S3.
    pub fn s3(&self) -> &crate::s3::S3 {
        &self.s3
    }

    /// Exports, oldest first.
    pub fn exports(&self) -> &[crate::transfer::export::Export] {
        &self.exports
    }

    /// Imports, oldest first.
    pub fn imports(&self) -> &[crate::transfer::import::Import] {
        &self.imports
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

    /// IAM's principals and policies in this workspace.
    pub fn iam(&self) -> &crate::iam::Iam {
        &self.iam
    }

    pub fn arn(&self, table: &str) -> String {
        format!("arn:aws:dynamodb:{}:{}:table/{}", self.config.region, self.config.account_id, table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_made_at_a_time_is_a_new_engine_ticked_to_it() {
        let config = Config { region: "eu-west-1".into(), seed: 7, ..Config::default() };
        let mut ticked = Engine::new(config.clone());
        let trace = ticked.tick(1_700_000_000_000);
        assert_eq!(trace, Trace::default(), "a new engine holds nothing for the clock to do");
        let made = Engine::new_at(config, 1_700_000_000_000);
        assert_eq!(made.now_ms(), 1_700_000_000_000);
        assert_eq!(made.export().unwrap(), ticked.export().unwrap());
    }
}
