//! Shard iterators. An iterator names a position in one shard; AWS's are opaque strings
//! that begin with the stream ARN (`arn:…/stream/<label>|1|<opaque>`) and expire after 15
//! minutes. Dynaplay's carry the position in the opaque part, so they need no state and
//! the same requests at the same times give the same iterators.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// How long an iterator may be used: 15 minutes.
pub const ITERATOR_LIFETIME_MS: u64 = 15 * 60 * 1000;

/// Where reading starts: the first record with a sequence number at least this one.
pub type Position = u64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardIterator {
    pub stream_arn: String,
    pub shard_id: String,
    pub position: Position,
    pub issued_ms: u64,
}

impl ShardIterator {
    pub fn encode(&self) -> String {
        let opaque = URL_SAFE_NO_PAD.encode(format!("{}|{}|{}", self.shard_id, self.position, self.issued_ms));
        format!("{}|1|{opaque}", self.stream_arn)
    }

    /// The iterator `text` names, if it is one Dynaplay issued.
    pub fn decode(text: &str) -> Option<ShardIterator> {
        let (stream_arn, rest) = text.split_once('|')?;
        let opaque = rest.strip_prefix("1|")?;
        let inner = String::from_utf8(URL_SAFE_NO_PAD.decode(opaque).ok()?).ok()?;
        let mut parts = inner.split('|');
        let (shard_id, position, issued) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(ShardIterator {
            stream_arn: stream_arn.to_string(),
            shard_id: shard_id.to_string(),
            position: position.parse().ok()?,
            issued_ms: issued.parse().ok()?,
        })
    }
}
