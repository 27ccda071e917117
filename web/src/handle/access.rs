//! IAM in the page: who requests come from (the header's "who am I"), the workspace
//! owner's IAM settings (which IAM itself never checks, so a learner cannot lock
//! themselves out), and the evaluation of the latest request for `#/iam`.

use dynaplay_engine::iam::Evaluation;
use dynaplay_engine::inspect::{iam_of, IamInfo};
use dynaplay_engine::wire::Access;
use dynaplay_engine::Response;
use leptos::prelude::*;
use serde_json::Value;

use super::EngineHandle;

/// Who a request is made as.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caller {
    /// A principal's ARN (`None`: the acting principal).
    pub principal: Option<String>,
    /// The workspace's owner: the page's own IAM panel.
    pub owner: bool,
}

impl Caller {
    pub fn owner() -> Caller {
        Caller { principal: None, owner: true }
    }

    pub fn access(&self) -> Access<'_> {
        Access { principal: self.principal.as_deref(), owner: self.owner }
    }
}

/// The latest request IAM evaluated: who, what, and each action's evaluation (drawn as
/// the simulator gives it, `iam::explain`, by the IAM page, whose module has that code).
#[derive(Clone, Debug, PartialEq)]
pub struct AccessNote {
    pub principal: String,
    pub operation: String,
    pub request: String,
    pub status: u16,
    pub evaluations: Vec<Evaluation>,
}

impl EngineHandle {
    /// IAM's state (global: the home region's).
    pub fn iam_info(&self) -> IamInfo {
        iam_of(self.inner.world.borrow().home_engine())
    }

    pub fn last_access(&self) -> RwSignal<Option<AccessNote>> {
        self.inner.last_access
    }

    /// One of the page's own IAM requests (PutPrincipal, UpdateAccessControl,
    /// SimulateRequest…), made as the owner; its answer, or AWS's error message.
    pub async fn owner_request(&self, operation: &str, body: &Value) -> Result<Value, String> {
        let r =
            self.request_with(&Caller::owner(), None, operation, &body.to_string()).await.map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_str(&r.body).map_err(|e| e.to_string())?;
        if r.status == 200 {
            Ok(value)
        } else {
            let (_, message) = dynaplay_engine::wire::error_of(&value).unwrap_or_default();
            Err(message.to_string())
        }
    }

    /// Keeps IAM's evaluation of a request for `#/iam` (the owner's own are not kept).
    pub(super) fn note_access(&self, caller: &Caller, operation: &str, request: &str, r: &Response) {
        if caller.owner || r.trace.access.is_empty() {
            return;
        }
        let principal =
            caller.principal.clone().unwrap_or_else(|| self.inner.world.borrow().home_engine().iam().acting_as.clone());
        self.inner.last_access.set(Some(AccessNote {
            principal,
            operation: operation.to_string(),
            request: request.to_string(),
            status: r.status,
            evaluations: r.trace.access.clone(),
        }));
    }
}
