//! What the browser's visualizations draw, computed here so that every figure a view
//! shows comes from the engine and is tested with it: the partition map with heat and hot
//! keys, where a key lands and why, an item collection in sort-key order with the rule
//! that orders it, capacity receipts that spell out the rounding, and attribute-by-
//! attribute item diffs.
//!
//! Everything here only reads; nothing a view computes can change what the engine does.

mod backups;
mod iam;
mod keys;
mod mirror;
mod order;
mod partitions;
mod receipt;
mod replicas;
mod stream;
mod summary;
#[cfg(test)]
mod testing;
mod throughput;
mod timeline;
mod transfers;

pub use backups::{
    backups_of, backups_of_deleted_tables, pitr_of, pitr_preview, BackupInfo, PitrChange, PitrDiff, PitrInfo,
};
pub use iam::{iam_of, IamInfo, PrincipalInfo};
pub use keys::{
    empty_value, example_value, hash_only, key_attributes, key_json, key_of, key_schema, key_with, keys_text,
};
pub use mirror::{batch_event, mirror_of, BatchInfo, MirrorInfo, TriggerInfo};
pub use order::{compare, rule, sorted_collection, Comparison, SortEntry, SortedCollection};
pub use partitions::{
    before_splits, collections, partition_map, placement, CollectionInfo, HotKey, PartitionCount, PartitionInfo,
    PartitionMap, Placement, TRAFFIC_WINDOW_S,
};
pub use receipt::{diff, read_receipt, write_receipt, AttrDiff, Change, ReadReceipt, WriteReceipt};
pub use replicas::{missed_write, replicas_of, PartitionCopies, Pending, ReplicaCopy, ReplicasInfo};
pub use stream::{streams_of, ttl_of, RecordInfo, ShardInfo, StreamInfo, TtlInfo};
pub use summary::{table_summary, TableSummary};
pub use throughput::{throughput_of, Burst, PartitionLoad, ThroughputInfo};
pub use timeline::{timeline_of, Bin, Mark, Timeline};
pub use transfers::{buckets_of, export_files, exports_of, imports_of, BucketInfo, ExportInfo, ImportInfo, ObjectInfo};

pub use crate::ops::segment_range;
