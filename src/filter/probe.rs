//! Reads a few top-level string fields of a JSON object line without building the rest of
//! it (and, for unescaped strings, without allocating): the whole line is still checked to be
//! valid JSON, so skipping it hides no error.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The string values of `keys` (`None` when absent or not a string; the last occurrence wins,
/// as in jq), or `None` when the line is not exactly one valid JSON object.
pub fn fields<'a, const N: usize>(
    line: &'a [u8],
    keys: [&str; N],
) -> Option<[Option<Cow<'a, str>>; N]> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let found = Fields { keys }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(found)
}

struct Fields<'k, const N: usize> {
    keys: [&'k str; N],
}

impl<'de, const N: usize> DeserializeSeed<'de> for Fields<'_, N> {
    type Value = [Option<Cow<'de, str>>; N];

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for Fields<'_, N> {
    type Value = [Option<Cow<'de, str>>; N];

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: [Option<Cow<'de, str>>; N] = std::array::from_fn(|_| None);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if !self.keys.contains(&&*key) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let StrOrOther(value) = map.next_value()?;
            // A key asked for twice fills both slots.
            for (slot, k) in found.iter_mut().zip(self.keys) {
                if k == key {
                    slot.clone_from(&value);
                }
            }
        }
        Ok(found)
    }
}

/// A string value, or `None` for any other value (which is still read through and checked).
struct StrOrOther<'de>(Option<Cow<'de, str>>);

impl<'de> de::Deserialize<'de> for StrOrOther<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrOrOtherVisitor)
    }
}

struct StrOrOtherVisitor;

impl<'de> Visitor<'de> for StrOrOtherVisitor {
    type Value = StrOrOther<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(StrOrOther(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(StrOrOther(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(StrOrOther(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(StrOrOther(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(StrOrOther(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(StrOrOther(None))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(StrOrOther(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(StrOrOther(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(StrOrOther(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings<const N: usize>(line: &[u8], keys: [&str; N]) -> Option<Vec<Option<String>>> {
        fields(line, keys).map(|found| found.into_iter().map(|v| v.map(Cow::into_owned)).collect())
    }

    #[test]
    fn reads_fields_and_validates_the_rest() {
        let line = br#"{"type":"hangup","raw":{"type":"x"},"kind":"call.ended","type":"last"}"#;
        let found = strings(line, ["type", "kind", "nope"]).unwrap();
        assert_eq!(
            found,
            [Some("last".into()), Some("call.ended".into()), None]
        );
        assert_eq!(
            strings(br#"{"t":"a\"b"}"#, ["t"]).unwrap()[0].as_deref(),
            Some("a\"b")
        );
        assert_eq!(
            strings(br#"{"t":["x"],"u":{"a":1}}"#, ["t", "u"]).unwrap(),
            [None, None]
        );
        assert!(
            fields(br#"{"t":1,}"#, ["t"]).is_none(),
            "invalid JSON is not skipped"
        );
        assert!(fields(br#"[1]"#, ["t"]).is_none(), "not an object");
        assert!(fields(br#"{} {}"#, ["t"]).is_none(), "two values");
    }
}
