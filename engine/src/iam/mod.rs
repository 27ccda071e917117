//! IAM: principals, their identity-based policies, DynamoDB's resource-based policies,
//! and the evaluation of every request against them, explained statement by statement.
//!
//! - [`policy`]: the JSON grammar, validated once when a policy is attached.
//! - [`condition`]: IAM's condition operators.
//! - [`glob`]: wildcards and policy variables.
//! - [`actions`]: what each DynamoDB operation asks IAM (actions, resource ARNs, the
//!   `dynamodb:` condition keys).
//! - [`evaluate`]: IAM's decision (explicit deny, then allow, else implicit deny;
//!   cross-account needs both sides) and AWS's `AccessDeniedException` message.
//!
//! A workspace starts with one administrator principal and enforcement off, so nothing
//! changes until a learner turns IAM on. The state is global (IAM is not regional): a
//! world's regions all read the home region's.

pub mod actions;
pub mod authorize;
pub mod condition;
pub mod evaluate;
pub mod explain;
pub mod glob;
pub mod policy;
pub mod state;

use std::collections::BTreeMap;

pub use evaluate::{Decision, Evaluation, StatementOutcome};
pub use state::{Iam, Principal, ResourcePolicy, ADMIN_NAME};

/// A request's condition keys and their values (several for multi-valued keys such as
/// `dynamodb:LeadingKeys`). Keys are case-insensitive, as IAM's are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    keys: BTreeMap<String, (String, Vec<String>)>,
}

impl Context {
    pub fn new() -> Context {
        Context::default()
    }

    pub fn insert(&mut self, key: String, values: Vec<String>) {
        self.keys.insert(key.to_ascii_lowercase(), (key, values));
    }

    pub fn one(&mut self, key: &str, value: impl Into<String>) {
        self.insert(key.to_string(), vec![value.into()]);
    }

    pub fn get(&self, key: &str) -> Option<&Vec<String>> {
        self.keys.get(&key.to_ascii_lowercase()).map(|(_, v)| v)
    }

    /// The keys as written, with their values, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.keys.values().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

/// The account of an ARN (`arn:aws:iam::111122223333:user/x` → `111122223333`).
pub fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}
