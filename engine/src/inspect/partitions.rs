//! The partition map as the partitions view draws it: each partition's hash range, size
//! and recent traffic, how many partitions the table needs and why, the hottest keys, and
//! where a given key lands.

use crate::table::{BillingMode, KeyRef, KeyValue, Partitions, Table, HEAT_WINDOW_S};

/// Seconds of traffic the view reports (per partition and per key).
pub const TRAFFIC_WINDOW_S: u64 = 60;
/// How many of the loudest partition keys the partition map lists.
const HOT_KEYS: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct PartitionMap {
    pub table: String,
    /// The table's teaching scale (1 = AWS's real limits).
    pub scale: u64,
    /// Per-partition limits at that scale.
    pub byte_limit: u64,
    pub read_limit: f64,
    pub write_limit: f64,
    pub partitions: Vec<PartitionInfo>,
    pub count: PartitionCount,
    /// Partition keys with traffic in the last [`TRAFFIC_WINDOW_S`] seconds, busiest first
    /// (at most five).
    pub hot_keys: Vec<HotKey>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartitionInfo {
    pub index: usize,
    /// The hash range `[start, end]` it holds.
    pub start: u64,
    pub end: u64,
    pub items: usize,
    pub bytes: usize,
    /// Units consumed in the last [`TRAFFIC_WINDOW_S`] seconds.
    pub read_units: f64,
    pub write_units: f64,
    /// Traffic over the last `HEAT_WINDOW_S` seconds as a share of the partition's
    /// per-second limit (the larger of read and write); past 1.0 the partition splits.
    pub heat: f64,
    pub created_ms: u64,
}

impl PartitionInfo {
    /// The share of the hash space this partition holds, 0..=1.
    pub fn width(&self) -> f64 {
        (self.end - self.start) as f64 / u64::MAX as f64
    }
}

/// Why the table has as many partitions as it has.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionCount {
    pub billing: BillingMode,
    /// Provisioned read and write units (zero for on-demand).
    pub read_units: i64,
    pub write_units: i64,
    /// Partitions the provisioned throughput calls for (1 for on-demand):
    /// `ceil(RCU / read_limit + WCU / write_limit)`.
    pub for_throughput: u64,
    /// Partitions the data calls for: `ceil(bytes / byte_limit)`, at least 1.
    pub for_size: u64,
    pub table_bytes: usize,
    /// Partitions the table has now; more than either figure means splits happened
    /// (partitions never merge).
    pub current: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HotKey {
    pub key: KeyValue,
    pub partition: usize,
    pub read_units: f64,
    pub write_units: f64,
    /// This key's share of its partition's traffic in the window, 0..=1.
    pub share: f64,
    /// Whether the key stands out: it took at least twice the mean traffic of the keys
    /// with any (when several have traffic), or, alone, it runs its partition past its
    /// limit.
    pub hot: bool,
}

/// Where a partition key lands, with every step shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub key: KeyValue,
    /// Type tag then the key's bytes: what is hashed.
    pub hash_input: Vec<u8>,
    pub digest: [u8; 16],
    /// The digest's first 8 bytes, big-endian.
    pub hash: u64,
    /// `hash` as a share of the hash space, 0..=1.
    pub position: f64,
    pub partition: usize,
    pub start: u64,
    pub end: u64,
}

/// One item collection (all items with one partition key).
#[derive(Clone, Debug, PartialEq)]
pub struct CollectionInfo {
    pub key: KeyValue,
    pub hash: u64,
    pub partition: usize,
    pub items: usize,
    pub bytes: usize,
}

/// The table's partition map at engine time `now_ms`.
pub fn partition_map(table: &Table, now_ms: u64) -> PartitionMap {
    let parts = &table.partitions;
    let (read_limit, write_limit) = (parts.read_limit(), parts.write_limit());
    let partitions: Vec<PartitionInfo> = parts
        .parts
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let (start, end) = parts.range(index);
            let (r, w) = p.recent_rate(now_ms, TRAFFIC_WINDOW_S);
            let (hr, hw) = p.recent_rate(now_ms, HEAT_WINDOW_S);
            PartitionInfo {
                index,
                start,
                end,
                items: p.items,
                bytes: p.bytes,
                read_units: r * TRAFFIC_WINDOW_S as f64,
                write_units: w * TRAFFIC_WINDOW_S as f64,
                heat: (hr / read_limit).max(hw / write_limit),
                created_ms: p.created_ms,
            }
        })
        .collect();
    let def = &table.def;
    let provisioned = def.billing == BillingMode::Provisioned;
    let (read_units, write_units) = if provisioned { (def.throughput.read, def.throughput.write) } else { (0, 0) };
    let byte_limit = parts.byte_limit();
    let count = PartitionCount {
        billing: def.billing,
        read_units,
        write_units,
        for_throughput: if provisioned { Partitions::for_throughput(read_units, write_units, parts.scale) } else { 1 },
        for_size: (table.size_bytes() as u64).div_ceil(byte_limit).max(1),
        table_bytes: table.size_bytes(),
        current: partitions.len(),
    };
    let hot_keys = hot_keys(table, &partitions, now_ms);
    PartitionMap {
        table: def.name.clone(),
        scale: parts.scale,
        byte_limit,
        read_limit,
        write_limit,
        partitions,
        count,
        hot_keys,
    }
}

/// The five loudest partition keys over the traffic window, loudest first (ties by key, so
/// the list never depends on the map's order). Only those five are cloned and ordered:
/// the hot-key view may track thousands.
fn hot_keys(table: &Table, partitions: &[PartitionInfo], now_ms: u64) -> Vec<HotKey> {
    let parts = &table.partitions;
    let mut loud: Vec<(&KeyValue, f64, f64)> = table.key_traffic(now_ms, TRAFFIC_WINDOW_S).collect();
    let active = loud.len();
    let mean = loud.iter().map(|(_, r, w)| r + w).sum::<f64>() / active.max(1) as f64;
    let louder = |a: &(&KeyValue, f64, f64), b: &(&KeyValue, f64, f64)| {
        (b.1 + b.2).total_cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(b.0))
    };
    if loud.len() > HOT_KEYS {
        loud.select_nth_unstable_by(HOT_KEYS, louder);
        loud.truncate(HOT_KEYS);
    }
    crate::sorted::sort_by(&mut loud, louder);
    loud.into_iter()
        .map(|(key, r, w)| {
            let partition = parts.index_of(key.hash());
            let total = partitions.get(partition).map_or(0.0, |p| p.read_units + p.write_units);
            let share = if total > 0.0 { ((r + w) / total).min(1.0) } else { 0.0 };
            let hot =
                if active > 1 { r + w >= 2.0 * mean } else { partitions.get(partition).is_some_and(|p| p.heat >= 1.0) };
            HotKey { key: key.clone(), partition, read_units: r, write_units: w, share, hot }
        })
        .collect()
}

/// The partition list as it was before splits of the given partitions (in the order they
/// happened): each split is undone by merging the partition with the one after it.
pub fn before_splits(after: &[PartitionInfo], splits: &[usize]) -> Vec<PartitionInfo> {
    let mut parts = after.to_vec();
    for &p in splits.iter().rev() {
        if p + 1 >= parts.len() {
            continue;
        }
        let right = parts.remove(p + 1);
        if let Some(left) = parts.get_mut(p) {
            left.end = right.end;
            left.items += right.items;
            left.bytes += right.bytes;
            left.read_units += right.read_units;
            left.write_units += right.write_units;
            left.heat = left.heat.max(right.heat);
            left.created_ms = left.created_ms.min(right.created_ms);
        }
    }
    for (i, part) in parts.iter_mut().enumerate() {
        part.index = i;
    }
    parts
}

/// Where partition key `key` lands in `table`.
pub fn placement(table: &Table, key: &KeyValue) -> Placement {
    let hash = key.hash();
    let partition = table.partitions.index_of(hash);
    let (start, end) = table.partitions.range(partition);
    Placement {
        key: key.clone(),
        hash_input: key.hash_input(),
        digest: key.digest(),
        hash,
        position: hash as f64 / u64::MAX as f64,
        partition,
        start,
        end,
    }
}

/// Item collections in hash order: those of `partition` when given, else all; at most
/// `limit`. The second value is how many there are in all (kept by the table: only the
/// items of the collections returned are read).
pub fn collections(table: &Table, partition: Option<usize>, limit: usize) -> (Vec<CollectionInfo>, usize) {
    let (start, end) = match partition {
        Some(p) => table.partitions.range(p),
        None => (0, u64::MAX),
    };
    let mut out: Vec<CollectionInfo> = Vec::new();
    // The first key of the collection being read.
    let mut first: Option<KeyRef> = None;
    for (key, item) in table.items_in_hash_range(start, end) {
        if first.is_some_and(|f| f.same_pk(&key)) {
            if let Some(c) = out.last_mut() {
                c.items += 1;
                c.bytes += item.size();
            }
            continue;
        }
        if out.len() == limit {
            break;
        }
        first = Some(key);
        out.push(CollectionInfo {
            key: key.pk(),
            hash: key.hash,
            partition: table.partitions.index_of(key.hash),
            items: 1,
            bytes: item.size(),
        });
    }
    (out, table.collection_count(partition))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Engine};

    fn engine_with(create: &str, items: &[&str]) -> Engine {
        let mut e = Engine::new(Config::default());
        let r = e.request("CreateTable", create.as_bytes(), 0);
        assert_eq!(r.status, 200, "{}", r.body);
        for (i, item) in items.iter().enumerate() {
            let body = format!(r#"{{"TableName":"Tbl","Item":{item}}}"#);
            let r = e.request("PutItem", body.as_bytes(), 1000 + i as u64);
            assert_eq!(r.status, 200, "{}", r.body);
        }
        e
    }

    const ON_DEMAND: &str = r#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST","DynaplayTeachingScale":1000000,
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}"#;

    #[test]
    fn counts_match_the_items_and_the_ranges_tile_the_hash_space() {
        let items: Vec<String> = (0..60)
            .map(|i| {
                format!(r#"{{"pk":{{"S":"user{}"}},"sk":{{"N":"{i}"}},"pad":{{"S":"{}"}}}}"#, i % 12, "x".repeat(300))
            })
            .collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let e = engine_with(ON_DEMAND, &refs);
        let t = e.table("Tbl").unwrap();
        let map = partition_map(t, e.now_ms());
        // 10 GB / 1,000,000 = 10,737 bytes per partition: 60 items of ~320 bytes split.
        assert_eq!(map.byte_limit, 10_737);
        assert!(map.partitions.len() > 1);
        assert_eq!(map.partitions.iter().map(|p| p.items).sum::<usize>(), 60);
        assert_eq!(map.partitions.iter().map(|p| p.bytes).sum::<usize>(), t.size_bytes());
        assert_eq!(map.partitions.first().unwrap().start, 0);
        assert_eq!(map.partitions.last().unwrap().end, u64::MAX);
        for w in map.partitions.windows(2) {
            assert_eq!(w[0].end + 1, w[1].start);
        }
        assert_eq!(map.count.for_throughput, 1);
        assert_eq!(map.count.for_size, (t.size_bytes() as u64).div_ceil(10_737));
        assert_eq!(map.count.current, map.partitions.len());
        // Every collection lies in the partition whose range holds its hash.
        let (cols, total) = collections(t, None, usize::MAX);
        assert_eq!(total, 12);
        assert_eq!(cols.iter().map(|c| c.items).sum::<usize>(), 60);
        // A limit keeps the first collections whole and still counts them all.
        let (first_five, counted) = collections(t, None, 5);
        assert_eq!((first_five.as_slice(), counted), (&cols[..5], 12));
        for c in &cols {
            let p = &map.partitions[c.partition];
            assert!(p.start <= c.hash && c.hash <= p.end);
            assert_eq!(placement(t, &c.key).partition, c.partition);
        }
        // Undoing every split since creation gives back the one partition the table began with.
        let splits: Vec<usize> = (0..map.partitions.len() - 1).map(|_| 0).collect();
        let before = before_splits(&map.partitions, &splits);
        assert_eq!(before.len(), 1);
        assert_eq!((before[0].start, before[0].end, before[0].items), (0, u64::MAX, 60));
        let (in_first, _) = collections(t, Some(0), usize::MAX);
        assert_eq!(in_first.iter().map(|c| c.items).sum::<usize>(), map.partitions[0].items);
    }

    #[test]
    fn provisioned_throughput_sets_the_partition_count() {
        let create = r#"{"TableName":"Tbl","ProvisionedThroughput":{"ReadCapacityUnits":30,"WriteCapacityUnits":20},
            "DynaplayTeachingScale":100,
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}"#;
        let e = engine_with(create, &[]);
        let map = partition_map(e.table("Tbl").unwrap(), e.now_ms());
        // 30 / (3000/100) + 20 / (1000/100) = 1 + 2 = 3.
        assert_eq!((map.count.for_throughput, map.count.current), (3, 3));
        assert_eq!((map.read_limit, map.write_limit), (30.0, 10.0));
    }

    #[test]
    fn hot_keys_and_heat_come_from_recorded_traffic() {
        let e = {
            let mut e = engine_with(
                ON_DEMAND,
                &[r#"{"pk":{"S":"cold"},"sk":{"N":"1"}}"#, r#"{"pk":{"S":"cool"},"sk":{"N":"1"}}"#],
            );
            for i in 0..8 {
                let body = format!(r#"{{"TableName":"Tbl","Item":{{"pk":{{"S":"hot"}},"sk":{{"N":"{i}"}}}}}}"#);
                assert_eq!(e.request("PutItem", body.as_bytes(), 2000).status, 200);
            }
            e
        };
        let t = e.table("Tbl").unwrap();
        let map = partition_map(t, 2000);
        let hot = &map.hot_keys[0];
        assert_eq!(hot.key, KeyValue::S("hot".into()));
        assert_eq!((hot.write_units, hot.read_units), (8.0, 0.0));
        assert_eq!(map.hot_keys[1].write_units, 1.0);
        // 8 units against a mean of 10 / 3 per active key: hot; the others are not.
        let flags: Vec<bool> = map.hot_keys.iter().map(|k| k.hot).collect();
        assert_eq!(flags, [true, false, false]);
        assert_eq!(map.partitions.len(), 1);
        let p = &map.partitions[0];
        assert_eq!(p.write_units, 10.0);
        assert!((hot.share - 0.8).abs() < 1e-12);
        // 10 units in the 5-second heat window = 2/s against a floor of 1 write unit/s.
        assert!((p.heat - 2.0).abs() < 1e-12, "heat {}", p.heat);
        // A minute later the traffic has left the window.
        assert!(partition_map(t, 2000 + 61_000).hot_keys.is_empty());
    }

    #[test]
    fn a_bulk_load_of_many_keys_keeps_the_busy_key_and_bounds_tracking() {
        let mut e = engine_with(ON_DEMAND, &[]);
        for i in 0..10 {
            let body = format!(r#"{{"TableName":"Tbl","Item":{{"pk":{{"S":"busy"}},"sk":{{"N":"{i}"}}}}}}"#);
            assert_eq!(e.request("PutItem", body.as_bytes(), 5000).status, 200);
        }
        // 6,000 distinct partition keys, more than the 4,096 tracked, in batches of 25.
        for b in 0..240 {
            let puts: Vec<String> = (0..25)
                .map(|j| format!(r#"{{"PutRequest":{{"Item":{{"pk":{{"S":"k{}"}},"sk":{{"N":"1"}}}}}}}}"#, b * 25 + j))
                .collect();
            let body = format!(r#"{{"RequestItems":{{"Tbl":[{}]}}}}"#, puts.join(","));
            assert_eq!(e.request("BatchWriteItem", body.as_bytes(), 5000).status, 200);
        }
        let t = e.table("Tbl").unwrap();
        let tracked = t.key_traffic(5000, 60).count();
        assert!((3072..=4096).contains(&tracked), "{tracked} keys tracked");
        let map = partition_map(t, 5000);
        assert_eq!(map.hot_keys[0].key, KeyValue::S("busy".into()));
        assert_eq!(map.hot_keys[0].write_units, 10.0);
    }

    /// The five loudest keys as the map listed them before: every tracked key made a
    /// `HotKey`, all sorted, then cut to five.
    fn hot_keys_sorting_all(t: &Table, partitions: &[PartitionInfo], now_ms: u64) -> Vec<HotKey> {
        let mut all: Vec<HotKey> = t
            .key_traffic(now_ms, TRAFFIC_WINDOW_S)
            .map(|(key, r, w)| {
                let partition = t.partitions.index_of(key.hash());
                let total = partitions.get(partition).map_or(0.0, |p| p.read_units + p.write_units);
                let share = if total > 0.0 { ((r + w) / total).min(1.0) } else { 0.0 };
                HotKey { key: key.clone(), partition, read_units: r, write_units: w, share, hot: false }
            })
            .collect();
        let active = all.len();
        let mean = all.iter().map(|k| k.read_units + k.write_units).sum::<f64>() / active.max(1) as f64;
        for k in &mut all {
            k.hot = if active > 1 {
                k.read_units + k.write_units >= 2.0 * mean
            } else {
                partitions.get(k.partition).is_some_and(|p| p.heat >= 1.0)
            };
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "a test: std's sort is the oracle, and tests are not in the page"
        )]
        all.sort_by(|a, b| {
            (b.read_units + b.write_units).total_cmp(&(a.read_units + a.write_units)).then_with(|| a.key.cmp(&b.key))
        });
        all.truncate(5);
        all
    }

    #[test]
    fn the_five_loudest_keys_are_those_sorting_every_key_gives() {
        // Writes per key: one key; one at exactly twice the mean (hot); 300 keys with many ties.
        let rounds: [Vec<usize>; 3] = [vec![1], vec![4, 1, 1], (0..300).map(|i| i % 4 + 1).collect()];
        for writes in rounds {
            let mut e = engine_with(ON_DEMAND, &[]);
            for (i, n) in writes.iter().enumerate() {
                for _ in 0..*n {
                    let body = format!(r#"{{"TableName":"Tbl","Item":{{"pk":{{"S":"k{i}"}},"sk":{{"N":"1"}}}}}}"#);
                    assert_eq!(e.request("PutItem", body.as_bytes(), 5000).status, 200);
                }
            }
            let t = e.table("Tbl").unwrap();
            let map = partition_map(t, 5000);
            assert_eq!(map.hot_keys, hot_keys_sorting_all(t, &map.partitions, 5000), "{writes:?}");
            assert_eq!(map.hot_keys.len(), 5.min(writes.len()));
            if writes == [4, 1, 1] {
                assert!(map.hot_keys[0].hot && !map.hot_keys[1].hot);
            }
        }
    }

    #[test]
    fn placement_shows_the_hash_steps() {
        let e = engine_with(ON_DEMAND, &[]);
        let p = placement(e.table("Tbl").unwrap(), &KeyValue::S("alice".into()));
        assert_eq!(p.hash_input, b"Salice");
        assert_eq!(p.digest[..8], 0x2b6d_cace_bef2_f6c5_u64.to_be_bytes());
        assert_eq!(p.hash, 0x2b6d_cace_bef2_f6c5);
        assert_eq!((p.partition, p.start, p.end), (0, 0, u64::MAX));
        assert!((p.position - 0.1696).abs() < 1e-3);
    }
}
