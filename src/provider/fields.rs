//! Small, forgiving readers for provider payloads: providers send numbers as strings and
//! strings as numbers, and leave fields out; none of that is an error.

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde_json::Value;

/// A field as text: strings as they are, numbers and booleans spelled out; empty is absent.
pub fn text(v: &Value, key: &str) -> Option<String> {
    as_text(v.get(key)?)
}

/// The first of `keys` that is present as text.
pub fn first_text(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| text(v, key))
}

pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string field compared without regard to case.
pub fn is(v: &Value, key: &str, expected: &str) -> bool {
    v.get(key)
        .and_then(Value::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case(expected))
}

/// The event's name under the keys the contract names, in its order.
pub fn event_name(v: &Value) -> Option<String> {
    first_text(v, &["event", "EventType", "event_type", "name"])
}

/// The unit of a numeric time field.
#[derive(Debug, Clone, Copy)]
pub enum Unit {
    Seconds,
    Millis,
    Micros,
}

/// A time field: a number (or numeric string) in `unit`, or an ISO 8601 / RFC 3339 string.
/// A string without an offset is read as UTC.
pub fn time(v: &Value, key: &str, unit: Unit) -> Option<Timestamp> {
    match v.get(key)? {
        Value::Number(n) => from_number(n.as_f64()?, unit),
        Value::String(s) => time_text(s, unit),
        _ => None,
    }
}

pub fn time_text(s: &str, unit: Unit) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(n) = s.parse::<f64>() {
        return from_number(n, unit);
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    let civil: DateTime = s.parse().ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

fn from_number(n: f64, unit: Unit) -> Option<Timestamp> {
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    let micros = match unit {
        Unit::Seconds => n * 1e6,
        Unit::Millis => n * 1e3,
        Unit::Micros => n,
    };
    Timestamp::from_microsecond(micros.round() as i64).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_in_every_unit_and_spelling() {
        let at = |v: Value, unit| time(&json!({ "t": v }), "t", unit).map(|t| t.to_string());
        let expected = Some("2019-01-24T08:21:41.509Z".to_owned());
        assert_eq!(at(json!(1548318101509u64), Unit::Millis), expected);
        assert_eq!(at(json!("1548318101509000"), Unit::Micros), expected);
        assert_eq!(at(json!(1548318101.509), Unit::Seconds), expected);
        assert_eq!(
            at(json!("2019-01-24T08:21:41.509Z"), Unit::Seconds),
            expected
        );
        assert_eq!(
            at(json!("2019-01-24T10:21:41.509+02:00"), Unit::Seconds),
            expected
        );
        assert_eq!(
            at(json!("2019-01-24 08:21:41.509"), Unit::Seconds),
            expected
        );
        assert_eq!(at(json!("0"), Unit::Seconds), None);
        assert_eq!(at(json!("soon"), Unit::Seconds), None);
    }

    #[test]
    fn text_accepts_numbers_and_skips_blanks() {
        let v = json!({"n": 226, "s": "697", "e": "  ", "z": null});
        assert_eq!(text(&v, "n").as_deref(), Some("226"));
        assert_eq!(text(&v, "s").as_deref(), Some("697"));
        assert_eq!(text(&v, "e"), None);
        assert_eq!(text(&v, "z"), None);
    }
}
