//! A table's backups as the backups view lists them.

use crate::engine::Engine;

#[derive(Clone, Debug, PartialEq)]
pub struct BackupInfo {
    pub arn: String,
    pub name: String,
    pub status: &'static str,
    pub created_ms: u64,
    pub items: usize,
    pub size_bytes: usize,
}

/// The backups of `table`, newest first, with their status at the engine clock.
pub fn backups_of(engine: &Engine, table: &str) -> Vec<BackupInfo> {
    let now = engine.now_ms();
    let mut list: Vec<BackupInfo> = engine
        .backups()
        .iter()
        .filter(|b| b.def.name == table)
        .map(|b| BackupInfo {
            arn: b.arn.clone(),
            name: b.name.clone(),
            status: b.status(now),
            created_ms: b.created_ms,
            items: b.items.len(),
            size_bytes: b.size_bytes,
        })
        .collect();
    list.reverse();
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    #[test]
    fn a_tables_backups_newest_first_with_their_status() {
        let mut e = Engine::new(Config { backup_delay_ms: 1_000, ..Config::default() });
        let create = r#"{"TableName":"Music","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]}"#;
        assert_eq!(e.request("CreateTable", create.as_bytes(), 0).status, 200);
        assert_eq!(e.request("PutItem", br#"{"TableName":"Music","Item":{"a":{"S":"x"}}}"#, 1).status, 200);
        assert_eq!(e.request("CreateBackup", br#"{"TableName":"Music","BackupName":"first"}"#, 2).status, 200);
        assert_eq!(e.request("CreateBackup", br#"{"TableName":"Music","BackupName":"second"}"#, 500).status, 200);
        let list = backups_of(&e, "Music");
        let seen: Vec<(&str, &str, usize)> = list.iter().map(|b| (b.name.as_str(), b.status, b.items)).collect();
        assert_eq!(seen, [("second", "CREATING", 1), ("first", "CREATING", 1)]);
        e.tick(1_002);
        let seen: Vec<&str> = backups_of(&e, "Music").iter().map(|b| b.status).collect();
        assert_eq!(seen, ["CREATING", "AVAILABLE"]);
        assert!(backups_of(&e, "Other").is_empty());
    }
}
