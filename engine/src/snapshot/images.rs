//! A reload's images: each item text read once. The running engine shares one item
//! between the table and the change log's images of it (and between a change's old image
//! and the new image of the change before); a reload reads the same item from several
//! records. Records are written by one serializer from items whose names are sorted, so
//! equal items have equal texts: an image whose text was read before takes that item,
//! and memory after a reload matches memory before it without parsing the text again.
//! Items are found by their text's hash and the find confirmed by writing the item
//! again ([`write_item`], the records' own format) and comparing: so no text is kept,
//! and each record can go as it is read (in the page, the item records' text held for
//! the whole reload was most of its peak beyond the engine).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::{bad, Result};
use crate::value::{write_packed, Item, PackedItem, Shapes};

#[derive(Default)]
pub(super) struct Images {
    /// The items of the item records, each beside its text's hash ([`short`]: the texts
    /// are the engine's own records; a find is confirmed, so a collision costs a parse,
    /// never a wrong item), sorted by it at the first find.
    /// A list, not a map: 8 bytes an item in the page (16 natively), where a hash map of
    /// a million items took 34 MiB (its 2^21 slots of 16 bytes), most of a reload's peak.
    items: Vec<(u32, PackedItem)>,
    /// Where in `items` each run of hashes with the same upper bits starts (and, last,
    /// their end), so a find searches a run of about 16 items, not the whole list (a
    /// binary search of a million took a reload's images 25 to 40 % longer than the hash
    /// map did).
    starts: Vec<usize>,
    /// How far a hash is shifted right to give its run in `starts`.
    shift: u32,
    /// How many of `items`, from the start, are sorted.
    sorted: usize,
    /// The images read from change records and found nowhere before, by their text's
    /// hash (a change's new image is the next change's old one).
    read: FxHashMap<u64, PackedItem>,
    /// The text a found item writes, to compare (kept to reuse its room).
    written: String,
    /// The lists of names of the images read here (before-images of updated items, most
    /// of them), shared as a table shares its items'.
    shapes: Shapes,
}

fn hash(text: &str) -> u64 {
    let mut h = FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

/// The 32 bits of a hash `items` are sorted by: its two halves folded, since Fx hashes
/// a `usize`, so on wasm32 the upper half is all zeros (taken alone, every item of a
/// page's reload had one hash, and each find read them all).
fn short(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

impl Images {
    pub(super) fn with_capacity(n: usize) -> Images {
        Images { items: Vec::with_capacity(n), ..Images::default() }
    }

    /// Room for `n` more items noted, and no more: a page's load tells of its items
    /// 25,000 at a time, and a list grown by doubling held 1.6 million slots for a million
    /// items at its end (the page's most live at once went 116.0 → 120.6 MiB).
    pub(super) fn reserve(&mut self, n: usize) {
        self.items.reserve_exact(n);
    }

    /// Notes that `text` reads as `item` (an item as its table keeps it).
    pub(super) fn insert(&mut self, text: &str, item: &PackedItem) {
        self.items.push((short(hash(text)), item.clone()));
    }

    /// The item `text` reads as: the one read from an equal text before, or read now
    /// (and noted, for the next change's other image of it).
    pub(super) fn read(&mut self, text: &str) -> Result<PackedItem> {
        let h = hash(text);
        if let Some(item) = self.find(h, text) {
            return Ok(item);
        }
        let mut item: Item = serde_json::from_str(text).map_err(|e| bad(&format!("change image: {e}")))?;
        self.shapes.share(&mut item);
        let item = PackedItem::new(&item);
        self.read.insert(h, item.clone());
        Ok(item)
    }

    /// An item noted before whose text is `text` (of hash `h`).
    fn find(&mut self, h: u64, text: &str) -> Option<PackedItem> {
        if self.sorted < self.items.len() {
            self.index();
        }
        let run = self.run(short(h)).and_then(|run| self.items.get(run)).unwrap_or_default();
        let written = &mut self.written;
        let from = run.partition_point(|(k, _)| *k < short(h));
        let noted = run.get(from..).into_iter().flatten().take_while(|(k, _)| *k == short(h)).map(|(_, item)| item);
        let found = self.read.get(&h).into_iter().chain(noted).find(|item| {
            written.clear();
            write_packed(written, item);
            written == text
        });
        found.cloned()
    }

    /// Sorts `items` by hash and notes where each run of upper bits starts (2^b runs,
    /// b four less than the bits of their count: about 16 items a run).
    fn index(&mut self) {
        #[expect(
            clippy::disallowed_methods,
            reason = "a reload sorts every item's hash: std's sort in place, not a sort of positions"
        )]
        self.items.sort_unstable_by_key(|(h, _)| *h);
        self.sorted = self.items.len();
        let bits = (usize::BITS - self.items.len().leading_zeros()).saturating_sub(4).min(24);
        self.shift = 32 - bits;
        self.starts.clear();
        let mut at = 0;
        for run in 0..=(1usize << bits) {
            let rest = self.items.get(at..).unwrap_or_default();
            at += rest.partition_point(|(k, _)| self.run_of(*k) < run);
            self.starts.push(at);
        }
    }

    /// The run of `items` a hash's upper bits give.
    fn run_of(&self, short: u32) -> usize {
        short.checked_shr(self.shift).unwrap_or(0) as usize
    }

    /// Where in `items` the hashes with `short`'s upper bits are.
    fn run(&self, short: u32) -> Option<std::ops::Range<usize>> {
        let run = self.run_of(short);
        Some(*self.starts.get(run)?..*self.starts.get(run.checked_add(1)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_equal_text_takes_the_item_read_before_and_a_bad_one_is_refused() {
        let mut images = Images::default();
        let kept = PackedItem::from(serde_json::from_str::<Item>(r#"{"pk":{"S":"a"}}"#).unwrap());
        images.insert(r#"{"pk":{"S":"a"}}"#, &kept);
        assert!(PackedItem::same(&images.read(r#"{"pk":{"S":"a"}}"#).unwrap(), &kept));
        let first = images.read(r#"{"pk":{"S":"b"}}"#).unwrap();
        assert!(PackedItem::same(&images.read(r#"{"pk":{"S":"b"}}"#).unwrap(), &first));
        let refused = images.read(r#"{"pk":{"N":"x"}}"#).err().unwrap();
        assert!(refused.0.starts_with("stored state is damaged: change image: "), "{}", refused.0);
    }

    /// A find is confirmed: an item noted under a text it does not write (as a hash
    /// collision would find it) is not taken; the text is read instead.
    #[test]
    fn a_found_item_that_writes_another_text_is_not_taken() {
        let mut images = Images::default();
        let other = PackedItem::from(serde_json::from_str::<Item>(r#"{"pk":{"S":"a"}}"#).unwrap());
        images.insert(r#"{"pk":{"S":"c"}}"#, &other);
        let read = images.read(r#"{"pk":{"S":"c"}}"#).unwrap();
        assert!(!PackedItem::same(&read, &other));
        assert_eq!(read.item(), serde_json::from_str::<Item>(r#"{"pk":{"S":"c"}}"#).unwrap());
        assert!(PackedItem::same(&images.read(r#"{"pk":{"S":"c"}}"#).unwrap(), &read), "noted in its place");
    }

    /// On wasm32, Fx's hashes have 32 bits: they all stay, so texts stay apart.
    #[test]
    fn a_hash_of_32_bits_keeps_them_all() {
        for h in [1u64, 0xdead_beef, u64::from(u32::MAX)] {
            assert_eq!(u64::from(short(h)), h);
        }
        let texts = (0..10_000).map(|i| format!(r#"{{"pk":{{"S":"more-{i}"}}}}"#));
        let mut shorts: Vec<u32> = texts.map(|t| short(hash(&t))).collect();
        crate::sorted::sort(&mut shorts);
        shorts.dedup();
        assert!(shorts.len() > 9_990, "{} distinct of 10,000", shorts.len());
    }

    /// Every item noted is found, whichever run of hashes it falls in.
    #[test]
    fn each_of_many_items_is_found() {
        let texts: Vec<String> = (0..5_000).map(|i| format!(r#"{{"pk":{{"S":"k{i}"}}}}"#)).collect();
        let kept: Vec<PackedItem> =
            texts.iter().map(|t| PackedItem::from(serde_json::from_str::<Item>(t).unwrap())).collect();
        let mut images = Images::with_capacity(texts.len());
        texts.iter().zip(&kept).for_each(|(text, item)| images.insert(text, item));
        for (text, kept) in texts.iter().zip(&kept) {
            assert!(PackedItem::same(&images.read(text).unwrap(), kept), "{text}");
        }
        assert_eq!(images.starts.len(), (1 << 9) + 1, "5,000 items: 2^9 runs");
        assert!(images.read.is_empty(), "none was read from its text");
    }

    /// Items noted after a find are found too (the list is sorted again).
    #[test]
    fn an_item_noted_after_a_find_is_found() {
        let mut images = Images::with_capacity(1);
        let texts = [r#"{"pk":{"S":"a"}}"#, r#"{"pk":{"S":"b"}}"#, r#"{"pk":{"S":"c"}}"#];
        let kept: Vec<PackedItem> =
            texts.iter().map(|t| PackedItem::from(serde_json::from_str::<Item>(t).unwrap())).collect();
        images.insert(texts[2], &kept[2]);
        images.insert(texts[0], &kept[0]);
        assert!(PackedItem::same(&images.read(texts[0]).unwrap(), &kept[0]));
        images.insert(texts[1], &kept[1]);
        for (text, kept) in texts.iter().zip(&kept) {
            assert!(PackedItem::same(&images.read(text).unwrap(), kept), "{text}");
        }
    }

    #[test]
    fn images_read_with_the_same_names_share_one_list_of_them() {
        let mut images = Images::default();
        let a = images.read(r#"{"n":{"N":"1"},"pk":{"S":"a"}}"#).unwrap();
        let b = images.read(r#"{"n":{"N":"2"},"pk":{"S":"b"}}"#).unwrap();
        let c = images.read(r#"{"pk":{"S":"c"}}"#).unwrap();
        assert_eq!(a.keys().as_ptr(), b.keys().as_ptr());
        assert_ne!(a.keys().as_ptr(), c.keys().as_ptr());
    }
}
