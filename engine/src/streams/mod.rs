//! DynamoDB Streams over the change log. A stream is a window onto its table's log: the
//! changes from the moment it was enabled until it was disabled, for as long as the log
//! keeps them (24 hours). Its shards are views of that window by hash range: one per
//! partition when the stream is enabled; when a partition splits, its shard closes and two
//! children (with `ParentShardId`) take over its two halves. A record belongs to the shard
//! whose hash range holds its partition key and whose sequence range holds its number.
//!
//! What DynamoDB does and Dynaplay does not: AWS also rolls shards over every few hours
//! without a split; Dynaplay's shards change only when partitions do.

mod counts;
mod iterator;
pub(crate) mod record;

pub use iterator::{Position, ShardIterator, ITERATOR_LIFETIME_MS};
pub use record::{record_json, sequence_number};

use crate::log::RETENTION_MS;
use crate::table::{KeySchema, Table};

/// What a stream record carries besides the keys (`StreamViewType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewType {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

impl ViewType {
    pub const NAMES: &'static [&'static str] = &["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"];

    pub fn parse(s: &str) -> Option<ViewType> {
        match s {
            "KEYS_ONLY" => Some(ViewType::KeysOnly),
            "NEW_IMAGE" => Some(ViewType::NewImage),
            "OLD_IMAGE" => Some(ViewType::OldImage),
            "NEW_AND_OLD_IMAGES" => Some(ViewType::NewAndOldImages),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ViewType::KeysOnly => "KEYS_ONLY",
            ViewType::NewImage => "NEW_IMAGE",
            ViewType::OldImage => "OLD_IMAGE",
            ViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }

    pub fn new_image(self) -> bool {
        matches!(self, ViewType::NewImage | ViewType::NewAndOldImages)
    }

    pub fn old_image(self) -> bool {
        matches!(self, ViewType::OldImage | ViewType::NewAndOldImages)
    }
}

/// A shard: a hash range of the table over a range of sequence numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Shard {
    pub id: String,
    pub parent: Option<String>,
    pub start_hash: u64,
    pub end_hash: u64,
    pub first_seq: u64,
    /// The first sequence number past the shard, once it is closed.
    pub end_seq: Option<u64>,
    pub created_ms: u64,
    /// How many of the log's changes it holds now: kept as changes are appended and
    /// trimmed ([`Streams::count`]), so the stream view reads it instead of the log.
    /// Never saved; a reload counts again ([`Streams::recount`]).
    pub records: usize,
}

impl Shard {
    pub fn holds(&self, hash: u64, seq: u64) -> bool {
        (self.start_hash..=self.end_hash).contains(&hash)
            && seq >= self.first_seq
            && self.end_seq.is_none_or(|e| seq < e)
    }

    pub fn is_open(&self) -> bool {
        self.end_seq.is_none()
    }
}

/// One stream of one table.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    pub arn: String,
    pub table: String,
    pub label: String,
    pub view: ViewType,
    pub keys: KeySchema,
    pub created_ms: u64,
    /// When it was disabled (by UpdateTable or DeleteTable).
    pub disabled_ms: Option<u64>,
    pub shards: Vec<Shard>,
}

impl Stream {
    /// `ENABLING` while its table is being created, `ENABLED`, or `DISABLED`.
    pub fn status(&self, table_creating: bool) -> &'static str {
        match (self.disabled_ms, table_creating) {
            (Some(_), _) => "DISABLED",
            (None, true) => "ENABLING",
            (None, false) => "ENABLED",
        }
    }

    pub fn shard(&self, id: &str) -> Option<&Shard> {
        self.shards.iter().find(|s| s.id == id)
    }

    /// Closes every open shard at sequence number `seq`.
    fn close(&mut self, seq: u64) {
        for s in self.shards.iter_mut().filter(|s| s.is_open()) {
            s.end_seq = Some(seq);
        }
    }

    /// The open shard holding `at` is closed at `seq`; its two halves open as children.
    fn split(&mut self, at: u64, seq: u64, now_ms: u64) {
        let Some(i) = self.shards.iter().position(|s| s.is_open() && s.start_hash < at && at <= s.end_hash) else {
            return;
        };
        let Some(parent) = self.shards.get_mut(i) else { return };
        parent.end_seq = Some(seq);
        let (id, start, end) = (parent.id.clone(), parent.start_hash, parent.end_hash);
        for (lo, hi) in [(start, at - 1), (at, end)] {
            let shard = new_shard(&self.arn, Some(id.clone()), (lo, hi), seq, now_ms);
            self.shards.push(shard);
        }
    }
}

/// A shard id as AWS writes them: `shardId-` + 20 digits of creation time + `-` + 8 hex
/// digits (here, of the stream, the hash range and the first sequence number).
fn shard_id(arn: &str, range: (u64, u64), seq: u64, now_ms: u64) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(format!("{arn}:{}:{}:{seq}", range.0, range.1).as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("shardId-{now_ms:020}-{hex}")
}

fn new_shard(arn: &str, parent: Option<String>, range: (u64, u64), seq: u64, now_ms: u64) -> Shard {
    Shard {
        id: shard_id(arn, range, seq, now_ms),
        parent,
        start_hash: range.0,
        end_hash: range.1,
        first_seq: seq,
        end_seq: None,
        created_ms: now_ms,
        records: 0,
    }
}

/// `2015-05-11T21:21:33.291`: a stream label, the creation time in UTC to the millisecond.
///
/// Written and read field by field, with `time` for the calendar only: its format
/// descriptions' code was about 40 KB of the page's start, for this one fixed shape.
pub fn label(ms: u64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ),
        Err(_) => ms.to_string(),
    }
}

/// A time written as [`label`] writes it (UTC, to the millisecond), as epoch milliseconds;
/// `None` for any other text or a time before 1970.
pub fn parse_label(text: &str) -> Option<u64> {
    let text = text.trim().as_bytes();
    // `YYYY-MM-DDTHH:MM:SS.mmm`: the separators where they go, digits everywhere else.
    const SEPARATORS: [(usize, u8); 6] = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'.')];
    let shaped = text.len() == 23
        && text.iter().enumerate().all(|(i, b)| match SEPARATORS.iter().find(|(at, _)| *at == i) {
            Some((_, sep)) => b == sep,
            None => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    let number =
        |from: usize, to: usize| -> Option<u16> { std::str::from_utf8(text.get(from..to)?).ok()?.parse().ok() };
    let small = |from: usize| -> Option<u8> { u8::try_from(number(from, from + 2)?).ok() };
    let month = time::Month::try_from(small(5)?).ok()?;
    let date = time::Date::from_calendar_date(i32::from(number(0, 4)?), month, small(8)?).ok()?;
    let clock = time::Time::from_hms_milli(small(11)?, small(14)?, small(17)?, number(20, 23)?).ok()?;
    let t = time::PrimitiveDateTime::new(date, clock).assume_utc();
    u64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// The streams of an engine: current and disabled ones, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Streams {
    pub list: Vec<Stream>,
}

impl Streams {
    /// The table's enabled stream.
    pub fn current(&self, table: &str) -> Option<&Stream> {
        self.list.iter().rev().find(|s| s.table == table && s.disabled_ms.is_none())
    }

    /// The table's newest stream, enabled or not (DescribeTable's `LatestStreamArn`).
    pub fn latest(&self, table: &str) -> Option<&Stream> {
        self.list.iter().rev().find(|s| s.table == table)
    }

    pub fn by_arn(&self, arn: &str) -> Option<&Stream> {
        self.list.iter().find(|s| s.arn == arn)
    }

    /// Starts a stream of `view` on `table` (whose ARN is `table_arn`), one shard per
    /// partition, from sequence `seq`. Its label is the time; a second stream in the same
    /// millisecond takes the next one.
    pub fn enable(&mut self, table_arn: &str, t: &Table, view: ViewType, seq: u64, now_ms: u64) {
        let table = t.def.name.as_str();
        let keys = t.def.schema.clone();
        let ranges: Vec<(u64, u64)> = (0..t.partitions.parts.len()).map(|i| t.partitions.range(i)).collect();
        let mut at = now_ms;
        while self.list.iter().any(|s| s.table == table && s.created_ms == at) {
            at = at.saturating_add(1);
        }
        let label = label(at);
        let arn = format!("{table_arn}/stream/{label}");
        let shards = ranges.iter().map(|&r| new_shard(&arn, None, r, seq, now_ms)).collect();
        self.list.push(Stream {
            arn,
            table: table.to_string(),
            label,
            view,
            keys,
            created_ms: at,
            disabled_ms: None,
            shards,
        });
    }

    /// Disables the table's stream: its open shards close at `seq`. Its records stay
    /// readable for 24 hours.
    pub fn disable(&mut self, table: &str, seq: u64, now_ms: u64) {
        if let Some(s) = self.list.iter_mut().rev().find(|s| s.table == table && s.disabled_ms.is_none()) {
            s.close(seq);
            s.disabled_ms = Some(now_ms);
        }
    }

    /// A partition of `table` split at hash `at`, before the change numbered `seq`.
    pub fn split(&mut self, table: &str, at: u64, seq: u64, now_ms: u64) {
        if let Some(s) = self.list.iter_mut().rev().find(|s| s.table == table && s.disabled_ms.is_none()) {
            s.split(at, seq, now_ms);
        }
    }

    /// Forgets streams disabled more than 24 hours ago.
    /// Forgets disabled streams past their 24 hours; returns the tables they belonged to.
    pub fn expire(&mut self, now_ms: u64) -> Vec<String> {
        let mut gone = Vec::new();
        self.list.retain(|s| {
            let keep = s.disabled_ms.is_none_or(|d| d.saturating_add(RETENTION_MS) > now_ms);
            if !keep {
                gone.push(s.table.clone());
            }
            keep
        });
        gone
    }
}

#[cfg(test)]
mod tests;
