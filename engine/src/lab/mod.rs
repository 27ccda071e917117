//! The contention lab: simulated clients increment one counter at the same time, all with
//! one pattern, and the lab reports what each pattern did — the final value against the
//! expected one, lost updates, conflicts, retries, throttles, latency and capacity — and
//! every request, for the page to draw on a timeline.
//!
//! It runs on a private engine (never the workspace's) on its own clock: each request
//! reaches the engine one way-latency after it is sent (half the round trip, plus up to
//! as much again drawn from the seeded randomness), and its answer is back one more later.
//! Requests are answered in the order they arrive, so clients interleave as real ones do,
//! and the same seed replays the same run. A conflicted or throttled attempt is retried
//! after a backoff drawn from 0 to 50 ms × 2^(attempt − 1) ("full jitter", as the AWS SDKs
//! back off), at most [`MAX_ATTEMPTS`] times.

mod patterns;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde_json::json;

use crate::engine::{Config, Engine};
use crate::random::SplitMix64;
use patterns::{Answer, Client};

pub use patterns::Pattern;

/// Attempts one increment makes before the client gives it up.
pub const MAX_ATTEMPTS: u32 = 10;
pub const MAX_CLIENTS: u32 = 20;
pub const MAX_INCREMENTS: u32 = 50;
pub const MAX_LATENCY_MS: u64 = 1_000;
/// The first backoff's ceiling.
pub const BACKOFF_MS: u64 = 50;
/// The engine time the lab starts at.
const T0: u64 = 1_700_000_000_000;
/// The lab's table and its items.
pub(crate) const TABLE: &str = "Counter";

/// What the learner chose.
#[derive(Clone, Debug, PartialEq)]
pub struct LabSettings {
    pub clients: u32,
    /// Increments each client makes.
    pub increments: u32,
    /// Round-trip time of a request, before jitter.
    pub latency_ms: u64,
    /// How long a transaction holds its items (see `contention`).
    pub transaction_ms: u64,
    /// Provisioned write units (`None`: on demand).
    pub write_units: Option<u32>,
    pub seed: u64,
}

impl Default for LabSettings {
    fn default() -> LabSettings {
        LabSettings { clients: 4, increments: 5, latency_ms: 20, transaction_ms: 15, write_units: None, seed: 1 }
    }
}

impl LabSettings {
    /// Refuses settings outside the lab's bounds, with the reason.
    pub fn check(&self) -> Result<(), String> {
        let within = |n: u64, lo: u64, hi: u64, what: &str| {
            if (lo..=hi).contains(&n) {
                Ok(())
            } else {
                Err(format!("{what} must be from {lo} to {hi}."))
            }
        };
        within(self.clients.into(), 1, MAX_CLIENTS.into(), "Clients")?;
        within(self.increments.into(), 1, MAX_INCREMENTS.into(), "Increments per client")?;
        within(self.latency_ms, 0, MAX_LATENCY_MS, "Latency (ms)")?;
        within(self.transaction_ms, 0, MAX_LATENCY_MS, "Transaction time (ms)")?;
        match self.write_units {
            Some(w) => within(w.into(), 1, 1_000, "Write capacity units"),
            None => Ok(()),
        }
    }
}

/// How one request went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A write that replaced a value other than the one its client had read.
    LostUpdate,
    /// A failed condition, a canceled or conflicting transaction.
    Conflict,
    Throttled,
    Failed,
}

/// One request a client sent: when, what, and how it went.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    pub client: u32,
    /// Milliseconds since the lab started.
    pub sent_ms: u64,
    pub answered_ms: u64,
    pub operation: &'static str,
    pub outcome: Outcome,
}

/// Milliseconds from an increment's first request to its successful answer.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Latency {
    pub mean_ms: f64,
    pub p50_ms: u64,
    pub max_ms: u64,
}

/// What one pattern did.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub pattern: Pattern,
    /// Increments the clients made and were told succeeded.
    pub expected: u64,
    /// The counter at the end.
    pub final_value: i64,
    /// Acknowledged increments missing from the final value.
    pub lost: i64,
    pub conflicts: u32,
    pub retries: u32,
    pub throttles: u32,
    /// Increments given up after [`MAX_ATTEMPTS`] attempts, or failed otherwise.
    pub gave_up: u32,
    pub latency: Latency,
    /// Read and write units consumed, failed requests included.
    pub capacity: f64,
    pub exchanges: Vec<Exchange>,
    /// When the last answer came back.
    pub duration_ms: u64,
}

/// Runs `pattern` with `settings` (already checked) on a fresh engine.
pub fn run(settings: &LabSettings, pattern: Pattern) -> Report {
    let mut engine = setup(settings);
    let mut rng = SplitMix64(settings.seed ^ (pattern as u64).wrapping_mul(0x9E37_79B9));
    let mut lab = Lab { settings, pattern, report: Report::new(pattern), latencies: Vec::new() };
    let mut clients: Vec<Client> = (0..settings.clients).map(Client::new).collect();
    let mut queue = BTreeSet::new();
    for c in &mut clients {
        c.sent_ms = 0;
        c.started_ms = 0;
        queue.insert((lab.one_way(&mut rng), rng.next_u64(), c.id));
    }
    while let Some((arrives, _, id)) = queue.pop_first() {
        let Some(client) = clients.get_mut(id as usize) else { continue };
        if let Some(next) = lab.exchange(&mut engine, &mut rng, client, arrives) {
            queue.insert((next, rng.next_u64(), id));
        }
    }
    lab.finish(&mut engine)
}

/// A new engine holding the counter (and, for transactions, a second item they update).
fn setup(settings: &LabSettings) -> Engine {
    let config = Config { transaction_ms: settings.transaction_ms, enforce_capacity: true, ..Config::default() };
    let mut engine = Engine::new(config);
    let capacity = match settings.write_units {
        Some(w) => {
            json!({"BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": w, "WriteCapacityUnits": w}})
        }
        None => json!({"BillingMode": "PAY_PER_REQUEST"}),
    };
    let mut create = json!({"TableName": TABLE,
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]});
    if let (Some(c), Some(m)) = (capacity.as_object(), create.as_object_mut()) {
        m.extend(c.clone());
    }
    engine.request("CreateTable", create.to_string().as_bytes(), T0);
    for id in ["counter", "audit"] {
        let put = json!({"TableName": TABLE, "Item": {"id": {"S": id}, "n": {"N": "0"}, "version": {"N": "0"}}});
        engine.request("PutItem", put.to_string().as_bytes(), T0);
    }
    engine
}

struct Lab<'s> {
    settings: &'s LabSettings,
    pattern: Pattern,
    report: Report,
    latencies: Vec<u64>,
}

impl Lab<'_> {
    /// One way of a round trip: half the latency, plus up to as much again.
    fn one_way(&self, rng: &mut SplitMix64) -> u64 {
        let half = self.settings.latency_ms / 2;
        half + rng.up_to(half)
    }

    /// Answers the request `client` has arriving at `arrives` (ms since the start), and
    /// when its next one arrives, if it has one.
    fn exchange(
        &mut self,
        engine: &mut Engine,
        rng: &mut SplitMix64,
        client: &mut Client,
        arrives: u64,
    ) -> Option<u64> {
        let (operation, body) = client.request(self.pattern);
        let r = engine.request(operation, body.to_string().as_bytes(), T0 + 1_000 + arrives);
        self.report.capacity += r.trace.consumed.iter().map(|c| c.total().read + c.total().write).sum::<f64>();
        let answered = arrives + self.one_way(rng);
        let answer = client.answer(self.pattern, &r);
        let outcome = self.tally(client, answer, answered);
        let sent_ms = client.sent_ms;
        self.report.exchanges.push(Exchange { client: client.id, sent_ms, answered_ms: answered, operation, outcome });
        self.report.duration_ms = self.report.duration_ms.max(answered);
        if client.finished >= self.settings.increments {
            return None;
        }
        let wait = match outcome {
            Outcome::Conflict | Outcome::Throttled => rng.up_to(BACKOFF_MS << client.attempt.saturating_sub(2).min(16)),
            _ => 0,
        };
        client.sent_ms = answered + wait;
        if client.attempt == 1 && client.read.is_none() {
            client.started_ms = client.sent_ms;
        }
        Some(client.sent_ms + self.one_way(rng))
    }

    /// Counts an answer and moves the client on; the request's outcome.
    fn tally(&mut self, client: &mut Client, answer: Answer, answered: u64) -> Outcome {
        let r = &mut self.report;
        match answer {
            Answer::Read => Outcome::Ok,
            Answer::Done { lost } => {
                r.expected += 1;
                self.latencies.push(answered - client.started_ms);
                client.next_increment();
                if lost {
                    Outcome::LostUpdate
                } else {
                    Outcome::Ok
                }
            }
            Answer::Retry { throttled } => {
                let outcome = if throttled { Outcome::Throttled } else { Outcome::Conflict };
                if throttled {
                    r.throttles += 1;
                } else {
                    r.conflicts += 1;
                }
                if client.attempt >= MAX_ATTEMPTS {
                    r.gave_up += 1;
                    client.next_increment();
                } else {
                    r.retries += 1;
                    client.retry();
                }
                outcome
            }
            Answer::Failed => {
                r.gave_up += 1;
                client.next_increment();
                Outcome::Failed
            }
        }
    }

    /// Reads the counter once every transaction is over, and sums up.
    fn finish(mut self, engine: &mut Engine) -> Report {
        let at = T0 + 1_000 + self.report.duration_ms + self.settings.transaction_ms + 1;
        let get = json!({"TableName": TABLE, "Key": {"id": {"S": "counter"}}, "ConsistentRead": true});
        let r = engine.request("GetItem", get.to_string().as_bytes(), at);
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
        let n = patterns::item_number(&body, "n");
        self.report.final_value = n;
        self.report.lost = i64::try_from(self.report.expected).unwrap_or(i64::MAX).saturating_sub(n);
        crate::sorted::sort(&mut self.latencies);
        let count = self.latencies.len().max(1) as f64;
        self.report.latency = Latency {
            mean_ms: self.latencies.iter().sum::<u64>() as f64 / count,
            p50_ms: self.latencies.get(self.latencies.len() / 2).copied().unwrap_or(0),
            max_ms: self.latencies.last().copied().unwrap_or(0),
        };
        self.report
    }
}

impl Report {
    fn new(pattern: Pattern) -> Report {
        Report {
            pattern,
            expected: 0,
            final_value: 0,
            lost: 0,
            conflicts: 0,
            retries: 0,
            throttles: 0,
            gave_up: 0,
            latency: Latency::default(),
            capacity: 0.0,
            exchanges: Vec::new(),
            duration_ms: 0,
        }
    }
}
