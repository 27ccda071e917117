//! Who a request to `dynaplay serve --iam` comes from: the access key ID of its SigV4
//! `Authorization` header names a principal of the IAM file; with
//! `--verify-signatures` the signature is checked too, as AWS checks it ("Signature
//! Version 4 signing process": canonical request, string to sign, derived key).

use axum::http::{HeaderMap, Method, Uri};
use dynaplay_engine::iam::Iam;
use dynaplay_engine::{Error, ErrorKind};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const MISSING_TOKEN: &str = "Request is missing Authentication Token";
const UNRECOGNIZED: &str = dynaplay_engine::iam::authorize::UNRECOGNIZED_CLIENT;
const BAD_SIGNATURE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
#[derive(Debug, PartialEq, Eq)]
pub struct Credential<'a> {
    pub key_id: &'a str,
    /// `date/region/service/aws4_request`.
    pub scope: &'a str,
    pub signed_headers: &'a str,
    pub signature: &'a str,
}

pub fn parse(header: &str) -> Option<Credential<'_>> {
    let rest = header.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let field = |name: &str| {
        rest.split(',').map(str::trim).find_map(|part| part.strip_prefix(name).and_then(|p| p.strip_prefix('=')))
    };
    let credential = field("Credential")?;
    let (key_id, scope) = credential.split_once('/')?;
    Some(Credential { key_id, scope, signed_headers: field("SignedHeaders")?, signature: field("Signature")? })
}

/// A signed request, as the server received it.
pub struct Signed<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The principal ARN the request acts as, or AWS's error.
pub fn principal(iam: &Iam, request: &Signed, verify: bool) -> Result<String, Error> {
    let header = request.headers.get("authorization").and_then(|v| v.to_str().ok());
    let Some(header) = header else {
        return Err(Error::new(ErrorKind::MissingAuthenticationToken, MISSING_TOKEN));
    };
    let credential = parse(header).ok_or_else(|| Error::new(ErrorKind::IncompleteSignature, incomplete(header)))?;
    let principal =
        iam.by_access_key(credential.key_id).ok_or_else(|| Error::new(ErrorKind::UnrecognizedClient, UNRECOGNIZED))?;
    if verify {
        let secret = principal.secret_access_key.as_deref().unwrap_or_default();
        if !signature_matches(request, &credential, secret) {
            return Err(Error::new(ErrorKind::InvalidSignature, BAD_SIGNATURE));
        }
    }
    Ok(principal.arn.clone())
}

fn incomplete(header: &str) -> String {
    format!("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization={header}")
}

fn signature_matches(request: &Signed, credential: &Credential, secret: &str) -> bool {
    let Some(amz_date) = request.headers.get("x-amz-date").and_then(|v| v.to_str().ok()) else { return false };
    let Ok(given) = hex::decode(credential.signature) else { return false };
    signer(request, credential.signed_headers, amz_date, credential.scope, secret)
        .is_some_and(|mac| mac.verify_slice(&given).is_ok())
}

/// The SigV4 signature (hex) of `request`, made at `amz_date` under `scope`
/// (`date/region/service/aws4_request`) with the headers `signed_headers`.
pub fn sign(request: &Signed, signed_headers: &str, amz_date: &str, scope: &str, secret: &str) -> String {
    signer(request, signed_headers, amz_date, scope, secret)
        .map_or_else(String::new, |mac| hex::encode(mac.finalize().into_bytes()))
}

/// The HMAC of the string to sign, keyed with the key derived from `secret` and `scope`.
fn signer(request: &Signed, signed_headers: &str, amz_date: &str, scope: &str, secret: &str) -> Option<HmacSha256> {
    let canonical = canonical_request(request, signed_headers);
    let to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex::encode(Sha256::digest(canonical)));
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in scope.split('/') {
        key = hmac(&key, part.as_bytes());
    }
    let mut mac = HmacSha256::new_from_slice(&key).ok()?;
    mac.update(to_sign.as_bytes());
    Some(mac)
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Method, path, sorted query, the signed headers (trimmed, inner spaces collapsed),
/// their names, and the body's SHA-256.
fn canonical_request(request: &Signed, signed_headers: &str) -> String {
    let mut query: Vec<&str> = request.uri.query().unwrap_or_default().split('&').filter(|p| !p.is_empty()).collect();
    query.sort_unstable();
    let headers: String = signed_headers
        .split(';')
        .map(|name| {
            let values: Vec<String> = request
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            format!("{name}:{}\n", values.join(","))
        })
        .collect();
    let path = if request.uri.path().is_empty() { "/" } else { request.uri.path() };
    format!(
        "{}\n{path}\n{}\n{headers}\n{signed_headers}\n{}",
        request.method,
        query.join("&"),
        hex::encode(Sha256::digest(request.body))
    )
}

#[cfg(test)]
mod tests;
