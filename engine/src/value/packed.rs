//! An item as a table stores it: its table key's bytes, then its values written one after
//! another, in a single allocation beside the list of names it shares with the table's
//! other items ([`super::Shapes`]). An [`Item`] keeps each value in 24 bytes and a string
//! over 24 bytes, a list, a set or a nested map in an allocation of its own; packed, the
//! peer benchmark's item (61 bytes as DynamoDB counts it) takes one allocation of 88
//! bytes, its key included, where it took four of 264 (the item's `Arc`, its values, a
//! long string, a set).
//!
//! The key comes first so that a table's map need not hold it too ([`crate::table::Items`]);
//! a string or binary value with the bytes of one of the key's values (the key
//! attributes' own) is written as its place in the key, so it is not kept twice.
//!
//! A stored item is read far more often whole (an answer, a filter, an update) than in
//! part, so a read unpacks it ([`PackedItem::item`]); one value can be read alone
//! ([`PackedItem::get`]) and the size DynamoDB counts is read without unpacking
//! ([`PackedItem::size`]). Clones share the allocation, as the change log's images, the
//! trace, backups and recovery's base share the table's items.
//!
//! The bytes are only ever made here from an item, so reading them cannot fail; the
//! reader still checks every length (no panics, no unchecked slicing) and stops at the
//! first value it cannot read.

use std::ops::Range;
use std::sync::Arc;

use thin_vec::ThinVec;
use triomphe::ThinArc;

use super::{AttributeValue, Item, Name, Number};

mod write;
pub use write::write_packed;

/// The names an item's values go with, shared with the items that have the same.
type Names = Option<Arc<Vec<Name>>>;

/// An item packed for storage (see the module docs). Cloning it shares it.
#[derive(Clone)]
pub struct PackedItem(ThinArc<Names, u8>);

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const S: u8 = 3;
const N: u8 = 4;
const B: u8 = 5;
const M: u8 = 6;
const L: u8 = 7;
const SS: u8 = 8;
const NS: u8 = 9;
const BS: u8 = 10;
/// A string or a binary whose bytes are the item's key's from an offset, for a length:
/// a key attribute's value, kept once (in the key) rather than twice.
const KEY_S: u8 = 11;
const KEY_B: u8 = 12;

impl PackedItem {
    /// `item`, packed; its list of names is shared, not copied.
    pub fn new(item: &Item) -> PackedItem {
        PackedItem::keyed(item, &[], &[])
    }

    /// `item`, packed after `key`: the bytes of its key as its table orders it (a table's
    /// map holds its items alone, each found and ordered by the key it carries). A
    /// string or binary value whose bytes are those of one of the key's `parts` (its
    /// partition and sort key's values) is written as that part's place in the key.
    pub fn keyed(item: &Item, key: &[u8], parts: &[Range<usize>]) -> PackedItem {
        let mut out = Vec::with_capacity(key.len() + 2 + item.len() * 8);
        write_bytes(key, &mut out);
        let in_key = |bytes: &[u8]| parts.iter().find(|p| p.len() > 2 && key.get((*p).clone()) == Some(bytes));
        for value in item.values() {
            let in_key = match value {
                AttributeValue::S(s) => in_key(s.as_bytes()).map(|part| (KEY_S, part)),
                AttributeValue::B(b) => in_key(b).map(|part| (KEY_B, part)),
                _ => None,
            };
            match in_key {
                Some((tag, part)) => write_key_part(tag, part, &mut out),
                None => write_value(value, &mut out),
            }
        }
        PackedItem(ThinArc::from_header_and_slice(item.shared_names().cloned(), &out))
    }

    /// The same item packed after another key (see [`PackedItem::keyed`]).
    pub fn rekeyed(&self, key: &[u8], parts: &[Range<usize>]) -> PackedItem {
        PackedItem::keyed(&self.item(), key, parts)
    }

    /// The key it was packed after (empty for an item packed with none).
    pub fn key_bytes(&self) -> &[u8] {
        Reader(&self.0.slice, &[]).bytes().unwrap_or_default()
    }

    /// A reader of its values, from the first.
    fn reader(&self) -> Reader<'_> {
        let mut reader = Reader(&self.0.slice, &[]);
        match reader.bytes() {
            Some(key) => Reader(reader.0, key),
            None => Reader(&[], &[]),
        }
    }

    /// The attribute names, in order.
    pub fn keys(&self) -> &[Name] {
        self.0.header.header.as_deref().map_or(&[], Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.keys().len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys().is_empty()
    }

    /// The item, unpacked.
    pub fn item(&self) -> Item {
        let mut reader = self.reader();
        let values: ThinVec<AttributeValue> = (0..self.len()).map_while(|_| reader.value()).collect();
        Item::from_parts(self.0.header.header.clone(), values)
    }

    /// One attribute's value, unpacking only it.
    pub fn get(&self, name: &str) -> Option<AttributeValue> {
        let at = self.keys().binary_search_by(|k| k.as_str().cmp(name)).ok()?;
        let mut reader = self.reader();
        for _ in 0..at {
            reader.size()?;
        }
        reader.value()
    }

    /// The item's size as DynamoDB counts it ([`super::item_size`]), read from the bytes.
    pub fn size(&self) -> usize {
        let mut reader = self.reader();
        self.keys().iter().map(|k| k.len() + reader.size().unwrap_or(0)).sum()
    }

    /// Whether the two are one stored item (not merely equal).
    pub fn same(a: &PackedItem, b: &PackedItem) -> bool {
        a.0.as_ptr() == b.0.as_ptr()
    }

    /// The bytes its allocation holds beyond the pointer: the reference count, the
    /// names' pointer, the length, the key and the values.
    pub fn heap_bytes(&self) -> usize {
        3 * std::mem::size_of::<usize>() + self.0.slice.len()
    }
}

impl From<&Item> for PackedItem {
    fn from(item: &Item) -> PackedItem {
        PackedItem::new(item)
    }
}

impl From<Item> for PackedItem {
    fn from(item: Item) -> PackedItem {
        PackedItem::new(&item)
    }
}

/// Equal when they hold equal items (sets equal whatever their order, as `Item`'s): the
/// values are compared as bytes, and only two that differ are unpacked (they may be
/// sets in another order), so telling a change from none stays cheap.
impl PartialEq for PackedItem {
    fn eq(&self, other: &PackedItem) -> bool {
        if PackedItem::same(self, other) {
            return true;
        }
        if self.keys() != other.keys() {
            return false;
        }
        // A value kept in the key is read from it, unless both have the same key.
        let same_key = self.key_bytes() == other.key_bytes();
        let (mut a, mut b) = (self.reader(), other.reader());
        (0..self.len()).all(|_| match (a.span(), b.span()) {
            (Some(x), Some(y)) if x == y && (same_key || !in_key(x)) => true,
            (Some(x), Some(y)) => Reader(x, a.1).value() == Reader(y, b.1).value(),
            _ => false,
        })
    }
}

/// Its wire form: the item's ([`write_packed`] writes the same text faster).
impl serde::Serialize for PackedItem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.item().serialize(s)
    }
}

/// Printed as the item it holds.
impl std::fmt::Debug for PackedItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.item().fmt(f)
    }
}

fn write_count(n: usize, out: &mut Vec<u8>) {
    let mut n = n;
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Whether a value's bytes say it is kept in the key.
fn in_key(value: &[u8]) -> bool {
    matches!(value.first(), Some(&(KEY_S | KEY_B)))
}

fn write_key_part(tag: u8, part: &Range<usize>, out: &mut Vec<u8>) {
    out.push(tag);
    write_count(part.start, out);
    write_count(part.len(), out);
}

fn write_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    write_count(bytes.len(), out);
    out.extend_from_slice(bytes);
}

fn write_value(value: &AttributeValue, out: &mut Vec<u8>) {
    match value {
        AttributeValue::Null => out.push(NULL),
        AttributeValue::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        AttributeValue::S(s) => {
            out.push(S);
            write_bytes(s.as_bytes(), out);
        }
        AttributeValue::N(n) => {
            out.push(N);
            n.write_packed(out);
        }
        AttributeValue::B(b) => {
            out.push(B);
            write_bytes(b, out);
        }
        AttributeValue::M(m) => {
            out.push(M);
            write_count(m.len(), out);
            for (k, v) in m {
                write_bytes(k.as_bytes(), out);
                write_value(v, out);
            }
        }
        AttributeValue::L(l) => {
            out.push(L);
            write_count(l.len(), out);
            l.iter().for_each(|v| write_value(v, out));
        }
        AttributeValue::Ss(s) => write_set(SS, s, out, |x, out| write_bytes(x.as_bytes(), out)),
        AttributeValue::Ns(s) => write_set(NS, s, out, Number::write_packed),
        AttributeValue::Bs(s) => write_set(BS, s, out, |x, out| write_bytes(x, out)),
    }
}

fn write_set<T>(tag: u8, set: &[T], out: &mut Vec<u8>, write: impl Fn(&T, &mut Vec<u8>)) {
    out.push(tag);
    write_count(set.len(), out);
    set.iter().for_each(|x| write(x, out));
}

/// Reads values from the front of the bytes it holds (the first), the item's key
/// (the second) holding the values written as a place in it.
struct Reader<'a>(&'a [u8], &'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn count(&mut self) -> Option<usize> {
        let mut n = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.count()?;
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }

    /// The key's bytes a value written as a place in it has.
    fn key_part(&mut self) -> Option<&'a [u8]> {
        let (start, len) = (self.count()?, self.count()?);
        self.1.get(start..start.checked_add(len)?)
    }

    fn text(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn number(&mut self) -> Option<Number> {
        let (n, used) = Number::read_packed(self.0)?;
        self.0 = self.0.get(used..)?;
        Some(n)
    }

    /// `count` elements read by `read` (none read if any fails).
    fn each<T>(&mut self, mut read: impl FnMut(&mut Self) -> Option<T>) -> Option<ThinVec<T>> {
        let n = self.count()?;
        let mut out = ThinVec::with_capacity(n.min(self.0.len()));
        for _ in 0..n {
            out.push(read(self)?);
        }
        Some(out)
    }

    fn value(&mut self) -> Option<AttributeValue> {
        Some(match self.byte()? {
            NULL => AttributeValue::Null,
            FALSE => AttributeValue::Bool(false),
            TRUE => AttributeValue::Bool(true),
            S => AttributeValue::S(Name::from(self.text()?)),
            N => AttributeValue::N(self.number()?),
            B => AttributeValue::B(ThinVec::from(self.bytes()?)),
            M => AttributeValue::M(self.map()?),
            L => AttributeValue::L(self.each(Self::value)?),
            SS => AttributeValue::Ss(self.each(|r| r.text().map(Name::from))?),
            NS => AttributeValue::Ns(self.each(Self::number)?),
            BS => AttributeValue::Bs(self.each(|r| r.bytes().map(ThinVec::from))?),
            KEY_S => AttributeValue::S(Name::from(std::str::from_utf8(self.key_part()?).ok()?)),
            KEY_B => AttributeValue::B(ThinVec::from(self.key_part()?)),
            _ => return None,
        })
    }

    fn map(&mut self) -> Option<Item> {
        let n = self.count()?;
        let mut item = Item::with_capacity(n.min(self.0.len()));
        for _ in 0..n {
            let name = self.text()?;
            let value = self.value()?;
            item.insert(name, value);
        }
        Some(item)
    }

    /// Reads past one value, giving its bytes.
    fn span(&mut self) -> Option<&'a [u8]> {
        let start = self.0;
        self.size()?;
        start.get(..start.len() - self.0.len())
    }

    /// Reads past one value, giving its size as DynamoDB counts it
    /// ([`AttributeValue::size`]).
    fn size(&mut self) -> Option<usize> {
        Some(match self.byte()? {
            NULL | FALSE | TRUE => 1,
            S | B => self.bytes()?.len(),
            N => self.number()?.size(),
            M => 3 + self.sum(|r| Some(r.bytes()?.len() + r.size()? + 1))?,
            L => 3 + self.sum(|r| Some(r.size()? + 1))?,
            SS | BS => self.sum(|r| r.bytes().map(<[u8]>::len))?,
            NS => self.sum(|r| r.number().map(|n| n.size()))?,
            KEY_S | KEY_B => self.key_part()?.len(),
            _ => return None,
        })
    }

    /// The sum of `count` elements' `size`.
    fn sum(&mut self, mut size: impl FnMut(&mut Self) -> Option<usize>) -> Option<usize> {
        let n = self.count()?;
        (0..n).try_fold(0usize, |total, _| total.checked_add(size(self)?))
    }
}

#[cfg(test)]
mod tests;
