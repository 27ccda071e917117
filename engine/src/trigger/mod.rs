//! Triggers: stream consumers as AWS Lambda's event source mappings define them (issue
//! 14, part 4). Built so far, and tested on their own: the settings ([`mapping`]), the
//! event filter ([`filter`]), the event a batch makes ([`event`]) and the poller
//! ([`poller`]: batches, the batching window, retries, bisection, the on-failure list,
//! parent shards before children). Not built yet: the relational mirror a handler writes
//! into, keeping triggers in the engine and running them from the scheduler, and their
//! views; nothing in the API or the page reaches this module.

pub mod event;
pub mod filter;
pub mod mapping;
pub mod poller;
