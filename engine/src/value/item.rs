//! An item: attribute names to values, kept as one vector sorted by name. A
//! `BTreeMap` gave the same order and lookups, but its smallest node holds room for
//! eleven entries (about 640 bytes) however few an item has; an item of five attributes
//! here takes five entries' room. Items are small and read whole far more often than
//! they are edited, so a binary search and an occasional shift cost less than the
//! memory a node per item (and per change-log image) did.

use std::borrow::Borrow;

use super::AttributeValue;

#[derive(Clone, Default, PartialEq)]
pub struct Item {
    entries: Vec<(String, AttributeValue)>,
}

impl Item {
    pub const fn new() -> Item {
        Item { entries: Vec::new() }
    }

    fn find<Q: Ord + ?Sized>(&self, name: &Q) -> Result<usize, usize>
    where
        String: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(name))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get<Q: Ord + ?Sized>(&self, name: &Q) -> Option<&AttributeValue>
    where
        String: Borrow<Q>,
    {
        self.find(name).ok().and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, name: &Q) -> Option<&mut AttributeValue>
    where
        String: Borrow<Q>,
    {
        let i = self.find(name).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    pub fn get_key_value<Q: Ord + ?Sized>(&self, name: &Q) -> Option<(&String, &AttributeValue)>
    where
        String: Borrow<Q>,
    {
        self.find(name).ok().and_then(|i| self.entries.get(i)).map(|(k, v)| (k, v))
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, name: &Q) -> bool
    where
        String: Borrow<Q>,
    {
        self.find(name).is_ok()
    }

    /// Sets `name` to `value`; the value it had, if any.
    pub fn insert(&mut self, name: String, value: AttributeValue) -> Option<AttributeValue> {
        match self.find(name.as_str()) {
            Ok(i) => self.entries.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.entries.insert(i, (name, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, name: &Q) -> Option<AttributeValue>
    where
        String: Borrow<Q>,
    {
        let i = self.find(name).ok()?;
        Some(self.entries.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut AttributeValue) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &AttributeValue)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&String, &mut AttributeValue)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &AttributeValue> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut AttributeValue> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = String> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = AttributeValue> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&String, &AttributeValue)> {
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

impl FromIterator<(String, AttributeValue)> for Item {
    fn from_iter<I: IntoIterator<Item = (String, AttributeValue)>>(iter: I) -> Item {
        let mut entries: Vec<(String, AttributeValue)> = iter.into_iter().collect();
        // Stable, so of equal names the last one is kept (as inserting in turn would).
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, AttributeValue)> = Vec::with_capacity(entries.len());
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

impl Extend<(String, AttributeValue)> for Item {
    fn extend<I: IntoIterator<Item = (String, AttributeValue)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<const N: usize> From<[(String, AttributeValue); N]> for Item {
    fn from(entries: [(String, AttributeValue); N]) -> Item {
        entries.into_iter().collect()
    }
}

impl IntoIterator for Item {
    type Item = (String, AttributeValue);
    type IntoIter = std::vec::IntoIter<(String, AttributeValue)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Item {
    type Item = (&'a String, &'a AttributeValue);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, AttributeValue)>,
        fn(&'a (String, AttributeValue)) -> (&'a String, &'a AttributeValue),
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
        assert_eq!(item.insert("c".into(), s("4")), None);
        assert_eq!(item.insert("a".into(), s("5")), Some(s("2")));
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
