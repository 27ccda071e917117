//! One export: what was asked, the data files written, and the manifests written when it
//! completes. Files are laid out as AWS writes them:
//!
//! ```text
//! <prefix>/AWSDynamoDB/<export id>/_started
//! <prefix>/AWSDynamoDB/<export id>/data/<name>.json.gz      (a full export, one per partition)
//! <prefix>/AWSDynamoDB/data/<name>.json.gz                  (an incremental export)
//! <prefix>/AWSDynamoDB/<export id>/manifest-files.json      (+ .checksum: its MD5 in hex)
//! <prefix>/AWSDynamoDB/<export id>/manifest-summary.json    (+ .checksum)
//! ```

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::s3::{hex_md5, S3};
use crate::trace::Trace;

/// `DYNAMODB_JSON` or `ION`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    #[serde(rename = "DYNAMODB_JSON")]
    DynamoDbJson,
    #[serde(rename = "ION")]
    Ion,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DynamoDbJson => "DYNAMODB_JSON",
            Format::Ion => "ION",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        [Format::DynamoDbJson, Format::Ion].into_iter().find(|f| f.as_str() == s)
    }

    fn extension(self) -> &'static str {
        match self {
            Format::DynamoDbJson => "json.gz",
            Format::Ion => "ion.gz",
        }
    }
}

/// An incremental export's window and view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Incremental {
    pub from_ms: u64,
    pub to_ms: u64,
    /// `NEW_AND_OLD_IMAGES` (the default) or `NEW_IMAGE`.
    pub view: String,
}

/// One data file, as `manifest-files.json` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataFile {
    pub key: String,
    pub item_count: u64,
    /// Base64 MD5 of the object.
    pub md5: String,
    pub etag: String,
}

impl DataFile {
    /// The file at `key` holding `bytes` (gzip) with `item_count` lines.
    pub fn of(key: String, bytes: &[u8], item_count: u64) -> DataFile {
        use md5::{Digest, Md5};
        DataFile { key, item_count, md5: BASE64.encode(Md5::digest(bytes)), etag: hex_md5(bytes) }
    }
}

/// One export. Stored as its serde form (`snapshot::transfers`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    pub arn: String,
    pub table_arn: String,
    pub table_id: String,
    pub client_token: Option<String>,
    pub bucket: String,
    pub bucket_owner: Option<String>,
    pub prefix: Option<String>,
    pub sse_algorithm: Option<String>,
    pub sse_key: Option<String>,
    pub format: Format,
    pub incremental: Option<Incremental>,
    pub export_time_ms: u64,
    pub start_ms: u64,
    /// When it completes on the engine clock.
    pub end_ms: u64,
    pub item_count: u64,
    pub billed_bytes: u64,
    pub files: Vec<DataFile>,
    pub failure: Option<(String, String)>,
    /// Whether the manifests are written (it is COMPLETED).
    pub completed: bool,
}

impl Export {
    /// The export id: the ARN's last part.
    pub fn id(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or_default()
    }

    /// `<prefix>/AWSDynamoDB/<export id>/`: where its manifests go.
    pub fn folder(&self) -> String {
        format!("{}AWSDynamoDB/{}/", prefix_path(self.prefix.as_deref()), self.id())
    }

    /// Where data file `name` goes: the export's folder, or for an incremental export the
    /// prefix's shared `AWSDynamoDB/data/`.
    pub fn data_key(&self, name: &str) -> String {
        let base = match self.incremental {
            Some(_) => format!("{}AWSDynamoDB/", prefix_path(self.prefix.as_deref())),
            None => self.folder(),
        };
        format!("{base}data/{name}.{}", self.format.extension())
    }

    /// `IN_PROGRESS`, `COMPLETED` or `FAILED`.
    pub fn status(&self) -> &'static str {
        match (&self.failure, self.completed) {
            (Some(_), _) => "FAILED",
            (None, true) => "COMPLETED",
            (None, false) => "IN_PROGRESS",
        }
    }

    /// Whether the clock has reached its end with the manifests not yet written.
    pub fn due(&self, now_ms: u64) -> bool {
        !self.completed && self.failure.is_none() && now_ms >= self.end_ms
    }

    /// Writes the manifests (the bucket may have gone since: then it fails as AWS would).
    pub fn complete(&mut self, s3: &mut S3, trace: &mut Trace) {
        let Some(bucket) = s3.buckets.get_mut(&self.bucket) else {
            self.failure = Some(no_such_bucket());
            return;
        };
        let files: String = self.files.iter().map(|f| manifest_line(f) + "\n").collect();
        let folder = self.folder();
        let writer = self.table_arn.split(':').nth(4).unwrap_or_default().to_string();
        let summary = self.summary(&format!("{folder}manifest-files.json")).to_string();
        for (name, body) in [("manifest-files", files), ("manifest-summary", summary)] {
            let checksum = hex_md5(body.as_bytes());
            for (key, bytes) in [
                (format!("{folder}{name}.json"), body.into_bytes()),
                (format!("{folder}{name}.checksum"), checksum.into_bytes()),
            ] {
                bucket.put(&key, bytes, &writer, self.end_ms);
                trace.s3_changed.insert(crate::s3::object_key(&self.bucket, &key));
            }
        }
        self.completed = true;
    }

    /// `manifest-summary.json`.
    pub fn summary(&self, files_key: &str) -> Value {
        let mut s = json!({
            "version": "2020-06-30", "exportArn": self.arn, "startTime": iso(self.start_ms),
            "endTime": iso(self.end_ms), "tableArn": self.table_arn, "tableId": self.table_id,
            "exportTime": iso(self.export_time_ms), "s3Bucket": self.bucket, "s3Prefix": self.prefix,
            "s3SseAlgorithm": self.sse_algorithm.as_deref().unwrap_or("AES256"), "s3SseKmsKeyId": self.sse_key,
            "manifestFilesS3Key": files_key, "billedSizeBytes": self.billed_bytes, "itemCount": self.item_count,
            "outputFormat": self.format.as_str(),
        });
        if let (Some(i), Value::Object(m)) = (&self.incremental, &mut s) {
            m.insert("exportType".into(), json!("INCREMENTAL_EXPORT"));
            m.insert("exportFromTime".into(), json!(iso(i.from_ms)));
            m.insert("exportToTime".into(), json!(iso(i.to_ms)));
            m.insert("outputView".into(), json!(i.view));
        }
        s
    }
}

/// An ISO 8601 UTC time to the millisecond, as the manifests write it.
pub fn iso(ms: u64) -> String {
    format!("{}Z", crate::streams::label(ms))
}

/// One line of `manifest-files.json`.
fn manifest_line(f: &DataFile) -> String {
    json!({ "itemCount": f.item_count, "md5Checksum": f.md5, "etag": f.etag, "dataFileS3Key": f.key }).to_string()
}

/// `prefix/` (or nothing without a prefix).
fn prefix_path(prefix: Option<&str>) -> String {
    match prefix.map(|p| p.trim_end_matches('/')) {
        Some(p) if !p.is_empty() => format!("{p}/"),
        _ => String::new(),
    }
}

/// The failure AWS reports for a bucket that does not exist.
pub fn no_such_bucket() -> (String, String) {
    (
        "S3NoSuchBucket".into(),
        "The specified bucket does not exist (Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket)".into(),
    )
}

/// A data file's name: 26 lowercase base-32 characters, as AWS names them, derived from
/// the export and the partition so a replay names them the same.
pub fn file_name(export_arn: &str, part: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let digest = hex_md5(format!("{export_arn}#{part}").as_bytes());
    digest.bytes().take(26).map(|b| ALPHABET.get(usize::from(b) % 32).copied().unwrap_or(b'a') as char).collect()
}
