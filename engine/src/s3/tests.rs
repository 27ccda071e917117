use super::*;

#[test]
fn bucket_names_follow_s3s_rules() {
    for ok in ["abc", "my-exports.2026", "a1b"] {
        assert_eq!(check_bucket_name(ok), Ok(()), "{ok}");
    }
    for bad in ["ab", "Upper", "-start", "end-", "two..dots", "192.168.1.1", "under_score"] {
        assert!(check_bucket_name(bad).is_err(), "{bad}");
    }
    assert_eq!(
        check_bucket_name("ab").unwrap_err().0,
        "Bucket name \"ab\" is not valid: use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
    );
}

#[test]
fn object_owner_follows_the_buckets_ownership_setting() {
    let mut s3 = S3::default();
    s3.create_bucket("enforced", "111111111111", Ownership::BucketOwnerEnforced, 1).unwrap();
    s3.create_bucket("writer", "111111111111", Ownership::ObjectWriter, 1).unwrap();
    assert_eq!(
        s3.create_bucket("writer", "2", Ownership::ObjectWriter, 1).unwrap_err().0,
        "A bucket named writer already exists."
    );
    for b in s3.buckets.values_mut() {
        b.put("k", b"x".to_vec(), "222222222222", 5);
    }
    assert_eq!(s3.buckets["enforced"].objects["k"].owner, "111111111111");
    assert_eq!(s3.buckets["writer"].objects["k"].owner, "222222222222");
    assert_eq!(s3.buckets["writer"].objects["k"].etag(), "9dd4e461268c8034f5c8564e155c67a6");
}

#[test]
fn under_lists_one_prefix_in_key_order() {
    let mut s3 = S3::default();
    s3.create_bucket("b-1", "1", Ownership::default(), 0).unwrap();
    let b = s3.buckets.get_mut("b-1").unwrap();
    for k in ["a/2", "a/1", "ab", "b"] {
        b.put(k, Vec::new(), "1", 0);
    }
    let keys: Vec<&String> = b.under("a/").map(|(k, _)| k).collect();
    assert_eq!(keys, ["a/1", "a/2"]);
}
