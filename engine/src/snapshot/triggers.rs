//! Triggers and the relational mirror as stored: one record per trigger (its settings,
//! handler and where its poller is) and the mirror's state (whatever the SQL engine
//! saves: its schema and rows).

use serde_json::Value;

use super::{Result, SnapshotError};
use crate::engine::Engine;
use crate::trigger::mirror::Mirror;
use crate::trigger::triggers::Trigger;

impl Engine {
    /// Adds stored triggers: cold code, reached through [`Engine::restore_triggers`].
    pub(crate) fn read_triggers(&mut self, records: &[Value]) -> Result<()> {
        for r in records {
            let t = Trigger::from_record(r).map_err(SnapshotError)?;
            self.triggers.insert(t.name.clone(), t);
        }
        Ok(())
    }

    /// The mirror's state to store (`None`: nothing was ever written to it).
    pub fn mirror_state(&self) -> Result<Option<Value>> {
        self.mirror.state().map_err(|e| SnapshotError(format!("the relational mirror: {e}")))
    }

    /// Sets the mirror's state (loaded into the SQL engine now, or when one is plugged in).
    pub fn restore_mirror(&mut self, state: Value) -> Result<()> {
        self.mirror.restore(state).map_err(|e| SnapshotError(format!("the relational mirror: {e}")))
    }

    /// Plugs a SQL engine in (the page, once its module has loaded); the triggers run from
    /// the next clock step.
    pub fn plug_mirror(&mut self, mirror: Box<dyn Mirror>) -> Result<()> {
        self.mirror.plug(mirror).map_err(|e| SnapshotError(format!("the relational mirror: {e}")))
    }

    /// Whether a SQL engine is plugged in.
    pub fn mirror_live(&self) -> bool {
        self.mirror.is_live()
    }

    /// Whether the workspace uses the mirror: it has triggers or stored SQL data.
    pub fn uses_mirror(&self) -> bool {
        !self.triggers.is_empty() || self.mirror.has_data()
    }
}
