//! The fast path for the most common selective shape, `select(.field == "literal") | …`:
//! a line whose field is not that string cannot pass, so it need not be parsed into a value.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefilter {
    field: String,
    literal: String,
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
        let (field, literal) = match (string_literal(right), string_literal(left)) {
            (Some(literal), _) if is_field(left) => (left, literal),
            (_, Some(literal)) if is_field(right) => (right, literal),
            _ => return None,
        };
        Some(Prefilter {
            field: field[1..].to_owned(),
            literal: literal.to_owned(),
        })
    }

    /// The top-level field the select looks at.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Whether the field's string value (`None`: absent or not a string) passes the select.
    pub fn passes(&self, value: Option<&str>) -> bool {
        value == Some(self.literal.as_str())
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
    fn passes_exactly_the_literal_string() {
        let p = Prefilter::of(r#"select(.type == "hangup")"#).unwrap();
        assert_eq!(p.field(), "type");
        assert!(p.passes(Some("hangup")));
        assert!(!p.passes(Some("dial_begin")));
        assert!(!p.passes(None));
    }
}
