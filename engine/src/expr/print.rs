//! Printing raw syntax trees back to expression text. Parsing the printed text gives the
//! same tree (the property tests check it), so editors can pretty-print and scenario
//! files can store normalised expressions.

use std::fmt::{self, Display, Formatter, Write};

use super::syntax::*;

impl Display for RawPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, e) in self.elems.iter().enumerate() {
            match e {
                RawElem::Attr(n, _) | RawElem::Name(n, _) => {
                    if i > 0 {
                        f.write_char('.')?;
                    }
                    f.write_str(n)?;
                }
                RawElem::Index(n, _) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Display for RawOperand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RawOperand::Path(p) => p.fmt(f),
            RawOperand::Value(v, _) => f.write_str(v),
            RawOperand::Call(c) => c.fmt(f),
        }
    }
}

impl Display for RawCall {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            a.fmt(f)?;
        }
        f.write_char(')')
    }
}

/// Binding strength: OR < AND < NOT < everything else.
fn strength(c: &RawCond) -> u8 {
    match c {
        RawCond::Or(..) => 0,
        RawCond::And(..) => 1,
        RawCond::Not(..) => 2,
        _ => 3,
    }
}

fn child(f: &mut Formatter<'_>, c: &RawCond, min: u8) -> fmt::Result {
    if strength(c) < min {
        write!(f, "({c})")
    } else {
        c.fmt(f)
    }
}

impl Display for RawCond {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RawCond::Compare(op, a, b) => write!(f, "{a} {} {b}", op.symbol()),
            RawCond::Between(s, lo, hi) => write!(f, "{s} BETWEEN {lo} AND {hi}"),
            RawCond::In(s, list) => {
                write!(f, "{s} IN (")?;
                for (i, o) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    o.fmt(f)?;
                }
                f.write_char(')')
            }
            RawCond::Call(c) => c.fmt(f),
            // Both operators parse left-associatively, so a right operand of the same
            // strength needs parentheses to keep its shape.
            RawCond::Or(a, b) => {
                child(f, a, 0)?;
                f.write_str(" OR ")?;
                child(f, b, 1)
            }
            RawCond::And(a, b) => {
                child(f, a, 1)?;
                f.write_str(" AND ")?;
                child(f, b, 2)
            }
            RawCond::Not(a) => {
                f.write_str("NOT ")?;
                child(f, a, 2)
            }
        }
    }
}

impl Display for RawSetValue {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RawSetValue::Operand(o) => o.fmt(f),
            RawSetValue::Plus(a, b) => write!(f, "{a} + {b}"),
            RawSetValue::Minus(a, b) => write!(f, "{a} - {b}"),
        }
    }
}

impl Display for RawUpdate {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, (section, _, actions)) in self.sections.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            write!(f, "{} ", section.keyword())?;
            for (j, a) in actions.iter().enumerate() {
                if j > 0 {
                    f.write_str(", ")?;
                }
                match a {
                    RawAction::Set(p, v) => write!(f, "{p} = {v}")?,
                    RawAction::Remove(p) => p.fmt(f)?,
                    RawAction::Add(p, v, _) | RawAction::Delete(p, v, _) => write!(f, "{p} {v}")?,
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn elem() -> impl Strategy<Value = RawElem> {
        prop_oneof![
            prop_oneof![Just("a"), Just("b2"), Just("c_"), Just("size"), Just("Item")]
                .prop_map(|n| RawElem::Attr(n.into(), 0..0)),
            prop_oneof![Just("#n"), Just("#x1")].prop_map(|n| RawElem::Name(n.into(), 0..0)),
        ]
    }

    fn path() -> impl Strategy<Value = RawPath> {
        (
            elem(),
            proptest::collection::vec(prop_oneof![elem(), (0usize..30).prop_map(|i| RawElem::Index(i, 0..0))], 0..3),
        )
            .prop_map(|(head, tail)| RawPath { elems: std::iter::once(head).chain(tail).collect(), span: 0..0 })
    }

    fn operand() -> impl Strategy<Value = RawOperand> {
        let leaf = prop_oneof![
            path().prop_map(RawOperand::Path),
            prop_oneof![Just(":v"), Just(":w0")].prop_map(|v| RawOperand::Value(v.into(), 0..0)),
        ];
        leaf.prop_recursive(2, 6, 3, |inner| {
            (
                prop_oneof![Just("size"), Just("if_not_exists"), Just("list_append"), Just("foo")],
                proptest::collection::vec(inner, 1..3),
            )
                .prop_map(|(name, args)| RawOperand::Call(RawCall { name: name.into(), span: 0..0, args }))
        })
    }

    fn op() -> impl Strategy<Value = CmpOp> {
        prop_oneof![
            Just(CmpOp::Eq),
            Just(CmpOp::Ne),
            Just(CmpOp::Lt),
            Just(CmpOp::Le),
            Just(CmpOp::Gt),
            Just(CmpOp::Ge)
        ]
    }

    fn cond() -> impl Strategy<Value = RawCond> {
        let leaf = prop_oneof![
            (op(), operand(), operand()).prop_map(|(o, a, b)| RawCond::Compare(o, a, b)),
            (operand(), operand(), operand()).prop_map(|(a, b, c)| RawCond::Between(a, b, c)),
            (operand(), proptest::collection::vec(operand(), 1..4)).prop_map(|(a, l)| RawCond::In(a, l)),
            (prop_oneof![Just("attribute_exists"), Just("contains")], proptest::collection::vec(operand(), 1..3))
                .prop_map(|(n, args)| RawCond::Call(RawCall { name: n.into(), span: 0..0, args })),
        ];
        leaf.prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| RawCond::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| RawCond::Or(Box::new(a), Box::new(b))),
                inner.prop_map(|a| RawCond::Not(Box::new(a))),
            ]
        })
    }

    fn update() -> impl Strategy<Value = RawUpdate> {
        let set = (
            path(),
            prop_oneof![
                operand().prop_map(RawSetValue::Operand),
                (operand(), operand()).prop_map(|(a, b)| RawSetValue::Plus(a, b)),
                (operand(), operand()).prop_map(|(a, b)| RawSetValue::Minus(a, b)),
            ],
        )
            .prop_map(|(p, v)| RawAction::Set(p, v));
        let section =
            prop_oneof![
                proptest::collection::vec(set, 1..3).prop_map(|a| (Section::Set, 0..0, a)),
                proptest::collection::vec(path().prop_map(RawAction::Remove), 1..3).prop_map(|a| (
                    Section::Remove,
                    0..0,
                    a
                )),
                proptest::collection::vec(path().prop_map(|p| RawAction::Add(p, ":v".into(), 0..0)), 1..3)
                    .prop_map(|a| (Section::Add, 0..0, a)),
                proptest::collection::vec(path().prop_map(|p| RawAction::Delete(p, ":w0".into(), 0..0)), 1..3)
                    .prop_map(|a| (Section::Delete, 0..0, a)),
            ];
        proptest::collection::vec(section, 1..4).prop_map(|sections| RawUpdate { sections })
    }

    proptest! {
        #[test]
        fn printed_conditions_reparse_to_the_same_tree(c in cond()) {
            let text = c.to_string();
            let again = parse_condition(&text).map_err(|e| TestCaseError::fail(format!("{text}: {}", e.detail())))?;
            prop_assert_eq!(again.ast.to_string(), text);
        }

        #[test]
        fn printed_updates_reparse_to_the_same_tree(u in update()) {
            let text = u.to_string();
            let again = parse_update(&text).map_err(|e| TestCaseError::fail(format!("{text}: {}", e.detail())))?;
            prop_assert_eq!(again.ast.to_string(), text);
        }
    }
}
