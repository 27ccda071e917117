//! What the host does to the simulated S3 besides exports and imports: the page's S3 panel
//! creates buckets and uploads files, and `dynaplay serve --s3-dir` loads a directory. Each
//! returns a trace naming what to persist, like a request's.

use super::{bucket_key, object_key, BucketError, Ownership};
use crate::engine::Engine;
use crate::trace::Trace;

impl Engine {
    /// Creates bucket `name`, owned by `owner` (default: the engine's account).
    pub fn create_bucket(
        &mut self,
        name: &str,
        owner: Option<&str>,
        ownership: Ownership,
    ) -> Result<Trace, BucketError> {
        let owner = owner.unwrap_or(&self.config.account_id).to_string();
        if owner.len() != 12 || !owner.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BucketError(format!("The owner must be a 12-digit account ID; got {owner:?}.")));
        }
        self.s3.create_bucket(name, &owner, ownership, self.now_ms)?;
        let mut trace = Trace::default();
        trace.s3_changed.insert(bucket_key(name));
        Ok(trace)
    }

    /// Writes `bytes` at `key` in `bucket`, as the engine's account (an upload).
    pub fn put_object(&mut self, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<Trace, BucketError> {
        if key.is_empty() || key.len() > 1024 {
            return Err(BucketError("An object key is 1 to 1024 bytes long.".into()));
        }
        let b = self
            .s3
            .buckets
            .get_mut(bucket)
            .ok_or_else(|| BucketError(format!("The bucket {bucket} does not exist.")))?;
        b.put(key, bytes, &self.config.account_id, self.now_ms);
        let mut trace = Trace::default();
        trace.s3_changed.insert(object_key(bucket, key));
        Ok(trace)
    }

    /// Deletes the object at `key` in `bucket` (nothing if there is none).
    pub fn delete_object(&mut self, bucket: &str, key: &str) -> Trace {
        let mut trace = Trace::default();
        if let Some(b) = self.s3.buckets.get_mut(bucket) {
            if b.objects.remove(key).is_some() {
                trace.s3_changed.insert(object_key(bucket, key));
            }
        }
        trace
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    #[test]
    fn buckets_and_objects_report_what_to_persist() {
        let mut e = Engine::new(Config::default());
        let t = e.create_bucket("exports", None, Ownership::default()).unwrap();
        assert_eq!(t.s3_changed.into_iter().collect::<Vec<_>>(), ["b/exports"]);
        assert_eq!(e.s3().buckets["exports"].owner, "000000000000");
        assert_eq!(
            e.create_bucket("other", Some("12"), Ownership::default()).unwrap_err().0,
            "The owner must be a 12-digit account ID; got \"12\"."
        );
        let t = e.put_object("exports", "in/a.json", b"{}".to_vec()).unwrap();
        assert_eq!(t.s3_changed.into_iter().collect::<Vec<_>>(), ["o/exports/in/a.json"]);
        assert_eq!(e.put_object("nope", "k", Vec::new()).unwrap_err().0, "The bucket nope does not exist.");
        assert_eq!(e.delete_object("exports", "in/a.json").s3_changed.len(), 1);
        assert!(e.delete_object("exports", "in/a.json").s3_changed.is_empty());
    }
}
