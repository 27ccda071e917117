//! The cold code: the cold operations (transactions, UpdateTable, backups and restores,
//! exports and imports, PartiQL, streams, IAM's and tags' operations, the simulated S3,
//! triggers), IAM's checks while IAM is enforced, global tables' replication, the
//! readers of the legacy parameters ([`Legacy`]: `Expected`, `KeyConditions`, …), the
//! readers of the records only cold operations make ([`Readers`]: backups, recovery
//! windows, the simulated S3 and its jobs, triggers, IAM's state, other regions, and a
//! workspace file), the writers of most of them ([`Writers`]) and what the clock does
//! for that state ([`Clockwork`]). The page does not need it to start, so it fetches it
//! on demand (ARCHITECTURE.md, "Page size").
//!
//! Built as usual, the engine runs it like any other code. With the feature
//! `cold-on-demand` (the page's build), the engine's own code does not name it: it runs
//! it through the code [`install`]ed, which the page gets from [`operations`] in a module
//! of its own, before the first request that needs it ([`World::needs_cold_code`]).
//! Asked for before that, a cold operation, a request while IAM is enforced or one to a
//! workspace with global tables is refused with a 500 saying the code could not be
//! fetched, and nothing changes; the clock moves no replication on.
//!
//! [`World::needs_cold_code`]: crate::global::World::needs_cold_code

use serde_json::Value;

use super::Answer;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::expr::ast::{Condition, Update};
use crate::global::World;
use crate::iam::evaluate::Evaluation;
use crate::iam::Iam;
use crate::request::Input;
use crate::snapshot::ColdReader;
use crate::trace::Trace;
use crate::wire::Response;

/// Runs one cold operation (the dispatch [`operations`] hands over).
type Run = for<'a> fn(&mut Engine, &str, Input<'a>, &mut Trace) -> Option<Result<Answer>>;
/// IAM's checks while enforced (`iam::authorize::enforced`).
type Authorize = fn(&Engine, &Iam, Option<&str>, &str, &Value, &mut Vec<Evaluation>) -> Result<()>;

/// The cold code, to [`install`].
#[derive(Clone, Copy)]
pub struct ColdOperations {
    run: Run,
    authorize: Authorize,
    pub(crate) replication: Replication,
    pub(crate) readers: Readers,
    pub(crate) writers: Writers,
    pub(crate) clockwork: Clockwork,
    legacy: Legacy,
}

/// The readers of the legacy (pre-expression) parameters (`ops::legacy`), which few
/// requests name: the page fetches them with the first that does
/// ([`crate::ops::legacy::named_in`]).
#[derive(Clone, Copy)]
pub(crate) struct Legacy {
    /// `KeyConditions`, `QueryFilter`, `ScanFilter`.
    pub conditions: fn(&Input, &str, Option<&str>) -> Result<Option<Condition>>,
    /// `Expected`.
    pub expected: fn(&Input) -> Result<Option<Condition>>,
    /// `AttributeUpdates`.
    pub attribute_updates: fn(&Input) -> Result<Option<Update>>,
}

/// What the clock does for the state only cold code makes (recovery windows, exports,
/// triggers; `scheduler::advance`). Without that code there is none of that state (only
/// cold operations and [`Readers`] make it), so there is nothing for these to do.
#[derive(Clone, Copy)]
pub(crate) struct Clockwork {
    /// Rolls each recovery base forward as its window moves.
    pub roll_pitr: fn(&mut Engine, &mut Trace),
    /// Completes the exports whose end the clock has reached.
    pub complete_exports: fn(&mut Engine, &mut Trace),
    /// Runs the triggers' ready batches.
    pub run_triggers: fn(&mut Engine, &mut Trace),
    /// Whether an export or a trigger has work at this time.
    pub due: fn(&Engine, u64) -> bool,
}

/// The readers of the records only cold operations make, for loading a workspace that has
/// some: backups and recovery windows, the simulated S3 with its exports and imports,
/// triggers, IAM's state (with the reader of policies) when it is more than a new
/// engine's, and other regions with the global tables.
#[derive(Clone, Copy)]
pub struct Readers {
    pub(crate) backups: ColdReader,
    pub(crate) pitr: ColdReader,
    pub(crate) transfers: ColdReader,
    pub(crate) triggers: ColdReader,
    pub(crate) iam: ColdReader,
    /// Other regions and global tables (`snapshot::world`).
    pub(crate) world: WorldReader,
    /// A workspace file (`World::import`), which only a learner's upload reads.
    pub(crate) file: fn(crate::engine::Config, &Value) -> crate::snapshot::Result<World>,
}

/// Adds the other regions (name, engine export) and the global tables (a state record's
/// `tables`) to a world.
pub(crate) type WorldReader = fn(&mut World, &[(String, Value)], &Value) -> crate::snapshot::Result<()>;

/// The writers of the records only cold code makes (`snapshot::cold_records`): backups,
/// recovery windows, export and import jobs, triggers, global tables. The simulated
/// S3's records stay hot, as a scenario's buckets are made without cold code.
#[derive(Clone, Copy)]
pub(crate) struct Writers {
    pub backup: fn(&crate::backup::Backup) -> Value,
    pub pitr: fn(&str, &crate::pitr::Pitr) -> Value,
    pub job: fn(&Engine, &str) -> Option<Value>,
    pub trigger: fn(&crate::trigger::triggers::Trigger) -> Value,
    /// A world's global tables, in its state record.
    pub global_tables: fn(&World) -> Value,
}

/// Global tables' replication (`global::replicate` and `global::replica_updates`).
#[derive(Clone, Copy)]
pub(crate) struct Replication {
    /// Applies the replicated writes due.
    pub advance: fn(&mut World, u64),
    /// Whether any replicated write (or replica) is due.
    pub due: fn(&World, u64) -> bool,
    /// Answers UpdateTable's `ReplicaUpdates`.
    pub intercept: fn(&mut World, &str, &str, &[u8], u64) -> Option<Response>,
    /// Names a global table's replicas in its description.
    pub after: fn(&mut World, &str, &str, &mut Response),
}

/// The cold code. Calling it is what brings that code into a build.
pub fn operations() -> ColdOperations {
    use crate::global::{replica_updates, replicate};
    ColdOperations {
        run: super::run_cold,
        authorize: crate::iam::authorize::enforced,
        replication: Replication {
            advance: replicate::advance,
            due: replicate::due,
            intercept: replica_updates::intercept,
            after: replica_updates::after,
        },
        readers: Readers {
            backups: Engine::read_backups,
            pitr: Engine::read_pitr,
            transfers: Engine::read_transfers,
            triggers: Engine::read_triggers,
            iam: Engine::read_iam,
            world: crate::snapshot::read_regions_and_tables,
            file: World::import,
        },
        writers: Writers {
            backup: crate::snapshot::backup_record,
            pitr: crate::snapshot::pitr_record,
            job: crate::snapshot::job_record,
            trigger: crate::trigger::triggers::Trigger::record,
            global_tables: crate::snapshot::global_tables_record,
        },
        clockwork: Clockwork {
            roll_pitr: crate::scheduler::roll_pitr,
            complete_exports: crate::transfer::complete_exports,
            run_triggers: crate::trigger::triggers::run_due,
            due: crate::scheduler::cold_work_due,
        },
        legacy: Legacy {
            conditions: super::legacy::read_conditions,
            expected: super::legacy::read_expected,
            attribute_updates: super::legacy::read_attribute_updates,
        },
    }
}

#[cfg(feature = "cold-on-demand")]
static INSTALLED: std::sync::OnceLock<ColdOperations> = std::sync::OnceLock::new();

/// Makes the cold code runnable (once; later calls change nothing).
#[cfg(feature = "cold-on-demand")]
pub fn install(code: ColdOperations) {
    let _ = INSTALLED.set(code);
}

/// The cold code, when it can run: built in, or installed.
pub(crate) fn code() -> Option<ColdOperations> {
    #[cfg(feature = "cold-on-demand")]
    return INSTALLED.get().copied();
    #[cfg(not(feature = "cold-on-demand"))]
    Some(operations())
}

/// What the clock does for the state only cold code makes, if that code is in.
pub(crate) fn clockwork() -> Option<Clockwork> {
    code().map(|c| c.clockwork)
}

/// The writers of the records only cold code makes, if their code is in.
pub(crate) fn writers() -> Option<Writers> {
    code().map(|c| c.writers)
}

/// The readers of the legacy parameters, if their code is in.
pub(crate) fn legacy() -> Option<Legacy> {
    code().map(|c| c.legacy)
}

/// Reads a workspace file ([`World::import`]) with the cold code's reader: the page's
/// start has none, as only an upload reads one. Refused, saying so, before that code came.
pub fn import_file(config: crate::engine::Config, doc: &Value) -> crate::snapshot::Result<World> {
    let code = code().ok_or_else(|| crate::snapshot::SnapshotError(file_reader_not_loaded().message))?;
    (code.readers.file)(config, doc)
}

/// Whether the cold code can run now.
pub fn installed() -> bool {
    code().is_some()
}

/// Runs one cold operation, if its code is in.
pub(super) fn run(engine: &mut Engine, operation: &str, input: Input, trace: &mut Trace) -> Option<Result<Answer>> {
    match code() {
        Some(code) => (code.run)(engine, operation, input, trace),
        None => Some(Err(not_loaded(operation))),
    }
}

/// IAM's checks for one request while IAM is enforced, if their code is in.
pub(crate) fn authorize(
    engine: &Engine,
    iam: &Iam,
    principal: Option<&str>,
    operation: &str,
    body: &Value,
    evaluations: &mut Vec<Evaluation>,
) -> Result<()> {
    match code() {
        Some(code) => (code.authorize)(engine, iam, principal, operation, body, evaluations),
        None => Err(iam_not_loaded()),
    }
}

/// A cold operation asked for before its code came (the page could not fetch it).
pub fn not_loaded(operation: &str) -> Error {
    Error::new(
        ErrorKind::InternalServerError,
        format!(
            "The code that runs {operation} could not be fetched (are you offline?). Nothing was changed; try again."
        ),
    )
}

/// A request to a workspace with global tables (or making one), before replication's
/// code came.
pub fn replication_not_loaded() -> Error {
    Error::new(
        ErrorKind::InternalServerError,
        "The code that replicates global tables could not be fetched (are you offline?). Nothing was changed; try again.",
    )
}

/// A workspace with records only the cold code reads ([`Readers`]), read before that code
/// came.
pub fn readers_not_loaded() -> Error {
    Error::new(
        ErrorKind::InternalServerError,
        "The code that reads this workspace's backups, exports, triggers, IAM and regions could not be fetched (are you offline?).",
    )
}

/// State only cold code makes, to be written before that code came. It cannot happen
/// (that state exists only once the code has run); if it did, persistence shows this
/// instead of writing nothing.
pub fn writers_not_loaded() -> Error {
    Error::new(
        ErrorKind::InternalServerError,
        "The code that writes this workspace's backups, recovery windows, exports, imports, triggers and global tables is not loaded, so they were not saved. Reload the page.",
    )
}

/// A workspace file uploaded before the code that reads one came.
pub fn file_reader_not_loaded() -> Error {
    Error::new(
        ErrorKind::InternalServerError,
        "The code that reads a workspace file could not be fetched (are you offline?). Nothing was changed; try again.",
    )
}

/// A request naming a legacy parameter (`Expected`, `KeyConditions`, …) before the code
/// that reads them came.
pub fn legacy_not_loaded() -> Error {
    Error::new(
        ErrorKind::InternalServerError,
        "The code that reads Expected, KeyConditions, QueryFilter, ScanFilter and AttributeUpdates could not be fetched (are you offline?). Nothing was changed; try again.",
    )
}

/// A request while IAM is enforced, before IAM's checks came.
pub fn iam_not_loaded() -> Error {
    Error::new(
        ErrorKind::InternalServerError,
        "The code that checks IAM's policies could not be fetched (are you offline?). Nothing was changed; try again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::is_cold;

    #[test]
    fn each_operation_is_answered_by_one_dispatch_only() {
        use crate::request::Body;
        let mut engine = Engine::default();
        for op in super::super::OPERATIONS {
            let body = Body::parse(op, "{}", true).unwrap();
            let hot = super::super::run_hot(&mut engine, op, Input::of(&body).unwrap(), &mut Trace::default());
            let cold = super::super::run_cold(&mut engine, op, Input::of(&body).unwrap(), &mut Trace::default());
            assert_eq!((hot.is_some(), cold.is_some()), (!is_cold(op), is_cold(op)), "{op}");
        }
        for op in ["PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "Scan", "CreateTable", "DescribeTable"] {
            assert!(!is_cold(op), "{op} is hot");
        }
        for op in ["ExecuteStatement", "CreateBackup", "TransactWriteItems", "TransactGetItems", "UpdateTable"] {
            assert!(is_cold(op), "{op} is cold");
        }
        #[cfg(not(feature = "cold-on-demand"))]
        assert!(installed(), "built in");
    }

    /// The page's build: refused until installed, then answered. (The one test that
    /// installs, since installing is for the whole process: `cargo xtask test` runs it
    /// alone, `--features cold-on-demand`.)
    #[cfg(feature = "cold-on-demand")]
    #[test]
    fn cold_operations_run_once_installed() {
        let mut engine = Engine::default();
        let before = engine.request("ListBackups", b"{}", 1);
        assert_eq!(before.status, 500);
        assert_eq!(
            before.body,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The code that runs ListBackups could not be fetched (are you offline?). Nothing was changed; try again."}"#
        );
        // The hot operations come in a module of their own, installed the same way.
        let hot = engine.request("ListTables", b"{}", 2);
        assert_eq!(
            hot.body,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The code that runs ListTables could not be fetched (are you offline?). Nothing was changed; try again."}"#
        );
        let unknown = engine.request("ListTablez", b"{}", 2);
        assert!(unknown.body.contains("UnknownOperationException"), "not one of ours: {}", unknown.body);
        // Where a request's wrong type is: checked with that code, so nothing to say before.
        let wrong = serde_json::json!({"TableName": "Carts", "Item": {"n": {"N": 7}}});
        assert_eq!(crate::wire::invalid_member("PutItem", &wrong), None);
        assert!(!super::super::hot::installed());
        super::super::hot::install(super::super::hot::operations());
        assert!(super::super::hot::installed());
        assert_eq!(engine.request("ListTables", b"{}", 2).status, 200, "runs once installed");
        let (message, path) = crate::wire::invalid_member("PutItem", &wrong).expect("checked once installed");
        assert_eq!((message.as_str(), path.as_str()), ("NUMBER_VALUE cannot be converted to String", "Item.n.N"));
        let mut enforced = Engine {
            iam: crate::iam::Iam { enforce: true, ..crate::iam::Iam::new("123456789012") },
            ..Engine::default()
        };
        let checked = enforced.request("ListTables", b"{}", 2);
        assert_eq!(
            checked.body,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The code that checks IAM's policies could not be fetched (are you offline?). Nothing was changed; try again."}"#
        );
        let mut world = World::new(crate::engine::Config::default());
        assert_eq!(world.request(None, "CreateTable", CARTS.as_bytes(), 2).status, 200);
        let scale = world.request(None, "UpdateTable", SCALE.as_bytes(), 3);
        assert_eq!(
            scale.body,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The code that runs UpdateTable could not be fetched (are you offline?). Nothing was changed; try again."}"#
        );
        let described = world.request(None, "DescribeTable", br#"{"TableName": "Carts"}"#, 3);
        assert!(!described.body.contains("StreamSpecification"), "nothing was changed: {}", described.body);
        let replica = world.request(None, "UpdateTable", REPLICA.as_bytes(), 4);
        assert_eq!(
            replica.body,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The code that replicates global tables could not be fetched (are you offline?). Nothing was changed; try again."}"#
        );
        assert!(world.globals().is_empty(), "nothing was changed");
        // A legacy parameter: its reader is cold; a request without one needs nothing.
        let legacy = br#"{"TableName": "Carts", "Item": {"id": {"S": "a"}}, "Expected": {"id": {"Exists": false}}}"#;
        assert_eq!(
            world.request(None, "PutItem", legacy, 4).body,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The code that reads Expected, KeyConditions, QueryFilter, ScanFilter and AttributeUpdates could not be fetched (are you offline?). Nothing was changed; try again."}"#
        );
        let get = br#"{"TableName": "Carts", "Key": {"id": {"S": "a"}}}"#;
        assert_eq!(world.request(None, "GetItem", get, 4).body, "{}", "nothing was changed");
        let plain = br#"{"TableName": "Carts", "Item": {"id": {"S": "b"}}}"#;
        assert_eq!(world.request(None, "PutItem", plain, 4).status, 200);
        // A workspace with records only the cold code reads (the record is not looked at).
        let mut doc = Engine::new(crate::engine::Config::default()).export().unwrap();
        doc["backups"] = serde_json::json!([{"arn": "not read"}]);
        assert!(crate::snapshot::needs_cold_readers(&doc));
        let refused = Engine::import(crate::engine::Config::default(), &doc).err().map(|e| e.0);
        assert_eq!(
            refused.as_deref(),
            Some("The code that reads this workspace's backups, exports, triggers, IAM and regions could not be fetched (are you offline?).")
        );
        // State only cold code makes (it cannot come without that code: made here by
        // hand): its writers are cold too, and say so rather than write nothing.
        let mut kept = Engine::default();
        let pitr =
            crate::pitr::Pitr { enabled_ms: 1, period_days: 35, base: Default::default(), base_ms: 1, from_seq: 0 };
        kept.pitr.insert("Carts".into(), pitr);
        let unwritten = "The code that writes this workspace's backups, recovery windows, exports, imports, triggers and global tables is not loaded, so they were not saved. Reload the page.";
        assert_eq!(kept.pitr_records().err().map(|e| e.0).as_deref(), Some(unwritten));
        assert_eq!(kept.pitr_record("Carts").err().map(|e| e.0).as_deref(), Some(unwritten));
        assert_eq!(kept.export().err().map(|e| e.0).as_deref(), Some(unwritten));
        assert_eq!(kept.backup_records(), Ok(Vec::new()), "none to write: nothing is needed");
        assert_eq!(kept.job_record("arn:none"), Ok(None));
        // Another region: its engine is read by cold code too.
        let mut regions = Engine::new(crate::engine::Config::default()).export().unwrap();
        regions["regions"] = serde_json::json!({"eu-west-1": doc_without_records()});
        assert!(crate::snapshot::needs_cold_readers(&regions));
        assert!(!crate::snapshot::needs_cold_readers(&doc_without_records()));
        let refused_regions = World::import(crate::engine::Config::default(), &regions).err().map(|e| e.0);
        assert_eq!(refused_regions, refused, "the same message");
        assert!(
            World::import(crate::engine::Config::default(), &doc_without_records()).is_ok(),
            "one region needs none"
        );
        // A workspace file: only an upload reads one, with the cold code's reader.
        assert_eq!(
            import_file(crate::engine::Config::default(), &doc_without_records()).err().map(|e| e.0).as_deref(),
            Some("The code that reads a workspace file could not be fetched (are you offline?). Nothing was changed; try again.")
        );
        assert!(!installed());
        assert!(clockwork().is_none(), "the clock has no cold work to do");
        install(operations());
        assert!(import_file(crate::engine::Config::default(), &doc_without_records()).is_ok());
        let two = World::import(crate::engine::Config::default(), &regions).unwrap();
        assert_eq!(two.region_names(), ["us-east-1", "eu-west-1"], "read once installed");
        assert_eq!(kept.pitr_record("Carts").unwrap().unwrap()["periodDays"], 35, "written once installed");
        assert!(kept.export().is_ok());
        assert!(installed());
        assert!(clockwork().is_some());
        let read = Engine::import(crate::engine::Config::default(), &doc).err().map(|e| e.0);
        assert_ne!(read, refused, "the reader ran, and found the record damaged");
        let after = engine.request("ListBackups", b"{}", 3);
        assert_eq!((after.status, after.body.as_str()), (200, r#"{"BackupSummaries":[]}"#));
        assert_eq!(enforced.request("ListTables", b"{}", 4).status, 200, "the administrator may list tables");
        assert_eq!(world.request(None, "PutItem", legacy, 5).status, 200, "read once installed");
        assert_eq!(world.request(None, "UpdateTable", REPLICA.as_bytes(), 5).status, 200);
        assert_eq!(world.globals().len(), 1);
    }

    #[cfg(feature = "cold-on-demand")]
    fn doc_without_records() -> Value {
        Engine::new(crate::engine::Config::default()).export().unwrap()
    }

    const CARTS: &str = r#"{"TableName": "Carts", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}"#;
    #[cfg(feature = "cold-on-demand")]
    const SCALE: &str = r#"{"TableName": "Carts", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}"#;
    const REPLICA: &str = r#"{"TableName": "Carts", "ReplicaUpdates": [{"Create": {"RegionName": "eu-west-1"}}]}"#;

    /// What makes the page fetch the cold code before a request.
    #[test]
    fn what_needs_the_cold_code() {
        let mut world = World::new(crate::engine::Config::default());
        assert!(!world.needs_cold_code("PutItem", b"{}"));
        assert!(world.needs_cold_code("UpdateTable", b"{}"), "UpdateTable (which makes global tables too) is cold");
        assert!(world.needs_cold_code("CreateBackup", b"{}"));
        let legacy = br#"{"TableName": "T", "Item": {"pk": {"S": "a"}}, "Expected": {"pk": {"Exists": false}}}"#;
        assert!(world.needs_cold_code("PutItem", legacy), "a legacy parameter's reader is cold");
        assert!(!world.needs_cold_code("BatchWriteItem", legacy), "an operation that takes none");
        if installed() {
            assert_eq!(world.request(None, "CreateTable", CARTS.as_bytes(), 1).status, 200);
            assert_eq!(world.request(None, "UpdateTable", REPLICA.as_bytes(), 2).status, 200);
            assert!(world.needs_cold_code("PutItem", b"{}"), "a workspace with a global table");
        }
        world.home_engine_mut().iam.enforce = true;
        assert!(world.needs_cold_code("GetItem", b"{}"), "IAM enforced");
    }

    #[test]
    fn replication_not_loaded_message() {
        assert_eq!(
            replication_not_loaded().message,
            "The code that replicates global tables could not be fetched (are you offline?). Nothing was changed; try again."
        );
    }

    #[test]
    fn legacy_not_loaded_message() {
        let e = legacy_not_loaded();
        assert_eq!(e.kind, ErrorKind::InternalServerError);
        assert_eq!(
            e.message,
            "The code that reads Expected, KeyConditions, QueryFilter, ScanFilter and AttributeUpdates could not be fetched (are you offline?). Nothing was changed; try again."
        );
    }

    #[test]
    fn not_loaded_message() {
        let e = not_loaded("CreateBackup");
        assert_eq!(e.kind, ErrorKind::InternalServerError);
        assert_eq!(
            e.message,
            "The code that runs CreateBackup could not be fetched (are you offline?). Nothing was changed; try again."
        );
    }
}
