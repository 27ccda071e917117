use super::*;
use crate::value::{item_from_json, Number};
use serde_json::json;

fn names() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([("#n", "name"), ("#s", "status")])
}

fn values() -> Item {
    item_from_json(&json!({
        ":s": {"S": "x"}, ":n": {"N": "1"}, ":two": {"N": "2"}, ":l": {"L": []}, ":ss": {"SS": ["a"]},
        ":t": {"S": "S"}, ":bad": {"S": "STRING"}
    }))
    .unwrap()
}

fn cond_err(src: &str) -> String {
    let (n, v) = (names(), values());
    let mut ph = Placeholders::new(Some(&n), Some(&v));
    condition(src, ExprKind::Condition, &mut ph).unwrap_err().message(ExprKind::Condition)
}

fn update_err(src: &str) -> String {
    let (n, v) = (names(), values());
    let mut ph = Placeholders::new(Some(&n), Some(&v));
    update(src, &mut ph).unwrap_err().message(ExprKind::Update)
}

#[test]
fn condition_errors_use_aws_wording() {
    let cases = [
        ("status = :s", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
        ("#x = :s", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"),
        ("a = :zz", "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz"),
        ("foo(a)", "Invalid ConditionExpression: Invalid function name; function: foo"),
        ("begins_with(a, :s) = :s", "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with"),
        ("size(a)", "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"),
        ("begins_with(a)", "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"),
        ("attribute_exists(:s)", "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"),
        ("begins_with(a, :n)", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
        ("a = a", "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"),
        ("a BETWEEN :two AND :n", "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"),
        ("a BETWEEN :n AND :s", "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"),
        ("attribute_type(a, :bad)", "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"),
        ("((a = :s))", "Invalid ConditionExpression: The expression has redundant parentheses;"),
        ("size(:n) > :n", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"),
        ("a < :l", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L"),
        (":l >= a", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: L"),
        ("a BETWEEN :l AND :l", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L"),
        ("if_not_exists(a, :n) = :n", "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"),
    ];
    for (src, msg) in cases {
        assert_eq!(cond_err(src), msg, "{src}");
    }
    let too_many = vec![":n"; 101].join(", ");
    assert_eq!(
        cond_err(&format!("a IN ({too_many})")),
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"
    );
}

#[test]
fn reserved_word_outranks_undefined_value_in_conditions() {
    assert!(cond_err("status = :zz").contains("reserved keyword"));
}

#[test]
fn update_errors_use_aws_wording() {
    let cases = [
        ("SET a = :s SET b = :s", "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"),
        ("SET a = :s, a.b = :s", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
        ("SET a.b = :s, a[0] = :s", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]"),
        ("ADD a :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
        ("DELETE a :n", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
        ("SET a = size(b)", "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"),
        ("SET a = :s + :n", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"),
        ("SET a = list_append(:s, a)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"),
        ("SET a = if_not_exists(:s, :s)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"),
        ("SET a = list_append(list_append(:l, :l), :l)", "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"),
        ("SET a = foo(b)", "Invalid UpdateExpression: Invalid function name; function: foo"),
        ("SET #s = :zz", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :zz"),
        ("SET status = :zz", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    ];
    for (src, msg) in cases {
        assert_eq!(update_err(src), msg, "{src}");
    }
}

#[test]
fn if_not_exists_has_no_static_type() {
    let (n, v) = (names(), values());
    let mut ph = Placeholders::new(Some(&n), Some(&v));
    assert!(update("SET b = list_append(b, if_not_exists(a, :s)), c = if_not_exists(c, :s) + :n", &mut ph).is_ok());
}

#[test]
fn records_used_placeholders() {
    let (n, v) = (names(), values());
    let mut ph = Placeholders::new(Some(&n), Some(&v));
    update("SET #n = :s ADD c :n", &mut ph).unwrap();
    assert_eq!(ph.used_names.iter().copied().collect::<Vec<_>>(), ["#n"]);
    assert_eq!(ph.used_values.iter().copied().collect::<Vec<_>>(), [":n", ":s"]);
}

#[test]
fn resolves_placeholders_into_paths() {
    let (n, v) = (names(), values());
    let mut ph = Placeholders::new(Some(&n), Some(&v));
    let c = condition("#n.a[1] = :n", ExprKind::Condition, &mut ph).unwrap();
    let Condition::Compare(_, Operand::Path(p), Operand::Value(AttributeValue::N(x))) = c else { panic!("{c:?}") };
    assert_eq!(p.to_string(), "[name, a, [1]]");
    assert_eq!(x, Number::from_i64(1));
}

#[test]
fn projection_rejects_overlapping_paths() {
    let mut ph = Placeholders::default();
    let err = projection("a, a.b", &mut ph).unwrap_err().message(ExprKind::Projection);
    assert_eq!(err, "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
}

#[test]
fn hints_name_the_usual_slips() {
    let hint = |src: &str, names: &[(&str, &str)], values: &[&str]| {
        let names: BTreeMap<&str, &str> = names.iter().copied().collect();
        let values: Item =
            values.iter().map(|k| (k.to_string(), AttributeValue::N(Number::parse("1").unwrap()))).collect();
        let mut ph = Placeholders::new(Some(&names), Some(&values));
        let e = condition(src, ExprKind::Filter, &mut ph).unwrap_err();
        (e.span.clone(), e.hint(src))
    };
    let (span, h) = hint("status = :v", &[], &[":v"]);
    assert_eq!(span, 0..6);
    assert_eq!(h.unwrap(), "status is a DynamoDB reserved word: write #status in the expression and add \"#status\": \"status\" to ExpressionAttributeNames.");
    assert_eq!(hint("a = :w", &[], &[":v"]).1.unwrap(), "Add :w to ExpressionAttributeValues, or fix its spelling.");
    assert_eq!(hint("(a = :v", &[], &[":v"]).1.unwrap(), "The parentheses do not pair up: 1 opening, 0 closing.");
    assert_eq!(
        hint("price > 10", &[], &[]).1.unwrap(),
        "Values go in ExpressionAttributeValues: write a placeholder such as :v instead of 10, and add \":v\" there."
    );
}
