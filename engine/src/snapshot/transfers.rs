//! The simulated S3 and the export and import jobs as stored. One record per bucket
//! (`b/<bucket>`), per object (`o/<bucket>/<key>`, its bytes in base64) and per job (its
//! ARN): `{"kind": "bucket" | "object" | "export" | "import", …}`. Jobs are stored in
//! their serde form (`transfer::export::Export`, `transfer::import::Import`, camelCase).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{json, Value};

use super::{bad, Result};
use crate::engine::Engine;
use crate::s3::{bucket_key, object_key, Bucket, Grant, Object, Ownership};

fn bucket_record(b: &Bucket) -> Value {
    json!({"kind": "bucket", "name": b.name, "owner": b.owner, "ownership": b.ownership.as_str(), "createdMs": b.created_ms})
}

fn object_record(bucket: &str, key: &str, o: &Object) -> Value {
    let grants: Vec<Value> =
        o.grants.iter().map(|g| json!({"grantee": g.grantee, "permission": g.permission})).collect();
    json!({"kind": "object", "bucket": bucket, "key": key, "owner": o.owner, "grants": grants,
        "modifiedMs": o.modified_ms, "bytes": BASE64.encode(&o.bytes)})
}

impl Engine {
    /// The stored record of an S3 storage key (`b/…` or `o/…`), or `None` when it is gone
    /// (persistence then deletes it).
    pub fn s3_record(&self, storage_key: &str) -> Option<Value> {
        if let Some(name) = storage_key.strip_prefix("b/") {
            return self.s3.buckets.get(name).map(bucket_record);
        }
        let (bucket, key) = storage_key.strip_prefix("o/")?.split_once('/')?;
        self.s3.buckets.get(bucket)?.objects.get(key).map(|o| object_record(bucket, key, o))
    }

    /// Every bucket and object, as (storage key, record).
    pub fn s3_records(&self) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for b in self.s3.buckets.values() {
            out.push((bucket_key(&b.name), bucket_record(b)));
            out.extend(b.objects.iter().map(|(k, o)| (object_key(&b.name, k), object_record(&b.name, k, o))));
        }
        out
    }

    /// Adds stored buckets, objects and jobs (any order): cold code, reached through
    /// [`Engine::restore_transfers`].
    pub(crate) fn read_transfers(&mut self, records: &[Value]) -> Result<()> {
        let kind = |r: &Value| r.get("kind").and_then(Value::as_str).map(str::to_string);
        for r in records.iter().filter(|r| kind(r).as_deref() == Some("bucket")) {
            let b = read_bucket(r)?;
            self.s3.buckets.insert(b.name.clone(), b);
        }
        for r in records {
            match kind(r).as_deref() {
                Some("object") => self.restore_object(r)?,
                Some("export") => {
                    self.exports.push(serde_json::from_value(r.clone()).map_err(|e| bad(&format!("export: {e}")))?)
                }
                Some("import") => {
                    self.imports.push(serde_json::from_value(r.clone()).map_err(|e| bad(&format!("import: {e}")))?)
                }
                Some("bucket") => {}
                _ => return Err(bad("an S3 or job record of unknown kind")),
            }
        }
        crate::sorted::sort_by(&mut self.exports, |a, b| (a.start_ms, &a.arn).cmp(&(b.start_ms, &b.arn)));
        crate::sorted::sort_by(&mut self.imports, |a, b| (a.start_ms, &a.arn).cmp(&(b.start_ms, &b.arn)));
        Ok(())
    }

    fn restore_object(&mut self, r: &Value) -> Result<()> {
        let text = |k: &str| r.get(k).and_then(Value::as_str).ok_or_else(|| bad(&format!("object {k}")));
        let bucket = self.s3.buckets.get_mut(text("bucket")?).ok_or_else(|| bad("object of a missing bucket"))?;
        let grants = r.get("grants").and_then(Value::as_array).into_iter().flatten();
        let grants = grants
            .filter_map(|g| {
                Some(Grant {
                    grantee: g.get("grantee")?.as_str()?.into(),
                    permission: g.get("permission")?.as_str()?.into(),
                })
            })
            .collect();
        let object = Object {
            bytes: BASE64.decode(text("bytes")?).map_err(|_| bad("object bytes"))?,
            owner: text("owner")?.to_string(),
            grants,
            modified_ms: r.get("modifiedMs").and_then(Value::as_u64).unwrap_or(0),
        };
        bucket.objects.insert(text("key")?.to_string(), object);
        Ok(())
    }
}

fn read_bucket(r: &Value) -> Result<Bucket> {
    let text = |k: &str| r.get(k).and_then(Value::as_str).ok_or_else(|| bad(&format!("bucket {k}")));
    Ok(Bucket {
        name: text("name")?.to_string(),
        owner: text("owner")?.to_string(),
        ownership: Ownership::parse(text("ownership")?).ok_or_else(|| bad("bucket ownership"))?,
        created_ms: r.get("createdMs").and_then(Value::as_u64).unwrap_or(0),
        objects: Default::default(),
    })
}

/// The stored record of the export or import `arn`: cold code, reached through
/// [`Engine::job_record`].
pub(crate) fn job_record(engine: &Engine, arn: &str) -> Option<Value> {
    let export = engine.exports.iter().find(|e| e.arn == arn).and_then(|e| serde_json::to_value(e).ok());
    let tagged = |kind: &str, mut v: Value| {
        if let Value::Object(m) = &mut v {
            m.insert("kind".into(), json!(kind));
        }
        v
    };
    match export {
        Some(e) => Some(tagged("export", e)),
        None => {
            let import = engine.imports.iter().find(|i| i.arn == arn)?;
            serde_json::to_value(import).ok().map(|i| tagged("import", i))
        }
    }
}
