//! Reads a few top-level fields of a JSON object line without building the rest of it: the
//! whole line is still checked to be valid JSON, so skipping it hides no error.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// The values of `keys` (the last occurrence wins, as in jq), or `None` when the line is not
/// exactly one valid JSON object.
pub fn fields<const N: usize>(line: &[u8], keys: [&str; N]) -> Option<[Option<Value>; N]> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let found = Fields { keys }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(found)
}

struct Fields<'k, const N: usize> {
    keys: [&'k str; N],
}

impl<'de, const N: usize> DeserializeSeed<'de> for Fields<'_, N> {
    type Value = [Option<Value>; N];

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for Fields<'_, N> {
    type Value = [Option<Value>; N];

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: [Option<Value>; N] = std::array::from_fn(|_| None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.keys.contains(&&*key) {
                let value: Value = map.next_value()?;
                // A key asked for twice fills both slots.
                for (slot, k) in found.iter_mut().zip(self.keys) {
                    if k == key {
                        *slot = Some(value.clone());
                    }
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_fields_and_validates_the_rest() {
        let line = br#"{"type":"hangup","raw":{"type":"x"},"kind":"call.ended","type":"last"}"#;
        let [t, k, missing] = fields(line, ["type", "kind", "nope"]).unwrap();
        assert_eq!(
            (t, k, missing),
            (Some(json!("last")), Some(json!("call.ended")), None)
        );
        assert_eq!(
            fields(br#"{"t":"a\"b"}"#, ["t"]).unwrap()[0],
            Some(json!("a\"b"))
        );
        assert!(
            fields(br#"{"t":1,}"#, ["t"]).is_none(),
            "invalid JSON is not skipped"
        );
        assert!(fields(br#"[1]"#, ["t"]).is_none(), "not an object");
        assert!(fields(br#"{} {}"#, ["t"]).is_none(), "two values");
    }
}
