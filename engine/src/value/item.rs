//! An item: attribute names to values, kept as one vector sorted by name. A
//! `BTreeMap` gave the same order and lookups, but its smallest node holds room for
//! eleven entries (about 640 bytes) however few an item has; an item of five attributes
//! here takes five entries' room. Items are small and read whole far more often than
//! they are edited, so a binary search and an occasional shift cost less than the
//! memory a node per item (and per change-log image) did.

use super::AttributeValue;

/// An attribute name. Names up to 24 bytes (nearly all of them) sit inline, so an
/// item's names need no allocation of their own: at a hundred thousand items, that is
/// half a million fewer small allocations for a five-attribute item.
pub type Name = compact_str::CompactString;

#[derive(Clone, Default, PartialEq)]
pub struct Item {
    entries: Vec<(Name, AttributeValue)>,
}

impl Item {
    pub const fn new() -> Item {
        Item { entries: Vec::new() }
    }

    /// An empty item with room for `n` attributes.
    pub fn with_capacity(n: usize) -> Item {
        Item { entries: Vec::with_capacity(n) }
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.find(name).ok().and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut AttributeValue> {
        let i = self.find(name).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    pub fn get_key_value(&self, name: &str) -> Option<(&Name, &AttributeValue)> {
        self.find(name).ok().and_then(|i| self.entries.get(i)).map(|(k, v)| (k, v))
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name` to `value`; the value it had, if any.
    pub fn insert(&mut self, name: impl Into<Name>, value: AttributeValue) -> Option<AttributeValue> {
        let name = name.into();
        // Names often come in order (a request's JSON object, another item): append.
        if self.entries.last().is_none_or(|(last, _)| last.as_str() < name.as_str()) {
            self.entries.push((name, value));
            return None;
        }
        match self.find(name.as_str()) {
            Ok(i) => self.entries.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.entries.insert(i, (name, value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<AttributeValue> {
        let i = self.find(name).ok()?;
        Some(self.entries.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Name, &mut AttributeValue) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Name, &AttributeValue)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&Name, &mut AttributeValue)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Name> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &AttributeValue> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut AttributeValue> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = Name> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = AttributeValue> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&Name, &AttributeValue)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Gives back the room the item's vectors grew into, nested maps and lists included:
    /// an item being stored keeps only what it holds.
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
        for (_, v) in &mut self.entries {
            v.shrink_to_fit();
        }
    }

    /// Moves every entry of `other` in (later values win), leaving it empty.
    pub fn append(&mut self, other: &mut Item) {
        for (k, v) in std::mem::take(&mut other.entries) {
            self.insert(k, v);
        }
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
        let mut entries: Vec<(Name, AttributeValue)> = iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        // Stable, so of equal names the last one is kept (as inserting in turn would).
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Name, AttributeValue)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        out.shrink_to_fit();
        Item { entries: out }
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
    type IntoIter = std::vec::IntoIter<(Name, AttributeValue)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Item {
    type Item = (&'a Name, &'a AttributeValue);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Name, AttributeValue)>,
        fn(&'a (Name, AttributeValue)) -> (&'a Name, &'a AttributeValue),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
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
}
