//! JSON text rewritten as `jq -c` prints it, token by token, without building a value: what
//! `telev filter .` and `.raw` print of an event not already written that way (text that is,
//! `probe::as_jq_prints` copies). serde_json reads and checks the text; each string is written
//! again with jq's escapes, each small integer as its digits.
//!
//! Only what is certain to print as the value would is written this way. A number that is
//! not an integer of at most 18 digits (jq keeps a literal's spelling, or rounds it), and an
//! object that names a key twice (the last value wins, in the first one's place), make it
//! give up: the caller then builds the value and prints it as the jq path does.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::compact;

/// Writes `text`, one JSON value with optional whitespace around it, as `jq -c` prints it.
/// False when the text is not JSON, or is JSON the value's own writer must print; `out`
/// then holds a partial output, to be cut back by the caller.
pub fn compact(text: &[u8], out: &mut Vec<u8>) -> bool {
    // UTF-8 checked once for the whole text, faster than string by string as `from_slice`.
    let Ok(text) = std::str::from_utf8(text) else {
        return false;
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let escapes = compact::Escapes::for_text(text);
    let transcode = Transcode { out, escapes };
    transcode.deserialize(&mut de).is_ok() && de.end().is_ok()
}

/// Integers from this far from zero are left to the value's writer.
const LARGE: u64 = 1_000_000_000_000_000_000;

/// Keys of one object compared for repeats, each against those before it; an object with more
/// is left to the value's writer (its map finds repeats in constant time), so that a crafted
/// line of many keys costs no quadratic time.
const MAX_KEYS: usize = 128;

struct Transcode<'o> {
    out: &'o mut Vec<u8>,
    escapes: compact::Escapes,
}

impl<'de> DeserializeSeed<'de> for Transcode<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Why a text was left to the value's writer; never shown (the caller falls back).
fn give_up<E: de::Error>() -> E {
    E::custom("left to the value's writer")
}

impl<'de> Visitor<'de> for Transcode<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<(), E> {
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<(), E> {
        if n >= LARGE {
            return Err(give_up());
        }
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<(), E> {
        if n.unsigned_abs() >= LARGE {
            return Err(give_up());
        }
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(give_up())
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        self.escapes.write(self.out, s);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        self.out.push(b'[');
        let mut first = true;
        loop {
            let mark = self.out.len();
            if !first {
                self.out.push(b',');
            }
            if items
                .next_element_seed(Transcode {
                    out: self.out,
                    escapes: self.escapes,
                })?
                .is_none()
            {
                self.out.truncate(mark);
                break;
            }
            first = false;
        }
        self.out.push(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<(), A::Error> {
        self.out.push(b'{');
        // The keys so far, to notice one named twice.
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        while let Some(key) = members.next_key_seed(Key)? {
            if keys.len() == MAX_KEYS || keys.contains(&key) {
                return Err(give_up());
            }
            if !keys.is_empty() {
                self.out.push(b',');
            }
            self.escapes.write(self.out, &key);
            self.out.push(b':');
            members.next_value_seed(Transcode {
                out: self.out,
                escapes: self.escapes,
            })?;
            keys.push(key);
        }
        self.out.push(b'}');
        Ok(())
    }
}

/// An object key, borrowed from the text unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the jq path prints of `text`, or `None` when it is not JSON.
    fn by_value(text: &[u8]) -> Option<String> {
        let value = crate::filter::parse(text).ok()?;
        Some(crate::filter::compact_string(&value))
    }

    fn transcoded(text: &[u8]) -> Option<String> {
        let mut out = Vec::new();
        compact(text, &mut out).then(|| String::from_utf8(out).expect("JSON is UTF-8"))
    }

    #[test]
    fn writes_what_the_value_would_print() {
        for text in [
            r#"{"a":[1,-2,[],{},[null,true,false]],"s":"q\"b\\\/\n\r\t\b\f\u0001\u007f\u00e9😀\ud83d\ude00","":{}}"#,
            " { \"a\" : [ 1 , 2 ] }\t",
            "[]",
            "[[]]",
            "[1]",
            r#""x""#,
            "123456789012345678",
            "-123456789012345678",
        ] {
            assert_eq!(
                transcoded(text.as_bytes()),
                by_value(text.as_bytes()),
                "{text}"
            );
        }
    }

    #[test]
    fn leaves_to_the_value_what_it_cannot_be_sure_of() {
        for text in [
            "-0",
            "1.0",
            "1e2",
            "1234567890123456789",
            "-1234567890123456789",
            "100000000000000000000",
            r#"{"a":1,"a":2}"#,
            r#"{"a":{"b":1,"b":1}}"#,
            r#""\ud800""#,
            "[1,]",
            "{} {}",
            "nan",
            "\"\u{1}\"",
        ] {
            assert_eq!(transcoded(text.as_bytes()), None, "{text}");
        }
        let many: Vec<String> = (0..=MAX_KEYS).map(|i| format!("\"k{i}\":{i}")).collect();
        let many = format!("{{{}}}", many.join(","));
        assert_eq!(transcoded(many.as_bytes()), None, "{} keys", MAX_KEYS + 1);
        let fewer = many.replacen(&format!(",\"k{MAX_KEYS}\":{MAX_KEYS}"), "", 1);
        assert_eq!(transcoded(fewer.as_bytes()), by_value(fewer.as_bytes()));
    }

    use proptest::prelude::*;

    /// A JSON-ish value of the pieces that tell writers apart: escapes of every kind,
    /// control characters and DEL, numbers of every spelling, repeated keys, nesting.
    fn awkward_value() -> impl Strategy<Value = String> {
        let string = prop::collection::vec(
            prop::sample::select(vec![
                "a",
                "é",
                "😀",
                "\\\"",
                "\\\\",
                "\\/",
                "\\n",
                "\\t",
                "\\b",
                "\\f",
                "\\r",
                "\\u0000",
                "\\u001F",
                "\\u007f",
                "\\u00E9",
                "\\ud83d\\ude00",
                "\\ud800",
                "\u{7f}",
                "\\x",
            ]),
            0..4,
        )
        .prop_map(|parts| format!("\"{}\"", parts.concat()));
        let leaf = prop_oneof![
            string.clone(),
            prop::sample::select(vec![
                "0",
                "-0",
                "7",
                "-12",
                "1.5",
                "1e3",
                "01",
                "123456789012345678",
                "1234567890123456789",
                "null",
                "true",
                "false",
                "nan",
            ])
            .prop_map(str::to_owned),
        ];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            let key = prop::sample::select(vec!["\"a\"", "\"b\"", "\"\\u0061\""]);
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec((key, inner), 0..4).prop_map(|members| {
                    let members: Vec<String> =
                        members.iter().map(|(k, v)| format!("{k} : {v}")).collect();
                    format!("{{ {} }}", members.join(", "))
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// Whatever it writes is what the value prints, and it writes nothing the full
        /// parse rejects.
        #[test]
        fn agrees_with_the_value_writer(text in awkward_value()) {
            if let Some(written) = transcoded(text.as_bytes()) {
                prop_assert_eq!(Some(written), by_value(text.as_bytes()), "{}", text);
            }
        }
    }
}
