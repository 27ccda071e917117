//! Reading a whole workspace: every store is asked for at once, while the transaction is
//! open (the two large ones, items and changes, a chunk at a time), and the world is
//! built from the records. A page load builds it in steps while the chunks are still
//! coming ([`Feed`], [`Reload::streamed`]): most of a reload's time is the browser
//! reading them (about 0.3 s for each 25,000 item records on a 2-core machine), so the
//! items are read into their tables while it reads the next. It lets the browser draw
//! between steps ([`Pace`]): at a million items, building in one go froze the page for
//! seconds. A reload inside a write transaction builds in one go once every record has
//! come, since the transaction would end at the first pause.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use dynaplay_engine::global::World;
use dynaplay_engine::iam::Iam;
use dynaplay_engine::snapshot::{Progress, Reload, SnapshotError, Source};
use dynaplay_engine::{Config, Engine};
use futures::channel::mpsc;
use futures::future::LocalBoxFuture;
use futures::StreamExt;
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

/// When a page's load had its last item and change records from IndexedDB, and when it
/// had built the engine from them (the page's timeline; `cargo xtask measure` reads them).
pub const RECORDS_IN_MARK: &str = "dynaplay:records-in";
pub const ENGINE_BUILT_MARK: &str = "dynaplay:engine-built";

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

/// Every record of a workspace but the items and changes (which come in a [`Feed`]).
pub(super) struct Stored {
    pub(super) meta: Meta,
    tables: Vec<Value>,
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
    /// Reads every store of `tx` (refused if written by a newer release), and asks for
    /// the items and changes, which come in the [`Feed`] (`pace` gives the size of the
    /// chunks they are asked for in). Every store is asked for before any answer is
    /// awaited.
    pub(super) async fn read(tx: &Transaction<'_>, pace: Option<Pace<'_>>) -> Result<(Stored, Feed), StorageError> {
        let meta = meta_request(tx)?.await?;
        if meta.format > STORE_FORMAT {
            return Err(StorageError::Newer(meta.format));
        }
        let [tables, backups, pitr, s3, jobs, triggers, regions] =
            [TABLES, BACKUPS, PITR, S3, JOBS, TRIGGERS, REGIONS].map(|s| ask_store(tx, s));
        let [mirror, iam, world] = [(MIRROR, MIRROR_DB), (META, IAM), (META, WORLD)].map(|(s, k)| ask_one(tx, s, k));
        let feed = Feed::ask(tx, pace)?;
        let mut transfers = parse(s3?.await?)?;
        transfers.extend(parse(jobs?.await?)?);
        let mut stored = Stored {
            meta,
            tables: parse(tables?.await?)?,
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
        Ok((stored, feed))
    }

    /// The world the records and `feed` hold, over the page's `config`; built in steps
    /// with the browser let in between when paced.
    /// `wait`: whether it may wait for the cold code (not inside a read-write transaction,
    /// which a fetch would end; see [`Stored::fetch_cold_readers`]).
    pub(super) async fn world(
        mut self,
        mut feed: Feed,
        config: Config,
        pace: Option<Pace<'_>>,
        wait: bool,
    ) -> Result<World, StorageError> {
        let config = self.meta.apply(config);
        self.fetch_cold_readers(&config, wait).await;
        let (items, changes) = (feed.records(Source::Items), feed.records(Source::Changes));
        let mut reload = Reload::streamed(config, self.meta.clock, &self.tables, items, changes);
        let mut engine = match pace {
            Some(pace) => {
                let engine = paced(reload, &mut feed, pace).await?;
                crate::handle::perf_mark(ENGINE_BUILT_MARK);
                engine
            }
            None => {
                feed.all(&mut reload).await?;
                reload.finish().map_err(|e| StorageError::Unread(e.0))?
            }
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
export function read_in_chunks(store, chunk, which, send) {
  const ask = (query) => {
    const whole = typeof store.getAllRecords !== 'function';
    const req = whole ? store.getAll() : store.getAllRecords({ query, count: chunk });
    req.onerror = () => send(which, req.error ?? new Error('the read failed'));
    req.onsuccess = () => {
      const got = req.result;
      send(which, whole ? got : got.map((r) => r.value));
      if (whole || got.length < chunk) return send(which, undefined);
      ask(IDBKeyRange.lowerBound(got[got.length - 1].key, true));
    };
  };
  ask(undefined);
}")]
extern "C" {
    /// Asks for every record of `store`, `chunk` at a time, and calls `send(which, …)`
    /// with each chunk (an array), then with `undefined` at the end, or with the error.
    #[wasm_bindgen(catch)]
    fn read_in_chunks(store: &JsValue, chunk: u32, which: u32, send: &JsValue) -> Result<(), JsValue>;
}

/// What came from one of the two large stores.
enum Came {
    Chunk(Source, js_sys::Array),
    End(Source),
    Failed(String),
}

const SOURCES: [(Source, &str, &str); 2] =
    [(Source::Items, ITEMS, "an item record"), (Source::Changes, CHANGES, "a change record")];

/// The item and change records as they come from IndexedDB, a chunk at a time: each
/// stays as IndexedDB answered it, in JavaScript, until the reload copies it in
/// ([`Records`]), and is let go after.
pub(super) struct Feed {
    came: mpsc::UnboundedReceiver<Came>,
    /// The chunks come and not yet read, per source.
    chunks: [Rc<RefCell<VecDeque<js_sys::Array>>>; 2],
    mark: bool,
}

impl Feed {
    /// Asks `tx` for the items and the changes, in chunks of `pace`'s size. A page's
    /// load (`pace` given) marks when the last records came.
    fn ask(tx: &Transaction<'_>, pace: Option<Pace<'_>>) -> Result<Feed, StorageError> {
        let chunk = pace.map_or(CHUNK_RECORDS, |p| p.chunk.max(1));
        let (send, came) = mpsc::unbounded();
        // Owned by JavaScript from here: a chunk that comes after the reload has stopped
        // (a damaged record) is sent to a closed channel and dropped.
        let send = Closure::<dyn Fn(u32, JsValue)>::new(move |which: u32, value: JsValue| {
            let source = if which == 0 { Source::Items } else { Source::Changes };
            let came = if value.is_undefined() {
                Came::End(source)
            } else if value.is_array() {
                Came::Chunk(source, value.into())
            } else {
                Came::Failed(js_text(&value))
            };
            let _ = send.unbounded_send(came);
        })
        .into_js_value();
        for (which, (_, name, _)) in SOURCES.iter().enumerate() {
            let store = tx.object_store(name).map_err(classify)?;
            // The library has no `getAllRecords`; the store is only read here, inside `tx`.
            read_in_chunks(store.as_sys().as_ref(), chunk, which as u32, &send).map_err(|e| classify(js_text(&e)))?;
        }
        Ok(Feed { came, chunks: Default::default(), mark: pace.is_some() })
    }

    /// The records of `source`, for the reload to read as they come.
    fn records(&self, source: Source) -> Records {
        let (_, _, what) = SOURCES[source as usize];
        Records { chunks: self.chunks[source as usize].clone(), current: None, what }
    }

    /// Tells `reload` of what came.
    fn take(&mut self, came: Came, reload: &mut Streamed<'_>) -> Result<(), StorageError> {
        match came {
            Came::Chunk(source, chunk) => {
                reload.arrived(source, chunk.length() as usize);
                self.chunks[source as usize].borrow_mut().push_back(chunk);
            }
            Came::End(source) => {
                reload.ended(source);
                if self.mark && reload.progress().complete {
                    crate::handle::perf_mark(RECORDS_IN_MARK);
                }
            }
            Came::Failed(e) => return Err(classify(e)),
        }
        Ok(())
    }

    /// Tells `reload` of what has come, without waiting.
    fn take_come(&mut self, reload: &mut Streamed<'_>) -> Result<(), StorageError> {
        while let Ok(came) = self.came.try_recv() {
            self.take(came, reload)?;
        }
        Ok(())
    }

    /// Waits for the next thing to come, and tells `reload` of it.
    async fn next(&mut self, reload: &mut Streamed<'_>) -> Result<(), StorageError> {
        let came = self.came.next().await.unwrap_or(Came::Failed("the records stopped coming".into()));
        self.take(came, reload)
    }

    /// Waits until every record has come, telling `reload` of each chunk.
    async fn all(&mut self, reload: &mut Streamed<'_>) -> Result<(), StorageError> {
        while !reload.progress().complete {
            self.next(reload).await?;
        }
        Ok(())
    }
}

/// A reload of the records a [`Feed`] brings.
type Streamed<'a> = Reload<'a, Records, Records>;

/// One source's records as they come, each copied into Rust as the reload reads it; one
/// that is not text is damaged. It ends where the records come so far end: the reload
/// reads no more than it was told have come.
struct Records {
    chunks: Rc<RefCell<VecDeque<js_sys::Array>>>,
    current: Option<(js_sys::Array, u32)>,
    what: &'static str,
}

impl Iterator for Records {
    type Item = Result<String, SnapshotError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((chunk, at)) = self.current.as_mut().filter(|(c, at)| *at < c.length()) {
                let record = chunk.get(*at);
                *at += 1;
                let what = self.what;
                let damaged = || SnapshotError(format!("stored state is damaged: {what} that is not text"));
                return Some(record.as_string().ok_or_else(damaged));
            }
            self.current = Some((self.chunks.borrow_mut().pop_front()?, 0));
        }
    }
}

fn js_text(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// Runs `reload` a slice at a time as its records come from `feed`, telling `pace` how
/// far it got after each slice and letting the browser in: by a pause, or while it
/// waits for records.
async fn paced(mut reload: Streamed<'_>, feed: &mut Feed, pace: Pace<'_>) -> Result<Engine, StorageError> {
    let failed = |e: SnapshotError| StorageError::Unread(e.0);
    loop {
        feed.take_come(&mut reload)?;
        if reload.waits_for().is_some() {
            feed.next(&mut reload).await?;
            // Not in the task that brought the chunk: the browser took up to 80 ms to
            // make a chunk of 25,000 records, and a slice after it made the page's
            // longest tasks about 20 ms longer.
            let _ = JsFuture::from(pause()).await;
            continue;
        }
        let started = crate::handle::perf_now();
        while reload.waits_for().is_none() {
            if reload.step(CHUNK).map_err(failed)? {
                return reload.finish().map_err(failed);
            }
            if crate::handle::perf_now() - started >= pace.slice_ms {
                break;
            }
        }
        (pace.progress)(reload.progress());
        if reload.waits_for().is_none() {
            let _ = JsFuture::from(pause()).await;
        }
    }
}
