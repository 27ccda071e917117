//! What a table's views follow: a trigger per table, notified after a change to that
//! table (its revision moved, or it came or went), so a write to one table leaves the
//! views of the others alone. Views of the whole engine follow the handle's `version`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use dynaplay_engine::Engine;
use leptos::prelude::{ArcTrigger, Notify, Track};

#[derive(Default)]
pub(super) struct TableTriggers {
    /// Each table's revision when the triggers were last brought up to date.
    seen: RefCell<BTreeMap<String, u64>>,
    /// A trigger for each table a view has followed.
    triggers: RefCell<BTreeMap<String, ArcTrigger>>,
}

impl TableTriggers {
    /// Makes the reactive closure running now follow table `name`.
    pub(super) fn track(&self, name: &str) {
        let trigger = self.triggers.borrow_mut().entry(name.to_string()).or_default().clone();
        trigger.track();
    }

    /// Notifies the trigger of each table whose revision differs from the last call's in
    /// `engine` (the engine on screen; another region's, or a reloaded one, differs in
    /// every table).
    pub(super) fn update(&self, engine: &Engine) {
        let now = dynaplay_engine::sorted::map(engine.tables().map(|t| (t.def.name.clone(), t.revision())));
        let before = self.seen.replace(now);
        let changed: Vec<ArcTrigger> = {
            let now = self.seen.borrow();
            let triggers = self.triggers.borrow();
            triggers.iter().filter(|(name, _)| before.get(*name) != now.get(*name)).map(|(_, t)| t.clone()).collect()
        };
        // Notified after the borrows end: a view may follow a table again as it reruns.
        changed.iter().for_each(Notify::notify);
    }
}
