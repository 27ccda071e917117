//! One module per DynamoDB operation. Each has the same shape: read and validate the
//! request (model constraints first, then semantics, in AWS's order), then apply it to
//! the engine and build the response. [`OPERATIONS`] is the one list of supported
//! operation names that the wire layer, the UI and the tests read.

mod batch_get_item;
mod batch_write_item;
mod common;
mod create_table;
mod delete_item;
mod delete_table;
mod describe;
mod describe_endpoints;
mod describe_limits;
mod describe_table;
mod get_item;
mod legacy;
mod list_tables;
mod list_tags_of_resource;
mod paging;
mod put_item;
mod query;
mod scan;
mod table_settings;
mod tag_resource;
mod tags;
mod transact_get_items;
mod transact_write_items;
mod untag_resource;
mod update_item;
mod update_table;

pub(crate) use common::write_cost;
pub use scan::segment_range;

use serde_json::Value;

use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;
use crate::trace::Trace;

/// The operations the engine implements, by wire name. Anything else is answered with
/// `UnknownOperationException`.
pub const OPERATIONS: &[&str] = &[
    "BatchGetItem",
    "BatchWriteItem",
    "CreateTable",
    "DeleteItem",
    "DeleteTable",
    "DescribeEndpoints",
    "DescribeLimits",
    "DescribeTable",
    "GetItem",
    "ListTables",
    "ListTagsOfResource",
    "PutItem",
    "Query",
    "Scan",
    "TagResource",
    "TransactGetItems",
    "TransactWriteItems",
    "UntagResource",
    "UpdateItem",
    "UpdateTable",
];

/// Runs one operation. `None` when the engine does not implement `operation`.
pub(crate) fn run(engine: &mut Engine, operation: &str, input: Input, trace: &mut Trace) -> Option<Result<Value>> {
    Some(match operation {
        "BatchGetItem" => batch_get_item::run(engine, input, trace),
        "BatchWriteItem" => batch_write_item::run(engine, input, trace),
        "CreateTable" => create_table::run(engine, input, trace),
        "DeleteItem" => delete_item::run(engine, input, trace),
        "DeleteTable" => delete_table::run(engine, input, trace),
        "DescribeEndpoints" => describe_endpoints::run(engine),
        "DescribeLimits" => describe_limits::run(),
        "DescribeTable" => describe_table::run(engine, input),
        "GetItem" => get_item::run(engine, input, trace),
        "ListTables" => list_tables::run(engine, input),
        "ListTagsOfResource" => list_tags_of_resource::run(engine, input),
        "PutItem" => put_item::run(engine, input, trace),
        "Query" => query::run(engine, input, trace),
        "Scan" => scan::run(engine, input, trace),
        "TagResource" => tag_resource::run(engine, input, trace),
        "TransactGetItems" => transact_get_items::run(engine, input, trace),
        "TransactWriteItems" => transact_write_items::run(engine, input, trace),
        "UntagResource" => untag_resource::run(engine, input, trace),
        "UpdateItem" => update_item::run(engine, input, trace),
        "UpdateTable" => update_table::run(engine, input, trace),
        _ => return None,
    })
}
