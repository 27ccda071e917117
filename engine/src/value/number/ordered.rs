//! A Number as bytes that sort as the numbers do, for a store key's sort key
//! (`table::StoreKey`): a class byte (negative, zero, positive), then, unless the number
//! is zero, its exponent in one byte and its digits one per byte. A stored number's
//! exponent lies in `MIN_EXPONENT..=MAX_EXPONENT`, 256 values, so it fits a byte once
//! offset. A negative number's exponent and digits are complemented (larger magnitudes
//! sort first), and its digits end in a byte above any complemented digit, so that of two
//! magnitudes with the same leading digits the longer, the larger, sorts first too.

use super::{Number, MIN_EXPONENT};

const NEGATIVE: u8 = 0;
const ZERO: u8 = 1;
const POSITIVE: u8 = 2;
/// Closes a negative number's digits.
const END: u8 = 10;

impl Number {
    /// How many bytes [`Number::write_ordered`] writes.
    pub(crate) fn ordered_len(&self) -> usize {
        if self.is_zero() {
            1
        } else {
            2 + self.len() + usize::from(self.negative)
        }
    }

    /// Writes the number's ordered bytes (see the module docs).
    pub(crate) fn write_ordered(&self, out: &mut impl Extend<u8>) {
        if self.is_zero() {
            return out.extend([ZERO]);
        }
        let exponent = self.exponent;
        if self.negative {
            out.extend([NEGATIVE, !exponent]);
            out.extend(self.digits().iter().map(|d| 9u8.saturating_sub(*d)));
            out.extend([END]);
        } else {
            out.extend([POSITIVE, exponent]);
            out.extend(self.digits().iter().copied());
        }
    }

    /// The number whose ordered bytes are exactly `bytes`; `None` if they are not a
    /// number's.
    pub(crate) fn read_ordered(bytes: &[u8]) -> Option<Number> {
        let (&class, rest) = bytes.split_first()?;
        if class == ZERO {
            return rest.is_empty().then(Number::zero);
        }
        let (&exponent, rest) = rest.split_first()?;
        let (negative, exponent, digits) = match class {
            POSITIVE => (false, exponent, rest.to_vec()),
            NEGATIVE => {
                let (&end, rest) = rest.split_last()?;
                if end != END || rest.iter().any(|&d| d > 9) {
                    return None;
                }
                (true, !exponent, rest.iter().map(|d| 9 - d).collect())
            }
            _ => return None,
        };
        let normal = digits.first().is_some_and(|&d| d != 0) && digits.last().is_some_and(|&d| d != 0);
        if !normal || digits.iter().any(|&d| d > 9) {
            return None;
        }
        Number::checked(negative, &digits, i64::from(exponent) + MIN_EXPONENT).ok()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ordered(n: &Number) -> Vec<u8> {
        let mut out = Vec::new();
        n.write_ordered(&mut out);
        assert_eq!(out.len(), n.ordered_len(), "{n}");
        out
    }

    fn number(text: &str) -> Number {
        Number::parse(text).unwrap()
    }

    #[test]
    fn bytes_sort_as_the_numbers_do() {
        let texts = [
            "-9.9E125", "-100", "-15", "-1.23", "-1.2", "-1", "-1E-130", "0", "1E-130", "0.5", "1", "1.2", "1.23",
            "15", "100", "9.9E125",
        ];
        let numbers: Vec<Number> = texts.iter().map(|t| number(t)).collect();
        for pair in numbers.windows(2) {
            assert!(pair[0] < pair[1], "{} < {}", pair[0], pair[1]);
            assert!(ordered(&pair[0]) < ordered(&pair[1]), "{} < {} as bytes", pair[0], pair[1]);
        }
        assert_eq!(ordered(&number("-1.2")), [NEGATIVE, !130, 8, 7, END]);
        assert_eq!(ordered(&number("42")), [POSITIVE, 131, 4, 2]);
        assert_eq!(ordered(&Number::zero()), [ZERO]);
    }

    #[test]
    fn what_is_not_a_numbers_bytes_is_refused() {
        for bytes in [
            &[][..],
            &[ZERO, 0],
            &[POSITIVE, 130],
            &[POSITIVE, 130, 1, 0],
            &[POSITIVE, 130, 0, 1],
            &[POSITIVE, 130, 12],
            &[NEGATIVE, 125, 8],
            &[NEGATIVE, 125, 11, END],
            &[3, 130, 1],
        ] {
            assert_eq!(Number::read_ordered(bytes), None, "{bytes:?}");
        }
    }

    fn any_number() -> impl Strategy<Value = Number> {
        (any::<bool>(), "[1-9][0-9]{0,36}[1-9]|[1-9]", -130i64..=88).prop_filter_map("stored", |(neg, digits, exp)| {
            let text = format!("{}{}E{exp}", if neg { "-" } else { "" }, digits);
            Number::parse(&text).ok()
        })
    }

    proptest! {
        #[test]
        fn ordered_bytes_read_back_and_sort_as_numbers(a in any_number(), b in any_number()) {
            prop_assert_eq!(Number::read_ordered(&ordered(&a)), Some(a.clone()));
            prop_assert_eq!(ordered(&a).cmp(&ordered(&b)), a.cmp(&b));
        }
    }
}
