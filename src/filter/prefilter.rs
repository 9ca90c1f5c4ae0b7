//! The fast path for the most common selective shape, `select(.field == "literal") | …`:
//! a line that does not contain the literal cannot pass, so it need not be parsed.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefilter {
    /// The literal as it must appear in the JSON text, quotes included.
    needle: Vec<u8>,
}

impl Prefilter {
    /// Recognises `select(.field == "lit")` or `select("lit" == .field)`, alone or followed by
    /// `| …`. Only a top-level field: indexing an object by name never fails, so skipping a
    /// line cannot hide an error jq would report.
    pub fn of(code: &str) -> Option<Prefilter> {
        let inner = code
            .trim()
            .strip_prefix("select")?
            .trim_start()
            .strip_prefix('(')?;
        let close = inner.find(')')?;
        let rest = inner[close + 1..].trim_start();
        if !(rest.is_empty() || (rest.starts_with('|') && !rest.starts_with("|="))) {
            return None;
        }
        let (left, right) = inner[..close].split_once("==")?;
        let (left, right) = (left.trim(), right.trim());
        let literal = string_literal(right)
            .filter(|_| is_field(left))
            .or_else(|| string_literal(left).filter(|_| is_field(right)))?;
        Some(Prefilter {
            needle: format!("\"{literal}\"").into_bytes(),
        })
    }

    /// False only when the line cannot pass the select.
    pub fn may_match_line(&self, line: &[u8]) -> bool {
        memchr::memmem::find(line, &self.needle).is_some() || memchr::memchr(b'\\', line).is_some()
    }
}

fn is_field(s: &str) -> bool {
    let Some(name) = s.strip_prefix('.') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A plain string literal: no escapes, no interpolation, nothing JSON would write differently.
fn string_literal(s: &str) -> Option<&str> {
    let body = s.strip_prefix('"')?.strip_suffix('"')?;
    let plain = body
        .chars()
        .all(|c| c != '"' && c != '\\' && !c.is_control());
    plain.then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_shapes_it_can_decide() {
        assert!(Prefilter::of(r#"select(.type == "hangup")"#).is_some());
        assert!(Prefilter::of(r#"select("x" == .kind) | {call_id, from}"#).is_some());
        assert!(Prefilter::of(r#"select(.a.b == "x")"#).is_none());
        assert!(Prefilter::of(r#"select(.type == "x"), .y"#).is_none());
        assert!(Prefilter::of(r#"select(.type == "a\"b")"#).is_none());
        assert!(Prefilter::of(r#"select(.type == "x") |= 1"#).is_none());
        assert!(Prefilter::of(r#"select(.type != "x")"#).is_none());
    }

    #[test]
    fn rejects_only_lines_without_the_literal() {
        let p = Prefilter::of(r#"select(.type == "hangup")"#).unwrap();
        assert!(p.may_match_line(br#"{"type":"hangup"}"#));
        assert!(p.may_match_line(br#"{"type":"hang\u0075p"}"#));
        assert!(!p.may_match_line(br#"{"type":"dial_begin"}"#));
    }
}
