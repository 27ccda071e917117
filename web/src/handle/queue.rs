//! Group commit: requests wait in a queue, and one caller at a time, the drainer, runs
//! every request waiting, in order, under the handle's lock, and saves them all in one
//! IndexedDB transaction ([`Store::execute_all`]); it goes on until the queue is empty.
//! A request arriving while a commit is under way so costs no commit of its own, and no
//! turn at the lock either (a burst of 10,000 requests once took 10,000 turns, each
//! finding the queue empty, and waking each waiter walked the lock's list of them: a
//! twentieth of the burst's time in a profile). Each is still answered only once its
//! change set is on disk.
//! A lone request is a group of one; a group whose commit fails runs again one request at
//! a time. Each request is recorded (history, IAM's note, the lesson, splits) after the
//! commit, in order; a split record's "after" map is the table's after the whole group.
//!
//! The page's start runs no request, so the split build leaves the code that runs the
//! queue ([`Runner`]) out of it and fetches it with the hot operations
//! (`crate::cold::ensure_hot`); until then a request is refused, changing nothing.

use std::rc::Rc;

use dynaplay_engine::Response;
use futures::channel::oneshot;
use futures::future::LocalBoxFuture;
use leptos::prelude::Set;

use super::{now_ms, perf_now, Caller, EngineHandle};
use crate::persist::{Request, StorageError, Store};

/// The code that runs the queue, to [`install`]: every request, its commit and what it
/// leaves to record.
#[derive(Clone, Copy)]
pub struct Runner(for<'a> fn(&'a EngineHandle) -> LocalBoxFuture<'a, ()>);

/// The code that runs the queue. Calling it is what brings that code into a build.
pub fn runner() -> Runner {
    Runner(|handle| Box::pin(handle.run_queue()))
}

#[cfg(feature = "split")]
static INSTALLED: std::sync::OnceLock<Runner> = std::sync::OnceLock::new();

/// Makes the queue runnable (once; later calls change nothing).
#[cfg(feature = "split")]
pub fn install(code: Runner) {
    let _ = INSTALLED.set(code);
}

/// The code that runs the queue, when it can run: built in, or installed.
fn installed() -> Option<Runner> {
    #[cfg(feature = "split")]
    return INSTALLED.get().copied();
    #[cfg(not(feature = "split"))]
    Some(runner())
}

/// One request waiting for the next commit.
pub(super) struct Queued {
    caller: Caller,
    /// The region (`None`: the home region).
    region: Option<String>,
    operation: String,
    body: String,
    /// When it was made (`performance.now()`), for the history's timing.
    started: f64,
    reply: oneshot::Sender<Result<Response, StorageError>>,
}

impl EngineHandle {
    /// Queues one request and runs the queue; resolves with this request's answer.
    pub(super) async fn request_queued(
        &self,
        caller: &Caller,
        region: Option<String>,
        operation: &str,
        body: &str,
    ) -> Result<Response, StorageError> {
        let (reply, answer) = oneshot::channel();
        let queued = Queued {
            caller: caller.clone(),
            region,
            operation: operation.to_string(),
            body: body.to_string(),
            started: perf_now(),
            reply,
        };
        self.inner.queue.borrow_mut().push(queued);
        self.drain().await;
        answer.await.unwrap_or_else(|_| Err(StorageError::Other("the request was dropped unanswered".into())))
    }

    /// Runs the queue until it is empty, unless another caller is already doing so (then
    /// returns at once: that caller runs this one's requests too).
    async fn drain(&self) {
        if self.inner.draining.replace(true) {
            return;
        }
        let _draining = Draining(self);
        while !self.inner.queue.borrow().is_empty() {
            match installed() {
                Some(Runner(run)) => run(self).await,
                None => self.refuse_queue(),
            }
        }
    }

    /// Answers every queued request as refused: the code that runs them is not in.
    fn refuse_queue(&self) {
        for q in std::mem::take(&mut *self.inner.queue.borrow_mut()) {
            let _ = q.reply.send(Ok(self.refuse_unloaded(&q.operation, &q.body)));
        }
    }

    /// A request made before the code that runs requests (and saves them) came: refused
    /// as the engine refuses it then, without running (so nothing changes), and recorded.
    pub(super) fn refuse_unloaded(&self, operation: &str, body: &str) -> Response {
        let refused = dynaplay_engine::wire::refused_before_loaded(operation);
        self.record(operation, body, refused.status, &refused.body, 0.0);
        self.bump();
        refused
    }

    /// Runs every queued request (none, if an earlier caller's turn took them): saved in
    /// one transaction, or in memory only in the sandbox or without storage.
    async fn run_queue(&self) {
        let _guard = self.inner.lock.lock().await;
        let queued = std::mem::take(&mut *self.inner.queue.borrow_mut());
        if queued.is_empty() {
            return;
        }
        let store = if self.in_sandbox() { None } else { self.inner.store.borrow().clone() };
        let now = now_ms();
        let results = match &store {
            Some(store) => self.run_saved(store, &queued, now).await,
            None => {
                let mut world = self.inner.world.borrow_mut();
                let run = |q: &Queued| {
                    world.request_as(q.caller.access(), q.region.as_deref(), &q.operation, q.body.as_bytes(), now)
                };
                queued.iter().map(run).map(Ok).collect()
            }
        };
        let mut wrote = false;
        for (q, result) in queued.into_iter().zip(results) {
            if let Ok(r) = &result {
                wrote |= self.after_request(&q.caller, &q.operation, &q.body, r, perf_now() - q.started);
            }
            // The caller may have stopped waiting; nothing is lost (the change is saved).
            let _ = q.reply.send(result);
        }
        if wrote && store.is_some() {
            self.announce();
        }
        self.bump();
    }

    /// Runs `queued` and saves them in one commit. If that commit fails with more than one
    /// request in it, each goes again in a commit of its own, so only a request whose own
    /// change cannot be saved (a large item over the quota) fails. A failure is shown, and
    /// memory is reloaded from what is stored, so what is shown is what is saved.
    async fn run_saved(&self, store: &Rc<Store>, queued: &[Queued], now: u64) -> Vec<Result<Response, StorageError>> {
        let requests: Vec<Request<'_>> = queued
            .iter()
            .map(|q| Request {
                access: q.caller.access(),
                region: q.region.as_deref(),
                op: &q.operation,
                body: q.body.as_bytes(),
                now_ms: now,
            })
            .collect();
        let results = match store.execute_all(&self.inner.world, &requests).await {
            Ok(responses) => return responses.into_iter().map(Ok).collect(),
            Err(e) if requests.len() == 1 => vec![Err(e)],
            // The failed commit marked memory stale: each runs again on what is stored.
            Err(_) => self.run_alone(store, &requests).await,
        };
        if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
            self.inner.storage_error.set(Some(e.to_string()));
            self.reload(store).await;
        }
        results
    }

    /// Runs each of `requests` in a commit of its own, in order.
    async fn run_alone(&self, store: &Store, requests: &[Request<'_>]) -> Vec<Result<Response, StorageError>> {
        let mut results = Vec::with_capacity(requests.len());
        for request in requests {
            let saved = store.execute_all(&self.inner.world, std::slice::from_ref(request)).await;
            let answer = saved.and_then(|mut r| r.pop().ok_or_else(|| StorageError::Other("no response".into())));
            results.push(answer);
        }
        results
    }
}

/// Ends a drain, even one whose caller stopped waiting: whatever is still queued then gets
/// a drainer of its own, so no request waits for a caller that is gone.
struct Draining<'a>(&'a EngineHandle);

impl Drop for Draining<'_> {
    fn drop(&mut self) {
        self.0.inner.draining.set(false);
        if !self.0.inner.queue.borrow().is_empty() {
            let handle = self.0.clone();
            wasm_bindgen_futures::spawn_local(async move { handle.drain().await });
        }
    }
}
