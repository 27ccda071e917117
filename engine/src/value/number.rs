//! DynamoDB's Number: a decimal with up to 38 significant digits and a magnitude between
//! 1E-130 and 9.9999999999999999999999999999999999999E+125 (or zero).
//!
//! Stored normalised (no leading or trailing zeros, no negative zero), so that two numbers
//! that compare equal have the same representation, print the same way (`1.50` → `1.5`,
//! `1.5E2` → `150`) and hash the same way when used as a partition key.
//!
//! Why not f64 or a bignum crate: DynamoDB arithmetic is exact decimal arithmetic with a
//! hard precision limit, and the limit checks need AWS's exact messages. Digit vectors of at
//! most a few hundred digits keep it exact, small in wasm, and free of panics.
//!
//! A stored number is 22 bytes with no allocation of its own: its digits two to a byte,
//! its exponent in one byte (a stored number's has 256 possible values) and its sign. The
//! arithmetic and the writers unpack the digits onto the stack ([`Digits`]).

use std::cmp::Ordering;
use std::fmt;

/// The most significant digits a Number may carry.
pub const MAX_DIGITS: usize = 38;
/// The largest exponent of the leading digit (9.99…E+125).
pub const MAX_EXPONENT: i64 = 125;
/// The smallest exponent of the leading digit (1E-130).
pub const MIN_EXPONENT: i64 = -130;

/// How many bytes hold a Number's digits, two to a byte.
const PACKED: usize = MAX_DIGITS / 2;

/// A normalised DynamoDB number.
///
/// Invariant: `packed` holds `len` significant digits (none for zero), most significant
/// first, the first of each pair in the high half of its byte, and zeros after them, so
/// that equal numbers are equal bytes (the derived `Eq` and `Hash` rely on it).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    packed: [u8; PACKED],
    len: u8,
    /// Power of ten of the first digit, less `MIN_EXPONENT`: the value is d0.d1d2… ×
    /// 10^(exponent + MIN_EXPONENT). [`Number::exp`] reads it as it is.
    exponent: u8,
    negative: bool,
}

/// A Number's significant digits, one per byte, unpacked on the stack.
pub(crate) struct Digits {
    digits: [u8; MAX_DIGITS],
    len: usize,
}

impl std::ops::Deref for Digits {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.digits.get(..self.len).unwrap_or_default()
    }
}

/// Why a string is not a storable Number. `message` gives AWS's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    Overflow,
    Underflow,
    TooPrecise,
}

impl NumberError {
    /// AWS's message for this error. `input` is the rejected text, which AWS quotes only
    /// for unparseable, non-empty input.
    pub fn message(&self, input: &str) -> String {
        match self {
            NumberError::NotANumber if input.is_empty() => {
                "The parameter cannot be converted to a numeric value".into()
            }
            NumberError::NotANumber => format!("The parameter cannot be converted to a numeric value: {input}"),
            NumberError::Overflow => {
                "Number overflow. Attempting to store a number with magnitude larger than supported range".to_string()
            }
            NumberError::Underflow => {
                "Number underflow. Attempting to store a number with magnitude smaller than supported range".to_string()
            }
            NumberError::TooPrecise => "Attempting to store more than 38 significant digits in a Number".to_string(),
        }
    }
}

impl Number {
    pub const fn zero() -> Number {
        Number { packed: [0; PACKED], len: 0, exponent: 0, negative: false }
    }

    /// The significant digits, most significant first; none for zero.
    pub(crate) fn digits(&self) -> Digits {
        let mut digits = [0; MAX_DIGITS];
        for (pair, byte) in digits.chunks_exact_mut(2).zip(self.packed) {
            pair.copy_from_slice(&[byte >> 4, byte & 0x0f]);
        }
        Digits { digits, len: usize::from(self.len) }
    }

    /// How many significant digits it has.
    fn len(&self) -> usize {
        usize::from(self.len)
    }

    pub fn from_i64(v: i64) -> Number {
        // Every i64 has at most 19 digits, so this cannot fail.
        Number::parse(&v.to_string()).unwrap_or_else(|_| Number::zero())
    }

    pub fn is_zero(&self) -> bool {
        self.len == 0
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Parses DynamoDB's number syntax: an optional sign, digits with an optional decimal
    /// point, and an optional exponent (`-1.5E+3`, `.5`, `5.`).
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let mut negative = false;
        if let Some(&sign) = bytes.first() {
            if sign == b'-' || sign == b'+' {
                negative = sign == b'-';
                pos = 1;
            }
        }
        let mut mantissa: Vec<u8> = Vec::new();
        let mut fraction_len: i64 = 0;
        let mut seen_point = false;
        let mut seen_digit = false;
        while let Some(&c) = bytes.get(pos) {
            match c {
                b'0'..=b'9' => {
                    mantissa.push(c - b'0');
                    seen_digit = true;
                    if seen_point {
                        fraction_len += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            pos += 1;
        }
        if !seen_digit {
            return Err(NumberError::NotANumber);
        }
        let mut exp_literal: i64 = 0;
        if let Some(&c) = bytes.get(pos) {
            if c != b'e' && c != b'E' {
                return Err(NumberError::NotANumber);
            }
            pos += 1;
            let mut exp_negative = false;
            if let Some(&sign) = bytes.get(pos) {
                if sign == b'-' || sign == b'+' {
                    exp_negative = sign == b'-';
                    pos += 1;
                }
            }
            let start = pos;
            while let Some(&d) = bytes.get(pos) {
                if !d.is_ascii_digit() {
                    return Err(NumberError::NotANumber);
                }
                // Saturate: anything this large is out of range anyway.
                exp_literal = exp_literal.saturating_mul(10).saturating_add(i64::from(d - b'0'));
                pos += 1;
            }
            if pos == start {
                return Err(NumberError::NotANumber);
            }
            if exp_negative {
                exp_literal = -exp_literal;
            }
        }
        let Some(first) = mantissa.iter().position(|&d| d != 0) else {
            return Ok(Number::zero());
        };
        let last = mantissa.iter().rposition(|&d| d != 0).unwrap_or(first);
        let n = mantissa.len() as i64;
        let exponent = (n - 1 - first as i64).saturating_add(exp_literal).saturating_sub(fraction_len);
        Number::checked(negative, mantissa.get(first..=last).unwrap_or_default(), exponent)
    }

    /// The number with these parts, after DynamoDB's range and precision limits, in the
    /// order AWS reports them.
    fn checked(negative: bool, digits: &[u8], exponent: i64) -> Result<Number, NumberError> {
        if digits.is_empty() {
            return Ok(Number::zero());
        }
        if exponent > MAX_EXPONENT {
            return Err(NumberError::Overflow);
        }
        if exponent < MIN_EXPONENT {
            return Err(NumberError::Underflow);
        }
        if digits.len() > MAX_DIGITS {
            return Err(NumberError::TooPrecise);
        }
        let exponent = u8::try_from(exponent - MIN_EXPONENT).map_err(|_| NumberError::Overflow)?;
        let mut packed = [0; PACKED];
        for (byte, pair) in packed.iter_mut().zip(digits.chunks(2)) {
            *byte = pair.first().map_or(0, |d| d << 4) | pair.get(1).copied().unwrap_or(0);
        }
        Ok(Number { packed, len: digits.len() as u8, exponent, negative })
    }

    /// The power of ten of the first digit.
    fn exp(&self) -> i64 {
        i64::from(self.exponent) + MIN_EXPONENT
    }

    /// The value negated.
    pub fn negated(&self) -> Number {
        if self.is_zero() {
            return self.clone();
        }
        Number { negative: !self.negative, ..self.clone() }
    }

    /// Exact sum, failing where the result leaves DynamoDB's range or precision.
    pub fn add(&self, other: &Number) -> Result<Number, NumberError> {
        if self.is_zero() {
            return Ok(other.clone());
        }
        if other.is_zero() {
            return Ok(self.clone());
        }
        let lo = self.last_exponent().min(other.last_exponent());
        let hi = self.exp().max(other.exp());
        let width = usize::try_from(hi - lo + 1).unwrap_or(usize::MAX);
        if width > 2 * (MAX_DIGITS + (MAX_EXPONENT - MIN_EXPONENT) as usize) {
            return Err(NumberError::TooPrecise);
        }
        let a = self.aligned(lo, width);
        let b = other.aligned(lo, width);
        let (negative, magnitude) = if self.negative == other.negative {
            (self.negative, add_magnitudes(&a, &b))
        } else {
            match cmp_magnitudes(&a, &b) {
                Ordering::Equal => return Ok(Number::zero()),
                Ordering::Greater => (self.negative, sub_magnitudes(&a, &b)),
                Ordering::Less => (other.negative, sub_magnitudes(&b, &a)),
            }
        };
        Number::from_little_endian(negative, &magnitude, lo)
    }

    /// Exact difference `self - other`.
    pub fn sub(&self, other: &Number) -> Result<Number, NumberError> {
        self.add(&other.negated())
    }

    fn last_exponent(&self) -> i64 {
        self.exp() - (self.len() as i64 - 1)
    }

    /// Digits little-endian, the first one standing for 10^lo, `width` long.
    fn aligned(&self, lo: i64, width: usize) -> Vec<u8> {
        let mut out = vec![0u8; width + 1];
        let shift = usize::try_from(self.last_exponent() - lo).unwrap_or(0);
        for (i, d) in self.digits().iter().rev().enumerate() {
            if let Some(slot) = out.get_mut(shift + i) {
                *slot = *d;
            }
        }
        out
    }

    fn from_little_endian(negative: bool, digits: &[u8], lo: i64) -> Result<Number, NumberError> {
        let Some(top) = digits.iter().rposition(|&d| d != 0) else {
            return Ok(Number::zero());
        };
        let bottom = digits.iter().position(|&d| d != 0).unwrap_or(top);
        let significant: Vec<u8> =
            digits.get(bottom..=top).map(|s| s.iter().rev().copied().collect()).unwrap_or_default();
        Number::checked(negative, &significant, lo.saturating_add(top as i64))
    }

    /// The bytes this number adds to an item's size, as DynamoDB counts them: one byte per
    /// pair of significant digits (pairs aligned on the decimal point), plus one, plus one
    /// more for negative numbers, at most 21.
    pub fn size(&self) -> usize {
        if self.is_zero() {
            return 1;
        }
        let first_pair = self.exp().div_euclid(2);
        let last_pair = self.last_exponent().div_euclid(2);
        let pairs = (first_pair - last_pair + 1) as usize;
        let size = pairs + 1 + usize::from(self.negative);
        size.min(21)
    }

    /// The value as an f64, for display and charts only; never used in comparisons.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(0.0)
    }

    /// The value as an integer, when it is one and fits.
    pub fn to_i64(&self) -> Option<i64> {
        if self.is_zero() {
            return Some(0);
        }
        if self.last_exponent() < 0 {
            return None;
        }
        self.to_string().parse().ok()
    }
}

fn add_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len() + 1);
    let mut carry = 0u8;
    for i in 0..a.len().max(b.len()) {
        let s = a.get(i).copied().unwrap_or(0) + b.get(i).copied().unwrap_or(0) + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    out.push(carry);
    out
}

/// `a - b` where |a| >= |b|.
fn sub_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i8;
    for i in 0..a.len() {
        let mut d = a.get(i).copied().unwrap_or(0) as i8 - b.get(i).copied().unwrap_or(0) as i8 - borrow;
        borrow = 0;
        if d < 0 {
            d += 10;
            borrow = 1;
        }
        out.push(d as u8);
    }
    out
}

fn cmp_magnitudes(a: &[u8], b: &[u8]) -> Ordering {
    // Same length by construction; compare from the most significant end.
    a.iter().rev().cmp(b.iter().rev())
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        let sign = |n: &Number| {
            if n.is_zero() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        // Zeros follow the digits, and a normalised number's last digit is not zero, so
        // the packed bytes compare as the digits do.
        let magnitude = self.exponent.cmp(&other.exponent).then_with(|| self.packed.cmp(&other.packed));
        if self.negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Number {
    /// Plain decimal notation, as DynamoDB returns numbers: no exponent, no padding zeros.
    /// The usual number is written into a buffer on the stack, so an answer's numbers cost
    /// no allocation and no formatting machinery (a Scan's answer is mostly items).
    pub fn plain(&self) -> Plain {
        let (n, exponent) = (self.len() as i64, self.exp());
        let sign = i64::from(self.negative);
        let len = match exponent {
            _ if self.is_zero() => 1,
            e if e < 0 => sign + 1 - e + n,
            e if e >= n - 1 => sign + e + 1,
            _ => sign + n + 1,
        };
        let mut short = [0; PLAIN_INLINE];
        match usize::try_from(len).ok().and_then(|len| short.get_mut(..len)) {
            Some(out) => {
                self.write_into(out);
                Plain::Short(short, len as u8)
            }
            None => {
                let mut long = vec![0; usize::try_from(len).unwrap_or(0)];
                self.write_into(&mut long);
                Plain::Long(String::from_utf8(long).unwrap_or_default())
            }
        }
    }

    /// Appends the plain text to `out` (an answer being written).
    pub fn write_text(&self, out: &mut String) {
        self.write_plain(&mut |b| out.push(char::from(b)));
    }

    /// Writes the plain text into `out`, exactly as long as it.
    fn write_into(&self, out: &mut [u8]) {
        let mut slots = out.iter_mut();
        self.write_plain(&mut |b| {
            if let Some(slot) = slots.next() {
                *slot = b;
            }
        });
    }

    /// The plain text, a byte at a time.
    pub(crate) fn write_plain(&self, put: &mut impl FnMut(u8)) {
        if self.is_zero() {
            return put(b'0');
        }
        if self.negative {
            put(b'-');
        }
        let (n, exponent, digits) = (self.len() as i64, self.exp(), self.digits());
        let zeros = |count: i64, put: &mut dyn FnMut(u8)| (0..count).for_each(|_| put(b'0'));
        if exponent < 0 {
            put(b'0');
            put(b'.');
            zeros(-exponent - 1, put);
            digits.iter().for_each(|d| put(b'0' + d));
        } else if exponent >= n - 1 {
            digits.iter().for_each(|d| put(b'0' + d));
            zeros(exponent - (n - 1), put);
        } else {
            let split = (exponent + 1) as usize;
            for (i, d) in digits.iter().enumerate() {
                if i == split {
                    put(b'.');
                }
                put(b'0' + d);
            }
        }
    }
}

/// How long a number's plain text can be and still be written on the stack.
const PLAIN_INLINE: usize = 48;

/// A number's plain text ([`Number::plain`]): ASCII digits, '-' and '.'.
pub enum Plain {
    Short([u8; PLAIN_INLINE], u8),
    Long(String),
}

impl Plain {
    pub fn as_str(&self) -> &str {
        match self {
            Plain::Short(bytes, len) => {
                bytes.get(..usize::from(*len)).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default()
            }
            Plain::Long(s) => s,
        }
    }
}

impl fmt::Debug for Number {
    /// `Number(1.5)`: the packed digits would not read as the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Number").field(&self.plain().as_str()).finish()
    }
}

impl fmt::Display for Number {
    /// [`Number::plain`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plain().as_str())
    }
}

mod ordered;
mod packed;

#[cfg(test)]
mod tests;
