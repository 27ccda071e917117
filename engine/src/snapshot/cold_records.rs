//! The records of the state only cold code makes (backups, recovery windows, export and
//! import jobs, triggers), written by that code ([`crate::cold::Writers`]): the page
//! fetches it with the cold operations, so its start holds none of it.
//!
//! That state exists only once cold code has run (a cold operation made it, or the cold
//! readers loaded it), so its writers are there whenever there is something to write. If
//! they are not, these say so instead of writing nothing: persistence shows the error,
//! and nothing acknowledged is dropped.

use serde_json::Value;

use super::{Result, SnapshotError};
use crate::cold::Writers;
use crate::engine::Engine;

/// The writers, or why they cannot run.
fn writers() -> Result<Writers> {
    crate::cold::writers().ok_or_else(|| SnapshotError(crate::cold::writers_not_loaded().message))
}

impl Engine {
    /// Every backup, as (storage key, backup record).
    pub fn backup_records(&self) -> Result<Vec<(String, Value)>> {
        if self.backups.is_empty() {
            return Ok(Vec::new());
        }
        let w = writers()?;
        Ok(self.backups.iter().map(|b| (b.arn.clone(), (w.backup)(b))).collect())
    }

    /// The stored record of the backup `arn`, or `None` when there is none (persistence
    /// then deletes it).
    pub fn backup_record(&self, arn: &str) -> Result<Option<Value>> {
        let Some(b) = self.backups.iter().find(|b| b.arn == arn) else { return Ok(None) };
        Ok(Some((writers()?.backup)(b)))
    }

    /// Every table's point-in-time recovery, as (storage key, record).
    pub fn pitr_records(&self) -> Result<Vec<(String, Value)>> {
        if self.pitr.is_empty() {
            return Ok(Vec::new());
        }
        let w = writers()?;
        Ok(self.pitr.iter().map(|(t, p)| (t.clone(), (w.pitr)(t, p))).collect())
    }

    /// The stored record of `table`'s point-in-time recovery, if it is on.
    pub fn pitr_record(&self, table: &str) -> Result<Option<Value>> {
        let Some(p) = self.pitr.get(table) else { return Ok(None) };
        Ok(Some((writers()?.pitr)(table, p)))
    }

    /// The stored record of the export or import `arn`, or `None` when there is none.
    pub fn job_record(&self, arn: &str) -> Result<Option<Value>> {
        if !self.exports.iter().any(|e| e.arn == arn) && !self.imports.iter().any(|i| i.arn == arn) {
            return Ok(None);
        }
        Ok((writers()?.job)(self, arn))
    }

    /// Every export and import, as (ARN, record).
    pub fn job_records(&self) -> Result<Vec<(String, Value)>> {
        if self.exports.is_empty() && self.imports.is_empty() {
            return Ok(Vec::new());
        }
        let w = writers()?;
        let arns = self.exports.iter().map(|e| &e.arn).chain(self.imports.iter().map(|i| &i.arn));
        Ok(arns.filter_map(|a| Some((a.clone(), (w.job)(self, a)?))).collect())
    }

    /// Every trigger, as (storage key, record).
    pub fn trigger_records(&self) -> Result<Vec<(String, Value)>> {
        if self.triggers.is_empty() {
            return Ok(Vec::new());
        }
        let w = writers()?;
        Ok(self.triggers.iter().map(|(name, t)| (name.clone(), (w.trigger)(t))).collect())
    }
}
