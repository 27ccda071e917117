//! One module per DynamoDB operation. Each has the same shape: read and validate the
//! request (model constraints first, then semantics, in AWS's order), then apply it to
//! the engine and build the response. [`OPERATIONS`] is the one list of supported
//! operation names that the wire layer, the UI and the tests read.

mod answer;
mod backups;
mod batch_execute_statement;
mod batch_get_item;
mod batch_write_item;
pub mod cold;
pub(crate) mod common;
mod create_backup;
mod create_table;
mod create_trigger;
mod delete_backup;
mod delete_item;
mod delete_principal;
mod delete_resource_policy;
mod delete_table;
mod delete_trigger;
mod describe;
mod describe_backup;
mod describe_continuous_backups;
mod describe_endpoints;
mod describe_export;
mod describe_import;
mod describe_limits;
mod describe_stream;
mod describe_table;
mod describe_time_to_live;
mod execute_sql;
mod execute_statement;
mod execute_transaction;
mod export_table_to_point_in_time;
mod exports;
mod get_item;
mod get_records;
mod get_resource_policy;
mod get_shard_iterator;
pub mod hot;
mod import_table;
mod imports;
mod legacy;
mod list_backups;
mod list_exports;
mod list_imports;
mod list_principals;
mod list_streams;
mod list_tables;
mod list_tags_of_resource;
mod list_triggers;
mod paging;
mod put_item;
mod put_principal;
mod put_resource_policy;
mod query;
mod restore;
mod restore_overrides;
mod restore_table_from_backup;
mod restore_table_to_point_in_time;
mod s3_common;
mod s3_create_bucket;
mod s3_get_object;
mod s3_get_object_acl;
mod s3_list_objects;
mod s3_put_bucket_ownership_controls;
mod s3_put_bucket_policy;
mod s3_put_object_acl;
mod scan;
mod simulate_request;
mod stream_spec;
mod table_request;
mod table_settings;
mod tag_resource;
mod tags;
mod transact_get_items;
mod transact_write_items;
mod untag_resource;
mod update_access_control;
mod update_continuous_backups;
mod update_item;
mod update_region_availability;
mod update_table;
mod update_time_to_live;

pub(crate) use common::write_cost;

/// The operations DynamoDB Streams answers (its own target prefix); the rest of
/// [`OPERATIONS`] are DynamoDB's.
pub const STREAMS_OPERATIONS: &[&str] = &["DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"];
/// Dynaplay's own operations (its own target prefix): triggers, the relational mirror,
/// region outages, IAM's principals and simulator, the simulated S3's requests.
pub const DYNAPLAY_OPERATIONS: &[&str] = &[
    "CreateTrigger",
    "DeleteTrigger",
    "ExecuteSql",
    "ListTriggers",
    "UpdateRegionAvailability",
    "PutPrincipal",
    "DeletePrincipal",
    "ListPrincipals",
    "UpdateAccessControl",
    "SimulateRequest",
    "S3CreateBucket",
    "S3PutBucketOwnershipControls",
    "S3PutBucketPolicy",
    "S3ListObjects",
    "S3GetObject",
    "S3GetObjectAcl",
    "S3PutObjectAcl",
];
pub use answer::Answer;
pub use scan::segment_range;

use crate::engine::Engine;
use crate::error::Result;
use crate::request::Input;
use crate::trace::Trace;

/// One table of operations: each wire name, whether it is hot (in the page's start) or
/// cold (see [`cold`]), and the call that answers it. It makes [`OPERATIONS`] (what the
/// wire layer, the UI and the fuzzers list), [`is_cold`] and the two dispatches, so none
/// of them can drift apart.
macro_rules! operations {
    ($($name:literal => $kind:ident |$engine:ident, $input:ident, $trace:ident| $call:expr,)*) => {
        /// The operations the engine implements, by wire name. Anything else is answered
        /// with `UnknownOperationException`.
        pub const OPERATIONS: &[&str] = &[$($name),*];

        /// Whether `operation` is one of the cold operations, whose code [`cold`] runs.
        pub fn is_cold(operation: &str) -> bool {
            match operation {
                $($name => of_kind!(Cold $kind { true } else { false }),)*
                _ => false,
            }
        }

        /// Runs one hot operation. `None` for any other. Only [`run`] names it, which
        /// only requests reach (`wire::answer`, behind [`hot::operations`]), so a
        /// build can leave it out of its start (the page's does).
        #[allow(unused_variables)]
        fn run_hot(engine: &mut Engine, operation: &str, input: Input, trace: &mut Trace) -> Option<Result<Answer>> {
            match operation {
                $($name => of_kind!(Hot $kind {
                    let ($engine, $input, $trace) = (engine, input, trace);
                    Some($call.map(Answer::from))
                } else { None }),)*
                _ => None,
            }
        }

        /// Runs one cold operation. `None` for any other. Only [`cold::operations`]
        /// names it, so a build can leave it out of its start (the page's does).
        #[allow(unused_variables)]
        fn run_cold(engine: &mut Engine, operation: &str, input: Input, trace: &mut Trace) -> Option<Result<Answer>> {
            match operation {
                $($name => of_kind!(Cold $kind {
                    let ($engine, $input, $trace) = (engine, input, trace);
                    Some($call.map(Answer::from))
                } else { None }),)*
                _ => None,
            }
        }
    };
}

/// `$then` when an operation's kind is the one wanted, else `$else` (the other block is
/// not compiled, so a dispatch names only its own operations' code).
macro_rules! of_kind {
    (Hot Hot $then:block else $else:block) => {
        $then
    };
    (Cold Cold $then:block else $else:block) => {
        $then
    };
    ($want:ident $kind:ident $then:block else $else:block) => {
        $else
    };
}

/// Whether a request runs cold code (`ops::cold`), whatever the workspace: a cold
/// operation, or one that names a legacy parameter ([`legacy::named_in`]). A replay or a
/// lesson asks this of each of its steps before it runs them.
pub fn needs_cold_code(operation: &str, body: &[u8]) -> bool {
    is_cold(operation) || legacy::named_in(operation, body)
}

/// Runs one operation. `None` when the engine does not implement `operation`.
pub(crate) fn run(engine: &mut Engine, operation: &str, input: Input, trace: &mut Trace) -> Option<Result<Answer>> {
    if is_cold(operation) {
        cold::run(engine, operation, input, trace)
    } else {
        run_hot(engine, operation, input, trace)
    }
}

operations! {
    "BatchExecuteStatement" => Cold |engine, input, trace| batch_execute_statement::run(engine, input, trace),
    "BatchGetItem" => Hot |engine, input, trace| batch_get_item::run(engine, input, trace),
    "BatchWriteItem" => Hot |engine, input, trace| batch_write_item::run(engine, input, trace),
    "CreateBackup" => Cold |engine, input, trace| create_backup::run(engine, input, trace),
    "CreateTable" => Hot |engine, input, trace| create_table::run(engine, input, trace),
    "CreateTrigger" => Cold |engine, input, trace| create_trigger::run(engine, input, trace),
    "DeleteBackup" => Cold |engine, input, trace| delete_backup::run(engine, input, trace),
    "DeleteItem" => Hot |engine, input, trace| delete_item::run(engine, input, trace),
    "DeletePrincipal" => Cold |engine, input, trace| delete_principal::run(engine, input, trace),
    "DeleteResourcePolicy" => Cold |engine, input, trace| delete_resource_policy::run(engine, input, trace),
    "DeleteTable" => Hot |engine, input, trace| delete_table::run(engine, input, trace),
    "DeleteTrigger" => Cold |engine, input, trace| delete_trigger::run(engine, input, trace),
    "DescribeBackup" => Cold |engine, input, trace| describe_backup::run(engine, input),
    "DescribeContinuousBackups" => Cold |engine, input, trace| describe_continuous_backups::run(engine, input),
    "DescribeEndpoints" => Cold |engine, input, trace| describe_endpoints::run(engine),
    "DescribeExport" => Cold |engine, input, trace| describe_export::run(engine, input),
    "DescribeImport" => Cold |engine, input, trace| describe_import::run(engine, input),
    "DescribeLimits" => Cold |engine, input, trace| describe_limits::run(),
    "DescribeStream" => Cold |engine, input, trace| describe_stream::run(engine, input),
    "DescribeTable" => Hot |engine, input, trace| describe_table::run(engine, input),
    "DescribeTimeToLive" => Cold |engine, input, trace| describe_time_to_live::run(engine, input),
    "ExecuteSql" => Cold |engine, input, trace| execute_sql::run(engine, input, trace),
    "ExecuteStatement" => Cold |engine, input, trace| execute_statement::run(engine, input, trace),
    "ExecuteTransaction" => Cold |engine, input, trace| execute_transaction::run(engine, input, trace),
    "ExportTableToPointInTime" => Cold |engine, input, trace| export_table_to_point_in_time::run(engine, input, trace),
    "GetItem" => Hot |engine, input, trace| get_item::run(engine, input, trace),
    "GetRecords" => Cold |engine, input, trace| get_records::run(engine, input),
    "GetResourcePolicy" => Cold |engine, input, trace| get_resource_policy::run(engine, input),
    "GetShardIterator" => Cold |engine, input, trace| get_shard_iterator::run(engine, input),
    "ImportTable" => Cold |engine, input, trace| import_table::run(engine, input, trace),
    "ListBackups" => Cold |engine, input, trace| list_backups::run(engine, input),
    "ListExports" => Cold |engine, input, trace| list_exports::run(engine, input),
    "ListImports" => Cold |engine, input, trace| list_imports::run(engine, input),
    "ListPrincipals" => Cold |engine, input, trace| list_principals::run(engine),
    "ListStreams" => Cold |engine, input, trace| list_streams::run(engine, input),
    "ListTables" => Hot |engine, input, trace| list_tables::run(engine, input),
    "ListTagsOfResource" => Cold |engine, input, trace| list_tags_of_resource::run(engine, input),
    "ListTriggers" => Cold |engine, input, trace| list_triggers::run(engine, input),
    "PutItem" => Hot |engine, input, trace| put_item::run(engine, input, trace),
    "PutPrincipal" => Cold |engine, input, trace| put_principal::run(engine, input, trace),
    "PutResourcePolicy" => Cold |engine, input, trace| put_resource_policy::run(engine, input, trace),
    "Query" => Hot |engine, input, trace| query::run(engine, input, trace),
    "RestoreTableFromBackup" => Cold |engine, input, trace| restore_table_from_backup::run(engine, input, trace),
    "RestoreTableToPointInTime" => Cold |engine, input, trace| restore_table_to_point_in_time::run(engine, input, trace),
    "S3CreateBucket" => Cold |engine, input, trace| s3_create_bucket::run(engine, input, trace),
    "S3GetObject" => Cold |engine, input, trace| s3_get_object::run(engine, input),
    "S3GetObjectAcl" => Cold |engine, input, trace| s3_get_object_acl::run(engine, input),
    "S3ListObjects" => Cold |engine, input, trace| s3_list_objects::run(engine, input),
    "S3PutBucketOwnershipControls" => Cold |engine, input, trace| s3_put_bucket_ownership_controls::run(engine, input, trace),
    "S3PutBucketPolicy" => Cold |engine, input, trace| s3_put_bucket_policy::run(engine, input, trace),
    "S3PutObjectAcl" => Cold |engine, input, trace| s3_put_object_acl::run(engine, input, trace),
    "Scan" => Hot |engine, input, trace| scan::run(engine, input, trace),
    "SimulateRequest" => Cold |engine, input, trace| simulate_request::run(engine, input),
    "TagResource" => Cold |engine, input, trace| tag_resource::run(engine, input, trace),
    "TransactGetItems" => Cold |engine, input, trace| transact_get_items::run(engine, input, trace),
    "TransactWriteItems" => Cold |engine, input, trace| transact_write_items::run(engine, input, trace),
    "UntagResource" => Cold |engine, input, trace| untag_resource::run(engine, input, trace),
    "UpdateAccessControl" => Cold |engine, input, trace| update_access_control::run(engine, input, trace),
    "UpdateContinuousBackups" => Cold |engine, input, trace| update_continuous_backups::run(engine, input, trace),
    "UpdateItem" => Hot |engine, input, trace| update_item::run(engine, input, trace),
    "UpdateRegionAvailability" => Cold |engine, input, trace| update_region_availability::run(),
    "UpdateTable" => Cold |engine, input, trace| update_table::run(engine, input, trace),
    "UpdateTimeToLive" => Cold |engine, input, trace| update_time_to_live::run(engine, input, trace),
}
