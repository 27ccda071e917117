//! The cold code: the cold operations (backups and restores, exports and imports,
//! PartiQL, streams, IAM's and tags' operations, the simulated S3, triggers) and IAM's
//! checks while IAM is enforced. The page does not need it to start, so it fetches it on
//! demand (ARCHITECTURE.md, "Page size").
//!
//! Built as usual, the engine runs it like any other code. With the feature
//! `cold-on-demand` (the page's build), the engine's own code does not name it: it runs
//! it through the code [`install`]ed, which the page gets from [`operations`] in a module
//! of its own, before the first request that needs it. Asked for before that, a cold
//! operation (or any request while IAM is enforced) is refused with [`not_loaded`]'s
//! error, and nothing changes.

use serde_json::Value;

use super::Answer;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::iam::evaluate::Evaluation;
use crate::iam::Iam;
use crate::request::Input;
use crate::trace::Trace;

/// Runs one cold operation (the dispatch [`operations`] hands over).
type Run = for<'a> fn(&mut Engine, &str, Input<'a>, &mut Trace) -> Option<Result<Answer>>;
/// IAM's checks while enforced (`iam::authorize::enforced`).
type Authorize = fn(&Engine, &Iam, Option<&str>, &str, &Value, &mut Vec<Evaluation>) -> Result<()>;

/// The cold code, to [`install`].
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "cold-on-demand"), expect(dead_code, reason = "only installed with cold-on-demand"))]
pub struct ColdOperations {
    run: Run,
    authorize: Authorize,
}

/// The cold code. Calling it is what brings that code into a build.
pub fn operations() -> ColdOperations {
    ColdOperations { run: super::run_cold, authorize: crate::iam::authorize::enforced }
}

#[cfg(feature = "cold-on-demand")]
static INSTALLED: std::sync::OnceLock<ColdOperations> = std::sync::OnceLock::new();

/// Makes the cold code runnable (once; later calls change nothing).
#[cfg(feature = "cold-on-demand")]
pub fn install(code: ColdOperations) {
    let _ = INSTALLED.set(code);
}

/// Whether the cold code can run now.
pub fn installed() -> bool {
    #[cfg(feature = "cold-on-demand")]
    return INSTALLED.get().is_some();
    #[cfg(not(feature = "cold-on-demand"))]
    true
}

/// Runs one cold operation, if its code is in.
pub(super) fn run(engine: &mut Engine, operation: &str, input: Input, trace: &mut Trace) -> Option<Result<Answer>> {
    #[cfg(feature = "cold-on-demand")]
    return match INSTALLED.get() {
        Some(code) => (code.run)(engine, operation, input, trace),
        None => Some(Err(not_loaded(operation))),
    };
    #[cfg(not(feature = "cold-on-demand"))]
    super::run_cold(engine, operation, input, trace)
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
    #[cfg(feature = "cold-on-demand")]
    return match INSTALLED.get() {
        Some(code) => (code.authorize)(engine, iam, principal, operation, body, evaluations),
        None => Err(iam_not_loaded()),
    };
    #[cfg(not(feature = "cold-on-demand"))]
    crate::iam::authorize::enforced(engine, iam, principal, operation, body, evaluations)
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
        assert!(is_cold("ExecuteStatement") && is_cold("CreateBackup"));
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
        assert_eq!(engine.request("ListTables", b"{}", 2).status, 200, "hot operations need nothing installed");
        let mut enforced = Engine::default();
        enforced.iam = crate::iam::Iam { enforce: true, ..crate::iam::Iam::new("123456789012") };
        let checked = enforced.request("ListTables", b"{}", 2);
        assert_eq!(
            checked.body,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The code that checks IAM's policies could not be fetched (are you offline?). Nothing was changed; try again."}"#
        );
        assert!(!installed());
        install(operations());
        assert!(installed());
        let after = engine.request("ListBackups", b"{}", 3);
        assert_eq!((after.status, after.body.as_str()), (200, r#"{"BackupSummaries":[]}"#));
        assert_eq!(enforced.request("ListTables", b"{}", 4).status, 200, "the administrator may list tables");
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
