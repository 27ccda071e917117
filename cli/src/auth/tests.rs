use axum::http::{HeaderValue, Method, Uri};

use super::*;

const VANILLA: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn vanilla_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("host", HeaderValue::from_static("example.amazonaws.com"));
    h.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
    h
}

#[test]
fn the_authorization_header_is_read() {
    let c = parse(VANILLA).unwrap();
    assert_eq!(c.key_id, "AKIDEXAMPLE");
    assert_eq!(c.scope, "20150830/us-east-1/service/aws4_request");
    assert_eq!(c.signed_headers, "host;x-amz-date");
    assert!(parse("Basic abc").is_none());
    assert!(parse("AWS4-HMAC-SHA256 Credential=x").is_none());
}

/// AWS's SigV4 test suite, "get-vanilla".
#[test]
fn the_signature_of_awss_vanilla_get_matches() {
    let headers = vanilla_headers();
    let uri: Uri = "/".parse().unwrap();
    let request = Signed { method: &Method::GET, uri: &uri, headers: &headers, body: b"" };
    let c = parse(VANILLA).unwrap();
    assert!(signature_matches(&request, &c, SECRET));
    assert!(!signature_matches(&request, &c, "another secret"));
    let tampered = Signed { body: b"{}", ..request };
    assert!(!signature_matches(&tampered, &c, SECRET));
    assert_eq!(sign(&request, c.signed_headers, "20150830T123600Z", c.scope, SECRET), c.signature);
}
