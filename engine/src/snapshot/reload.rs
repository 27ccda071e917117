//! A reload from the stored records in steps, so that a page reading a large workspace
//! can draw (a progress bar, a spinner that turns) between them instead of freezing for
//! the whole read: at a million items the read took several seconds in one go.
//!
//! [`Reload::step`] reads up to a given number of records: the item records first, each
//! added to its table's loader as it is read (its key, size and index entries found in
//! that step), then the tables are built in one step (a sort and the maps made from the
//! sorted items, which cannot be split as they are), then the change records, and last
//! the change logs are made from them in a step of their own. [`Reload::finish`] runs
//! the steps left and gives the engine; [`Engine::restore_stored`] is a reload finished
//! at once, so both paths are the same code.
//!
//! A page's records come from IndexedDB a chunk at a time, and most of a reload's time
//! there is the browser reading them (about 0.3 s for each 25,000 item records on a
//! 2-core machine). A reload made with [`Reload::streamed`] reads records while the rest
//! are still coming: the host says how many more have come ([`Reload::arrived`]) and when
//! a source has no more ([`Reload::ended`]), and steps only while the reload does not
//! wait for one ([`Reload::waits_for`]).

use serde_json::Value;

use super::history::read_changes_text;
use super::images::Images;
use super::logs::LogsRead;
use super::tables::TablesLoad;
use super::{read_item_text, Result};
use crate::engine::{Config, Engine};

/// A reload under way: the records it reads, and what it has read so far. The item
/// records come one at a time from `items`, then the change records from `changes`, each
/// let go once read ([`Images`] keeps no text), so a host that makes their text as it is
/// asked for never holds them all (holding every change record's text, a page's reload
/// of 100,200 items peaked at 75.4 MiB of memory; holding every item record's, 56.4).
pub struct Reload<'a, I, C> {
    config: Config,
    now_ms: u64,
    tables: &'a [Value],
    items: I,
    items_total: usize,
    changes: C,
    changes_total: usize,
    /// The tables being loaded (made at the first step), and the item records read.
    load: Option<TablesLoad>,
    items_read: usize,
    images: Images,
    /// The engine with its tables, once every item record is read.
    engine: Option<Engine>,
    read_changes: LogsRead,
    /// Change records read so far.
    changes_read: usize,
    /// Whether the change logs are made (the last step).
    logs_made: bool,
    /// Whether more item records, and more change records, may still come (only for a
    /// [`Reload::streamed`] whose host has not said they ended).
    items_open: bool,
    changes_open: bool,
}

/// One of a reload's two sources of records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Items,
    Changes,
}

/// How far a reload has got, in records (item records and change records).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub read: usize,
    /// The records known: all there are once `complete`, else those come so far.
    pub total: usize,
    pub complete: bool,
}

/// A slice's records, as [`Reload::new`] reads them.
pub struct Slice<'a, S>(std::slice::Iter<'a, S>);

impl<'a, S> Iterator for Slice<'a, S> {
    type Item = Result<&'a S>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(Ok)
    }
}

impl<'a, S: AsRef<str>> Reload<'a, Slice<'a, S>, Slice<'a, S>> {
    /// A reload of the records of `tables`, `items` and `changes` (as [`Engine::restore_stored`]
    /// takes them), nothing read yet.
    pub fn new(config: Config, now_ms: u64, tables: &'a [Value], items: &'a [S], changes: &'a [S]) -> Self {
        let sources = (Slice(items.iter()), items.len(), Slice(changes.iter()), changes.len());
        Reload::with_records(config, now_ms, tables, sources)
    }
}

/// Where a reload's records come from: the item records and how many there are, then
/// the change records and how many.
pub type Sources<I, C> = (I, usize, C, usize);

impl<'a, T, U, I, C> Reload<'a, I, C>
where
    T: AsRef<str>,
    U: AsRef<str>,
    I: Iterator<Item = Result<T>>,
    C: Iterator<Item = Result<U>>,
{
    /// A reload whose records come from `sources`, each asked for when it is read (an
    /// error stops the reload at its step).
    pub fn with_records(config: Config, now_ms: u64, tables: &'a [Value], sources: Sources<I, C>) -> Self {
        let (items, items_total, changes, changes_total) = sources;
        Reload {
            config,
            now_ms,
            tables,
            items,
            items_total,
            changes,
            changes_total,
            load: None,
            items_read: 0,
            images: Images::with_capacity(items_total),
            engine: None,
            read_changes: LogsRead::default(),
            changes_read: 0,
            logs_made: false,
            items_open: false,
            changes_open: false,
        }
    }

    /// A reload whose records are still to come from `items` and `changes`: none is known
    /// yet. The host tells it of each arrival and of each source's end, and calls
    /// [`Reload::step`] only while [`Reload::waits_for`] is `None`; a source must yield
    /// every record it was said to have received.
    pub fn streamed(config: Config, now_ms: u64, tables: &'a [Value], items: I, changes: C) -> Self {
        let mut reload = Reload::with_records(config, now_ms, tables, (items, 0, changes, 0));
        (reload.items_open, reload.changes_open) = (true, true);
        reload
    }

    /// `records` more records have come from `source`, ready to be read.
    pub fn arrived(&mut self, source: Source, records: usize) {
        match source {
            Source::Items => {
                self.items_total = self.items_total.saturating_add(records);
                self.images.reserve(records);
            }
            Source::Changes => self.changes_total = self.changes_total.saturating_add(records),
        }
    }

    /// `source` has no more records.
    pub fn ended(&mut self, source: Source) {
        match source {
            Source::Items => self.items_open = false,
            Source::Changes => self.changes_open = false,
        }
    }

    /// The source the next step needs more records from, if it must wait for them: every
    /// record come from it is read, and it has not ended.
    pub fn waits_for(&self) -> Option<Source> {
        if self.engine.is_none() {
            (self.items_open && self.items_read >= self.items_total).then_some(Source::Items)
        } else {
            let waiting = !self.logs_made && self.changes_open && self.changes_read >= self.changes_total;
            waiting.then_some(Source::Changes)
        }
    }

    /// Reads up to `records` more records (at least one, while any is left; building the
    /// tables and, last, making the change logs are steps of their own that read none).
    /// `true` once every record is read and the logs are made.
    /// While it [waits](Reload::waits_for) for records, a step does nothing.
    pub fn step(&mut self, records: usize) -> Result<bool> {
        let records = records.max(1);
        if self.waits_for().is_some() {
            return Ok(false);
        }
        if self.engine.is_none() && self.items_read < self.items_total {
            self.read_items(records)?;
            return Ok(self.is_done());
        }
        if self.engine.is_none() {
            self.engine = Some(self.take_load()?.engine(self.config.clone(), self.now_ms));
            return Ok(self.is_done());
        }
        if self.changes_read < self.changes_total {
            let want = records.min(self.changes_total - self.changes_read);
            let mut read = 0;
            for text in self.changes.by_ref().take(want) {
                read_changes_text(text?.as_ref(), &mut self.read_changes, &mut self.images)?;
                read += 1;
            }
            self.changes_read += read;
            if read < want {
                // The source had fewer records than it said: there are no more to read.
                self.changes_total = self.changes_read;
            }
            return Ok(self.is_done());
        }
        if let Some(engine) = self.engine.as_mut().filter(|_| !self.logs_made) {
            std::mem::take(&mut self.read_changes).finish(engine);
            self.logs_made = true;
        }
        Ok(self.is_done())
    }

    /// Reads up to `records` item records, each into its table's loader.
    fn read_items(&mut self, records: usize) -> Result<()> {
        if self.load.is_none() {
            self.load = Some(TablesLoad::new(self.tables)?);
        }
        let Some(load) = self.load.as_mut() else { return Ok(()) };
        let want = records.min(self.items_total - self.items_read);
        let mut read = 0;
        for text in self.items.by_ref().take(want) {
            let text = text?;
            let ((table, item), image) = read_item_text(text.as_ref())?;
            if let (Some(kept), Some(image)) = (load.add(&table, item)?, image) {
                self.images.insert(image, kept);
            }
            read += 1;
        }
        self.items_read += read;
        if read < want {
            // The source had fewer records than it said: there are no more to read.
            self.items_total = self.items_read;
        }
        Ok(())
    }

    /// The tables loaded so far (read from their records now if no item was).
    fn take_load(&mut self) -> Result<TablesLoad> {
        match self.load.take() {
            Some(load) => Ok(load),
            None => TablesLoad::new(self.tables),
        }
    }

    fn is_done(&self) -> bool {
        self.logs_made
    }

    /// Records read so far, of all there are.
    pub fn progress(&self) -> Progress {
        Progress {
            read: self.items_read + self.changes_read,
            total: self.items_total.saturating_add(self.changes_total),
            complete: !self.items_open && !self.changes_open,
        }
    }

    /// The engine, once every record is read (what is left is read now; a source still
    /// open is taken to have ended).
    pub fn finish(mut self) -> Result<Engine> {
        (self.items_open, self.changes_open) = (false, false);
        while !self.step(usize::MAX)? {}
        self.engine.take().ok_or_else(|| super::bad("the reload made no engine"))
    }
}
