//! Signing a request to DynamoDB with SigV4, with the same canonical request and key
//! derivation `dynaplay serve --verify-signatures` checks (`crate::auth`).

use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use time::OffsetDateTime;

use super::credentials::Credentials;
use crate::auth::{sign, Signed};

/// Where requests go: the URL, its host and path, and the region they are signed for.
#[derive(Clone, Debug)]
pub struct Target {
    pub url: String,
    pub host: String,
    path: String,
    region: String,
}

const DYNAMODB: &str = "DynamoDB_20120810";
const STREAMS: &str = "DynamoDBStreams_20120810";

impl Target {
    pub fn parse(url: &str) -> Result<Target, String> {
        let uri: Uri = url.parse().map_err(|e| format!("--endpoint {url}: {e}"))?;
        let host = uri.authority().map(|a| a.as_str().to_string()).filter(|h| !h.is_empty());
        let (Some(scheme), Some(host)) = (uri.scheme_str(), host) else {
            return Err(format!("--endpoint {url}: give a URL such as https://dynamodb.us-east-1.amazonaws.com"));
        };
        if scheme != "http" && scheme != "https" {
            return Err(format!("--endpoint {url}: the scheme must be http or https"));
        }
        let path = if uri.path().is_empty() { "/".to_string() } else { uri.path().to_string() };
        Ok(Target { url: url.to_string(), host, path, region: String::new() })
    }

    /// DynamoDB Streams' endpoint: `streams.dynamodb.<region>…` for AWS's hosts; the same
    /// URL elsewhere (DynamoDB Local and `dynaplay serve` answer both).
    pub fn streams(&self) -> Target {
        match self.host.strip_prefix("dynamodb.") {
            Some(rest) => {
                let host = format!("streams.dynamodb.{rest}");
                Target { url: self.url.replacen(&self.host, &host, 1), host, ..self.clone() }
            }
            None => self.clone(),
        }
    }

    pub fn in_region(self, region: &str) -> Target {
        Target { region: region.to_string(), ..self }
    }

    /// The headers of a signed request: `(name, value)`, Authorization last.
    pub fn signed(
        &self,
        operation: &str,
        streams: bool,
        body: &[u8],
        credentials: &Credentials,
        now: OffsetDateTime,
    ) -> Vec<(String, String)> {
        let date = format!("{:04}{:02}{:02}", now.year(), u8::from(now.month()), now.day());
        let amz_date = format!("{date}T{:02}{:02}{:02}Z", now.hour(), now.minute(), now.second());
        let mut headers = vec![
            ("content-type".to_string(), "application/x-amz-json-1.0".to_string()),
            ("host".to_string(), self.host.clone()),
            ("x-amz-date".to_string(), amz_date.clone()),
        ];
        if let Some(token) = &credentials.token {
            headers.push(("x-amz-security-token".to_string(), token.clone()));
        }
        let target = format!("{}.{operation}", if streams { STREAMS } else { DYNAMODB });
        headers.push(("x-amz-target".to_string(), target));
        let signed_headers: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        let signed_headers = signed_headers.join(";");
        let mut map = HeaderMap::new();
        for (name, value) in &headers {
            if let (Ok(n), Ok(v)) = (name.parse::<axum::http::HeaderName>(), HeaderValue::from_str(value)) {
                map.insert(n, v);
            }
        }
        let uri: Uri = self.path.parse().unwrap_or_default();
        let request = Signed { method: &Method::POST, uri: &uri, headers: &map, body };
        let scope = format!("{date}/{}/dynamodb/aws4_request", self.region);
        let signature = sign(&request, &signed_headers, &amz_date, &scope, &credentials.secret);
        headers.push((
            "authorization".to_string(),
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
                credentials.key_id
            ),
        ));
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_and_streams_go_to_their_own_host_on_aws() {
        let aws = Target::parse("https://dynamodb.eu-west-1.amazonaws.com").unwrap();
        assert_eq!(aws.host, "dynamodb.eu-west-1.amazonaws.com");
        assert_eq!(aws.streams().url, "https://streams.dynamodb.eu-west-1.amazonaws.com");
        let local = Target::parse("http://127.0.0.1:8000").unwrap();
        assert_eq!((local.host.as_str(), local.streams().url.as_str()), ("127.0.0.1:8000", "http://127.0.0.1:8000"));
        assert!(Target::parse("127.0.0.1:8000").unwrap_err().contains("give a URL"));
        assert!(Target::parse("ftp://x").unwrap_err().contains("http or https"));
    }

    #[test]
    fn a_signed_request_is_what_dynaplay_serve_verifies() {
        let target = Target::parse("http://localhost:8000").unwrap().in_region("us-east-1");
        let credentials = Credentials { key_id: "AKID".into(), secret: "s3cret".into(), token: Some("tok".into()) };
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let headers = target.signed("GetItem", false, b"{}", &credentials, now);
        let auth = &headers.last().unwrap().1;
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="), "{auth}");
        let mut map = HeaderMap::new();
        for (n, v) in &headers {
            map.insert(n.parse::<axum::http::HeaderName>().unwrap(), HeaderValue::from_str(v).unwrap());
        }
        let uri: Uri = "/".parse().unwrap();
        let c = crate::auth::parse(auth).unwrap();
        let request = Signed { method: &Method::POST, uri: &uri, headers: &map, body: b"{}" };
        assert_eq!(sign(&request, c.signed_headers, "20231114T221320Z", c.scope, "s3cret"), c.signature);
    }
}
