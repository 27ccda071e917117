//! Transactions in flight. A transaction takes `Config::transaction_ms` of engine time
//! (0 by default: it is over as soon as it answers). While it is in flight its items are
//! held, and, as AWS documents under "Transaction conflict handling":
//! - a PutItem, UpdateItem or DeleteItem of an item an in-flight TransactWriteItems holds
//!   fails with TransactionConflictException;
//! - a TransactWriteItems meeting an item another in-flight transaction holds, or a
//!   TransactGetItems meeting an item an in-flight TransactWriteItems holds, is canceled
//!   with reason TransactionConflict for that item;
//! - a GetItem (or any other read) meets no conflict;
//! - the same `ClientRequestToken` again while its transaction is in flight gets
//!   TransactionInProgressException.
//!
//! BatchWriteItem's writes are not checked (AWS documents its items as serializable with
//! transactions one by one, but not what a conflicting item gets).

use std::collections::BTreeMap;

use crate::engine::Engine;
use crate::error::{CancellationReason, Error, ErrorKind, Result};
use crate::table::StoreKey;

/// The reason and message AWS gives a conflicting item.
pub const ONGOING: &str = "Transaction is ongoing for the item";

/// An item held by an in-flight transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct Hold {
    pub until_ms: u64,
    /// Held by a TransactWriteItems (else a TransactGetItems).
    pub write: bool,
    pub token: Option<String>,
}

/// Every held item, by table and key.
pub type Holds = BTreeMap<(String, StoreKey), Hold>;

fn held<'e>(engine: &'e Engine, table: &str, key: &StoreKey) -> Option<&'e Hold> {
    let h = engine.holds.get(&(table.to_string(), key.clone()))?;
    (h.until_ms > engine.now_ms).then_some(h)
}

/// A single-item write (PutItem, UpdateItem, DeleteItem) of an item an in-flight
/// TransactWriteItems holds is refused.
pub fn check_single_write(engine: &Engine, table: &str, key: &StoreKey) -> Result<()> {
    match held(engine, table, key) {
        Some(h) if h.write => Err(Error::new(ErrorKind::TransactionConflict, ONGOING)),
        _ => Ok(()),
    }
}

/// A transaction over `keys` (in request order) is canceled when one of them is held by
/// another in-flight transaction it conflicts with: any, for a write; a write, for a read.
pub fn check_transaction<'k>(
    engine: &Engine,
    keys: impl Iterator<Item = (&'k str, &'k StoreKey)>,
    write: bool,
) -> Result<()> {
    let conflicts: Vec<bool> = keys.map(|(t, k)| held(engine, t, k).is_some_and(|h| write || h.write)).collect();
    if !conflicts.iter().any(|c| *c) {
        return Ok(());
    }
    let reason = |c: bool| {
        if c {
            CancellationReason { code: "TransactionConflict".into(), message: Some(ONGOING.into()), item: None }
        } else {
            CancellationReason::none()
        }
    };
    Err(Error::transaction_canceled(conflicts.into_iter().map(reason).collect()))
}

/// A `ClientRequestToken` whose transaction is still in flight.
pub fn check_token(engine: &Engine, token: Option<&str>) -> Result<()> {
    let Some(token) = token else { return Ok(()) };
    let now = engine.now_ms;
    if engine.holds.values().any(|h| h.until_ms > now && h.token.as_deref() == Some(token)) {
        return Err(Error::new(
            ErrorKind::TransactionInProgress,
            "The transaction with the given request token is already in progress.",
        ));
    }
    Ok(())
}

/// Holds `keys` for the configured transaction time (nothing when it is 0).
pub fn hold<'k>(
    engine: &mut Engine,
    keys: impl Iterator<Item = (&'k str, &'k StoreKey)>,
    write: bool,
    token: Option<&str>,
) {
    let ms = engine.config.transaction_ms;
    if ms == 0 {
        return;
    }
    let until_ms = engine.now_ms.saturating_add(ms);
    for (t, k) in keys {
        let h = Hold { until_ms, write, token: token.map(str::to_string) };
        engine.holds.insert((t.to_string(), k.clone()), h);
    }
}

/// Forgets holds whose transaction is over.
pub fn release(engine: &mut Engine) {
    let now = engine.now_ms;
    engine.holds.retain(|_, h| h.until_ms > now);
}
