//! A Number as a stored item keeps it ([`crate::value::PackedItem`]): its significant
//! digits' count and sign in one byte, its exponent in one, then its digits two to a
//! byte, as many bytes as they fill: 2 to 21 bytes where the Number itself is 22.

use super::{Number, PACKED};

/// The sign's bit in the first byte; the digits' count is below it (at most 38).
const NEGATIVE: u8 = 0x80;

impl Number {
    /// Appends the number's packed bytes.
    pub(crate) fn write_packed(&self, out: &mut Vec<u8>) {
        let flags = if self.negative { NEGATIVE } else { 0 };
        out.extend([self.len | flags, self.exponent]);
        let used = usize::from(self.len).div_ceil(2);
        out.extend(self.packed.iter().take(used));
    }

    /// The number at the start of `bytes` and how many bytes it took; `None` if they are
    /// cut short or not a number's packed bytes.
    pub(crate) fn read_packed(bytes: &[u8]) -> Option<(Number, usize)> {
        let (&first, rest) = bytes.split_first()?;
        let (&exponent, rest) = rest.split_first()?;
        let len = first & !NEGATIVE;
        let used = usize::from(len).div_ceil(2);
        if used > PACKED {
            return None;
        }
        let mut packed = [0; PACKED];
        packed.get_mut(..used)?.copy_from_slice(rest.get(..used)?);
        Some((Number { packed, len, exponent, negative: first & NEGATIVE != 0 }, 2 + used))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn round_trip(text: &str) {
        let n = Number::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let mut out = vec![7];
        n.write_packed(&mut out);
        out.push(9);
        let (back, used) = Number::read_packed(out.get(1..).unwrap_or_default()).unwrap_or_else(|| panic!("{text}"));
        assert_eq!((back.clone(), used + 2), (n.clone(), out.len()), "{text}");
        assert_eq!(back.to_string(), n.to_string());
    }

    #[test]
    fn numbers_read_back_as_written() {
        for text in ["0", "1", "-1", "42", "1.5", "-0.000123", "9.9999999999999999999999999999999999999E+125", "1E-130"]
        {
            round_trip(text);
        }
        round_trip("-12345678901234567890123456789012345678");
    }

    #[test]
    fn short_or_damaged_bytes_are_no_number() {
        assert_eq!(Number::read_packed(&[]), None);
        assert_eq!(Number::read_packed(&[3, 130, 0x12]), None, "three digits need two bytes");
        assert_eq!(Number::read_packed(&[0x7f, 0]), None, "more digits than a number holds");
    }

    proptest! {
        #[test]
        fn any_number_reads_back(mantissa in -99_999_999_999i64..99_999_999_999, exp in -120i32..110) {
            round_trip(&format!("{mantissa}E{exp}"));
        }
    }
}
