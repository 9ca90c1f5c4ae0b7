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

    /// The names that match none of `known` (every event name, its suffix, and kind a provider
    /// can produce), each with up to three known names nearest to it, nearest first.
    pub fn unknown<'k>(&self, known: &[&'k str]) -> Vec<(&str, Vec<&'k str>)> {
        let matches = |name: &str, k: &str| {
            k.eq_ignore_ascii_case(name) || k.eq_ignore_ascii_case(suffix(name))
        };
        let unmatched = self
            .names
            .iter()
            .filter(|name| !known.iter().any(|k| matches(name, k)));
        unmatched
            .map(|name| {
                let mut near: Vec<(f64, &'k str)> = known
                    .iter()
                    .map(|k| (strsim::jaro_winkler(name, &k.to_ascii_lowercase()), *k))
                    .filter(|(score, k)| {
                        *score >= 0.8 || k.to_ascii_lowercase().ends_with(&format!(".{name}"))
                    })
                    .collect();
                near.sort_by(|a, b| b.0.total_cmp(&a.0));
                let mut names: Vec<&'k str> = near.into_iter().map(|(_, k)| k).collect();
                names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
                names.truncate(3);
                (name.as_str(), names)
            })
            .collect()
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
    fn unknown_names_come_with_the_nearest_known_ones() {
        let known = [
            "chan.dial_end",
            "dial_end",
            "dial_begin",
            "call.missed",
            "hangup",
        ];
        let only = Only::new(&["dial_edn,HANGUP,missed,zzz,chan.hangup"]);
        let unknown = only.unknown(&known);
        assert_eq!(
            unknown,
            vec![
                ("dial_edn", vec!["dial_end", "dial_begin"]),
                ("missed", vec!["call.missed"]),
                ("zzz", vec![]),
            ]
        );
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
