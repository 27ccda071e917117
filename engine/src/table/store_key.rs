//! Where an item sits in a table's ordered storage: the hash of its partition key, then
//! its key's values encoded in a few bytes, so that a key is 32 bytes and a typical one
//! needs no allocation (a table's map holds one per item, an index two per entry; as two
//! [`KeyValue`]s it was 72 bytes).
//!
//! The bytes: a header (the partition key's type × 4, plus the sort key's: 0 for none,
//! 1 S, 2 N, 3 B), the length of the partition key's bytes (LEB128), those bytes, then the
//! sort key's bytes. A string's bytes are its UTF-8, a binary's its own, a number's its
//! ordered bytes (`value/number/ordered.rs`). Within one table every key has the same
//! header, and equal partition keys the same bytes up to the sort key's, which is last
//! and sorts as DynamoDB sorts it; so keys sort by hash, then partition key, then sort
//! key, and the map's order is still DynamoDB's scan order. Partition keys with the same
//! hash sort by their bytes, not by value, which nothing depends on.

use std::fmt;
use std::ops::Range;

use super::KeyValue;
use crate::value::Number;

/// An encoded key: inline up to 16 bytes (a 10-character partition key and a number of up
/// to two digits, say), on the heap, exactly as long as it is, beyond.
type Bytes = smallvec::SmallVec<[u8; 16]>;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreKey<B = Bytes> {
    pub hash: u64,
    bytes: B,
}

/// A key borrowed from where it is kept (a table keeps each item's key in the item's own
/// allocation: [`super::Items`]).
pub type KeyRef<'a> = StoreKey<&'a [u8]>;

fn type_code(v: &KeyValue) -> u8 {
    match v {
        KeyValue::S(_) => 1,
        KeyValue::N(_) => 2,
        KeyValue::B(_) => 3,
    }
}

fn value_len(v: &KeyValue) -> usize {
    match v {
        KeyValue::S(s) => s.len(),
        KeyValue::N(n) => n.ordered_len(),
        KeyValue::B(b) => b.len(),
    }
}

fn write_value(v: &KeyValue, out: &mut Bytes) {
    match v {
        KeyValue::S(s) => out.extend_from_slice(s.as_bytes()),
        KeyValue::N(n) => n.write_ordered(out),
        KeyValue::B(b) => out.extend_from_slice(b),
    }
}

fn read_value(code: u8, bytes: &[u8]) -> Option<KeyValue> {
    match code {
        1 => std::str::from_utf8(bytes).ok().map(|s| KeyValue::S(s.into())),
        2 => Number::read_ordered(bytes).map(KeyValue::N),
        3 => Some(KeyValue::B(bytes.to_vec())),
        _ => None,
    }
}

fn write_len(mut n: usize, out: &mut Bytes) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The length at the start of `bytes` and what follows it.
fn read_len(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let mut n = 0usize;
    for (i, &b) in bytes.iter().enumerate().take(4) {
        n |= usize::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Some((n, bytes.get(i + 1..)?));
        }
    }
    None
}

impl StoreKey {
    pub fn new(pk: KeyValue, sk: Option<KeyValue>) -> StoreKey {
        StoreKey::of(&pk, sk.as_ref())
    }

    pub fn of(pk: &KeyValue, sk: Option<&KeyValue>) -> StoreKey {
        StoreKey { hash: pk.hash(), bytes: encode(pk, sk) }
    }

    /// A key that sorts before every stored key with this hash.
    pub fn first_with_hash(hash: u64) -> StoreKey {
        StoreKey { hash, bytes: Bytes::new() }
    }

    /// This key under another hash: tests make partition keys collide with it.
    #[cfg(test)]
    pub(crate) fn with_hash(&self, hash: u64) -> StoreKey {
        StoreKey { hash, bytes: self.bytes.clone() }
    }

    /// The least key after every key of `pk` whose sort key begins with the string or
    /// binary `prefix`; `None` when that is past the collection (a prefix of 0xFF bytes).
    /// A bound only: its bytes need not read back as a key.
    pub fn past_prefix(pk: &KeyValue, prefix: &KeyValue) -> Option<StoreKey> {
        let whole = StoreKey::of(pk, Some(prefix));
        let start = whole.bytes.len().checked_sub(value_len(prefix))?;
        let mut bytes = whole.bytes;
        while bytes.len() > start && bytes.last() == Some(&0xff) {
            bytes.pop();
        }
        if bytes.len() == start {
            return None;
        }
        let last = bytes.last_mut()?;
        *last += 1;
        Some(StoreKey { hash: whole.hash, bytes })
    }
}

impl<'a> KeyRef<'a> {
    /// The key whose hash is `hash` and whose bytes are `bytes` (as [`StoreKey::bytes`]
    /// gives them).
    pub fn from_parts(hash: u64, bytes: &'a [u8]) -> KeyRef<'a> {
        StoreKey { hash, bytes }
    }
}

impl<B: AsRef<[u8]>> StoreKey<B> {
    /// Its bytes (the hash aside): what an item keeps of its key.
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// This key, borrowed.
    pub fn borrowed(&self) -> KeyRef<'_> {
        StoreKey { hash: self.hash, bytes: self.bytes() }
    }

    /// This key, owned.
    pub fn owned(&self) -> StoreKey {
        StoreKey { hash: self.hash, bytes: Bytes::from_slice(self.bytes()) }
    }

    /// Where its partition and sort key's values lie in its bytes (a string's and a
    /// binary's are their own bytes): an item packed after the key keeps those values
    /// there alone ([`crate::value::PackedItem::keyed`]).
    pub fn value_ranges(&self) -> [Range<usize>; 2] {
        let bytes = self.bytes();
        let Some((len, after)) = bytes.split_first().and_then(|(_, rest)| read_len(rest)) else {
            return [0..0, 0..0];
        };
        let start = bytes.len() - after.len();
        let end = start.saturating_add(len).min(bytes.len());
        [start..end, end..bytes.len()]
    }

    /// The least key after this one (its bytes and a zero byte): an exclusive bound that
    /// keeps this key, and every index entry with it as its index key, inside a range.
    pub fn just_after(&self) -> StoreKey {
        let mut bytes = Bytes::from_slice(self.bytes());
        bytes.push(0);
        StoreKey { hash: self.hash, bytes }
    }

    /// (partition key's type code, its bytes, sort key's type code, its bytes).
    fn parts(&self) -> Option<(u8, &[u8], u8, &[u8])> {
        let (&header, rest) = self.bytes().split_first()?;
        let (len, rest) = read_len(rest)?;
        Some((header / 4, rest.get(..len)?, header % 4, rest.get(len..)?))
    }

    /// The first four bytes of its sort key's, zero-padded, as a number (0 for a key
    /// without one). Keys of one partition key order as these numbers do where they
    /// differ (a shorter sort key's padding is never above a longer one's bytes), so a
    /// search among them compares the numbers before reading any bytes.
    pub fn sort_prefix(&self) -> u32 {
        let mut four = [0u8; 4];
        if let Some((.., sk)) = self.parts() {
            four.iter_mut().zip(sk).for_each(|(to, from)| *to = *from);
        }
        u32::from_be_bytes(four)
    }

    fn pk_part(&self) -> Option<(u8, &[u8])> {
        self.parts().map(|(code, bytes, ..)| (code, bytes))
    }

    /// The partition key's value (an empty string for [`StoreKey::first_with_hash`]).
    pub fn pk(&self) -> KeyValue {
        self.parts().and_then(|(code, bytes, ..)| read_value(code, bytes)).unwrap_or_else(|| KeyValue::S("".into()))
    }

    /// The sort key's value, if the key has one.
    pub fn sk(&self) -> Option<KeyValue> {
        self.parts().and_then(|(_, _, code, bytes)| read_value(code, bytes))
    }

    pub fn has_sk(&self) -> bool {
        self.parts().is_some_and(|(_, _, code, _)| code != 0)
    }

    /// Whether `other` has the same partition key, without reading either.
    pub fn same_pk(&self, other: &StoreKey<impl AsRef<[u8]>>) -> bool {
        self.hash == other.hash && self.pk_part() == other.pk_part()
    }
}

fn encode(pk: &KeyValue, sk: Option<&KeyValue>) -> Bytes {
    let pk_len = value_len(pk);
    // Exactly its length: room for more would put a key that fits inline on the heap.
    let len_bytes = (usize::BITS - pk_len.leading_zeros()).div_ceil(7).max(1) as usize;
    let mut out = Bytes::with_capacity(1 + len_bytes + pk_len + sk.map_or(0, value_len));
    out.push(type_code(pk) * 4 + sk.map_or(0, type_code));
    write_len(pk_len, &mut out);
    write_value(pk, &mut out);
    if let Some(sk) = sk {
        write_value(sk, &mut out);
    }
    // A no-op unless the length above was worked out wrong.
    out.shrink_to_fit();
    out
}

impl<B: AsRef<[u8]>> fmt::Debug for StoreKey<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreKey").field("hash", &self.hash).field("pk", &self.pk()).field("sk", &self.sk()).finish()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn n(text: &str) -> KeyValue {
        KeyValue::N(Number::parse(text).unwrap())
    }

    #[test]
    fn a_typical_key_is_32_bytes_with_nothing_on_the_heap() {
        assert_eq!(std::mem::size_of::<StoreKey>(), 32);
        let key = StoreKey::new(KeyValue::S("user-00001".into()), Some(n("49")));
        assert!(!key.bytes.spilled(), "{:?}", key.bytes);
        assert_eq!(
            key.bytes.as_slice(),
            [4 + 2, 10, b'u', b's', b'e', b'r', b'-', b'0', b'0', b'0', b'0', b'1', 2, 131, 4, 9]
        );
    }

    #[test]
    fn keys_read_back_and_a_long_one_takes_only_its_length() {
        let long = KeyValue::B(vec![7; 300]);
        for (pk, sk) in [
            (KeyValue::S("alice".into()), None),
            (n("-12.5"), Some(KeyValue::S("2024-01-01T00:00:00Z#order#0001".into()))),
            (long.clone(), Some(long.clone())),
            (KeyValue::S("".into()), Some(n("0"))),
        ] {
            let key = StoreKey::of(&pk, sk.as_ref());
            assert_eq!((key.pk(), key.sk(), key.has_sk()), (pk.clone(), sk.clone(), sk.is_some()));
            assert_eq!(key.hash, pk.hash());
            assert!(key.bytes.capacity() == key.bytes.len() || !key.bytes.spilled());
        }
    }

    #[test]
    fn a_sort_prefix_is_the_sort_keys_first_four_bytes() {
        let s = |sk: Option<KeyValue>| StoreKey::new(KeyValue::S("pk".into()), sk).sort_prefix();
        assert_eq!(s(Some(KeyValue::S("abcdef".into()))), u32::from_be_bytes(*b"abcd"));
        assert_eq!(s(Some(KeyValue::S("ab".into()))), u32::from_be_bytes(*b"ab\0\0"));
        assert_eq!(s(Some(KeyValue::B(vec![0xff; 9]))), u32::MAX);
        assert_eq!((s(None), StoreKey::first_with_hash(7).sort_prefix()), (0, 0));
    }

    #[test]
    fn the_first_key_of_a_hash_sorts_before_its_keys() {
        let key = StoreKey::new(KeyValue::S("".into()), None);
        assert!(StoreKey::first_with_hash(key.hash) < key);
        assert!(StoreKey::first_with_hash(key.hash + 1) > key);
    }

    #[test]
    fn bounds_past_a_key_and_past_a_prefix() {
        let pk = KeyValue::S("p".into());
        let key = |sk: &[u8]| StoreKey::of(&pk, Some(&KeyValue::B(sk.to_vec())));
        assert!(key(b"ab").just_after() > key(b"ab"));
        assert_eq!(key(b"ab").just_after(), key(b"ab\0"));
        let past = StoreKey::past_prefix(&pk, &KeyValue::B(b"ab".to_vec())).unwrap();
        assert!(key(b"ab\xff\xff") < past && past <= key(b"ac"));
        let past = StoreKey::past_prefix(&pk, &KeyValue::B(b"a\xff".to_vec())).unwrap();
        assert!(key(b"a\xff\xff") < past && past <= key(b"b"));
        assert_eq!(StoreKey::past_prefix(&pk, &KeyValue::B(b"\xff".to_vec())), None);
        assert_eq!(StoreKey::past_prefix(&pk, &KeyValue::B(Vec::new())), None);
    }

    fn any_value(code: u8) -> BoxedStrategy<KeyValue> {
        match code {
            0 => "\\PC{0,30}".prop_map(|s| KeyValue::S(s.as_str().into())).boxed(),
            1 => (any::<bool>(), "[1-9][0-9]{0,20}", -40i64..40)
                .prop_filter_map("a number", |(neg, d, e)| {
                    Number::parse(&format!("{}{d}E{e}", if neg { "-" } else { "" })).ok().map(KeyValue::N)
                })
                .boxed(),
            _ => proptest::collection::vec(any::<u8>(), 0..30).prop_map(KeyValue::B).boxed(),
        }
    }

    fn two_keys() -> impl Strategy<Value = (KeyValue, KeyValue, Option<(KeyValue, KeyValue)>)> {
        (0u8..3, 0u8..4).prop_flat_map(|(p, s)| {
            let sks = if s == 3 { Just(None).boxed() } else { (any_value(s), any_value(s)).prop_map(Some).boxed() };
            (any_value(p), any_value(p), sks)
        })
    }

    proptest! {
        /// Keys of one table sort by hash, then, for one partition key, by the sort key
        /// as DynamoDB sorts it.
        #[test]
        fn keys_sort_by_hash_then_sort_key((pk, other, sks) in two_keys()) {
            let (a, b) = sks.clone().unzip();
            for (p, s) in [(&pk, a.as_ref()), (&other, b.as_ref()), (&pk, b.as_ref())] {
                let key = StoreKey::of(p, s);
                prop_assert_eq!((key.pk(), key.sk()), (p.clone(), s.cloned()));
            }
            let (x, y) = (StoreKey::of(&pk, a.as_ref()), StoreKey::of(&pk, b.as_ref()));
            prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            // Where the prefixes differ, they order the two as their sort keys.
            if x.sort_prefix() != y.sort_prefix() {
                prop_assert_eq!(x.sort_prefix().cmp(&y.sort_prefix()), x.cmp(&y));
            }
            prop_assert!(x.same_pk(&y));
            let z = StoreKey::of(&other, b.as_ref());
            prop_assert_eq!(x.same_pk(&z), pk == other);
            if x.hash != z.hash {
                prop_assert_eq!(x.cmp(&z), x.hash.cmp(&z.hash));
            }
            prop_assert!(StoreKey::of(&pk, None) <= x);
        }
    }
}
