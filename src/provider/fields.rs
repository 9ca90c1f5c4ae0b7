//! Small, forgiving readers for provider payloads: providers send numbers as strings and
//! strings as numbers, and leave fields out; none of that is an error.

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
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

/// `text` in lower case, for matching names that providers spell in any case; copied only
/// when it has an upper-case letter, so the usual lower-case name costs nothing per event.
pub fn lower(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// A dial result that means nobody answered, as providers spell it: Asterisk's `DIALSTATUS`
/// (`NOANSWER`, `BUSY`, `CANCEL`, `CONGESTION`, `CHANUNAVAIL`, …), Cytracom's `no answer`, and
/// FreeSWITCH's hang-up causes for a call never answered (`NO_ANSWER`, `USER_BUSY`, …), and
/// RingCentral's reasons (`NoAnswer`, `TargetBusy`, `Rejected`, `Cancelled`).
pub fn unanswered(status: &str) -> bool {
    const STATUSES: [&str; 18] = [
        "noanswer",
        "busy",
        "cancel",
        "canceled",
        "cancelled",
        "congestion",
        "chanunavail",
        "abort",
        "dontcall",
        "torture",
        "invalidargs",
        "failed",
        "userbusy",
        "originatorcancel",
        "nouserresponse",
        "callrejected",
        "targetbusy",
        "rejected",
    ];
    // Letters and digits only, lower-cased, on the stack: a hang-up is read on tail's hot path.
    let mut squeezed = [0u8; 24];
    let mut len = 0;
    for b in status.bytes().filter(u8::is_ascii_alphanumeric) {
        let Some(slot) = squeezed.get_mut(len) else {
            return false; // longer than any status
        };
        *slot = b.to_ascii_lowercase();
        len += 1;
    }
    STATUSES.iter().any(|s| s.as_bytes() == &squeezed[..len])
}

/// The event's name under the keys the contract names, in its order.
pub fn event_name(v: &Value) -> Option<String> {
    first_text(v, &["event", "EventType", "event_type", "name"])
}

/// A field read as [`as_text`] reads it, but straight from JSON text, without a tree:
/// strings are borrowed when they have no escapes, objects and arrays read as absent.
/// Reading from a [`Value`] gives the same.
#[derive(Debug, Default)]
pub struct Text<'a>(pub Option<Cow<'a, str>>);

impl Text<'_> {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }

    pub fn owned(&self) -> Option<String> {
        self.get().map(str::to_owned)
    }

    /// A string equal to `expected` without regard to case, as [`is`] compares.
    pub fn is(&self, expected: &str) -> bool {
        self.get()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case(expected))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl TextVisitor {
    fn text<'a, E>(s: Cow<'a, str>) -> Result<Text<'a>, E> {
        // Not blank (what `trim().is_empty()` says, but stopping at the first character that
        // is not white space: nearly always the first).
        Ok(Text(
            Some(s).filter(|s| !s.chars().all(char::is_whitespace)),
        ))
    }
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
        TextVisitor::text(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
        TextVisitor::text(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
        TextVisitor::text(Cow::Owned(s))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Text<'de>, E> {
        Ok(Text(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Text<'de>, E> {
        Ok(Text(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Text<'de>, E> {
        // Spelled as a number in a tree is.
        let n = serde_json::Number::from_f64(n).map(|n| Cow::Owned(n.to_string()));
        Ok(Text(n))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Text<'de>, E> {
        Ok(Text(Some(Cow::Owned(b.to_string()))))
    }

    fn visit_unit<E>(self) -> Result<Text<'de>, E> {
        Ok(Text(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }
}

/// A field that is read as `T` when it is an object, and as absent when it is anything
/// else: a payload with an unexpected shape still decodes.
#[derive(Debug)]
pub struct Object<T>(pub Option<T>);

impl<T> Default for Object<T> {
    fn default() -> Self {
        Object(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor(std::marker::PhantomData))
    }
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Object(Some(t)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Object<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Object(None))
    }

    fn visit_str<E>(self, _: &str) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Object<T>, E> {
        Ok(Object(None))
    }

    fn visit_unit<E>(self) -> Result<Object<T>, E> {
        Ok(Object(None))
    }
}

/// The unit a provider documents for a numeric time field. Senders do not always keep to it,
/// so a number is read by its magnitude ([`from_number`]); the unit only names the usual one.
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
    // A time with no offset after its date (`2026-11-20 09:00:13`, as TelTel sends) cannot be
    // a timestamp: read as one first, it would fail, and jiff allocates each failure.
    let offset = |rest: &str| rest.contains(['Z', 'z', '+', '-', '\u{2212}']);
    if s.get(10..).is_none_or(offset)
        && let Ok(ts) = s.parse::<Timestamp>()
    {
        return Some(ts);
    }
    let civil: DateTime = s.parse().ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// A numeric time in whichever unit its magnitude says: seconds (1e9 around today),
/// milliseconds (1e12), microseconds (1e15) or nanoseconds (1e18), whatever the provider's
/// documented unit; `None` for a time outside 1990–2100, which no call event has: an
/// unreadable time stays unread (its value is in `raw`), never a wrong date.
fn from_number(n: f64, _documented: Unit) -> Option<Timestamp> {
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    let micros = match n {
        n if n >= 1e17 => n / 1e3,
        n if n >= 1e14 => n,
        n if n >= 1e11 => n * 1e3,
        n => n * 1e6,
    };
    let time = Timestamp::from_microsecond(micros.round() as i64).ok()?;
    let (earliest, latest) = (631_152_000, 4_102_444_800); // 1990-01-01, 2100-01-01
    (earliest..latest)
        .contains(&time.as_second())
        .then_some(time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_time_is_read_as_a_timestamp_first_only_when_it_could_be_one() {
        // As every time was read before: a timestamp if jiff reads one, else a civil time in UTC.
        let before = |s: &str| {
            s.parse::<Timestamp>().ok().or_else(|| {
                let civil: DateTime = s.parse().ok()?;
                Some(civil.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp())
            })
        };
        for s in [
            "2026-11-20 09:00:13",
            "2026-11-20T09:00:13",
            "2026-11-20T09:00:13Z",
            "2026-11-20t09:00:13z",
            "2026-11-20T09:00:13.5+02:00",
            "2026-11-20T09:00:13-05",
            "2026-11-20T09:00:13\u{2212}05:00",
            "2026-11-20T09:00:13-05[America/New_York]",
            "2026-11-20T09:00:13[America/New_York]",
            "2026-11-20T09:00:13+00:00[UTC]",
            "+002026-11-20T09:00:13Z",
            "2026-11-20",
            "2026-11-2é",
            "20261120T090013Z",
            "20261120T090013",
            "",
        ] {
            assert_eq!(time_text(s, Unit::Seconds), before(s), "{s}");
        }
    }

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
        // Any unit a sender uses, whatever the documented one: by magnitude.
        for seconds in [
            json!(1548318101.509),
            json!("1548318101509"),
            json!(1548318101509000u64),
        ] {
            for unit in [Unit::Seconds, Unit::Millis, Unit::Micros] {
                assert_eq!(at(seconds.clone(), unit), expected, "{seconds} as {unit:?}");
            }
        }
        assert_eq!(
            at(json!(1548318101509000000u64), Unit::Seconds),
            expected,
            "nanoseconds"
        );
        // A time no call has is left unread, never a wrong date.
        for odd in [
            json!(12345),
            json!(-1548318101),
            json!(9.9e30),
            json!("4102444801"),
        ] {
            assert_eq!(at(odd.clone(), Unit::Seconds), None, "{odd}");
        }
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
