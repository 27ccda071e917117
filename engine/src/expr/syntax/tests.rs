use super::*;

fn syntax_error(src: &str) -> String {
    parse_condition(src).unwrap_err().detail()
}

#[test]
fn or_binds_looser_than_and() {
    let c = parse_condition("a = :a OR b = :b AND c = :c").unwrap().ast;
    assert!(matches!(c, RawCond::Or(_, ref r) if matches!(**r, RawCond::And(_, _))));
}

#[test]
fn keywords_are_case_insensitive() {
    assert!(parse_condition("a between :x and :y").is_ok());
    assert!(parse_condition("not a in (:x, :y)").is_ok());
}

#[test]
fn parenthesised_operands_and_conditions_both_parse() {
    assert!(parse_condition("(a) = :v").is_ok());
    assert!(parse_condition("(a = :v) AND (b = :w)").is_ok());
    assert!(parse_condition("(a = :v OR b = :w) AND attribute_exists(c)").is_ok());
}

#[test]
fn redundant_parentheses_are_flagged() {
    assert!(parse_condition("((a = :v))").unwrap().redundant_parens.is_some());
    assert!(parse_condition("(a = :v)").unwrap().redundant_parens.is_none());
}

#[test]
fn syntax_errors_name_the_token_and_its_neighbours() {
    assert_eq!(syntax_error("attribute_not_exists("), r#"Syntax error; token: "<EOF>", near: "(""#);
    assert_eq!(syntax_error("foo"), r#"Syntax error; token: "<EOF>", near: "foo""#);
    assert_eq!(syntax_error("contains (themes, :theme"), r#"Syntax error; token: "<EOF>", near: ":theme""#);
    assert_eq!(syntax_error("a = = b"), r#"Syntax error; token: "=", near: "= = b""#);
    assert_eq!(parse_update("SET a = :v,").unwrap_err().detail(), r#"Syntax error; token: "<EOF>", near: ",""#);
    assert_eq!(syntax_error("a = @"), r#"Syntax error; token: "@", near: "= @""#);
    // Names start with a letter; `_` is no token at all.
    assert_eq!(parse_update("SET _123 = :v").unwrap_err().detail(), r#"Syntax error; token: "_", near: "SET _123""#);
    assert_eq!(
        parse_update("SET !hithere = :v").unwrap_err().detail(),
        r#"Syntax error; token: "!", near: "SET !hithere""#
    );
    assert_eq!(syntax_error("@@ x"), r#"Syntax error; token: "@", near: "@@""#);
}

#[test]
fn update_sections_parse_in_any_order() {
    let u = parse_update("remove x ADD n :one SET a = b + :c, l = list_append(l, :m) DELETE s :s").unwrap().ast;
    let kinds: Vec<Section> = u.sections.iter().map(|s| s.0).collect();
    assert_eq!(kinds, [Section::Remove, Section::Add, Section::Set, Section::Delete]);
}

#[test]
fn paths_take_members_and_indexes() {
    let p = parse_projection("a.b[2].#c, d").unwrap().ast;
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].elems.len(), 4);
    assert!(parse_projection("a[x]").is_err());
    assert!(parse_projection("").is_err());
}
