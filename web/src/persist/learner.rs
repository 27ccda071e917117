//! The learner's own records in `meta`: their progress through the lessons, and the
//! workshop they joined. Not workspace data: they do not move the change sequence, and a
//! workspace file or a reset leaves them alone.

use std::collections::BTreeMap;

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

use super::{classify, StorageError, Store, META};

/// Each lesson's completed steps, by slug.
const LESSONS: &str = "lessons";
/// The workshop joined, as its file's JSON text.
const WORKSHOP: &str = "workshop";

impl Store {
    /// Saves each lesson's completed steps.
    pub async fn save_lesson_progress(&self, progress: &BTreeMap<String, usize>) -> Result<(), StorageError> {
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let meta = tx.object_store(META).map_err(classify)?;
        let text = serde_json::to_string(progress).map_err(|e| StorageError::Other(e.to_string()))?;
        drop(meta.put(text).with_key(LESSONS).primitive().map_err(classify)?);
        tx.commit().await.map_err(classify)
    }

    /// Each lesson's completed steps, as saved.
    pub async fn lesson_progress(&self) -> Result<BTreeMap<String, usize>, StorageError> {
        let tx = self.transaction(TransactionMode::Readonly)?;
        let meta = tx.object_store(META).map_err(classify)?;
        let text: Option<String> = meta.get(LESSONS).primitive().map_err(classify)?.await.map_err(classify)?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
    }

    /// Keeps the workshop joined (its JSON text), or forgets it (`None`).
    pub async fn save_workshop(&self, workshop: Option<&str>) -> Result<(), StorageError> {
        let tx = self.transaction(TransactionMode::Readwrite)?;
        let meta = tx.object_store(META).map_err(classify)?;
        match workshop {
            Some(text) => drop(meta.put(text).with_key(WORKSHOP).primitive().map_err(classify)?),
            None => drop(meta.delete(WORKSHOP).primitive().map_err(classify)?),
        }
        tx.commit().await.map_err(classify)
    }

    /// The workshop joined, as saved.
    pub async fn workshop(&self) -> Result<Option<String>, StorageError> {
        let tx = self.transaction(TransactionMode::Readonly)?;
        let meta = tx.object_store(META).map_err(classify)?;
        meta.get(WORKSHOP).primitive().map_err(classify)?.await.map_err(classify)
    }
}
