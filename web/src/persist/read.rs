//! Reading a whole workspace: every store is asked for at once, while the transaction is
//! open (the two large ones, items and changes, a chunk at a time), and the world is
//! built from the records after. A page load builds it in steps
//! and lets the browser draw between them ([`Pace`]): at a million items, building in one
//! go froze the page for seconds. A reload inside a write transaction builds in one go,
//! since the transaction would end at the first pause.

use dynaplay_engine::global::World;
use dynaplay_engine::iam::Iam;
use dynaplay_engine::snapshot::{Progress, Reload, SnapshotError};
use dynaplay_engine::{Config, Engine};
use futures::future::{try_join, LocalBoxFuture};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{
    ask_store, classify, meta_request, Meta, StorageError, BACKUPS, CHANGES, IAM, ITEMS, JOBS, META, MIRROR, MIRROR_DB,
    PITR, REGIONS, S3, STORE_FORMAT, TABLES, TRIGGERS, WORLD,
};

/// Records read between two looks at the clock.
const CHUNK: usize = 500;

// A timer, not `scheduler.yield()`: a yielded task goes ahead of drawing, and in a probe
// the page drew about once in three slices that way, against after nearly every slice so.
#[wasm_bindgen(inline_js = "
export function pause() { return new Promise((resolve) => setTimeout(resolve, 0)); }")]
extern "C" {
    /// A promise that resolves in a later task, so the browser can draw and take input.
    fn pause() -> js_sys::Promise;
}

/// How a load lets the page draw: it asks IndexedDB for the items and changes `chunk`
/// records at a time, reads records for `slice_ms`, then tells `progress` how many it has
/// read and gives the thread back until a timer fires.
#[derive(Clone, Copy)]
pub struct Pace<'p> {
    pub slice_ms: f64,
    pub chunk: u32,
    pub progress: &'p dyn Fn(Progress),
}

impl<'p> Pace<'p> {
    /// The page's: slices under the 50 ms the browser counts as a long task.
    pub fn page(progress: &'p dyn Fn(Progress)) -> Pace<'p> {
        Pace { slice_ms: 40.0, chunk: CHUNK_RECORDS, progress }
    }
}

/// Every record of a workspace, as stored.
pub(super) struct Stored {
    pub(super) meta: Meta,
    tables: Vec<Value>,
    /// The item and change records as IndexedDB answered them: each is copied into the
    /// engine's memory only as the reload reads it, and let go after (see [`Reload`]).
    items: Vec<js_sys::Array>,
    changes: Vec<js_sys::Array>,
    backups: Vec<Value>,
    pitr: Vec<Value>,
    transfers: Vec<Value>,
    triggers: Vec<Value>,
    mirror: Option<Value>,
    iam: Option<Value>,
    regions: Vec<(String, Value)>,
    world: Option<Value>,
}

fn damaged(e: &dyn std::fmt::Display) -> StorageError {
    StorageError::Unread(format!("damaged record: {e}"))
}

fn parse(texts: Vec<String>) -> Result<Vec<Value>, StorageError> {
    texts.iter().map(|t| serde_json::from_str(t).map_err(|e| damaged(&e))).collect()
}

fn parse_one(text: Option<String>) -> Result<Option<Value>, StorageError> {
    text.map(|t| serde_json::from_str(&t)).transpose().map_err(|e| damaged(&e))
}

impl Stored {
    /// Reads every store of `tx` (refused if written by a newer release). Every store is
    /// asked for before any answer is awaited. The items and changes stay as IndexedDB
    /// answered them, in JavaScript, until the reload copies each in (`pace` gives the
    /// size of the chunks they are asked for in).
    pub(super) async fn read(tx: &Transaction<'_>, pace: Option<Pace<'_>>) -> Result<Stored, StorageError> {
        let meta = meta_request(tx)?.await?;
        if meta.format > STORE_FORMAT {
            return Err(StorageError::Newer(meta.format));
        }
        let [tables, backups, pitr, s3, jobs, triggers, regions] =
            [TABLES, BACKUPS, PITR, S3, JOBS, TRIGGERS, REGIONS].map(|s| ask_store(tx, s));
        let [mirror, iam, world] = [(MIRROR, MIRROR_DB), (META, IAM), (META, WORLD)].map(|(s, k)| ask_one(tx, s, k));
        let chunk = pace.map_or(CHUNK_RECORDS, |p| p.chunk.max(1));
        let (items, changes) = try_join(in_chunks(tx, ITEMS, chunk), in_chunks(tx, CHANGES, chunk)).await?;
        let mut transfers = parse(s3?.await?)?;
        transfers.extend(parse(jobs?.await?)?);
        let mut stored = Stored {
            meta,
            tables: parse(tables?.await?)?,
            items,
            changes,
            backups: parse(backups?.await?)?,
            pitr: parse(pitr?.await?)?,
            transfers,
            triggers: parse(triggers?.await?)?,
            mirror: parse_one(mirror?.await?)?,
            iam: parse_one(iam?.await?)?,
            regions: Vec::new(),
            world: parse_one(world?.await?)?,
        };
        for record in parse(regions?.await?)? {
            let name = record.get("region").and_then(Value::as_str).ok_or_else(|| damaged(&"a region's name"))?;
            stored.regions.push((name.to_string(), record.get("workspace").cloned().unwrap_or(Value::Null)));
        }
        Ok(stored)
    }

    /// The world the records hold, over the page's `config`; built in steps with the
    /// browser let in between when paced.
    /// `wait`: whether it may wait for the cold code (not inside a read-write transaction,
    /// which a fetch would end; see [`Stored::fetch_cold_readers`]).
    pub(super) async fn world(
        mut self,
        config: Config,
        pace: Option<Pace<'_>>,
        wait: bool,
    ) -> Result<World, StorageError> {
        let config = self.meta.apply(config);
        self.fetch_cold_readers(&config, wait).await;
        let (items, items_total) = texts(std::mem::take(&mut self.items), "an item record");
        let (changes, changes_total) = texts(std::mem::take(&mut self.changes), "a change record");
        let sources = (items, items_total, changes, changes_total);
        let reload = Reload::with_records(config, self.meta.clock, &self.tables, sources);
        let mut engine = match pace {
            Some(pace) => paced(reload, pace).await?,
            None => reload.finish().map_err(|e| StorageError::Unread(e.0))?,
        };
        self.restore_the_rest(&mut engine).map_err(|e| StorageError::Unread(e.0))?;
        World::restore(engine, &self.regions, self.world.as_ref()).map_err(|e| StorageError::Unread(e.0))
    }

    /// Brings in the cold code when these records need it to be read (backups, recovery
    /// windows, exports, imports, S3 objects, triggers, IAM's state beyond a new
    /// workspace's, other regions, global tables: `dynaplay_engine::cold::Readers`). Unless `wait`, it is
    /// fetched in the background and this read is refused (the next one finds it in).
    /// Offline, the engine's reader refuses the load, saying so.
    async fn fetch_cold_readers(&self, config: &Config, wait: bool) {
        let own = [&self.backups, &self.pitr, &self.transfers, &self.triggers].iter().any(|r| !r.is_empty());
        let iam = || self.iam.as_ref().is_some_and(|r| *r != Iam::new(&config.account_id).record());
        let regions = || dynaplay_engine::snapshot::world_needs_cold_readers(self.regions.len(), self.world.as_ref());
        let needed = own || iam() || regions();
        if !needed || dynaplay_engine::cold::installed() {
            return;
        }
        if wait {
            crate::cold::ensure().await;
        } else {
            leptos::task::spawn_local(async {
                crate::cold::ensure().await;
            });
        }
    }

    /// Backups, recovery bases, S3 and jobs, triggers and the mirror, and IAM.
    fn restore_the_rest(&mut self, engine: &mut Engine) -> Result<(), dynaplay_engine::snapshot::SnapshotError> {
        engine.restore_backups(&self.backups)?;
        engine.restore_pitr(&self.pitr)?;
        engine.restore_transfers(&self.transfers)?;
        engine.restore_triggers(&self.triggers)?;
        if let Some(state) = self.mirror.take() {
            engine.restore_mirror(state)?;
        }
        if let Some(record) = &self.iam {
            engine.restore_iam(record)?;
        }
        Ok(())
    }
}

/// Asks `tx` for one record of one store, as text.
fn ask_one(
    tx: &Transaction<'_>,
    store: &str,
    key: &str,
) -> Result<LocalBoxFuture<'static, Result<Option<String>, StorageError>>, StorageError> {
    let asked = tx.object_store(store).map_err(classify)?.get(key).primitive().map_err(classify)?;
    Ok(Box::pin(async move { asked.await.map_err(classify) }))
}

/// Records asked for at a time from the two large stores, items and changes: about 20 ms
/// of the browser's work on a 2-core machine.
const CHUNK_RECORDS: u32 = 25_000;

// The browser makes a request's whole answer into JavaScript values in the one task that
// delivers it: at a million records one `getAll` was a task of about a second, and the
// page could not draw. `getAllRecords` (Chromium 141 on) answers keys with the values,
// so the next chunk is asked for, after the last key, in the task that delivers one
// (a request is always pending, so the transaction stays open). A browser without it
// gets the store in one `getAll`. Asking for keys separately (`getAllKeys`) made the
// browser read every record twice: a reload of 100,000 items took 0.4 s longer.
#[wasm_bindgen(inline_js = "
export function read_in_chunks(store, chunk) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const ask = (query) => {
      const whole = typeof store.getAllRecords !== 'function';
      const req = whole ? store.getAll() : store.getAllRecords({ query, count: chunk });
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const got = req.result;
        if (whole) return resolve([got]);
        chunks.push(got.map((r) => r.value));
        if (got.length < chunk) return resolve(chunks);
        ask(IDBKeyRange.lowerBound(got[got.length - 1].key, true));
      };
    };
    ask(undefined);
  });
}")]
extern "C" {
    /// Every record of `store`, `chunk` at a time: a promise of an array of arrays.
    #[wasm_bindgen(catch)]
    fn read_in_chunks(store: &JsValue, chunk: u32) -> Result<js_sys::Promise, JsValue>;
}

/// Every record of the store `name`, asked for `chunk` records at a time.
async fn in_chunks(tx: &Transaction<'_>, name: &str, chunk: u32) -> Result<Vec<js_sys::Array>, StorageError> {
    let store = tx.object_store(name).map_err(classify)?;
    // The library has no `getAllRecords`; the store is only read here, inside `tx`.
    let asked = read_in_chunks(store.as_sys().as_ref(), chunk).map_err(|e| classify(js_text(&e)))?;
    let chunks = JsFuture::from(asked).await.map_err(|e| classify(js_text(&e)))?;
    Ok(js_sys::Array::from(&chunks).iter().map(|c| js_sys::Array::from(&c)).collect())
}

fn js_text(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// The records of `chunks`, each copied into Rust as it is asked for, and how many
/// there are; one that is not text is `what`, damaged.
fn texts(
    chunks: Vec<js_sys::Array>,
    what: &'static str,
) -> (impl Iterator<Item = Result<String, SnapshotError>>, usize) {
    let total = chunks.iter().map(|c| c.length() as usize).sum();
    let texts = chunks.into_iter().flat_map(|c| c.into_iter()).map(move |r| {
        r.as_string().ok_or_else(|| SnapshotError(format!("stored state is damaged: {what} that is not text")))
    });
    (texts, total)
}

/// Runs `reload` a slice at a time, telling `pace` how far it got and pausing after each.
async fn paced<T, U, I, C>(mut reload: Reload<'_, I, C>, pace: Pace<'_>) -> Result<Engine, StorageError>
where
    T: AsRef<str>,
    U: AsRef<str>,
    I: Iterator<Item = Result<T, SnapshotError>>,
    C: Iterator<Item = Result<U, SnapshotError>>,
{
    let failed = |e: SnapshotError| StorageError::Unread(e.0);
    loop {
        let started = crate::handle::perf_now();
        loop {
            if reload.step(CHUNK).map_err(failed)? {
                return reload.finish().map_err(failed);
            }
            if crate::handle::perf_now() - started >= pace.slice_ms {
                break;
            }
        }
        (pace.progress)(reload.progress());
        let _ = JsFuture::from(pause()).await;
    }
}
