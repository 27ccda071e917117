//! The workshop a learner joined: its lessons lead `#/lessons`, and it is kept in this
//! browser's IndexedDB (`meta`'s `workshop` record, the file's JSON) until they leave it.

use dynaplay_engine::lesson::Workshop;
use leptos::prelude::*;

use super::EngineHandle;

impl EngineHandle {
    pub fn workshop(&self) -> RwSignal<Option<Workshop>> {
        self.inner.workshop
    }

    /// Joins `workshop` (replacing any other), and keeps it.
    pub async fn join_workshop(&self, workshop: Workshop) {
        let text = workshop.to_json().to_string();
        self.inner.workshop.set(Some(workshop));
        self.save_workshop(Some(text)).await;
    }

    /// Leaves the workshop; progress through its lessons is kept.
    pub async fn leave_workshop(&self) {
        self.inner.workshop.set(None);
        self.save_workshop(None).await;
    }

    async fn save_workshop(&self, text: Option<String>) {
        let Some(store) = self.inner.store.borrow().clone() else { return };
        if let Err(e) = store.save_workshop(text.as_deref()).await {
            self.inner.storage_error.set(Some(e.to_string()));
        }
    }

    pub(super) async fn load_workshop(&self) {
        let Some(store) = self.inner.store.borrow().clone() else { return };
        match store.workshop().await {
            Ok(Some(text)) => match crate::lessons::course().await.and_then(|c| c.workshop(&text)) {
                Ok(w) => self.inner.workshop.set(Some(w)),
                Err(e) => self.inner.storage_error.set(Some(format!("The workshop you joined could not be read: {e}"))),
            },
            Ok(None) => {}
            Err(e) => self.inner.storage_error.set(Some(e.to_string())),
        }
    }
}
