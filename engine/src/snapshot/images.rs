//! A reload's images: each item text read once. The running engine shares one item
//! between the table and the change log's images of it (and between a change's old image
//! and the new image of the change before); a reload reads the same item from several
//! records. Records are written by one serializer from items whose names are sorted, so
//! equal items have equal texts: an image whose text was read before takes that item,
//! and memory after a reload matches memory before it without parsing the text again
//! or comparing items. The item records' texts are borrowed (the reload holds them); a
//! change image's text is copied only when no item has it (an image of an item since
//! written again, or deleted), so the change records can go as they are read.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{bad, Result};
use crate::value::Item;

#[derive(Default)]
pub(super) struct Images<'a> {
    /// Each text read, and the item it reads as. Fx: the texts are the engine's own records.
    by_text: FxHashMap<Cow<'a, str>, Arc<Item>>,
}

impl<'a> Images<'a> {
    pub(super) fn with_capacity(n: usize) -> Images<'a> {
        let mut by_text = FxHashMap::default();
        by_text.reserve(n);
        Images { by_text }
    }

    /// Notes that `text` reads as `item` (an item as its table keeps it).
    pub(super) fn insert(&mut self, text: &'a str, item: &Arc<Item>) {
        self.by_text.insert(Cow::Borrowed(text), Arc::clone(item));
    }

    /// The item `text` reads as: the one read from an equal text before, or read now
    /// (and its text kept, for the next change's other image of it).
    pub(super) fn read(&mut self, text: &str) -> Result<Arc<Item>> {
        if let Some(item) = self.by_text.get(text) {
            return Ok(Arc::clone(item));
        }
        let item: Arc<Item> = Arc::new(serde_json::from_str(text).map_err(|e| bad(&format!("change image: {e}")))?);
        self.by_text.insert(Cow::Owned(text.to_owned()), Arc::clone(&item));
        Ok(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_equal_text_takes_the_item_read_before_and_a_bad_one_is_refused() {
        let mut images = Images::default();
        let kept = Arc::new(serde_json::from_str::<Item>(r#"{"pk":{"S":"a"}}"#).unwrap());
        images.insert(r#"{"pk":{"S":"a"}}"#, &kept);
        assert!(Arc::ptr_eq(&images.read(r#"{"pk":{"S":"a"}}"#).unwrap(), &kept));
        let first = images.read(r#"{"pk":{"S":"b"}}"#).unwrap();
        assert!(Arc::ptr_eq(&images.read(r#"{"pk":{"S":"b"}}"#).unwrap(), &first));
        let refused = images.read(r#"{"pk":{"N":"x"}}"#).err().unwrap();
        assert!(refused.0.starts_with("stored state is damaged: change image: "), "{}", refused.0);
    }
}
