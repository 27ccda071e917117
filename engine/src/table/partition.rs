//! The partition map a learner sees: a table's 64-bit hash space cut into contiguous
//! ranges, one per partition, with each partition's size and recent traffic.
//!
//! AWS allocates partitions from throughput (one per 3,000 read units or 1,000 write
//! units) and size (one per 10 GB), and splits a partition when it grows past 10 GB or
//! runs hot; partitions are never merged. Here the same limits are divided by the table's
//! *teaching scale* (1 = AWS's real limits), so a classroom table of a few dozen items can
//! be made to split in front of the class.
//!
//! Split for heat: a partition whose traffic, averaged over the last [`HEAT_WINDOW_S`]
//! seconds, exceeds its per-second limit splits at the median hash of its items, at most
//! once per window. Throughput limits never go below 3 read / 1 write units per second,
//! whatever the scale, so only a sustained loop (not a learner clicking) heats a partition.

/// AWS's per-partition storage limit.
pub const PARTITION_BYTES: u64 = 10 * 1024 * 1024 * 1024;
/// AWS's per-partition read throughput limit (units per second).
pub const PARTITION_READ_UNITS: f64 = 3000.0;
/// AWS's per-partition write throughput limit (units per second).
pub const PARTITION_WRITE_UNITS: f64 = 1000.0;
/// Seconds of traffic a heat split looks at, and the least time between two splits of
/// one partition.
pub const HEAT_WINDOW_S: u64 = 5;
/// The largest teaching scale: 10 GB partitions become 10 bytes, so every item splits
/// off on its own; a larger scale would teach nothing more.
pub const MAX_TEACHING_SCALE: u64 = 1_000_000_000;
/// The most partitions throughput alone allocates; keeps a silly request cheap.
pub const MAX_INITIAL_PARTITIONS: u64 = 256;

/// Units consumed per engine-clock second, newest last, kept for [`Traffic::KEEP_S`]
/// seconds: a partition's (for heat) and a partition key's (for the hot-key view). One
/// second is kept inline: most partition keys a table tracks were used in one second
/// only, and a PutItem of a new key allocated for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traffic(smallvec::SmallVec<[(u64, f64, f64); 1]>);

impl Traffic {
    pub const KEEP_S: u64 = 60;

    /// Adds units to the current second and forgets seconds older than [`Traffic::KEEP_S`].
    pub fn record(&mut self, now_ms: u64, read: f64, write: f64) {
        let second = now_ms / 1000;
        match self.0.last_mut() {
            Some((s, r, w)) if *s == second => {
                *r += read;
                *w += write;
            }
            _ => {
                // A second leaves the window only when another begins (the last call,
                // at this same second, trimmed the rest already). Seconds come in order,
                // so those that leave are the oldest: most calls forget none.
                let gone = self.0.iter().take_while(|(s, _, _)| s + Self::KEEP_S <= second).count();
                self.0.drain(..gone);
                // A second second moves the seconds to the heap, with room for four (as a
                // `Vec` would make), not two.
                if self.0.len() == 1 {
                    self.0.reserve(3);
                }
                self.0.push((second, read, write));
            }
        }
    }

    /// (read, write) units over the last `seconds` seconds up to `now_ms`.
    pub fn totals(&self, now_ms: u64, seconds: u64) -> (f64, f64) {
        let now = now_ms / 1000;
        self.0
            .iter()
            .filter(|(s, _, _)| s + seconds > now && *s <= now)
            .fold((0.0, 0.0), |(r, w), (_, rr, ww)| (r + rr, w + ww))
    }

    /// Whether any second kept is still within [`Traffic::KEEP_S`] of `second`.
    pub fn is_recent(&self, second: u64) -> bool {
        self.0.iter().any(|(s, _, _)| s + Self::KEEP_S > second)
    }

    /// Each second kept: (engine second, read units, write units), oldest first.
    pub fn seconds(&self) -> &[(u64, f64, f64)] {
        &self.0
    }

    /// Every unit kept, read and write.
    pub fn units(&self) -> f64 {
        self.0.iter().map(|(_, r, w)| r + w).sum()
    }
}

/// One partition's share of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Partition {
    /// First hash this partition holds; it holds everything up to the next one's start.
    pub start: u64,
    pub items: usize,
    pub bytes: usize,
    /// Item collections (distinct partition keys): kept exact like `items`, so a view
    /// counts them without reading the items. Never saved; a load recounts.
    pub collections: usize,
    /// Units consumed per engine-clock second.
    pub traffic: Traffic,
    /// Engine time the partition came into being (by creation or split), in ms.
    pub created_ms: u64,
}

impl Partition {
    fn new(start: u64, created_ms: u64) -> Partition {
        Partition { start, items: 0, bytes: 0, collections: 0, traffic: Traffic::default(), created_ms }
    }

    /// Records consumed units in the current second.
    pub fn record(&mut self, now_ms: u64, read: f64, write: f64) {
        self.traffic.record(now_ms, read, write);
    }

    /// Average (read, write) units per second over the last `seconds` seconds.
    pub fn recent_rate(&self, now_ms: u64, seconds: u64) -> (f64, f64) {
        let (r, w) = self.traffic.totals(now_ms, seconds);
        (r / seconds as f64, w / seconds as f64)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Partitions {
    pub parts: Vec<Partition>,
    /// Divides AWS's partition limits (1 = real limits).
    pub scale: u64,
}

impl Partitions {
    /// The initial map: as many equal hash ranges as throughput calls for.
    pub fn new(count: u64, scale: u64, now_ms: u64) -> Partitions {
        let count = count.clamp(1, MAX_INITIAL_PARTITIONS);
        let step = u64::MAX / count;
        let parts = (0..count).map(|i| Partition::new(i * step + u64::from(i > 0), now_ms)).collect();
        Partitions { parts, scale: scale.max(1) }
    }

    /// Partitions AWS allocates for provisioned throughput, at this teaching scale.
    pub fn for_throughput(read: i64, write: i64, scale: u64) -> u64 {
        let scale = scale.max(1) as f64;
        let need =
            read.max(0) as f64 / (PARTITION_READ_UNITS / scale) + write.max(0) as f64 / (PARTITION_WRITE_UNITS / scale);
        (need.ceil() as u64).max(1)
    }

    /// Read units per second a partition serves before it counts as hot. Never below 3,
    /// so that at classroom scales only a sustained loop, not a person clicking, heats a
    /// partition.
    pub fn read_limit(&self) -> f64 {
        (PARTITION_READ_UNITS / self.scale as f64).max(3.0)
    }

    /// Write units per second a partition serves before it counts as hot; never below 1.
    pub fn write_limit(&self) -> f64 {
        (PARTITION_WRITE_UNITS / self.scale as f64).max(1.0)
    }

    pub fn byte_limit(&self) -> u64 {
        (PARTITION_BYTES / self.scale).max(1)
    }

    /// The index of the partition holding `hash`.
    pub fn index_of(&self, hash: u64) -> usize {
        self.parts.partition_point(|p| p.start <= hash).saturating_sub(1)
    }

    /// The hash range `[start, end]` of partition `i`.
    pub fn range(&self, i: usize) -> (u64, u64) {
        let start = self.parts.get(i).map_or(0, |p| p.start);
        let end = self.parts.get(i + 1).map_or(u64::MAX, |p| p.start - 1);
        (start, end)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Partition> {
        self.parts.get_mut(i)
    }

    /// Splits partition `i` at `at` (which must lie strictly inside it): the new partition
    /// takes `[at, end]`. Returns the new partition's index.
    pub fn split(&mut self, i: usize, at: u64, now_ms: u64) -> Option<usize> {
        let (start, end) = self.range(i);
        if at <= start || at > end {
            return None;
        }
        self.parts.insert(i + 1, Partition::new(at, now_ms));
        if let Some(p) = self.parts.get_mut(i) {
            p.created_ms = now_ms;
        }
        Some(i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traffic_keeps_the_last_minute_by_second() {
        let mut t = Traffic::default();
        // Two calls a second for 70 seconds, from second 1,000.
        for ms in (1_000_000..1_070_000).step_by(500) {
            t.record(ms, 1.0, 0.5);
        }
        let seconds: Vec<u64> = t.seconds().iter().map(|(s, _, _)| *s).collect();
        assert_eq!(seconds, (1_010..1_070).collect::<Vec<u64>>());
        assert!(t.seconds().iter().all(|&(_, r, w)| r == 2.0 && w == 1.0));
        assert_eq!(t.totals(1_069_999, 5), (10.0, 5.0));
        // A second long after forgets every one kept.
        t.record(2_000_000, 0.0, 1.0);
        assert_eq!(t.seconds(), &[(2_000, 0.0, 1.0)]);
        assert!(t.is_recent(2_059) && !t.is_recent(2_060));
    }

    #[test]
    fn throughput_allocates_partitions_as_aws_documents() {
        assert_eq!(Partitions::for_throughput(5, 5, 1), 1);
        assert_eq!(Partitions::for_throughput(3000, 1000, 1), 2);
        assert_eq!(Partitions::for_throughput(6001, 0, 1), 3);
        assert_eq!(Partitions::for_throughput(5, 5, 1000), 7);
    }

    #[test]
    fn ranges_cover_the_hash_space_without_gaps() {
        let p = Partitions::new(4, 1, 0);
        assert_eq!(p.range(0).0, 0);
        assert_eq!(p.range(3).1, u64::MAX);
        for i in 0..3 {
            assert_eq!(p.range(i).1 + 1, p.range(i + 1).0);
        }
        assert_eq!(p.index_of(0), 0);
        assert_eq!(p.index_of(u64::MAX), 3);
        assert_eq!(p.index_of(p.range(2).0), 2);
    }

    #[test]
    fn split_takes_the_upper_part() {
        let mut p = Partitions::new(1, 1, 0);
        assert_eq!(p.split(0, 1 << 63, 5), Some(1));
        assert_eq!(p.range(0), (0, (1 << 63) - 1));
        assert_eq!(p.range(1), (1 << 63, u64::MAX));
        assert_eq!(p.split(0, 0, 5), None);
    }
}
