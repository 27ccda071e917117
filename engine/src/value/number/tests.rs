use super::*;
use proptest::prelude::*;

fn n(s: &str) -> Number {
    Number::parse(s).unwrap()
}

#[test]
fn normalises_as_dynamodb_returns_numbers() {
    for (input, out) in [
        ("00042", "42"),
        ("1.0", "1"),
        ("1.50", "1.5"),
        ("-0", "0"),
        ("-0.000", "0"),
        ("1.5E2", "150"),
        ("1.5e-3", "0.0015"),
        ("+7", "7"),
        (".5", "0.5"),
        ("5.", "5"),
        ("1234567895171680000000000000000000000000", "1234567895171680000000000000000000000000"),
        ("1E125", &format!("1{}", "0".repeat(125))),
    ] {
        assert_eq!(n(input).to_string(), out, "{input}");
    }
}

#[test]
fn rejects_out_of_range_with_aws_messages() {
    assert_eq!(Number::parse("1E126"), Err(NumberError::Overflow));
    assert_eq!(Number::parse("1E-131"), Err(NumberError::Underflow));
    assert_eq!(Number::parse("1.00000000000000000000000000000000000001"), Err(NumberError::TooPrecise));
    assert!(Number::parse("1.000000000000000000000000000000000001").is_ok());
    for bad in ["", "-", "abc", "1e", "1..2", "1e+", "0x10", " 1", "1 ", "NaN", "Infinity"] {
        assert_eq!(Number::parse(bad), Err(NumberError::NotANumber), "{bad:?}");
    }
    assert_eq!(NumberError::NotANumber.message("abc"), "The parameter cannot be converted to a numeric value: abc");
    assert_eq!(NumberError::TooPrecise.message(""), "Attempting to store more than 38 significant digits in a Number");
}

#[test]
fn orders_numerically() {
    let mut v: Vec<Number> = ["10", "9", "-1", "0", "-10", "0.5", "1E2", "-0.01"].iter().map(|s| n(s)).collect();
    #[expect(clippy::disallowed_methods, reason = "a test, not in the page")]
    v.sort();
    let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    assert_eq!(s, ["-10", "-1", "-0.01", "0", "0.5", "9", "10", "100"]);
}

#[test]
fn adds_exactly() {
    assert_eq!(n("0.1").add(&n("0.2")).unwrap().to_string(), "0.3");
    assert_eq!(n("5").sub(&n("7")).unwrap().to_string(), "-2");
    assert_eq!(n("-5").add(&n("5")).unwrap().to_string(), "0");
    assert_eq!(n("999").add(&n("1")).unwrap().to_string(), "1000");
    assert_eq!(n("1E100").add(&n("1")), Err(NumberError::TooPrecise));
    assert_eq!(n("9.9999999999999999999999999999999999999E125").add(&n("1E125")), Err(NumberError::Overflow));
    assert_eq!(n("1.1E-130").sub(&n("1E-130")), Err(NumberError::Underflow));
}

#[test]
fn the_stored_exponent_holds_the_whole_range() {
    // Stored as i16: the ends of DynamoDB's range go in and come out whole, and the
    // widest exponents a literal can carry are refused, not wrapped.
    let top = n("-9.9999999999999999999999999999999999999E125");
    assert_eq!(top.to_string(), format!("-99999999999999999999999999999999999999{}", "0".repeat(88)));
    assert_eq!(n("1E-130").to_string(), format!("0.{}1", "0".repeat(129)));
    assert!(n("1E-130") < n("1E125") && n("-1E125") < n("-1E-130"));
    assert_eq!(Number::parse("1E9223372036854775807"), Err(NumberError::Overflow));
    assert_eq!(Number::parse("1E99999999999999999999999"), Err(NumberError::Overflow));
    assert_eq!(Number::parse("1E-9223372036854775808"), Err(NumberError::Underflow));
    assert_eq!(Number::parse("0.5E32768"), Err(NumberError::Overflow));
    assert_eq!(Number::parse("5E-32769"), Err(NumberError::Underflow));
}

#[test]
fn sizes_match_the_aws_calculator() {
    for (input, size) in
        [("0", 1), ("1", 2), ("10", 2), ("100", 2), ("123", 3), ("-1", 3), ("12345", 4), ("0.5", 2), ("1.5", 3)]
    {
        assert_eq!(n(input).size(), size, "{input}");
    }
}

proptest! {
    #[test]
    fn print_then_parse_is_identity(i in any::<i64>(), scale in -20i32..20) {
        let text = format!("{i}E{scale}");
        if let Ok(x) = Number::parse(&text) {
            prop_assert_eq!(Number::parse(&x.to_string()), Ok(x));
        }
    }

    #[test]
    fn ordering_agrees_with_integers(a in any::<i64>(), b in any::<i64>()) {
        prop_assert_eq!(Number::from_i64(a).cmp(&Number::from_i64(b)), a.cmp(&b));
    }

    #[test]
    fn addition_agrees_with_integers(a in -(1i64<<60)..(1i64<<60), b in -(1i64<<60)..(1i64<<60)) {
        let sum = Number::from_i64(a).add(&Number::from_i64(b)).unwrap();
        prop_assert_eq!(sum.to_string(), (a + b).to_string());
    }

    #[test]
    fn parse_never_panics(s in "\\PC*") {
        let _ = Number::parse(&s);
    }
}

#[test]
fn numbers_hold_every_digit_inline_in_22_bytes() {
    assert_eq!(std::mem::size_of::<Number>(), 22);
    if cfg!(target_pointer_width = "64") {
        assert_eq!(std::mem::size_of::<crate::table::KeyValue>(), 32);
    }
    let short = Number::parse("-1234567890.123456").unwrap();
    let long = Number::parse("12345678901234567890123456789012345678").unwrap();
    let odd = Number::parse("-1234567890123456789012345678901234567E-130").unwrap();
    assert_eq!(long.to_string(), "12345678901234567890123456789012345678");
    assert_eq!(short.to_string(), "-1234567890.123456");
    assert_eq!(odd, Number::parse(&odd.to_string()).unwrap());
    assert!(short < odd && odd < long);
    assert_eq!(long.add(&Number::from_i64(-8)).unwrap().to_string(), "12345678901234567890123456789012345670");
    assert_eq!(format!("{short:?}"), r#"Number("-1234567890.123456")"#);
}
