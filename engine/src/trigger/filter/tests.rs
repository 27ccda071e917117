//! Lambda's filter rules against a stream record like the one in Lambda's DynamoDB
//! filtering guide.

use serde_json::{json, Value};

use super::*;

fn record() -> Value {
    json!({
        "eventID": "1", "eventName": "INSERT", "eventVersion": "1.1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1678831218.0,
            "Keys": {"CustomerName": {"S": "AnyCompany Industries"}},
            "NewImage": {
                "AccountManager": {"S": "Pat Candella"},
                "PaymentTerms": {"S": "60 days"},
                "CustomerName": {"S": "AnyCompany Industries"},
                "Total": {"N": "250"},
                "Tags": {"SS": ["vip", "eu"]},
                "Notes": {"NULL": true}
            },
            "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_IMAGE"
        }
    })
}

fn matches(pattern: Value) -> bool {
    Pattern::parse(&pattern.to_string()).unwrap().matches(&record())
}

#[test]
fn equality_on_keys_and_attributes() {
    assert!(matches(json!({"dynamodb": {"Keys": {"CustomerName": {"S": ["AnyCompany Industries"]}}}})));
    assert!(!matches(json!({"dynamodb": {"Keys": {"CustomerName": {"S": ["Other"]}}}})));
    // Several values of one key: or. Several keys: and.
    assert!(matches(
        json!({"eventName": ["MODIFY", "INSERT"], "dynamodb": {"NewImage": {"PaymentTerms": {"S": ["60 days"]}}}})
    ));
    assert!(!matches(json!({"eventName": ["INSERT"], "dynamodb": {"NewImage": {"PaymentTerms": {"S": ["30 days"]}}}})));
    // A field that is an array matches when any element does.
    assert!(matches(json!({"dynamodb": {"NewImage": {"Tags": {"SS": ["eu"]}}}})));
}

#[test]
fn string_operators() {
    assert!(matches(json!({"dynamodb": {"NewImage": {"AccountManager": {"S": [{"prefix": "Pat"}]}}}})));
    assert!(matches(json!({"dynamodb": {"NewImage": {"PaymentTerms": {"S": [{"suffix": "days"}]}}}})));
    assert!(matches(
        json!({"dynamodb": {"NewImage": {"AccountManager": {"S": [{"equals-ignore-case": "pat CANDELLA"}]}}}})
    ));
    assert!(matches(
        json!({"dynamodb": {"NewImage": {"PaymentTerms": {"S": [{"anything-but": ["30 days", "90 days"]}]}}}})
    ));
    assert!(!matches(json!({"dynamodb": {"NewImage": {"PaymentTerms": {"S": [{"anything-but": "60 days"}]}}}})));
    // anything-but needs the field: a missing one does not match.
    assert!(!matches(json!({"dynamodb": {"NewImage": {"Missing": {"S": [{"anything-but": "x"}]}}}})));
}

#[test]
fn numbers_exists_null_and_empty() {
    assert!(matches(json!({"dynamodb": {"SizeBytes": [{"numeric": [">", 10, "<=", 26]}]}})));
    assert!(!matches(json!({"dynamodb": {"SizeBytes": [{"numeric": ["<", 26]}]}})));
    assert!(matches(json!({"dynamodb": {"SizeBytes": [26]}})));
    // DynamoDB numbers are strings in the record: numeric matchers never see them.
    assert!(!matches(json!({"dynamodb": {"NewImage": {"Total": {"N": [{"numeric": [">", 0]}]}}}})));
    assert!(matches(json!({"dynamodb": {"NewImage": {"Total": {"N": ["250"]}}}})));
    assert!(matches(json!({"dynamodb": {"NewImage": {"AccountManager": {"S": [{"exists": true}]}}}})));
    assert!(matches(json!({"dynamodb": {"NewImage": {"Discount": {"S": [{"exists": false}]}}}})));
    // exists looks at primitive values only: an object is not one.
    assert!(!matches(json!({"dynamodb": {"NewImage": [{"exists": true}]}})));
    assert!(matches(json!({"dynamodb": {"NewImage": {"Notes": {"NULL": [true]}}}})));
    assert!(!matches(json!({"eventName": [null]})));
    assert!(!matches(json!({"eventName": [""]})));
}

#[test]
fn bad_patterns_are_refused_with_the_reason() {
    let err = |text: &str| Pattern::parse(text).unwrap_err();
    assert_eq!(err("[1]"), "Invalid filter pattern: it must be a JSON object");
    assert_eq!(err("{}"), "Invalid filter pattern: an object must name at least one field");
    assert_eq!(err(r#"{"a": 1}"#), "Invalid filter pattern: the value of \"a\" must be an object or a non-empty array");
    assert_eq!(
        err(r#"{"a": []}"#),
        "Invalid filter pattern: the value of \"a\" must be an object or a non-empty array"
    );
    assert_eq!(err(r#"{"a": [{"like": "x"}]}"#), "Invalid filter pattern: \"a\": unknown operator \"like\"");
    assert_eq!(
        err(r#"{"a": [{"prefix": "x", "suffix": "y"}]}"#),
        "Invalid filter pattern: \"a\": a matcher object has exactly one operator"
    );
    assert_eq!(
        err(r#"{"a": [{"numeric": [">", "x"]}]}"#),
        "Invalid filter pattern: \"a\": numeric takes [op, number] or [op, number, op, number]"
    );
    assert_eq!(err(r#"{"a": [{"exists": "yes"}]}"#), "Invalid filter pattern: \"a\": exists takes true or false");
    assert!(err("{").starts_with("Invalid filter pattern: "));
    let deep = format!("{}{}{}", r#"{"a":"#.repeat(40), "[1]", "}".repeat(40));
    assert_eq!(err(&deep), "Invalid filter pattern: nested too deeply");
}

proptest::proptest! {
    /// Any JSON text is either refused or compiled, and a compiled pattern answers for any
    /// record without panicking.
    #[test]
    fn any_text_parses_or_is_refused(text in "[\\[\\]{}\":,a-z0-9 .<>=-]{0,40}") {
        if let Ok(p) = Pattern::parse(&text) {
            let _ = p.matches(&record());
        }
    }
}
