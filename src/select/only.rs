//! `--only`: keep events whose type, type suffix or kind is one of a list, ignoring case. A
//! kind also selects the kinds that are a case of it: `call.ended` selects `call.missed`.

use crate::envelope::{Kind, type_suffix as suffix};

#[derive(Debug, Clone, Default)]
pub struct Only {
    /// Lower-cased names; empty means everything passes.
    names: Vec<String>,
    /// The kinds that are a case of a named one (`call.missed` for `call.ended`).
    narrower: Vec<&'static str>,
}

impl Only {
    /// From repeated, comma-separated `--only` values.
    pub fn new<S: AsRef<str>>(values: &[S]) -> Only {
        let names = values
            .iter()
            .flat_map(|v| v.as_ref().split(','))
            .map(|name| name.trim().to_ascii_lowercase())
            .filter(|name| !name.is_empty())
            .collect::<Vec<_>>();
        let narrower = names
            .iter()
            .filter_map(|name| Kind::parse(name))
            .flat_map(|wider| {
                let cases = Kind::ALL
                    .iter()
                    .filter(move |k| **k != wider && k.is_a(wider));
                cases.map(|k| k.as_str())
            })
            .collect();
        Only { names, narrower }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// For any JSON value: one without a `type` or `kind` string never passes a non-empty list.
    pub fn accepts(&self, event_type: Option<&str>, kind: Option<&str>) -> bool {
        self.is_empty()
            || ((event_type.is_some() || kind.is_some())
                && self.matches(event_type.unwrap_or(""), kind.unwrap_or("")))
    }

    pub fn matches(&self, event_type: &str, kind: &str) -> bool {
        self.is_empty()
            || self.names.iter().any(|name| {
                name.eq_ignore_ascii_case(event_type)
                    || name.eq_ignore_ascii_case(suffix(event_type))
                    || name.eq_ignore_ascii_case(kind)
            })
            || self.narrower.iter().any(|k| k.eq_ignore_ascii_case(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_type_suffix_or_kind_in_any_case() {
        let only = Only::new(&["DIAL_END", "call.answered,hangup"]);
        assert!(only.matches("chan.dial_end", "call.unanswered"));
        assert!(only.matches("call:answer", "call.answered"));
        assert!(only.matches("hangup", "call.ended"));
        assert!(!only.matches("chan.dial_begin", "call.ringing"));
        assert!(Only::new::<&str>(&[]).matches("anything", "other"));
    }

    #[test]
    fn the_end_of_every_call_includes_the_missed_ones() {
        let ended = Only::new(&["call.ended"]);
        assert!(ended.matches("hangup", "call.ended"));
        assert!(ended.matches("hangup", "call.missed"));
        assert!(!ended.matches("chan.dial_end", "call.unanswered"));
        let missed = Only::new(&["call.missed"]);
        assert!(missed.matches("hangup", "call.missed"));
        assert!(!missed.matches("hangup", "call.ended"));
    }
}
