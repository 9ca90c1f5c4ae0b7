//! `--only`: keep events whose type, type suffix or kind is one of a list, ignoring case.

use crate::provider::suffix;

#[derive(Debug, Clone, Default)]
pub struct Only {
    /// Lower-cased names; empty means everything passes.
    names: Vec<String>,
}

impl Only {
    /// From repeated, comma-separated `--only` values.
    pub fn new<S: AsRef<str>>(values: &[S]) -> Only {
        let names = values
            .iter()
            .flat_map(|v| v.as_ref().split(','))
            .map(|name| name.trim().to_ascii_lowercase())
            .filter(|name| !name.is_empty())
            .collect();
        Only { names }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn matches(&self, event_type: &str, kind: &str) -> bool {
        self.is_empty()
            || self.names.iter().any(|name| {
                name.eq_ignore_ascii_case(event_type)
                    || name.eq_ignore_ascii_case(suffix(event_type))
                    || name.eq_ignore_ascii_case(kind)
            })
    }

    /// A cheap look at a JSON line: false only when no name can be in it, so the line can be
    /// skipped unparsed. Escapes could hide a name, so a line with a backslash may match.
    pub fn may_match_line(&self, line: &[u8]) -> bool {
        self.is_empty()
            || memchr::memchr(b'\\', line).is_some()
            || self
                .names
                .iter()
                .any(|name| contains_ignore_case(line, name.as_bytes()))
    }
}

/// Case-insensitive (ASCII) substring search; `needle` is lower case.
fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let upper = first.to_ascii_uppercase();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(first, upper, &haystack[at..]) {
        let start = at + found + 1;
        let candidate = &haystack[start..];
        if candidate.len() >= rest.len() && candidate[..rest.len()].eq_ignore_ascii_case(rest) {
            return true;
        }
        at = start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_type_suffix_or_kind_in_any_case() {
        let only = Only::new(&["DIAL_END", "call.answered,hangup"]);
        assert!(only.matches("chan.dial_end", "call.missed"));
        assert!(only.matches("call:answer", "call.answered"));
        assert!(only.matches("hangup", "call.ended"));
        assert!(!only.matches("chan.dial_begin", "call.ringing"));
        assert!(Only::new::<&str>(&[]).matches("anything", "other"));
    }

    #[test]
    fn the_line_check_never_rejects_a_match() {
        let only = Only::new(&["dial_end"]);
        assert!(only.may_match_line(br#"{"type":"chan.DIAL_END"}"#));
        assert!(only.may_match_line(br#"{"type":"chan.dial\u005fend"}"#));
        assert!(!only.may_match_line(br#"{"type":"chan.dial_begin"}"#));
    }
}
