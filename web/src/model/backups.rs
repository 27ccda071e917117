//! The backups view's model: the requests its controls send, a backup's default name, and
//! the point-in-time recovery panel's requests.

use serde_json::{json, Value};

/// CreateBackup of `table` named `name`.
pub fn create_request(table: &str, name: &str) -> Value {
    json!({"TableName": table, "BackupName": name.trim()})
}

/// RestoreTableFromBackup of `arn` into a new table `target`.
pub fn restore_request(arn: &str, target: &str) -> Value {
    json!({"TargetTableName": target.trim(), "BackupArn": arn})
}

/// A default backup name: the table's, with a number (AWS names must be 3 to 255 of
/// `[a-zA-Z0-9_.-]`).
pub fn default_name(table: &str, existing: usize) -> String {
    format!("{table}-backup-{}", existing + 1)
}

/// UpdateContinuousBackups turning point-in-time recovery on (for `days`) or off.
pub fn pitr_request(table: &str, enable: Option<u64>) -> Value {
    let spec = match enable {
        Some(days) => json!({"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": days}),
        None => json!({"PointInTimeRecoveryEnabled": false}),
    };
    json!({"TableName": table, "PointInTimeRecoverySpecification": spec})
}

/// RestoreTableToPointInTime of `source` into `target`, at `at_ms` (epoch seconds on the
/// wire, to the millisecond, as the SDKs send) or, with `None`, the latest restorable time.
pub fn pitr_restore_request(source: &str, target: &str, at_ms: Option<u64>) -> Value {
    let mut body = json!({"SourceTableName": source, "TargetTableName": target.trim()});
    match at_ms {
        Some(ms) => body["RestoreDateTime"] = json!(ms as f64 / 1000.0),
        None => body["UseLatestRestorableTime"] = json!(true),
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests() {
        assert_eq!(create_request("Music", " nightly "), json!({"TableName": "Music", "BackupName": "nightly"}));
        assert_eq!(restore_request("arn:x", " Copy "), json!({"TargetTableName": "Copy", "BackupArn": "arn:x"}));
        assert_eq!(default_name("Music", 2), "Music-backup-3");
    }

    #[test]
    fn point_in_time_requests() {
        assert_eq!(
            pitr_request("Music", Some(7)),
            json!({"TableName": "Music", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 7}})
        );
        assert_eq!(
            pitr_request("Music", None),
            json!({"TableName": "Music", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": false}})
        );
        assert_eq!(
            pitr_restore_request("Music", " Before ", Some(1_700_000_000_250)),
            json!({"SourceTableName": "Music", "TargetTableName": "Before", "RestoreDateTime": 1_700_000_000.25})
        );
        assert_eq!(
            pitr_restore_request("Music", "Now", None),
            json!({"SourceTableName": "Music", "TargetTableName": "Now", "UseLatestRestorableTime": true})
        );
    }
}
