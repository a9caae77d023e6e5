//! JSON helpers shared by the parsers and (later) the byte-exact writers.

use crate::error::Result;
use crate::limits::Limits;

/// Measures the deepest nesting of arrays and objects in `bytes` without
/// parsing it, so that hostile input is refused before a recursive parser
/// sees it. Brackets inside strings are ignored; malformed JSON is left
/// for the real parser to report.
pub fn nesting_depth(bytes: &[u8]) -> u64 {
    let (mut depth, mut max) = (0u64, 0u64);
    let (mut in_string, mut escaped) = (false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Fails with `LIMIT_EXCEEDED` when `bytes` nests deeper than `max_depth`.
pub fn check_depth(bytes: &[u8], max_depth: u64) -> Result<()> {
    Limits::check("JSON nesting depth", nesting_depth(bytes), max_depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(br#"{"a":"[[[{{","b":[1,[2]]}"#), 3);
        assert_eq!(nesting_depth(br#"{"a":"\"[["}"#), 1);
        assert_eq!(nesting_depth(b"7"), 0);
    }
}
