//! Engine integration tests, one module per area, all through the wire entry point:
//! JSON in, exact JSON out.

mod capacity;
mod control_plane;
mod fuzz;
mod items;
mod model;
mod partitions;
mod query_scan;
mod support;
mod transactions;
mod wire;
