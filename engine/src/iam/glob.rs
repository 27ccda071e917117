//! IAM's wildcards (`*` any run of characters, `?` one character) and policy variables
//! (`${aws:username}`, `${dynamodb:…}`, `${*}`…).

use super::Context;

/// Whether `text` matches `pattern`. Linear in practice: the last `*` is remembered and
/// only it is backtracked to, so a pattern full of stars cannot blow up.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| if ignore_case { a.eq_ignore_ascii_case(&b) } else { a == b };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some('*'), _) => {
                star = Some((pi, ti));
                pi += 1;
            }
            (Some(&pc), Some(&tc)) if pc == '?' || same(pc, tc) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

/// `text` with its policy variables replaced by the request's values; `None` when a
/// variable has no value and no default (IAM then treats the element as not matching).
pub fn substitute(text: &str, context: &Context) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start)?);
        let after = rest.get(start + 2..)?;
        let end = after.find('}')?;
        out.push_str(&variable(after.get(..end)?, context)?);
        rest = after.get(end + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// One variable's value: `*`, `?` and `$` stand for themselves; a key may carry a
/// default (`${aws:username, 'nobody'}`); a multi-valued key has no single value.
fn variable(inner: &str, context: &Context) -> Option<String> {
    match inner.trim() {
        "*" => return Some("*".into()),
        "?" => return Some("?".into()),
        "$" => return Some("$".into()),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => (k.trim(), Some(d.trim().trim_matches('\'').to_string())),
        None => (inner.trim(), None),
    };
    match context.get(key).map(Vec::as_slice) {
        Some([one]) => Some(one.clone()),
        _ => default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_marks() {
        assert!(matches("dynamodb:*", "dynamodb:GetItem", false));
        assert!(matches("dynamodb:Get*", "dynamodb:GetItem", false));
        assert!(!matches("dynamodb:Get*", "dynamodb:PutItem", false));
        assert!(matches("dynamodb:?etItem", "dynamodb:GetItem", false));
        assert!(matches(
            "arn:aws:dynamodb:*:*:table/Music*",
            "arn:aws:dynamodb:us-east-1:1:table/Music/index/ByYear",
            false
        ));
        assert!(!matches("a*b*c", "aXbX", false));
        assert!(matches("DYNAMODB:getitem", "dynamodb:GetItem", true));
        assert!(matches(&"*".repeat(60), &"a".repeat(200), false));
        assert!(!matches(&"*a".repeat(30), &"b".repeat(200), false));
    }

    #[test]
    fn variables() {
        let mut c = Context::new();
        c.insert("aws:username".into(), vec!["ana".into()]);
        assert_eq!(substitute("rows/${aws:username}/*", &c).as_deref(), Some("rows/ana/*"));
        assert_eq!(substitute("${aws:userid}", &c), None);
        assert_eq!(substitute("${aws:userid, 'none'}", &c).as_deref(), Some("none"));
        assert_eq!(substitute("a${*}b", &c).as_deref(), Some("a*b"));
        assert_eq!(substitute("open ${ only", &c), None);
    }
}
