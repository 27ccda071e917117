//! An engine's tables by name, each stamped with a revision whenever the engine takes it
//! to change it, so the page redraws a table's views only after that table changed.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Table;

/// The last revision handed out, in this process: every engine's, so two states of a table
/// never share one, even across engines (a region shown after another, a workspace reloaded).
static REVISION: AtomicU64 = AtomicU64::new(0);

fn next_revision() -> u64 {
    REVISION.fetch_add(1, Ordering::Relaxed) + 1
}

/// The tables by name. Reading goes through `Deref`; every way to change a table stamps it.
#[derive(Debug, Default)]
pub struct Tables(BTreeMap<String, Table>);

impl Tables {
    /// The table to change, stamped with a new revision.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Table> {
        let table = self.0.get_mut(name)?;
        table.revision = next_revision();
        Some(table)
    }

    pub fn insert(&mut self, name: String, mut table: Table) -> Option<Table> {
        table.revision = next_revision();
        self.0.insert(name, table)
    }

    pub fn remove(&mut self, name: &str) -> Option<Table> {
        self.0.remove(name)
    }
}

impl Deref for Tables {
    type Target = BTreeMap<String, Table>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// A copy is a state of its own: each table in it gets a new revision.
impl Clone for Tables {
    fn clone(&self) -> Self {
        let mut copy = self.0.clone();
        copy.values_mut().for_each(|t| t.revision = next_revision());
        Tables(copy)
    }
}

impl FromIterator<(String, Table)> for Tables {
    fn from_iter<I: IntoIterator<Item = (String, Table)>>(iter: I) -> Self {
        let mut tables = Tables::default();
        for (name, table) in iter {
            tables.insert(name, table);
        }
        tables
    }
}
