//! Triggers: stream consumers as AWS Lambda's event source mappings define them (issue
//! 14, part 4). Built so far: the event filter ([`filter`]) and the event a batch makes
//! ([`event`]). The poller (batch size, starting position, batching window, retries,
//! bisection, the on-failure list) and the relational mirror its handler writes into are
//! not built yet, and nothing in the API or the page reaches this module.

pub mod event;
pub mod filter;
