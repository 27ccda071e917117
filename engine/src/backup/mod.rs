//! On-demand backups: a table's definition, partition map and items as they were when the
//! backup was requested, kept until deleted. A restore makes a new table from them.
//!
//! As in AWS, a backup is CREATING until the engine clock passes its `available_ms`
//! (`Config::backup_delay_ms` after the request; 0 by default: AVAILABLE from the next
//! request on), and a restored table carries none of the source's stream, Time to Live or
//! tags.

use crate::table::{Partitions, Table, TableDef};
use crate::value::PackedItem;

/// `USER` (CreateBackup) or `SYSTEM` (kept by DynamoDB itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupKind {
    User,
    System,
}

impl BackupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackupKind::User => "USER",
            BackupKind::System => "SYSTEM",
        }
    }

    pub fn parse(s: &str) -> Option<BackupKind> {
        match s {
            "USER" => Some(BackupKind::User),
            "SYSTEM" => Some(BackupKind::System),
            _ => None,
        }
    }
}

/// One backup.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    pub arn: String,
    pub name: String,
    pub kind: BackupKind,
    pub created_ms: u64,
    /// When it becomes AVAILABLE.
    pub available_ms: u64,
    pub expiry_ms: Option<u64>,
    /// The table's definition, as it was.
    pub def: TableDef,
    /// The table's partition boundaries (a restore starts from the same map).
    pub partitions: Partitions,
    /// The table's items, shared with the table until it changes them.
    pub items: Vec<PackedItem>,
    pub size_bytes: usize,
    /// The source table's ARN and status at the time (ACTIVE unless it was updating).
    pub table_arn: String,
}

impl Backup {
    /// A backup of `t` (whose ARN is `table_arn`) named `name`, requested at `now_ms`.
    pub fn of(t: &Table, table_arn: &str, name: &str, now_ms: u64, delay_ms: u64) -> Backup {
        Backup {
            arn: backup_arn(table_arn, name, now_ms),
            name: name.to_string(),
            kind: BackupKind::User,
            created_ms: now_ms,
            available_ms: now_ms.saturating_add(delay_ms),
            expiry_ms: None,
            def: t.def.clone(),
            partitions: Partitions { parts: t.partitions.parts.clone(), scale: t.partitions.scale },
            items: t.items().map(|(_, i)| i.clone()).collect(),
            size_bytes: t.size_bytes(),
            table_arn: table_arn.to_string(),
        }
    }

    /// `CREATING` until the engine clock reaches `available_ms`, then `AVAILABLE`.
    pub fn status(&self, now_ms: u64) -> &'static str {
        if now_ms < self.available_ms {
            "CREATING"
        } else {
            "AVAILABLE"
        }
    }
}

/// `<table ARN>/backup/<13-digit ms>-<8 hex>`, as AWS writes them.
pub fn backup_arn(table_arn: &str, name: &str, now_ms: u64) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(format!("{table_arn}:{name}:{now_ms}").as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{table_arn}/backup/{now_ms:014}-{hex}")
}
