//! An item: attribute names to values, kept sorted by name in two vectors, the names
//! and the values, so that the items of a table with the same names share one list of
//! them ([`Shapes`]). A `BTreeMap` gave the same order and lookups, but its smallest node
//! holds room for eleven entries (about 640 bytes) however few an item has; one vector of
//! (name, value) pairs then cost 56 bytes an attribute, 24 of them the name, repeated in
//! every item and change-log image. Items are small and read whole far more often than
//! they are edited, so a binary search and an occasional shift cost less than the memory.
//!
//! The values sit in a [`ThinVec`] (its length and room in its allocation, not beside the
//! pointer) and the names behind one pointer, so an `Item` is 16 bytes and a nested map
//! keeps [`AttributeValue`] at 32.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use thin_vec::ThinVec;

use super::AttributeValue;

/// An attribute name. Names up to 24 bytes (nearly all of them) sit inline, so an
/// item's names need no allocation of their own.
pub type Name = compact_str::CompactString;

/// Invariant: `names` holds as many names as `values` has values, sorted and distinct,
/// and is `None` when there are none.
#[derive(Clone, Default)]
pub struct Item {
    names: Option<Arc<Vec<Name>>>,
    values: ThinVec<AttributeValue>,
}

impl Item {
    pub const fn new() -> Item {
        Item { names: None, values: ThinVec::new() }
    }

    /// An empty item with room for `n` attributes.
    pub fn with_capacity(n: usize) -> Item {
        Item { names: None, values: ThinVec::with_capacity(n) }
    }

    fn names(&self) -> &[Name] {
        self.names.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The names to change: this item's own copy (made now if they are shared).
    fn names_mut(&mut self) -> &mut Vec<Name> {
        let room = self.values.capacity();
        Arc::make_mut(self.names.get_or_insert_with(|| Arc::new(Vec::with_capacity(room))))
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.names().binary_search_by(|k| k.as_str().cmp(name))
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.find(name).ok().and_then(|i| self.values.get(i))
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut AttributeValue> {
        let i = self.find(name).ok()?;
        self.values.get_mut(i)
    }

    pub fn get_key_value(&self, name: &str) -> Option<(&Name, &AttributeValue)> {
        let i = self.find(name).ok()?;
        Some((self.names().get(i)?, self.values.get(i)?))
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name` to `value`; the value it had, if any.
    pub fn insert(&mut self, name: impl Into<Name>, value: AttributeValue) -> Option<AttributeValue> {
        let name = name.into();
        // Names often come in order (a request's JSON object, another item): append.
        if self.names().last().is_none_or(|last| last.as_str() < name.as_str()) {
            self.names_mut().push(name);
            self.values.push(value);
            return None;
        }
        match self.find(name.as_str()) {
            Ok(i) => self.values.get_mut(i).map(|v| std::mem::replace(v, value)),
            Err(i) => {
                self.names_mut().insert(i, name);
                self.values.insert(i, value);
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<AttributeValue> {
        let i = self.find(name).ok()?;
        self.names_mut().remove(i);
        let value = self.values.remove(i);
        if self.values.is_empty() {
            self.names = None;
        }
        Some(value)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Name, &mut AttributeValue) -> bool) {
        let names = self.names.as_deref().map_or(&[][..], Vec::as_slice);
        let kept: Vec<bool> = names.iter().zip(self.values.iter_mut()).map(|(k, v)| keep(k, v)).collect();
        if kept.iter().all(|k| *k) {
            return;
        }
        let mut flags = kept.iter().copied();
        self.values.retain(|_| flags.next().unwrap_or(true));
        let mut flags = kept.into_iter();
        self.names_mut().retain(|_| flags.next().unwrap_or(true));
        if self.values.is_empty() {
            self.names = None;
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Name, &AttributeValue)> + ExactSizeIterator {
        self.names().iter().zip(self.values.iter())
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&Name, &mut AttributeValue)> + ExactSizeIterator {
        let names = self.names.as_deref().map_or(&[][..], Vec::as_slice);
        names.iter().zip(self.values.iter_mut())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Name> + ExactSizeIterator {
        self.names().iter()
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &AttributeValue> + ExactSizeIterator {
        self.values.iter()
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut AttributeValue> + ExactSizeIterator {
        self.values.iter_mut()
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = Name> + ExactSizeIterator {
        self.names.map(Arc::unwrap_or_clone).unwrap_or_default().into_iter()
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = AttributeValue> + ExactSizeIterator {
        self.values.into_iter()
    }

    pub fn first_key_value(&self) -> Option<(&Name, &AttributeValue)> {
        Some((self.names().first()?, self.values.first()?))
    }

    pub fn clear(&mut self) {
        self.names = None;
        self.values.clear();
    }

    /// Moves every entry of `other` in (later values win), leaving it empty.
    pub fn append(&mut self, other: &mut Item) {
        for (k, v) in std::mem::take(other) {
            self.insert(k, v);
        }
    }

    /// The item's list of names, to share (see [`Shapes`]).
    pub(super) fn shared_names(&self) -> Option<&Arc<Vec<Name>>> {
        self.names.as_ref()
    }

    /// An item of `names` and as many `values` (those beyond the shorter are dropped).
    pub(super) fn from_parts(names: Option<Arc<Vec<Name>>>, values: ThinVec<AttributeValue>) -> Item {
        match names {
            Some(names) if names.len() == values.len() && !values.is_empty() => Item { names: Some(names), values },
            Some(names) => names.iter().cloned().zip(values).collect(),
            None => Item::new(),
        }
    }

    /// Whether this item and `other` hold the very same list of names (see [`Shapes`]).
    pub fn shares_names_with(&self, other: &Item) -> bool {
        matches!((&self.names, &other.names), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
    }
}

/// The lists of attribute names a table's items have, each kept once: an item stored
/// ([`Shapes::share`]) drops its own list for the one already known with the same names.
/// Items of a table mostly have the same few sets of names, so at 100,000 items of five
/// attributes this saves 24 bytes a name, about 12 MB; an item's change-log images and
/// backups share the table's copy of it, and so its names too. A list no item holds any
/// more is forgotten once the lists known have doubled since the last such pass.
#[derive(Clone, Debug, Default)]
pub struct Shapes {
    known: FxHashSet<Arc<Vec<Name>>>,
    /// How many lists may be known before those no item holds are forgotten.
    limit: usize,
}

impl Shapes {
    const FIRST_LIMIT: usize = 1024;

    /// Makes `item` share its list of names with the items seen before that have the
    /// same names (the maps nested in it keep their names with their values when the
    /// item is packed: [`super::PackedItem`]).
    pub fn share(&mut self, item: &mut Item) {
        let Some(names) = item.names.as_mut() else { return };
        if let Some(known) = self.known.get(&**names) {
            *names = Arc::clone(known);
            return;
        }
        if self.known.len() >= self.limit.max(Self::FIRST_LIMIT) {
            self.known.retain(|n| Arc::strong_count(n) > 1);
            self.limit = self.known.len().saturating_mul(2);
        }
        self.known.insert(Arc::clone(names));
    }

    /// How many lists of names are known.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}

impl PartialEq for Item {
    fn eq(&self, other: &Item) -> bool {
        let same_names = match (&self.names, &other.names) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            (None, None) => true,
            _ => false,
        };
        same_names && self.values == other.values
    }
}

/// Printed as a map, as the `BTreeMap` it replaced was (`{"a": S("x")}`).
impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<Name>> FromIterator<(K, AttributeValue)> for Item {
    fn from_iter<I: IntoIterator<Item = (K, AttributeValue)>>(iter: I) -> Item {
        // Gathered on the stack when small: most items have a handful of attributes.
        Item::from_entries(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl Item {
    /// Not generic, so that the page holds one copy of its sort (`crate::sorted`).
    fn from_entries(mut entries: smallvec::SmallVec<[(Name, AttributeValue); 8]>) -> Item {
        // Stable, so of equal names the last one is kept (as inserting in turn would).
        #[expect(
            clippy::disallowed_methods,
            reason = "every item built sorts its attributes: the hot path keeps std's sort"
        )]
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut names: Vec<Name> = Vec::with_capacity(entries.len());
        let mut values: ThinVec<AttributeValue> = ThinVec::with_capacity(entries.len());
        for (k, v) in entries {
            match (names.last(), values.last_mut()) {
                (Some(last), Some(slot)) if *last == k => *slot = v,
                _ => {
                    names.push(k);
                    values.push(v);
                }
            }
        }
        names.shrink_to_fit();
        values.shrink_to_fit();
        Item { names: (!names.is_empty()).then(|| Arc::new(names)), values }
    }
}

impl<K: Into<Name>> Extend<(K, AttributeValue)> for Item {
    fn extend<I: IntoIterator<Item = (K, AttributeValue)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Into<Name>, const N: usize> From<[(K, AttributeValue); N]> for Item {
    fn from(entries: [(K, AttributeValue); N]) -> Item {
        entries.into_iter().collect()
    }
}

impl IntoIterator for Item {
    type Item = (Name, AttributeValue);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<Name>, thin_vec::IntoIter<AttributeValue>>;
    fn into_iter(self) -> Self::IntoIter {
        let names = self.names.map(Arc::unwrap_or_clone).unwrap_or_default();
        names.into_iter().zip(self.values)
    }
}

impl<'a> IntoIterator for &'a Item {
    type Item = (&'a Name, &'a AttributeValue);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, Name>, std::slice::Iter<'a, AttributeValue>>;
    fn into_iter(self) -> Self::IntoIter {
        self.names().iter().zip(self.values.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.into())
    }

    #[test]
    fn an_item_keeps_its_names_in_order_as_a_map_does() {
        let mut item = Item::from([("b".to_string(), s("1")), ("a".to_string(), s("2")), ("b".to_string(), s("3"))]);
        assert_eq!(item.keys().cloned().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(item.get("b"), Some(&s("3")), "the last of equal names wins");
        assert_eq!(item.insert("c", s("4")), None);
        assert_eq!(item.insert("a", s("5")), Some(s("2")));
        assert_eq!(item.remove("b"), Some(s("3")));
        assert!(!item.contains_key("b") && item.contains_key("c"));
        item.extend([("0".to_string(), s("x"))]);
        assert_eq!(item.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["0", "a", "c"]);
        item.retain(|k, _| k != "a");
        assert_eq!(item.len(), 2);
        let mut other = Item::from([("c".to_string(), s("new"))]);
        item.append(&mut other);
        assert!(other.is_empty());
        assert_eq!(item.get("c"), Some(&s("new")));
        assert_eq!(format!("{item:?}"), r#"{"0": S("x"), "c": S("new")}"#);
    }

    fn person(name: &str) -> Item {
        let address = Item::from([("city", s("Lyon")), ("street", s("rue"))]);
        Item::from([("id", s(name)), ("address", AttributeValue::M(address)), ("age", s("7"))])
    }

    #[test]
    fn an_item_is_two_words_and_a_value_three() {
        // A value is as big as a string held inline: the other types fit beside the
        // string's spare tag values (numbers are 22 bytes, lists and sets one pointer).
        let word = std::mem::size_of::<usize>();
        assert_eq!(std::mem::size_of::<Item>(), 2 * word);
        assert_eq!(std::mem::size_of::<AttributeValue>(), 3 * word);
    }

    #[test]
    fn items_stored_with_the_same_names_share_them_and_stay_apart_when_changed() {
        let mut shapes = Shapes::default();
        let (mut a, mut b) = (person("a"), person("b"));
        assert!(!a.shares_names_with(&b));
        shapes.share(&mut a);
        shapes.share(&mut b);
        assert!(a.shares_names_with(&b), "the same names, kept once");
        assert_eq!(shapes.len(), 1);
        b.insert("zip", s("69000"));
        b.remove("age");
        assert_eq!(a.keys().cloned().collect::<Vec<_>>(), ["address", "age", "id"], "a keeps its names");
        assert_eq!(b.keys().cloned().collect::<Vec<_>>(), ["address", "id", "zip"]);
        assert!(!a.shares_names_with(&b));
        let mut c = person("a");
        assert_eq!(a, c, "equal whether shared or not");
        shapes.share(&mut c);
        assert!(a.shares_names_with(&c) && a == c);
        c.retain(|k, _| k != "id");
        assert_eq!((a.len(), c.len()), (3, 2));
        c.retain(|_, _| false);
        assert!(c.is_empty() && c == Item::new());
    }

    #[test]
    fn lists_of_names_no_item_holds_are_forgotten_as_more_come() {
        let mut shapes = Shapes::default();
        let kept: Vec<Item> = (0..10)
            .map(|i| {
                let mut item = Item::from([(format!("kept{i}"), s("x"))]);
                shapes.share(&mut item);
                item
            })
            .collect();
        for i in 0..5_000 {
            shapes.share(&mut Item::from([(format!("gone{i}"), s("x"))]));
        }
        assert!(shapes.len() <= 2 * Shapes::FIRST_LIMIT, "{} lists known", shapes.len());
        let mut again = Item::from([("kept3", s("x"))]);
        shapes.share(&mut again);
        assert!(again.shares_names_with(&kept[3]), "a list still held is still known");
    }
}
