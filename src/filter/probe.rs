//! Reads a few top-level fields of a JSON object line without building the rest of it, and
//! without copying what it reads: the whole line is still checked to be valid JSON, so
//! skipping or projecting it hides no error.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

/// At most this many keys are looked for at once.
pub const MAX_KEYS: usize = 64;

/// The JSON text of each of `keys` (`None` when absent; the last occurrence wins, as in jq),
/// or `None` when the line is not exactly one valid JSON object, or has a surrogate escape:
/// skipping a string does not check its escapes, and a lone `\ud800` is an error in jq.
pub fn fields<'a>(line: &'a [u8], keys: &[impl AsRef<str>]) -> Option<Vec<Option<&'a RawValue>>> {
    assert!(keys.len() <= MAX_KEYS, "at most {MAX_KEYS} keys");
    if has_surrogate_escape(line) {
        return None;
    }
    // UTF-8 checked once for the whole line, faster than string by string as `from_slice`.
    let line = std::str::from_utf8(line).ok()?;
    let mut de = serde_json::Deserializer::from_str(line);
    let found = Fields { keys }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(found)
}

/// Whether `\uD800`–`\uDFFF` is written anywhere in the line (rare: text outside the BMP
/// written as escapes), which the full parse checks pairs properly.
fn has_surrogate_escape(line: &[u8]) -> bool {
    static ESCAPE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\\u"));
    ESCAPE.find_iter(line).any(|at| {
        let hex = line.get(at + 2..at + 4).unwrap_or_default();
        matches!(hex, [b'd' | b'D', b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F'])
    })
}

/// A field's value if it is a string (borrowed unless it has escapes).
pub fn string(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let text = raw?.get();
    match serde_json::from_str::<&str>(text) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(_) => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
    }
}

struct Fields<'k, K> {
    keys: &'k [K],
}

impl<'de, K: AsRef<str>> DeserializeSeed<'de> for Fields<'_, K> {
    type Value = Vec<Option<&'de RawValue>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, K: AsRef<str>> Visitor<'de> for Fields<'_, K> {
    type Value = Vec<Option<&'de RawValue>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = vec![None; self.keys.len()];
        while let Some(slots) = map.next_key_seed(Slots { keys: self.keys })? {
            if slots == 0 {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value: &'de RawValue = map.next_value()?;
            for (i, slot) in found.iter_mut().enumerate() {
                if slots & (1 << i) != 0 {
                    *slot = Some(value);
                }
            }
        }
        Ok(found)
    }
}

/// Reads an object key as the set of `keys` slots it fills (a key asked for twice fills
/// both), without copying it.
struct Slots<'k, K> {
    keys: &'k [K],
}

impl<'de, K: AsRef<str>> DeserializeSeed<'de> for Slots<'_, K> {
    type Value = u64;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<u64, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<K: AsRef<str>> Visitor<'_> for Slots<'_, K> {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<u64, E> {
        let matches = self.keys.iter().map(|k| k.as_ref() == key);
        Ok(matches
            .enumerate()
            .fold(0, |slots, (i, hit)| slots | (u64::from(hit) << i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(line: &[u8], keys: &[&str]) -> Option<Vec<Option<String>>> {
        let found = fields(line, keys)?;
        Some(
            found
                .into_iter()
                .map(|v| string(v).map(Cow::into_owned))
                .collect(),
        )
    }

    #[test]
    fn reads_fields_and_validates_the_rest() {
        for lone in [
            &br#"{"a":1,"b":"\ud800"}"#[..],
            br#"{"a":"\uDFFF"}"#,
            br#"{"a":"\ud83d\ude00"}"#,
        ] {
            assert!(fields(lone, &["a"]).is_none(), "the full parse decides");
        }
        assert!(fields(br#"{"a":"\u00e9"}"#, &["a"]).is_some());
        let line = br#"{"type":"hangup","raw":{"type":"x"},"kind":"call.ended","type":"last"}"#;
        let found = strings(line, &["type", "kind", "nope"]).unwrap();
        assert_eq!(
            found,
            [Some("last".into()), Some("call.ended".into()), None]
        );
        assert_eq!(
            strings(br#"{"t":"a\"b"}"#, &["t"]).unwrap()[0].as_deref(),
            Some("a\"b")
        );
        assert_eq!(
            strings(br#"{"t":["x"],"u":{"a":1}}"#, &["t", "u"]).unwrap(),
            [None, None]
        );
        assert!(
            fields(br#"{"t":1,}"#, &["t"]).is_none(),
            "invalid JSON is not skipped"
        );
        assert!(fields(br#"[1]"#, &["t"]).is_none(), "not an object");
        assert!(fields(br#"{} {}"#, &["t"]).is_none(), "two values");
    }

    use crate::filter::Value;
    use proptest::prelude::*;

    /// A line a hostile or careless writer might send: an object whose keys and values are built
    /// from pieces that trip JSON readers (surrogate escapes, lone or paired; escaped quotes and
    /// backslashes; control characters; bytes that are not UTF-8; keys given twice), sometimes cut
    /// short or given a trailing comma.
    fn awkward_line() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop::sample::select(vec![
            &b"a"[..],
            b"\\ud800",
            b"\\udc00",
            b"\\ud83d\\ude00",
            b"\\u00e9",
            b"\\\"",
            b"\\\\",
            b"\\n",
            b"\\x",
            b"\\u12",
            b"\t",
            b"\x01",
            b"\xff",
            "é".as_bytes(),
            b"\"",
        ]);
        let string = prop::collection::vec(piece, 0..4).prop_map(|pieces| {
            let mut s = b"\"".to_vec();
            pieces.iter().for_each(|p| s.extend_from_slice(p));
            s.push(b'"');
            s
        });
        let key = prop::sample::select(vec![&b"\"a\""[..], b"\"b\"", b"\"type\"", b"\"kind\""]);
        let value = prop_oneof![
            string.clone(),
            Just(b"1".to_vec()),
            Just(b"[1,{\"a\":null}]".to_vec()),
            Just(b"-".to_vec()),
            Just(b"01".to_vec()),
        ];
        let member = (key, value).prop_map(|(k, v)| [k, &b":"[..], &v].concat());
        let cut = prop::sample::select(vec!["", "trailing comma", "cut"]);
        (prop::collection::vec(member, 1..4), cut).prop_map(|(members, cut)| {
            let mut line = b"{".to_vec();
            line.extend_from_slice(&members.join(&b","[..]));
            match cut {
                "trailing comma" => line.extend_from_slice(b",}"),
                "cut" => {}
                _ => line.push(b'}'),
            }
            line
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The fast path (fields read without building the line) never accepts a line the full
        /// parse rejects, and reads the same values from the lines it accepts.
        #[test]
        fn the_fast_path_accepts_only_what_the_full_parse_accepts(line in awkward_line()) {
            let keys = ["a", "type"];
            if let Some(found) = fields(&line, &keys) {
                let whole = crate::filter::parse(&line);
                prop_assert!(whole.is_ok(), "the fast path took {:?}", String::from_utf8_lossy(&line));
                let Ok(Value::Obj(object)) = whole else {
                    return Err(TestCaseError::fail("the fast path took a line that is no object"));
                };
                for (key, text) in keys.iter().zip(found) {
                    let probed = text.map(|t| crate::filter::parse(t.get().as_bytes()));
                    let probed = probed.transpose().map_err(TestCaseError::fail)?;
                    prop_assert_eq!(probed.as_ref(), object.get(&Value::from(key.to_string())));
                }
            }
        }
    }
}
