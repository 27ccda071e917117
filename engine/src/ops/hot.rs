//! The code that runs requests: a request's body read and checked
//! ([`crate::wire::answer`]), and the hot operations, items (GetItem, PutItem,
//! UpdateItem, DeleteItem, Query, Scan and their batches) and tables' basics
//! (CreateTable, DescribeTable, ListTables, DeleteTable). The page shows a workspace
//! without running any request, so its start leaves this out and fetches it in a module
//! of their own once it is interactive (ARCHITECTURE.md, "Page size").
//!
//! Built as usual, the engine runs it like any other code. With the feature
//! `cold-on-demand` (the page's build), the engine's own code does not name it: a
//! request for an operation the engine implements runs through the code [`install`]ed,
//! which the page gets from [`operations`] before its first request. Asked for before
//! that, an operation is refused with a 500 saying its code could not be fetched
//! ([`super::cold::not_loaded`]), and nothing changes; an operation the engine does not
//! implement is still UnknownOperationException. The clock's moves on a world
//! (`World::advance`: statuses, TTL, replication) come with it too; until then the clock
//! stays where it is.

use crate::engine::Engine;
use crate::global::World;
use crate::trace::Trace;
use crate::wire::{Access, Response};

/// A world's request, in one of its regions.
type WorldRequest = fn(&mut World, Access<'_>, Option<&str>, &str, &[u8], u64) -> Response;

/// The code that runs requests and moves the clock, to [`install`].
#[derive(Clone, Copy)]
pub struct HotOperations {
    /// One engine's request ([`crate::wire::answer`]).
    engine: fn(&mut Engine, Access<'_>, &str, &[u8], u64) -> Response,
    /// A world's request, in one of its regions ([`World::answer`]).
    world: WorldRequest,
    /// A world's clock moved on ([`World::move_clock`]).
    advance: fn(&mut World, u64) -> Trace,
    /// Where a request's first wrong JSON type is ([`crate::wire::find_invalid_member`]).
    invalid_member: InvalidMember,
}

/// Where in a request's body its first wrong JSON type is, with AWS's message.
type InvalidMember = fn(&str, &serde_json::Value) -> Option<(String, String)>;

/// The code that runs requests. Calling it is what brings that code into a build.
pub fn operations() -> HotOperations {
    HotOperations {
        engine: crate::wire::answer,
        world: World::answer,
        advance: World::move_clock,
        invalid_member: crate::wire::find_invalid_member,
    }
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

/// One engine's request, if the code is in; otherwise refused, changing nothing.
pub(crate) fn handle(engine: &mut Engine, access: Access, operation: &str, body: &[u8], now_ms: u64) -> Response {
    match code() {
        Some(code) => (code.engine)(engine, access, operation, body, now_ms),
        None => crate::wire::refused_before_loaded(operation),
    }
}

/// A world's request, if the code is in; otherwise refused, changing nothing.
pub(crate) fn world_request(
    world: &mut World,
    access: Access,
    region: Option<&str>,
    operation: &str,
    body: &[u8],
    now_ms: u64,
) -> Response {
    match code() {
        Some(code) => (code.world)(world, access, region, operation, body, now_ms),
        None => crate::wire::refused_before_loaded(operation),
    }
}

/// A world's clock moved on, if the code is in; otherwise it stays where it is (the
/// next move catches up) and nothing changes.
pub(crate) fn advance(world: &mut World, now_ms: u64) -> Trace {
    code().map_or_else(Trace::default, |code| (code.advance)(world, now_ms))
}

/// Where in `body` the first wrong JSON type is, if the code that checks requests is in;
/// before that no request has been checked, so there is nothing to point at.
pub(crate) fn invalid_member(operation: &str, body: &serde_json::Value) -> Option<(String, String)> {
    code().and_then(|code| (code.invalid_member)(operation, body))
}
