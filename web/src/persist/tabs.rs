//! Whether this tab is the only one using the workspace, known from a Web Lock, so that
//! it can skip the two-tab check ([`super::Store`]'s module docs).
//!
//! Every tab of one database holds the lock `<database>:tabs` before it reads or writes,
//! in one of two modes:
//! - **solo** (exclusive): no other tab holds the lock, so none can write. Memory is
//!   exactly what is stored: a read needs no IndexedDB transaction at all, and a write
//!   skips the read of `meta.seq`.
//! - **shared**: other tabs may write; every operation checks `meta.seq` as before.
//!
//! A tab opening takes the lock solo if no tab holds it. Otherwise it posts `join` on the
//! channel `<database>:tabs` and waits for it shared; the solo tab, on hearing `join`,
//! lets its lock go between two operations and takes it shared. A sharing tab tries to
//! become solo again every few seconds (and soon after a tab says `leave`): it lets its
//! lock go and takes it exclusively if it is free, and otherwise shared again.
//!
//! Operations and these changes of mode take turns ([`Tabs::turn`]), so no operation runs
//! while the lock is not held. A tab that becomes solo after sharing checks `meta.seq`
//! once, on its next operation, for what the others wrote. A browser released the lock of
//! a tab that closes or crashes. Where the browser has no Web Locks (a page served over
//! plain HTTP from another host is not a secure context), every operation checks, as
//! before this existed.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use futures::lock::{Mutex, MutexGuard};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::BroadcastChannel;

/// How often a sharing tab tries to become solo again.
const RETRY_MS: u64 = 5_000;
/// How long after a tab says `leave` the others try: its lock goes when its page has gone.
const AFTER_LEAVE_MS: u64 = 300;

#[wasm_bindgen(inline_js = "
export function locks_available() { return !!(globalThis.navigator && navigator.locks); }
export function hold_lock(name, exclusive, ifAvailable) {
  return new Promise((granted, failed) => {
    const done = navigator.locks.request(name, { mode: exclusive ? 'exclusive' : 'shared', ifAvailable }, (lock) => {
      if (!lock) { granted(null); return undefined; }
      return new Promise((release) => granted(() => { release(); return done; }));
    });
    done.catch(failed);
  });
}")]
extern "C" {
    fn locks_available() -> bool;
    /// Resolves once `name` is held, with the function that lets it go (returning a
    /// promise of its being gone); with `null` if `if_available` and another tab holds it.
    fn hold_lock(name: &str, exclusive: bool, if_available: bool) -> Promise;
}

/// How this tab holds the lock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Mode {
    /// No Web Locks here: every operation checks.
    Unlocked,
    Shared,
    Solo,
}

/// This tab's hold on the workspace's lock.
pub(super) struct Tabs {
    state: Rc<State>,
}

struct State {
    lock: String,
    /// Operations and changes of mode, one at a time.
    gate: Mutex<()>,
    mode: Cell<Mode>,
    /// Lets the held lock go.
    release: RefCell<Option<Function>>,
    /// Set on becoming solo after sharing: the next operation checks `meta.seq`.
    unchecked: Cell<bool>,
    channel: Option<BroadcastChannel>,
    closed: Cell<bool>,
}

/// An operation's turn: while it lasts, the mode does not change.
pub(super) struct Turn<'a> {
    _gate: MutexGuard<'a, ()>,
    state: &'a State,
}

impl Turn<'_> {
    /// Whether this operation may trust memory to be what is stored (solo and checked).
    pub(super) fn solo(&self) -> bool {
        self.state.mode.get() == Mode::Solo && !self.state.unchecked.get()
    }

    /// Notes that memory was just checked against what is stored.
    pub(super) fn checked(&self) {
        self.state.unchecked.set(false);
    }
}

impl Tabs {
    /// Takes the lock of database `db`: solo if no tab holds it, else shared once the solo
    /// tab has let it go.
    pub(super) async fn join(db: &str) -> Tabs {
        let lock = format!("{db}:tabs");
        let channel = BroadcastChannel::new(&lock).ok();
        let mode = if channel.is_some() && locks_available() { Mode::Shared } else { Mode::Unlocked };
        let state = Rc::new(State {
            lock,
            gate: Mutex::new(()),
            mode: Cell::new(mode),
            release: RefCell::new(None),
            unchecked: Cell::new(false),
            channel,
            closed: Cell::new(false),
        });
        if mode == Mode::Unlocked {
            return Tabs { state };
        }
        state.listen();
        if let Some(release) = state.hold(true, true).await {
            state.held(Mode::Solo, release);
        } else {
            state.post("join");
            state.share().await;
        }
        retry(Rc::downgrade(&state));
        Tabs { state }
    }

    /// Waits for this operation's turn.
    pub(super) async fn turn(&self) -> Turn<'_> {
        Turn { _gate: self.state.gate.lock().await, state: &self.state }
    }

    pub(super) fn mode(&self) -> Mode {
        self.state.mode.get()
    }

    /// What lets the lock go for good when the database is closed under the tab (a newer
    /// release upgraded it), without keeping the tab's hold alive.
    pub(super) fn leaver(&self) -> impl Fn() + 'static {
        let state = Rc::downgrade(&self.state);
        move || {
            if let Some(state) = state.upgrade() {
                Tabs { state }.close();
            }
        }
    }

    /// Lets the lock go for good, and tells the other tabs.
    pub(super) fn close(&self) {
        if self.state.closed.replace(true) {
            return;
        }
        drop(self.state.let_go());
        self.state.mode.set(Mode::Unlocked);
        self.state.post("leave");
        if let Some(channel) = &self.state.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.close();
    }
}

impl State {
    /// Asks for the lock; `None` if `if_available` and it is not, or if the browser failed.
    async fn hold(&self, exclusive: bool, if_available: bool) -> Option<Function> {
        let granted = JsFuture::from(hold_lock(&self.lock, exclusive, if_available)).await.ok()?;
        granted.dyn_into::<Function>().ok()
    }

    fn held(&self, mode: Mode, release: Function) {
        *self.release.borrow_mut() = Some(release);
        self.mode.set(mode);
    }

    /// Lets the lock go; the returned future resolves once the browser has released it.
    fn let_go(&self) -> JsFuture {
        let gone = self.release.borrow_mut().take().and_then(|release| release.call0(&JsValue::NULL).ok());
        JsFuture::from(
            gone.and_then(|p| p.dyn_into::<Promise>().ok()).unwrap_or_else(|| Promise::resolve(&JsValue::NULL)),
        )
    }

    /// Waits for the lock shared (the caller has the turn, or is still joining). If the
    /// browser fails to grant it, every operation checks from then on.
    async fn share(&self) {
        match self.hold(false, false).await {
            Some(release) if !self.closed.get() => self.held(Mode::Shared, release),
            Some(release) => drop(release.call0(&JsValue::NULL)),
            None => self.mode.set(Mode::Unlocked),
        }
    }

    fn post(&self, message: &str) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_str(message));
        }
    }

    /// Steps aside when another tab joins; tries to become solo soon after one leaves.
    fn listen(self: &Rc<State>) {
        let Some(channel) = &self.channel else { return };
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let weak = weak.clone();
            match e.data().as_string().as_deref() {
                Some("join") => wasm_bindgen_futures::spawn_local(async move {
                    if let Some(state) = weak.upgrade() {
                        state.step_aside().await;
                    }
                }),
                Some("leave") => wasm_bindgen_futures::spawn_local(async move {
                    crate::sleep_ms(AFTER_LEAVE_MS).await;
                    if let Some(state) = weak.upgrade() {
                        state.try_solo().await;
                    }
                }),
                _ => {}
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
    }

    /// Solo → shared, between two operations.
    async fn step_aside(&self) {
        let _turn = self.gate.lock().await;
        if self.mode.get() != Mode::Solo || self.closed.get() {
            return;
        }
        let _ = self.let_go().await;
        self.mode.set(Mode::Shared);
        self.share().await;
    }

    /// Shared → solo, if no other tab holds the lock; else shared again.
    async fn try_solo(&self) {
        let _turn = self.gate.lock().await;
        if self.mode.get() != Mode::Shared || self.closed.get() {
            return;
        }
        let _ = self.let_go().await;
        if let Some(release) = self.hold(true, true).await {
            self.unchecked.set(true);
            self.held(Mode::Solo, release);
            if self.closed.get() {
                drop(self.let_go());
            }
            return;
        }
        // A tab may have become solo while this one had let go.
        self.post("join");
        self.share().await;
    }
}

/// Tries to become solo every [`RETRY_MS`] while sharing, until the tab closes.
fn retry(state: Weak<State>) {
    if web_sys::window().is_none() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            crate::sleep_ms(RETRY_MS).await;
            let Some(state) = state.upgrade() else { return };
            if state.closed.get() || state.mode.get() == Mode::Unlocked {
                return;
            }
            state.try_solo().await;
        }
    });
}
