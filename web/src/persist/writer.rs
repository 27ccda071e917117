//! The write path's code: a change set's records ([`change_set::write`] and the regions'
//! records) and a group's items as it runs ([`change_set::write_items`]). The page's
//! start reads the workspace and writes nothing, so the split build leaves this out and
//! fetches it with the hot operations (`crate::cold::ensure_hot`, which [`install`]s
//! it); every change waits for it first ([`Store::begin`](super::Store)). Built without
//! the split, it is built in.

use std::collections::BTreeMap;

use dynaplay_engine::global::{Changes, World};
use dynaplay_engine::trace::WriteTrace;
use indexed_db_futures::transaction::Transaction;

use super::{change_set, save_regions, StorageError};

type WriteItems = fn(&Transaction<'_>, &[WriteTrace]) -> Result<(), StorageError>;
type WriteChanges =
    fn(&Transaction<'_>, &World, &Changes, usize, &mut BTreeMap<String, u64>) -> Result<(), StorageError>;

/// The write path's code, to [`install`].
#[derive(Clone, Copy)]
pub struct Writer {
    /// Writes each item as the writes left it, in order.
    pub(super) items: WriteItems,
    /// Writes everything a change set names but the first `usize` item writes (already
    /// in the transaction); the map is the store's note of the change log's trimming.
    pub(super) changes: WriteChanges,
}

/// The write path's code. Calling it is what brings that code into a build.
pub fn code() -> Writer {
    Writer { items: change_set::write_items, changes: write_changes }
}

fn write_changes(
    tx: &Transaction<'_>,
    world: &World,
    changes: &Changes,
    items_stored: usize,
    trimmed: &mut BTreeMap<String, u64>,
) -> Result<(), StorageError> {
    change_set::write(tx, world.home_engine(), &changes.home, items_stored, trimmed)?;
    save_regions(tx, world, &changes.regions)
}

#[cfg(feature = "split")]
static INSTALLED: std::sync::OnceLock<Writer> = std::sync::OnceLock::new();

/// Makes the write path runnable (once; later calls change nothing).
#[cfg(feature = "split")]
pub fn install(code: Writer) {
    let _ = INSTALLED.set(code);
}

/// The write path, when it can run: built in, or installed; otherwise why not.
pub(super) fn get() -> Result<Writer, StorageError> {
    #[cfg(feature = "split")]
    return INSTALLED.get().copied().ok_or_else(not_loaded);
    #[cfg(not(feature = "split"))]
    Ok(code())
}

/// The write path asked for before its code came (the page could not fetch it).
pub(super) fn not_loaded() -> StorageError {
    StorageError::Other("the code that saves changes could not be fetched (are you offline?); try again".into())
}
