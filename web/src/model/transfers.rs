//! The export and import forms' model: the requests they send, and where an upload goes.

use serde_json::{json, Value};

/// The export form.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportForm {
    pub bucket: String,
    pub prefix: String,
    /// `DYNAMODB_JSON` or `ION`.
    pub format: String,
    /// `None`: a full export of the table now; `Some(minutes)`: an incremental export of
    /// the last `minutes` (AWS allows 15 minutes to 24 hours).
    pub incremental_minutes: Option<u64>,
}

impl Default for ExportForm {
    fn default() -> ExportForm {
        ExportForm {
            bucket: String::new(),
            prefix: String::new(),
            format: "DYNAMODB_JSON".into(),
            incremental_minutes: None,
        }
    }
}

impl ExportForm {
    /// ExportTableToPointInTime of the table `table_arn` at engine time `now_ms`.
    pub fn request(&self, table_arn: &str, now_ms: u64) -> Value {
        let mut body = json!({"TableArn": table_arn, "S3Bucket": self.bucket.trim(), "ExportFormat": self.format});
        if !self.prefix.trim().is_empty() {
            body["S3Prefix"] = json!(self.prefix.trim());
        }
        if let Some(minutes) = self.incremental_minutes {
            let from = now_ms.saturating_sub(minutes.saturating_mul(60_000));
            body["ExportType"] = json!("INCREMENTAL_EXPORT");
            body["IncrementalExportSpecification"] =
                json!({"ExportFromTime": from as f64 / 1000.0, "ExportToTime": now_ms as f64 / 1000.0});
        }
        body
    }
}

/// The import form: where to read, how, and the new table's key schema (on-demand).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportForm {
    pub bucket: String,
    pub prefix: String,
    /// `DYNAMODB_JSON`, `ION` or `CSV`.
    pub format: String,
    /// `GZIP`, `ZSTD` or `NONE`.
    pub compression: String,
    pub table: String,
    pub partition_key: (String, String),
    /// Name (blank: none) and type.
    pub sort_key: (String, String),
}

impl Default for ImportForm {
    fn default() -> ImportForm {
        ImportForm {
            bucket: String::new(),
            prefix: String::new(),
            format: "DYNAMODB_JSON".into(),
            compression: "GZIP".into(),
            table: String::new(),
            partition_key: ("pk".into(), "S".into()),
            sort_key: (String::new(), "S".into()),
        }
    }
}

impl ImportForm {
    /// ImportTable making the new table on demand.
    pub fn request(&self) -> Value {
        let mut defs =
            vec![json!({"AttributeName": self.partition_key.0.trim(), "AttributeType": self.partition_key.1})];
        let mut keys = vec![json!({"AttributeName": self.partition_key.0.trim(), "KeyType": "HASH"})];
        if !self.sort_key.0.trim().is_empty() {
            defs.push(json!({"AttributeName": self.sort_key.0.trim(), "AttributeType": self.sort_key.1}));
            keys.push(json!({"AttributeName": self.sort_key.0.trim(), "KeyType": "RANGE"}));
        }
        json!({
            "S3BucketSource": {"S3Bucket": self.bucket.trim(), "S3KeyPrefix": self.prefix.trim()},
            "InputFormat": self.format,
            "InputCompressionType": self.compression,
            "TableCreationParameters": {"TableName": self.table.trim(), "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": defs, "KeySchema": keys},
        })
    }
}

/// Where an uploaded file goes: `prefix` (a trailing `/` added when missing) then the
/// file's name.
pub fn upload_key(prefix: &str, file_name: &str) -> String {
    let p = prefix.trim().trim_start_matches('/');
    match p {
        "" => file_name.to_string(),
        p if p.ends_with('/') => format!("{p}{file_name}"),
        p => format!("{p}/{file_name}"),
    }
}

/// The zip download's file name for export `id`.
pub fn zip_name(table: &str, id: &str) -> String {
    format!("{table}-export-{id}.zip")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_requests_full_and_incremental() {
        let mut f = ExportForm { bucket: " exports ".into(), prefix: "daily/".into(), ..ExportForm::default() };
        assert_eq!(
            f.request("arn:t", 1_700_000_000_000),
            json!({"TableArn": "arn:t", "S3Bucket": "exports", "ExportFormat": "DYNAMODB_JSON", "S3Prefix": "daily/"})
        );
        f.incremental_minutes = Some(15);
        let r = f.request("arn:t", 1_700_000_900_000);
        assert_eq!(r["ExportType"], "INCREMENTAL_EXPORT");
        assert_eq!(
            r["IncrementalExportSpecification"],
            json!({"ExportFromTime": 1_700_000_000.0, "ExportToTime": 1_700_000_900.0})
        );
    }

    #[test]
    fn import_request_makes_an_on_demand_table() {
        let f = ImportForm {
            bucket: "b".into(),
            prefix: "in/".into(),
            table: "People".into(),
            sort_key: ("sk".into(), "N".into()),
            ..ImportForm::default()
        };
        let r = f.request();
        assert_eq!(r["S3BucketSource"], json!({"S3Bucket": "b", "S3KeyPrefix": "in/"}));
        assert_eq!(r["TableCreationParameters"]["KeySchema"][1], json!({"AttributeName": "sk", "KeyType": "RANGE"}));
        assert_eq!(
            r["TableCreationParameters"]["AttributeDefinitions"][1],
            json!({"AttributeName": "sk", "AttributeType": "N"})
        );
        assert_eq!(
            (r["InputFormat"].as_str(), r["InputCompressionType"].as_str()),
            (Some("DYNAMODB_JSON"), Some("GZIP"))
        );
    }

    #[test]
    fn upload_keys_join_prefix_and_name() {
        assert_eq!(upload_key("", "a.csv"), "a.csv");
        assert_eq!(upload_key("in", "a.csv"), "in/a.csv");
        assert_eq!(upload_key(" /in/ ", "a.csv"), "in/a.csv");
        assert_eq!(zip_name("Books", "01-ab"), "Books-export-01-ab.zip");
    }
}
