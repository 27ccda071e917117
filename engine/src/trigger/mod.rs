//! Triggers: stream consumers as AWS Lambda's event source mappings define them (issue
//! 14, part 4), each with a SQL handler that keeps the relational mirror in sync: the
//! settings ([`mapping`]), the event filter ([`filter`]), the event a batch makes
//! ([`event`]), the poller ([`poller`]: batches, the batching window, retries, bisection,
//! the on-failure list, parent shards before children), a handler's SQL bound to a record
//! ([`bind`]), the handler as Lambda code ([`code`]), the mirror the engine talks to ([`mirror`]) and the triggers the engine
//! keeps and the scheduler runs ([`triggers`]).

pub mod bind;
pub mod code;
pub mod event;
pub mod filter;
pub mod mapping;
pub mod mirror;
pub mod poller;
pub mod triggers;
