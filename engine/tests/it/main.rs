//! Engine integration tests, one module per area, all through the wire entry point:
//! JSON in, exact JSON out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
// Tests are not in the page: they sort with std (../../clippy.toml).
#![allow(clippy::disallowed_methods)]

mod backups;
mod capacity;
mod contention;
mod control_plane;
mod fidelity;
mod fuzz;
mod global;
mod hostile;
mod iam;
mod iam_s3;
mod items;
mod legacy;
mod log_model;
mod model;
mod partiql;
mod partitions;
mod pitr;
mod query_model;
mod query_scan;
mod replicas;
mod stored_format;
mod streams;
mod support;
mod throttling;
mod transactions;
mod transfer;
mod transfer_fuzz;
mod ttl;
mod views_model;
mod wire;
