//! The hot operations' code: items (GetItem, PutItem, UpdateItem, DeleteItem, Query,
//! Scan and their batches) and tables' basics (CreateTable, DescribeTable, ListTables,
//! DeleteTable). The page shows a workspace without running any of them, so its start
//! leaves them out and fetches them in a module of their own once it is interactive
//! (ARCHITECTURE.md, "Page size").
//!
//! Built as usual, the engine runs them like any other code. With the feature
//! `cold-on-demand` (the page's build), the engine's own code does not name them: it
//! runs them through the code [`install`]ed, which the page gets from [`operations`]
//! before its first request. Asked for before that, an operation is refused with a 500
//! saying its code could not be fetched ([`super::cold::not_loaded`]), and nothing
//! changes.

use super::Answer;
use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;
use crate::trace::Trace;

/// Runs one hot operation (the dispatch [`operations`] hands over).
type Run = for<'a> fn(&mut Engine, &str, Input<'a>, &mut Trace) -> Option<Result<Answer>>;

/// The hot operations' code, to [`install`].
#[derive(Clone, Copy)]
pub struct HotOperations {
    run: Run,
}

/// The hot operations' code. Calling it is what brings that code into a build.
pub fn operations() -> HotOperations {
    HotOperations { run: super::run_hot }
}

#[cfg(feature = "cold-on-demand")]
static INSTALLED: std::sync::OnceLock<HotOperations> = std::sync::OnceLock::new();

/// Makes the hot operations runnable (once; later calls change nothing).
#[cfg(feature = "cold-on-demand")]
pub fn install(code: HotOperations) {
    let _ = INSTALLED.set(code);
}

/// The hot operations' code, when it can run: built in, or installed.
fn code() -> Option<HotOperations> {
    #[cfg(feature = "cold-on-demand")]
    return INSTALLED.get().copied();
    #[cfg(not(feature = "cold-on-demand"))]
    Some(operations())
}

/// Whether the hot operations can run now.
pub fn installed() -> bool {
    code().is_some()
}

/// Runs one hot operation, if its code is in. `None` for an operation the engine does
/// not implement, installed or not.
pub(super) fn run(engine: &mut Engine, operation: &str, input: Input, trace: &mut Trace) -> Option<Result<Answer>> {
    match code() {
        Some(code) => (code.run)(engine, operation, input, trace),
        None => super::OPERATIONS.contains(&operation).then(|| Err(super::cold::not_loaded(operation))),
    }
}
