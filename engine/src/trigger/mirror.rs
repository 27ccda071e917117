//! The relational mirror: the SQL database trigger handlers write into. The engine does
//! not link a SQL engine (the page loads one only when a workspace uses it): it talks to
//! whatever implements [`Mirror`] (crate `dynaplay-mirror`, GlueSQL) through a
//! [`MirrorSlot`]. Until one is plugged in, the slot keeps the mirror's saved state, and
//! triggers wait: their records stay in the stream.

use std::sync::OnceLock;

use serde_json::Value;

use super::bind::Bound;

/// A SQL database, as the engine uses it.
pub trait Mirror: Send {
    /// Runs bound statements in order, all or nothing: after an error the database is as
    /// it was before the first statement.
    fn run_batch(&mut self, statements: &[Bound]) -> Result<(), String>;
    /// Runs SQL text (one or more statements), one JSON result per statement:
    /// `{"Columns": [...], "Rows": [[...]]}` for a query, `{"Statement": "INSERT",
    /// "Count": n}` otherwise. All or nothing, as [`Mirror::run_batch`].
    fn execute(&mut self, sql: &str) -> Result<Vec<Value>, String>;
    /// Checks that SQL text parses, without running it.
    fn check(&self, sql: &str) -> Result<(), String>;
    /// The whole database (schema and rows) as JSON, for storage.
    fn save(&self) -> Result<Value, String>;
    /// Replaces the database with one [`Mirror::save`] made.
    fn load(&mut self, state: &Value) -> Result<(), String>;
    /// Each table: its name, its `CREATE TABLE` statement and its row count.
    fn tables(&self) -> Vec<(String, String, usize)>;
    fn box_clone(&self) -> Box<dyn Mirror>;
}

/// How a host makes a mirror.
pub type MirrorFactory = fn() -> Box<dyn Mirror>;

static FACTORY: OnceLock<MirrorFactory> = OnceLock::new();

/// Registers the SQL engine this program links (the CLI at start, the page once the
/// mirror module has loaded). New engines plug a mirror in from it.
pub fn register(factory: MirrorFactory) {
    let _ = FACTORY.set(factory);
}

/// The registered factory, if any.
pub fn registered() -> Option<MirrorFactory> {
    FACTORY.get().copied()
}

/// The engine's mirror: live once a SQL engine is plugged in, else only its saved state.
#[derive(Default)]
pub struct MirrorSlot {
    live: Option<Box<dyn Mirror>>,
    /// The state to load when a mirror is plugged in (from storage or a workspace file).
    saved: Option<Value>,
}

impl MirrorSlot {
    /// A slot with the registered SQL engine plugged in, if there is one.
    pub fn registered() -> MirrorSlot {
        MirrorSlot { live: registered().map(|f| f()), saved: None }
    }

    pub fn live(&mut self) -> Option<&mut (dyn Mirror + 'static)> {
        self.live.as_deref_mut()
    }

    pub fn live_ref(&self) -> Option<&(dyn Mirror + 'static)> {
        self.live.as_deref()
    }

    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// Whether the database has a table (or saved state not loaded yet).
    pub fn has_data(&self) -> bool {
        self.live.as_ref().map_or(self.saved.is_some(), |m| !m.tables().is_empty())
    }

    /// Plugs `mirror` in, loading the saved state into it.
    pub fn plug(&mut self, mut mirror: Box<dyn Mirror>) -> Result<(), String> {
        if let Some(state) = self.saved.take() {
            mirror.load(&state)?;
        }
        self.live = Some(mirror);
        Ok(())
    }

    /// Sets the database's state: loaded now if a mirror is live, else kept for later.
    pub fn restore(&mut self, state: Value) -> Result<(), String> {
        match &mut self.live {
            Some(m) => m.load(&state),
            None => {
                self.saved = Some(state);
                Ok(())
            }
        }
    }

    /// The state to store: the live database's, else the saved one (`None`: empty).
    pub fn state(&self) -> Result<Option<Value>, String> {
        match &self.live {
            Some(m) => m.save().map(Some),
            None => Ok(self.saved.clone()),
        }
    }
}

impl Clone for MirrorSlot {
    fn clone(&self) -> MirrorSlot {
        MirrorSlot { live: self.live.as_ref().map(|m| m.box_clone()), saved: self.saved.clone() }
    }
}

impl std::fmt::Debug for MirrorSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MirrorSlot").field("live", &self.live.is_some()).field("saved", &self.saved.is_some()).finish()
    }
}
