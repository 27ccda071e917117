use super::*;

fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
    let operator = Operator::parse(op).expect("an operator");
    Condition { operator, key: key.into(), values: values.iter().map(|v| v.to_string()).collect() }
}

fn ctx(pairs: &[(&str, &[&str])]) -> Context {
    let mut c = Context::new();
    for (k, v) in pairs {
        c.insert(k.to_string(), v.iter().map(|s| s.to_string()).collect());
    }
    c
}

fn holds(op: &str, key: &str, values: &[&str], c: &Context) -> bool {
    cond(op, key, values).evaluate(c).holds
}

#[test]
fn absent_keys_follow_iams_rules() {
    let none = Context::new();
    assert!(!holds("StringEquals", "dynamodb:Select", &["COUNT"], &none));
    assert!(holds("StringNotEquals", "dynamodb:Select", &["COUNT"], &none));
    assert!(holds("StringEqualsIfExists", "dynamodb:Select", &["COUNT"], &none));
    assert!(holds("ForAllValues:StringEquals", "dynamodb:Attributes", &["a"], &none));
    assert!(!holds("ForAnyValue:StringEquals", "dynamodb:EnclosingOperation", &["TransactWriteItems"], &none));
    assert!(holds("Null", "dynamodb:Select", &["true"], &none));
    assert!(!holds("Null", "dynamodb:Select", &["false"], &none));
}

#[test]
fn set_qualifiers() {
    let c = ctx(&[("dynamodb:Attributes", &["pk", "name", "secret"])]);
    assert!(!holds("ForAllValues:StringEquals", "dynamodb:Attributes", &["pk", "name"], &c));
    assert!(holds("ForAllValues:StringEquals", "dynamodb:Attributes", &["pk", "name", "secret", "x"], &c));
    assert!(holds("ForAnyValue:StringEquals", "dynamodb:Attributes", &["secret"], &c));
    assert!(!holds("ForAnyValue:StringEquals", "dynamodb:Attributes", &["other"], &c));
    assert!(holds("ForAnyValue:StringNotEquals", "dynamodb:Attributes", &["pk", "name"], &c));
    assert!(!holds("ForAllValues:StringNotEquals", "dynamodb:Attributes", &["secret"], &c));
}

#[test]
fn negated_operators_are_nor_over_the_policy_values() {
    let c = ctx(&[("dynamodb:ReturnValues", &["ALL_OLD"])]);
    assert!(!holds("StringNotEquals", "dynamodb:ReturnValues", &["NONE", "ALL_OLD"], &c));
    assert!(holds("StringNotEquals", "dynamodb:ReturnValues", &["NONE", "UPDATED_NEW"], &c));
}

#[test]
fn types() {
    let c = ctx(&[
        ("n", &["10"]),
        ("t", &["2026-11-30T12:00:00Z"]),
        ("b", &["true"]),
        ("ip", &["10.1.2.3"]),
        ("arn", &["arn:aws:iam::111122223333:user/ana"]),
        ("s", &["Hello"]),
    ]);
    assert!(holds("NumericLessThan", "n", &["11"], &c));
    assert!(!holds("NumericGreaterThan", "n", &["10"], &c));
    assert!(holds("NumericGreaterThanEquals", "n", &["10"], &c));
    assert!(holds("DateLessThan", "t", &["2027-01-01"], &c));
    assert!(holds("DateGreaterThan", "t", &["1700000000"], &c));
    assert!(holds("Bool", "b", &["true"], &c));
    assert!(holds("IpAddress", "ip", &["10.0.0.0/8"], &c));
    assert!(holds("NotIpAddress", "ip", &["192.168.0.0/16"], &c));
    assert!(holds("ArnLike", "arn", &["arn:aws:iam::*:user/*"], &c));
    assert!(holds("StringEqualsIgnoreCase", "s", &["hello"], &c));
    assert!(holds("StringLike", "s", &["H*o"], &c));
    assert!(!holds("StringLike", "s", &["h*"], &c));
}

#[test]
fn variables_are_read_in_values() {
    let c = ctx(&[("aws:username", &["ana"]), ("dynamodb:LeadingKeys", &["ana"])]);
    let o = cond("ForAllValues:StringEquals", "dynamodb:LeadingKeys", &["${aws:username}"]).evaluate(&c);
    assert!(o.holds);
    assert_eq!(o.policy, vec!["ana".to_string()]);
    let other = ctx(&[("aws:username", &["bo"]), ("dynamodb:LeadingKeys", &["ana"])]);
    assert!(!holds("ForAllValues:StringEquals", "dynamodb:LeadingKeys", &["${aws:username}"], &other));
}

#[test]
fn operator_names() {
    assert!(Operator::parse("ForAnyValue:StringLikeIfExists").is_some());
    assert!(Operator::parse("NullIfExists").is_none());
    assert!(Operator::parse("ForAllValues:Null").is_none());
    assert!(Operator::parse("StringEqual").is_none());
    assert!(Operator::parse("Foo:StringEquals").is_none());
    let op = Operator::parse("NumericLessThan").expect("an operator");
    assert!(op.check_values(&["12".into()]).is_ok());
    assert!(op.check_values(&["twelve".into()]).is_err());
}
