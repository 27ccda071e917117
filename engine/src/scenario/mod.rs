//! Scenarios: a portable, deterministic description of "these tables, these items, these
//! requests", as JSON. The same scenario replays byte for byte the same in tests, in the
//! CLI (`dynaplay run`) and in the browser, because all three feed the same requests at
//! the same engine times into the same engine.
//!
//! ```json
//! {
//!   "format": "dynaplay-scenario", "version": 1,
//!   "title": "PutItem replaces, UpdateItem merges",
//!   "notes": "Markdown, shown as text.",
//!   "settings": { "startMs": 1700000000000, "stepMs": 1000, "seed": 0, "teachingScale": 1 },
//!   "tables": [ { …a CreateTable request… } ],
//!   "items": { "People": [ { "id": { "S": "1" } } ] },
//!   "steps": [
//!     { "title": "…", "operation": "PutItem", "request": { … },
//!       "expect": { "status": 200, "error": "ConditionalCheckFailedException", "response": { … } } }
//!   ]
//! }
//! ```
//!
//! Timeline: the tables are created and the items put at `startMs`; step *i* (from 0) runs
//! at `startMs + (i + 1) × stepMs`. `teachingScale` is the default for tables that do not
//! set `DynaplayTeachingScale`; `ttlDelayMs` is how long after an item's Time to Live
//! passes the sweep deletes it (10 seconds unless set); `pitrLagMs` how far behind the
//! clock point-in-time recovery's latest restorable time is (5 minutes unless set);
//! `replicationLagMs` how long the follower replicas take to apply a write (0 unless set);
//! `transactionMs` how long a transaction is in flight, holding its items (0 unless set);
//! `enforceCapacity` whether throughput is enforced, throttling requests over it (true
//! unless set to false); `globalLagMs` how long a global table's write takes to reach its
//! other regions (1 s unless set), `globalJitterMs` up to how much more each item takes
//! (by its partition-key hash; 0 unless set), `pairLagMs` (`[{"from", "to", "ms"}]`) the
//! lags of pairs of regions that differ; a step's `region` is the region its request is made in
//! (the home region, us-east-1, unless set), so a scenario can make a global table and
//! write in two regions; a step's `as` is the principal (a user's or role's ARN) it is
//! made as, which IAM checks once a step has turned it on (`UpdateAccessControl`);
//! `seed` seeds the engine's randomness (which replica an eventually consistent read goes
//! to), so a replay draws the same. `expect.response` is a subset: every
//! member it names must be present and equal (arrays element by element). `buckets`
//! names buckets of the simulated S3 made before anything else (owned by the workspace's
//! account), for exports and imports. A step's `operation` may also be one of Dynaplay's
//! own (`CreateTrigger`, `ExecuteSql`, …): a hybrid example makes its SQL tables and
//! triggers as steps and `expect`s SQL results like any response.

mod describe;
mod link;
mod workspace;

pub use link::{from_link, pack, to_link, unpack, LINK_MAX_CHARS};
pub use workspace::create_request;

use serde_json::{Map, Value};

use crate::table::MAX_TEACHING_SCALE;
use crate::{Config, Engine};

pub const FORMAT: &str = "dynaplay-scenario";
pub const VERSION: u64 = 1;

/// Limits that keep a hostile or mistaken scenario from hanging the page.
pub const MAX_TABLES: usize = 50;
pub const MAX_BUCKETS: usize = 10;
pub const MAX_ITEMS: usize = 10_000;
pub const MAX_STEPS: usize = 1_000;
/// The largest scenario document read, from a file or inflated from a link.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
const MAX_TITLE: usize = 200;
const MAX_NOTES: usize = 20_000;
const DEFAULT_START_MS: u64 = 1_700_000_000_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub notes: String,
    pub settings: Settings,
    /// CreateTable requests.
    pub tables: Vec<Value>,
    /// Buckets of the simulated S3 to make first.
    pub buckets: Vec<String>,
    /// Seed items per table, in wire JSON, in file order.
    pub items: Vec<(String, Vec<Value>)>,
    pub steps: Vec<Step>,
    /// Lags of pairs of regions that differ from `globalLagMs` (`settings.pairLagMs`).
    pub pair_lags: Vec<PairLag>,
}

/// How long a global table's write takes from one region to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairLag {
    pub from: String,
    pub to: String,
    pub ms: u64,
}

/// At most this many pair lags.
const MAX_PAIR_LAGS: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub start_ms: u64,
    pub step_ms: u64,
    pub seed: u64,
    pub teaching_scale: u64,
    /// How long after an item's TTL passes the sweep deletes it (`None`: the engine's default).
    pub ttl_delay_ms: Option<u64>,
    /// How far behind the clock the latest restorable time is (`None`: AWS's 5 minutes).
    pub pitr_lag_ms: Option<u64>,
    /// How far the follower replicas trail the leader (`None`: 0, never stale).
    pub replication_lag_ms: Option<u64>,
    /// How long a transaction is in flight (`None`: 0).
    pub transaction_ms: Option<u64>,
    /// Whether throughput is enforced (`None`: it is, as in AWS).
    pub enforce_capacity: Option<bool>,
    /// How long a global table's write takes to reach its other regions (`None`: 1 s).
    pub global_lag_ms: Option<u64>,
    /// Up to how much more lag per item (`None`: none).
    pub global_jitter_ms: Option<u64>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            start_ms: DEFAULT_START_MS,
            step_ms: 1000,
            seed: 0,
            teaching_scale: 1,
            ttl_delay_ms: None,
            pitr_lag_ms: None,
            replication_lag_ms: None,
            transaction_ms: None,
            enforce_capacity: None,
            global_lag_ms: None,
            global_jitter_ms: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: Option<String>,
    /// The region the request is made in (`None`: the home region).
    pub region: Option<String>,
    /// The principal it is made as (`as`: a user's or role's ARN; `None`: the
    /// workspace's acting principal). Only matters once a step turns IAM on.
    pub principal: Option<String>,
    pub operation: String,
    pub request: Value,
    pub expect: Option<Expect>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expect {
    pub status: Option<u16>,
    /// The error type without its namespace: `ConditionalCheckFailedException`.
    pub error: Option<String>,
    pub response: Option<Value>,
}

/// Why a scenario was refused, with where in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(text: impl Into<String>) -> Result<T, ScenarioError> {
    Err(ScenarioError(text.into()))
}

/// One request on the replay timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Timed {
    /// `None` for setup (tables and seed items), else the step's index.
    pub step: Option<usize>,
    /// The region it is made in (`None`: the home region, as setup always is).
    pub region: Option<String>,
    /// The principal it is made as (setup: the owner, never checked).
    pub principal: Option<String>,
    pub operation: String,
    pub body: String,
    pub now_ms: u64,
}

impl Timed {
    /// Who it is made as: setup is the owner's; a step is its `as` principal's.
    pub fn access(&self) -> crate::wire::Access<'_> {
        crate::wire::Access { principal: self.principal.as_deref(), owner: self.step.is_none() }
    }
}

/// What one request answered, and whether it met the step's expectation.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub step: Option<usize>,
    pub operation: String,
    pub status: u16,
    pub body: String,
    /// Why the response did not meet the expectation (setup requests must succeed).
    pub mismatch: Option<String>,
    /// Which follower replica served its reads, if one did (`replica::note`).
    pub replica: Option<String>,
    /// What each PartiQL statement ran as (`partiql::explain`).
    pub plan: Vec<String>,
}

impl Scenario {
    /// Parses and validates a scenario document.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        if text.len() > MAX_BYTES {
            return err(format!("a scenario is at most {MAX_BYTES} bytes; this one has {}", text.len()));
        }
        let doc: Value = serde_json::from_str(text).map_err(|e| ScenarioError(format!("not valid JSON: {e}")))?;
        Scenario::from_json(&doc)
    }

    pub fn from_json(doc: &Value) -> Result<Scenario, ScenarioError> {
        let Some(o) = doc.as_object() else { return err("a scenario must be a JSON object") };
        if o.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return err(format!("not a Dynaplay scenario: \"format\" must be \"{FORMAT}\""));
        }
        match o.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            Some(v) if v > VERSION => {
                return err(format!("this scenario uses format version {v}; this Dynaplay reads version {VERSION}"))
            }
            _ => return err(format!("\"version\" must be {VERSION}")),
        }
        let title = text_field(o, "title", MAX_TITLE)?.unwrap_or_default();
        let notes = text_field(o, "notes", MAX_NOTES)?.unwrap_or_default();
        let settings = settings(o.get("settings"))?;

        let tables = match o.get("tables") {
            None => Vec::new(),
            Some(Value::Array(a)) if a.len() <= MAX_TABLES => a.clone(),
            Some(Value::Array(_)) => return err(format!("at most {MAX_TABLES} tables")),
            Some(_) => return err("\"tables\" must be an array of CreateTable requests"),
        };
        for (i, t) in tables.iter().enumerate() {
            if !t.is_object() {
                return err(format!("tables[{i}] must be a CreateTable request object"));
            }
        }
        let buckets = buckets(o.get("buckets"))?;
        let mut items = Vec::new();
        let mut count = 0;
        match o.get("items") {
            None => {}
            Some(Value::Object(m)) => {
                for (table, list) in m {
                    let Some(list) = list.as_array() else {
                        return err(format!("items.{table} must be an array of items"));
                    };
                    count += list.len();
                    if count > MAX_ITEMS {
                        return err(format!("at most {MAX_ITEMS} seed items"));
                    }
                    if let Some(i) = list.iter().position(|v| !v.is_object()) {
                        return err(format!("items.{table}[{i}] must be an item object"));
                    }
                    items.push((table.clone(), list.clone()));
                }
            }
            Some(_) => return err("\"items\" must map table names to arrays of items"),
        }
        let steps = match o.get("steps") {
            None => Vec::new(),
            Some(Value::Array(a)) if a.len() <= MAX_STEPS => {
                a.iter().enumerate().map(|(i, s)| step(i, s)).collect::<Result<Vec<_>, _>>()?
            }
            Some(Value::Array(_)) => return err(format!("at most {MAX_STEPS} steps")),
            Some(_) => return err("\"steps\" must be an array"),
        };
        let pair_lags = pair_lags(o.get("settings").and_then(|s| s.get("pairLagMs")))?;
        Ok(Scenario { title, notes, settings, tables, buckets, items, steps, pair_lags })
    }

    /// The document form (what [`Scenario::parse`] reads back).
    pub fn to_json(&self) -> Value {
        let s = &self.settings;
        let items =
            crate::sorted::object_map(self.items.iter().map(|(t, list)| (t.clone(), Value::Array(list.clone()))));
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|st| {
                let mut m = Map::new();
                if let Some(t) = &st.title {
                    m.insert("title".into(), Value::from(t.as_str()));
                }
                if let Some(r) = &st.region {
                    m.insert("region".into(), Value::from(r.as_str()));
                }
                if let Some(p) = &st.principal {
                    m.insert("as".into(), Value::from(p.as_str()));
                }
                m.insert("operation".into(), Value::from(st.operation.as_str()));
                m.insert("request".into(), st.request.clone());
                if let Some(e) = &st.expect {
                    let mut x = Map::new();
                    if let Some(status) = e.status {
                        x.insert("status".into(), Value::from(status));
                    }
                    if let Some(error) = &e.error {
                        x.insert("error".into(), Value::from(error.as_str()));
                    }
                    if let Some(r) = &e.response {
                        x.insert("response".into(), r.clone());
                    }
                    m.insert("expect".into(), Value::Object(x));
                }
                Value::Object(m)
            })
            .collect();
        let mut settings = serde_json::json!({"startMs": s.start_ms, "stepMs": s.step_ms, "seed": s.seed, "teachingScale": s.teaching_scale});
        if let Value::Object(m) = &mut settings {
            let settings = [
                ("ttlDelayMs", s.ttl_delay_ms),
                ("pitrLagMs", s.pitr_lag_ms),
                ("replicationLagMs", s.replication_lag_ms),
                ("transactionMs", s.transaction_ms),
                ("globalLagMs", s.global_lag_ms),
                ("globalJitterMs", s.global_jitter_ms),
            ];
            for (key, value) in settings {
                if let Some(ms) = value {
                    m.insert(key.into(), ms.into());
                }
            }
            if let Some(on) = s.enforce_capacity {
                m.insert("enforceCapacity".into(), on.into());
            }
            if !self.pair_lags.is_empty() {
                let lags: Vec<Value> = self
                    .pair_lags
                    .iter()
                    .map(|p| serde_json::json!({"from": p.from, "to": p.to, "ms": p.ms}))
                    .collect();
                m.insert("pairLagMs".into(), Value::Array(lags));
            }
        }
        let mut doc = serde_json::json!({
            "format": FORMAT,
            "version": VERSION,
            "title": self.title,
            "notes": self.notes,
            "settings": settings,
            "tables": self.tables,
            "items": items,
            "steps": steps,
        });
        if let (false, Value::Object(m)) = (self.buckets.is_empty(), &mut doc) {
            m.insert("buckets".into(), self.buckets.clone().into());
        }
        doc
    }

    /// The engine configuration replay uses.
    pub fn config(&self) -> Config {
        let defaults = Config::default();
        Config {
            default_teaching_scale: self.settings.teaching_scale,
            ttl_delay_ms: self.settings.ttl_delay_ms.unwrap_or(defaults.ttl_delay_ms),
            pitr_lag_ms: self.settings.pitr_lag_ms.unwrap_or(defaults.pitr_lag_ms),
            replication_lag_ms: self.settings.replication_lag_ms.unwrap_or(defaults.replication_lag_ms),
            seed: self.settings.seed,
            transaction_ms: self.settings.transaction_ms.unwrap_or(defaults.transaction_ms),
            enforce_capacity: self.settings.enforce_capacity.unwrap_or(true),
            ..defaults
        }
    }

    /// Every request of the replay, in order, with the engine time it runs at.
    pub fn timeline(&self) -> Vec<Timed> {
        let start = self.settings.start_ms;
        let setup = |operation: &str, body: String| Timed {
            step: None,
            region: None,
            principal: None,
            operation: operation.into(),
            body,
            now_ms: start,
        };
        let mut out: Vec<Timed> = self.tables.iter().map(|t| setup("CreateTable", t.to_string())).collect();
        for (table, list) in &self.items {
            for item in list {
                out.push(setup("PutItem", serde_json::json!({"TableName": table, "Item": item}).to_string()));
            }
        }
        for (i, s) in self.steps.iter().enumerate() {
            out.push(Timed {
                step: Some(i),
                region: s.region.clone(),
                principal: s.principal.clone(),
                operation: s.operation.clone(),
                body: s.request.to_string(),
                now_ms: start.saturating_add(self.settings.step_ms.saturating_mul(i as u64 + 1)),
            });
        }
        out
    }

    /// Runs one timeline entry on `engine`. Setup (the tables and the seed items) is the
    /// starting state, loaded as an import is: it consumes no capacity and is never
    /// throttled.
    pub fn run(engine: &mut Engine, timed: &Timed) -> crate::wire::Response {
        let enforce = engine.config.enforce_capacity;
        engine.config.enforce_capacity &= timed.step.is_some();
        let r = engine.request_as(timed.access(), &timed.operation, timed.body.as_bytes(), timed.now_ms);
        engine.config.enforce_capacity = enforce;
        r
    }

    /// Runs one timeline entry in its region of `world`, as [`Scenario::run`] does.
    pub fn run_in(world: &mut crate::global::World, timed: &Timed) -> crate::wire::Response {
        // Setup runs with admission off in every region.
        let enforce = world.home_engine().config.enforce_capacity;
        let on = enforce && timed.step.is_some();
        world.configure(|c| c.enforce_capacity = on);
        let r = world.request_as(
            timed.access(),
            timed.region.as_deref(),
            &timed.operation,
            timed.body.as_bytes(),
            timed.now_ms,
        );
        world.configure(|c| c.enforce_capacity = enforce);
        r
    }

    /// Checks one answer against what the timeline entry expects.
    pub fn check(&self, timed: &Timed, status: u16, body: &str) -> Option<String> {
        match timed.step {
            None if status == 200 => None,
            None => Some(format!("setup {} failed: {body}", timed.operation)),
            Some(i) => self.steps.get(i).and_then(|s| s.expect.as_ref()).and_then(|e| e.mismatch(status, body)),
        }
    }

    /// A new engine for the replay: its configuration, and the buckets made at `startMs`.
    pub fn engine(&self) -> Engine {
        let mut engine = Engine::new_at(self.config(), self.settings.start_ms);
        for b in &self.buckets {
            // Names were checked when the scenario was read.
            let _ = engine.create_bucket(b, None, crate::s3::Ownership::default());
        }
        engine
    }

    /// Replays the whole scenario on a fresh engine.
    pub fn replay(&self) -> (Engine, Vec<Outcome>) {
        let mut outcomes = Vec::new();
        let engine = self.replay_each(|o| outcomes.push(o));
        (engine, outcomes)
    }

    /// Replays the scenario, handing each outcome to `each` as soon as it is known, so a
    /// caller that prints them holds one response at a time.
    pub fn replay_each(&self, mut each: impl FnMut(Outcome)) -> Engine {
        let mut world = self.world();
        for t in self.timeline() {
            let r = Scenario::run_in(&mut world, &t);
            let mismatch = self.check(&t, r.status, &r.body);
            let replica = crate::replica::note(&r.trace);
            let plan = r.trace.plan;
            each(Outcome {
                step: t.step,
                operation: t.operation,
                status: r.status,
                body: r.body,
                mismatch,
                replica,
                plan,
            });
        }
        world.into_home()
    }

    /// The regions a replay runs in: [`Scenario::engine`] as the home region, with the
    /// scenario's global lag and jitter.
    pub fn world(&self) -> crate::global::World {
        let mut world = crate::global::World::from_engine(self.engine());
        world.lag_ms = self.settings.global_lag_ms.unwrap_or(crate::global::DEFAULT_GLOBAL_LAG_MS);
        world.jitter_ms = self.settings.global_jitter_ms.unwrap_or(0);
        for p in &self.pair_lags {
            world.pair_lags.insert((p.from.clone(), p.to.clone()), p.ms);
        }
        world
    }

    /// Whether the scenario needs several regions ([`crate::global::World`]): a step names
    /// a region or makes a replica or an outage, or the settings set a global lag.
    pub fn uses_regions(&self) -> bool {
        let s = &self.settings;
        let regional = s.global_lag_ms.is_some() || s.global_jitter_ms.is_some() || !self.pair_lags.is_empty();
        // A step that makes a replica or an outage needs the regions too.
        let global_ops = |s: &Step| {
            s.request.get("ReplicaUpdates").is_some()
                || [crate::global::outage::OPERATION, crate::global::auto_scaling::OPERATION]
                    .contains(&s.operation.as_str())
        };
        regional || self.steps.iter().any(|s| s.region.is_some() || global_ops(s))
    }
}

/// `settings.pairLagMs`: `[{"from": region, "to": region, "ms": n}]`, at most
/// [`MAX_PAIR_LAGS`], each at most 35 days.
fn pair_lags(v: Option<&Value>) -> Result<Vec<PairLag>, ScenarioError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let Some(list) = v.as_array().filter(|a| a.len() <= MAX_PAIR_LAGS) else {
        return err(format!("settings.pairLagMs must be an array of at most {MAX_PAIR_LAGS} {{from, to, ms}} objects"));
    };
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let region = |k: &str| {
                p.get(k).and_then(Value::as_str).filter(|r| crate::global::check_region(r).is_ok()).map(str::to_string)
            };
            let ms = p.get("ms").and_then(Value::as_u64).filter(|ms| *ms <= MAX_STEP_MS);
            match (region("from"), region("to"), ms) {
                (Some(from), Some(to), Some(ms)) if from != to => Ok(PairLag { from, to, ms }),
                _ => err(format!(
                    "settings.pairLagMs[{i}] must name two different regions (from, to) and ms, at most {MAX_STEP_MS}"
                )),
            }
        })
        .collect()
}

/// `buckets`: at most [`MAX_BUCKETS`] bucket names, each valid for S3.
fn buckets(v: Option<&Value>) -> Result<Vec<String>, ScenarioError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let list = v.as_array().filter(|a| a.len() <= MAX_BUCKETS);
    let Some(list) = list else {
        return err(format!("\"buckets\" must be an array of at most {MAX_BUCKETS} bucket names"));
    };
    list.iter()
        .map(|b| match b.as_str().map(|n| (n, crate::s3::check_bucket_name(n))) {
            Some((n, Ok(()))) => Ok(n.to_string()),
            Some((_, Err(e))) => err(e.0),
            None => err("\"buckets\" must be an array of bucket names"),
        })
        .collect()
}

impl Expect {
    /// Why `status` and `body` do not meet this expectation, if they do not.
    pub fn mismatch(&self, status: u16, body: &str) -> Option<String> {
        if let Some(want) = self.status {
            if want != status {
                return Some(format!("expected status {want}, got {status}: {body}"));
            }
        }
        let parsed: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        if let Some(want) = &self.error {
            let got = crate::wire::error_of(&parsed).map(|(kind, _)| kind);
            if got != Some(want.as_str()) {
                return Some(format!("expected error {want}, got {}", got.unwrap_or("no error")));
            }
        }
        if let Some(want) = &self.response {
            if let Some(path) = subset_mismatch(want, &parsed, "response") {
                return Some(format!("{path} differs: {body}"));
            }
        }
        None
    }
}

/// The first path at which `want` is not a subset of `got`.
pub(crate) fn subset_mismatch(want: &Value, got: &Value, path: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().find_map(|(k, wv)| match g.get(k) {
            Some(gv) => subset_mismatch(wv, gv, &format!("{path}.{k}")),
            None => Some(format!("{path}.{k}")),
        }),
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            w.iter().zip(g).enumerate().find_map(|(i, (wv, gv))| subset_mismatch(wv, gv, &format!("{path}[{i}]")))
        }
        (w, g) if w == g => None,
        _ => Some(path.to_string()),
    }
}

fn text_field(o: &Map<String, Value>, name: &str, max: usize) -> Result<Option<String>, ScenarioError> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::String(_)) => err(format!("\"{name}\" is longer than {max} characters")),
        Some(_) => err(format!("\"{name}\" must be a string")),
    }
}

/// The latest engine time a scenario may start at: the last millisecond of year 9999,
/// so that every time a replay computes stays far from overflow.
pub const MAX_START_MS: u64 = 253_402_300_799_999;
/// The longest pause between two steps: 35 days, the longest window DynamoDB keeps
/// history for (point-in-time recovery).
pub const MAX_STEP_MS: u64 = 35 * 86_400_000;

fn settings(v: Option<&Value>) -> Result<Settings, ScenarioError> {
    let mut s = Settings::default();
    let Some(v) = v else { return Ok(s) };
    let Some(o) = v.as_object() else { return err("\"settings\" must be an object") };
    let int = |name: &str| -> Result<Option<u64>, ScenarioError> {
        match o.get(name) {
            None => Ok(None),
            Some(n) => {
                n.as_u64().map(Some).ok_or_else(|| ScenarioError(format!("settings.{name} must be a whole number")))
            }
        }
    };
    if let Some(n) = int("startMs")? {
        if n > MAX_START_MS {
            return err(format!("settings.startMs must be at most {MAX_START_MS} (the last millisecond of 9999)"));
        }
        s.start_ms = n;
    }
    if let Some(n) = int("stepMs")? {
        if n > MAX_STEP_MS {
            return err(format!("settings.stepMs must be at most {MAX_STEP_MS} (35 days)"));
        }
        s.step_ms = n;
    }
    if let Some(n) = int("seed")? {
        s.seed = n;
    }
    if let Some(n) = int("teachingScale")? {
        if !(1..=MAX_TEACHING_SCALE).contains(&n) {
            return err(format!("settings.teachingScale must be from 1 to {MAX_TEACHING_SCALE}"));
        }
        s.teaching_scale = n;
    }
    // Durations in milliseconds, each at most 35 days.
    let ms = |name: &str| -> Result<Option<u64>, ScenarioError> {
        match int(name)? {
            Some(n) if n > MAX_STEP_MS => err(format!("settings.{name} must be at most {MAX_STEP_MS} (35 days)")),
            n => Ok(n),
        }
    };
    s.ttl_delay_ms = ms("ttlDelayMs")?;
    s.pitr_lag_ms = ms("pitrLagMs")?;
    s.replication_lag_ms = ms("replicationLagMs")?;
    s.transaction_ms = ms("transactionMs")?;
    s.global_lag_ms = ms("globalLagMs")?;
    s.global_jitter_ms = ms("globalJitterMs")?;
    s.enforce_capacity = match o.get("enforceCapacity") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return err("settings.enforceCapacity must be true or false".to_string()),
    };
    Ok(s)
}

fn step(i: usize, v: &Value) -> Result<Step, ScenarioError> {
    let Some(o) = v.as_object() else { return err(format!("steps[{i}] must be an object")) };
    let operation = match o.get("operation") {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 64 => s.clone(),
        _ => return err(format!("steps[{i}].operation must name an operation, such as \"PutItem\"")),
    };
    let request = match o.get("request") {
        Some(r @ Value::Object(_)) => r.clone(),
        None => Value::Object(Map::new()),
        Some(_) => return err(format!("steps[{i}].request must be an object")),
    };
    let title = text_field(o, "title", MAX_TITLE).map_err(|e| ScenarioError(format!("steps[{i}]: {e}")))?;
    let expect = match o.get("expect") {
        None | Some(Value::Null) => None,
        Some(Value::Object(e)) => {
            let status = match e.get("status") {
                None => None,
                Some(n) => match n.as_u64().and_then(|n| u16::try_from(n).ok()) {
                    Some(n) => Some(n),
                    None => return err(format!("steps[{i}].expect.status must be an HTTP status")),
                },
            };
            let error = match e.get("error") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return err(format!("steps[{i}].expect.error must be an error type name")),
            };
            Some(Expect { status, error, response: e.get("response").cloned() })
        }
        Some(_) => return err(format!("steps[{i}].expect must be an object")),
    };
    let region = match o.get("region") {
        None => None,
        Some(Value::String(r)) if crate::global::check_region(r).is_ok() => Some(r.clone()),
        Some(_) => return err(format!("steps[{i}].region must name a region, such as \"us-west-2\"")),
    };
    let principal = match o.get("as") {
        None => None,
        Some(Value::String(arn)) if crate::iam::state::check_principal_arn(arn).is_ok() => Some(arn.clone()),
        Some(_) => {
            return err(format!("steps[{i}].as must be a user's or role's ARN (arn:aws:iam::<account>:user/<name>)"))
        }
    };
    Ok(Step { title, region, principal, operation, request, expect })
}

#[cfg(test)]
mod tests;
