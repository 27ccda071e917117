//! The backups view's model: the requests its controls send and a backup's default name.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests() {
        assert_eq!(create_request("Music", " nightly "), json!({"TableName": "Music", "BackupName": "nightly"}));
        assert_eq!(restore_request("arn:x", " Copy "), json!({"TargetTableName": "Copy", "BackupArn": "arn:x"}));
        assert_eq!(default_name("Music", 2), "Music-backup-3");
    }
}
