use proptest::prelude::*;
use thin_vec::thin_vec;

use super::*;
use crate::value::{item_size, Shapes};

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(Number::parse(v).unwrap_or_else(|e| panic!("{v}: {e:?}")))
}

/// The peer benchmark's item (`bench/src/lib.rs`).
fn workload_item() -> Item {
    Item::from([
        ("pk", s("user-01234")),
        ("sk", n("17")),
        ("name", s("a reasonably sized attribute")),
        ("count", n("42")),
        ("tags", AttributeValue::Ss(thin_vec!["a".into(), "b".into()])),
    ])
}

/// An item of every type, nested maps and lists included.
fn every_type() -> Item {
    let nested = Item::from([("z", n("-1.5E-3")), ("a", AttributeValue::L(thin_vec![s(""), AttributeValue::Null]))]);
    Item::from([
        ("s", s("x".repeat(300).as_str())),
        ("n", n("-12345678901234567890123456789012345678")),
        ("b", AttributeValue::B(thin_vec![0, 255, 7])),
        ("t", AttributeValue::Bool(true)),
        ("f", AttributeValue::Bool(false)),
        ("null", AttributeValue::Null),
        ("m", AttributeValue::M(nested)),
        ("l", AttributeValue::L(thin_vec![n("0"), AttributeValue::M(Item::new())])),
        ("ss", AttributeValue::Ss(thin_vec!["b".into(), "a".into()])),
        ("ns", AttributeValue::Ns(thin_vec![Number::from_i64(3), Number::from_i64(-3)])),
        ("bs", AttributeValue::Bs(thin_vec![thin_vec![1], thin_vec![]])),
    ])
}

#[test]
fn an_item_packed_unpacks_as_it_was() {
    for item in [Item::new(), workload_item(), every_type()] {
        let packed = PackedItem::new(&item);
        assert_eq!(packed.item(), item);
        assert_eq!(format!("{:?}", packed.item()), format!("{item:?}"), "sets keep their order");
        assert_eq!(packed.size(), item_size(&item));
        assert_eq!(packed.len(), item.len());
        assert!(packed.keys().iter().eq(item.keys()));
        for (name, value) in item.iter() {
            assert_eq!(packed.get(name).as_ref(), Some(value), "{name}");
        }
        assert_eq!(packed.get("absent"), None);
    }
}

/// The workload item's key as its table orders it.
fn workload_key() -> crate::table::StoreKey {
    key_of("user-01234")
}

fn key_of(pk: &str) -> crate::table::StoreKey {
    use crate::table::KeyValue;
    let sk = KeyValue::N(Number::parse("17").unwrap());
    crate::table::StoreKey::new(KeyValue::S(pk.into()), Some(sk))
}

fn workload_item_of(pk: &str) -> Item {
    let mut item = workload_item();
    item.insert("pk", s(pk));
    item
}

/// Strings and binaries equal to a key's values are kept in the key alone, whichever
/// attributes hold them, and read back as they were.
#[test]
fn values_kept_in_the_key_read_back_as_they_were() {
    use crate::table::{KeyValue, StoreKey};
    let key = StoreKey::new(KeyValue::B(vec![1, 2, 3, 4]), Some(KeyValue::S("2024-01-01#a".into())));
    let item = Item::from([
        ("pk", AttributeValue::B(thin_vec![1, 2, 3, 4])),
        ("sk", s("2024-01-01#a")),
        ("copy", s("2024-01-01#a")),
        ("bytes_as_text", s("\u{1}\u{2}\u{3}\u{4}")),
        ("short", s("ab")),
    ]);
    let plain = PackedItem::new(&item);
    let keyed = PackedItem::keyed(&item, key.bytes(), &key.value_ranges());
    assert!(keyed.heap_bytes() < plain.heap_bytes() + key.bytes().len() + 1 - 20, "{}", keyed.heap_bytes());
    assert_eq!(format!("{:?}", keyed.item()), format!("{item:?}"));
    assert_eq!(keyed.size(), item_size(&item));
    for (name, value) in item.iter() {
        assert_eq!(keyed.get(name).as_ref(), Some(value), "{name}");
    }
    let mut text = String::new();
    write_packed(&mut text, &keyed);
    assert_eq!(text, crate::value::json_text(&item));
    assert_eq!(keyed, plain);
    assert_eq!(plain, keyed);
}

#[test]
fn a_place_in_the_key_outside_it_reads_as_nothing() {
    assert_eq!(Reader(&[KEY_S, 2, 3], b"abcd").value(), None);
    assert_eq!(Reader(&[KEY_B, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 1], b"ab").size(), None);
    assert_eq!(Reader(&[KEY_S, 1, 2], b"abcd").value(), Some(s("bc")));
}

#[test]
fn the_workload_item_takes_one_small_allocation() {
    let item = workload_item();
    let (key, packed) = (workload_key(), PackedItem::new(&item));
    assert_eq!(item_size(&item), 61, "as DynamoDB counts it");
    assert_eq!(packed.heap_bytes(), 81, "24 of them the count, the names' pointer and the length; 1 an empty key");
    assert_eq!(key.bytes().len(), 16);
    let keyed = PackedItem::keyed(&item, key.bytes(), &key.value_ranges());
    assert_eq!(keyed.heap_bytes(), 88, "the key beside the values, the partition key's string kept in it alone");
    assert_eq!(std::mem::size_of::<PackedItem>(), std::mem::size_of::<usize>());
}

#[test]
fn an_item_packed_after_its_key_reads_as_it_was_and_equals_it_unkeyed() {
    let (item, key) = (workload_item(), workload_key());
    let keyed = PackedItem::keyed(&item, key.bytes(), &key.value_ranges());
    let plain = PackedItem::new(&item);
    assert_eq!((keyed.key_bytes(), plain.key_bytes()), (key.bytes(), &[][..]));
    assert_eq!(keyed.item(), item);
    assert_eq!(keyed.size(), plain.size());
    assert_eq!(keyed.get("sk"), Some(n("17")));
    assert_eq!(keyed, plain, "the key is not part of what it holds");
    let mut text = String::new();
    write_packed(&mut text, &keyed);
    assert_eq!(text, crate::value::json_text(&item));
    let rekeyed = plain.rekeyed(key.bytes(), &key.value_ranges());
    assert_eq!((rekeyed.key_bytes(), rekeyed.heap_bytes()), (key.bytes(), keyed.heap_bytes()));
    assert_eq!(rekeyed.item(), item);
    assert_eq!(rekeyed.keys().as_ptr(), plain.keys().as_ptr(), "its names still shared");
    let other = workload_item_of("user-99999");
    let other_key = key_of("user-99999");
    let other = PackedItem::keyed(&other, other_key.bytes(), &other_key.value_ranges());
    assert_ne!(keyed, other, "laid out alike, their keys differ");
    assert_eq!(keyed.rekeyed(other_key.bytes(), &other_key.value_ranges()).key_bytes(), other_key.bytes());
    let long = vec![9u8; 300];
    assert_eq!(plain.rekeyed(&long, &[]).key_bytes(), &long[..], "a length over one byte");
    assert_eq!(plain.rekeyed(&long, &[]).item(), item);
}

#[test]
fn packed_items_share_their_names_and_compare_by_what_they_hold() {
    let mut shapes = Shapes::default();
    let (mut a, mut b) = (workload_item(), workload_item());
    shapes.share(&mut a);
    shapes.share(&mut b);
    let (pa, pb) = (PackedItem::new(&a), PackedItem::new(&b));
    assert!(pa.item().shares_names_with(&pb.item()), "the names stay shared");
    assert_eq!(pa, pb);
    assert!(!PackedItem::same(&pa, &pb) && PackedItem::same(&pa, &pa.clone()));
    let mut reordered = workload_item();
    reordered.insert("tags", AttributeValue::Ss(thin_vec!["b".into(), "a".into()]));
    assert_eq!(PackedItem::new(&reordered), pa, "sets are equal whatever their order");
    reordered.insert("count", n("43"));
    assert_ne!(PackedItem::new(&reordered), pa);
}

#[test]
fn damaged_bytes_read_as_far_as_they_go_and_never_panic() {
    let bytes: Vec<u8> = {
        let mut out = Vec::new();
        every_type().values().for_each(|v| write_value(v, &mut out));
        out
    };
    for cut in 0..bytes.len() {
        let mut reader = Reader(bytes.get(..cut).unwrap_or_default(), &[]);
        while reader.value().is_some() {}
        let mut reader = Reader(bytes.get(..cut).unwrap_or_default(), &[]);
        while reader.size().is_some() {}
    }
    assert_eq!(Reader(&[0xff], &[]).value(), None, "an unknown tag");
    assert_eq!(Reader(&[S, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], &[]).value(), None);
}

proptest! {
    #[test]
    fn any_item_packed_unpacks_as_it_was(v in super::super::tests::arb_value(), name in "a[a-z]{0,7}") {
        let item = Item::from([(name.clone(), v.clone()), ("k".to_string(), s("key"))]);
        let key = crate::table::StoreKey::new(crate::table::KeyValue::S("key".into()), None);
        for packed in [PackedItem::new(&item), PackedItem::keyed(&item, key.bytes(), &key.value_ranges())] {
            prop_assert_eq!(format!("{:?}", packed.item()), format!("{item:?}"));
            prop_assert_eq!(packed.size(), item_size(&item));
            prop_assert_eq!(packed.get(&name), Some(v.clone()));
            prop_assert_eq!(packed.get("k"), Some(s("key")));
        }
    }
}

#[test]
fn a_packed_item_writes_the_text_its_item_writes() {
    for item in [Item::new(), workload_item(), every_type()] {
        let mut text = String::new();
        write_packed(&mut text, &PackedItem::new(&item));
        assert_eq!(text, crate::value::json_text(&item));
        assert_eq!(crate::value::json_text(&PackedItem::new(&item)), text, "serialized alike");
    }
}

proptest! {
    #[test]
    fn any_packed_item_writes_the_text_its_item_writes(v in super::super::tests::arb_value()) {
        let mut item = Item::from([("v", v)]);
        item.insert("quote\"d", s("line\nbreak"));
        let mut text = String::new();
        write_packed(&mut text, &PackedItem::new(&item));
        prop_assert_eq!(text, crate::value::json_text(&item));
    }
}
