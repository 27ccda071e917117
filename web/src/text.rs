//! Words the page puts around numbers: one helper, so every count reads the same.

/// `count(1, "item")` → "1 item"; `count(3, "item")` → "3 items".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

/// The `s` an English noun takes after `n` ("" for one).
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_english() {
        assert_eq!(count(0, "item"), "0 items");
        assert_eq!(count(1, "item"), "1 item");
        assert_eq!(count(2, "seed item"), "2 seed items");
        assert_eq!(plural(1), "");
    }
}
