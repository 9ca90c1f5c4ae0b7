//! The wire's long strings: a request's body, an SSE event's data. They are nearly always JSON
//! themselves, so a capture holds them as JSON strings full of escapes (`{\"event\":…}`). Read
//! back, such a string is kept as it was written and unescaped only when something reads it
//! (a delivery, a decoder): printing or recording the event writes it out again as it came.
//! Unescaping each one as it was read and escaping it again to print it was a seventh of
//! `replay`'s time.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::filter::probe::bytes_equal;

/// A request's body or an SSE event's data: its text, or the JSON string a capture held it as.
#[derive(Clone)]
pub struct WireText(Repr);

#[derive(Clone)]
enum Repr {
    /// The text itself.
    Plain(String),
    /// The text as a JSON string, quotes included, exactly as serde_json would write it.
    Quoted(Box<str>),
}

impl WireText {
    /// The text; copied only when it was read back with escapes in it.
    pub fn get(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Plain(text) => Cow::Borrowed(text),
            Repr::Quoted(json) => {
                let inside = &json[1..json.len() - 1];
                if memchr::memchr(b'\\', inside.as_bytes()).is_none() {
                    return Cow::Borrowed(inside);
                }
                Cow::Owned(unescape(inside))
            }
        }
    }

    /// Appends the text as a JSON string, as serde_json writes it.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match &self.0 {
            Repr::Plain(text) => json_escape_simd::escape_into(text, out),
            Repr::Quoted(json) => out.extend_from_slice(json.as_bytes()),
        }
    }
}

impl From<String> for WireText {
    fn from(text: String) -> WireText {
        WireText(Repr::Plain(text))
    }
}

impl From<&str> for WireText {
    fn from(text: &str) -> WireText {
        WireText(Repr::Plain(text.to_owned()))
    }
}

impl PartialEq for WireText {
    fn eq(&self, other: &WireText) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for WireText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

impl Serialize for WireText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.get())
    }
}

impl<'de> Deserialize<'de> for WireText {
    /// A JSON string, kept as written when serde_json would write it so (its only escapes are
    /// the short ones: no `\u`, no `\/`); any other is read into its text, as before.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WireText, D::Error> {
        use serde::de::{Error, Unexpected};
        let json = Box::<RawValue>::deserialize(deserializer)?;
        let text = json.get().as_bytes();
        let other = match text.first() {
            Some(b'"') => None,
            Some(b'{') => Some(Unexpected::Map),
            Some(b'[') => Some(Unexpected::Seq),
            Some(b't' | b'f') => Some(Unexpected::Other("a boolean")),
            Some(b'n') => Some(Unexpected::Unit),
            _ => Some(Unexpected::Other("a number")),
        };
        if let Some(other) = other {
            return Err(D::Error::invalid_type(other, &"a string"));
        }
        if is_canonical(text) {
            return Ok(WireText(Repr::Quoted(json.into())));
        }
        let text: String = serde_json::from_str(json.get()).map_err(|err| {
            // Its place is told by the line's reader; within the string it would mislead.
            let place = format!(" at line {} column {}", err.line(), err.column());
            let err = err.to_string();
            D::Error::custom(err.strip_suffix(&place).unwrap_or(&err))
        })?;
        Ok(WireText(Repr::Plain(text)))
    }
}

/// The text of a valid JSON string's contents whose only escapes are the short ones, as a
/// `Quoted` holds: copied once into a string of its size, where serde_json's reader grows a
/// scratch buffer from empty for each (a tenth of a delivery's allocations). A JSON-in-JSON
/// body has an escape every few bytes, so finding each and copying up to it (a search and a
/// copy set up each time) was most of the work: the text goes eight bytes at a time, each
/// eight written whole and kept up to its first backslash.
fn unescape(inside: &str) -> String {
    let bytes = inside.as_bytes();
    // Room for a whole word written past the text's end; cut to the text at the end.
    let mut text = vec![0; bytes.len() + 8];
    let (mut at, mut len) = (0, 0);
    while let Some(word) = bytes.get(at..at + 8) {
        let word: [u8; 8] = word.try_into().expect("eight bytes");
        text[len..len + 8].copy_from_slice(&word);
        let run = match bytes_equal(u64::from_le_bytes(word), b'\\') {
            0 => 8,
            found => found.trailing_zeros() as usize / 8,
        };
        (at, len) = (at + run, len + run);
        if run < 8 {
            // In a valid string a backslash is never last.
            text[len] = unescaped(bytes[at + 1]);
            (at, len) = (at + 2, len + 1);
        }
    }
    while let Some(&byte) = bytes.get(at) {
        text[len] = match byte {
            b'\\' => {
                at += 1;
                unescaped(bytes[at])
            }
            byte => byte,
        };
        (at, len) = (at + 1, len + 1);
    }
    text.truncate(len);
    String::from_utf8(text).expect("only ASCII bytes were removed or replaced")
}

/// The byte a short escape stands for, given the one after its backslash.
fn unescaped(escape: u8) -> u8 {
    match escape {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'b' => 0x08,
        b'f' => 0x0c,
        quote_or_backslash => quote_or_backslash,
    }
}

/// Whether the escapes of a valid JSON string are all ones serde_json writes the same way:
/// neither `\u` nor `\/` occurs. An escaped backslash followed by a `u` or `/` is taken for one
/// too, which costs only a full read. Two SIMD searches for a pair of bytes: stopping at every
/// escape of a JSON-in-JSON body, as checking each escape in turn does, cost a tenth of
/// reading a capture.
fn is_canonical(json: &[u8]) -> bool {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static UNICODE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\u"));
    static SLASH: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\/"));
    UNICODE.find(json).is_none() && SLASH.find(json).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> serde_json::Result<WireText> {
        serde_json::from_str(json)
    }

    fn written(text: &WireText) -> String {
        let mut out = Vec::new();
        text.write_json(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_string_read_back_is_the_text_it_was_and_is_written_as_serde_writes_it() {
        for json in [
            r#""""#,
            r#""plain text""#,
            r#""{\"event\":\"answer\",\"n\":\"a\\\\b\"}""#,
            r#""tab\tnew line\nquote\" \b\f\r é ☎""#,
            r#""\u00e9\/\u0001 \ud83d\ude00""#,
            r#""an escaped backslash before u: \\u, and before a slash: \\/""#,
        ] {
            let text = read(json).unwrap();
            let expected: String = serde_json::from_str(json).unwrap();
            assert_eq!(text.get(), expected, "{json}");
            assert_eq!(written(&text), serde_json::to_string(&expected).unwrap());
            assert_eq!(serde_json::to_string(&text).unwrap(), written(&text));
            assert_eq!(text, WireText::from(expected));
        }
    }

    #[test]
    fn what_is_not_a_valid_string_is_refused() {
        for json in [r#"1"#, r#"{"a":1}"#, r#""\ud800""#, "\"a\u{1}\"", r#""\x""#] {
            assert!(read(json).is_err(), "{json}");
        }
        let line = |body: &str| {
            let err = serde_json::from_str::<Vec<WireText>>(&format!("[{body}]")).unwrap_err();
            err.to_string()
        };
        assert_eq!(
            line("5"),
            "invalid type: a number, expected a string at line 1 column 3"
        );
        let lone = r#""text \ud800 more""#;
        assert_eq!(
            line(lone),
            "unexpected end of hex escape at line 1 column 20",
            "placed in the line, not in the string"
        );
    }

    use proptest::prelude::*;

    proptest::proptest! {
        /// A string literal made of pieces that trip JSON readers (every escape, lone and
        /// paired surrogates, control characters) reads back as serde_json reads it, or is
        /// refused as serde_json refuses it, and is written as serde_json writes its text.
        #[test]
        fn reads_and_writes_as_serde_json(pieces in prop::collection::vec(prop::sample::select(vec![
            "a", "é", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9",
            "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\x", "\t", "u", "/",
        ]), 0..8)) {
            let json = format!("\"{}\"", pieces.concat());
            match serde_json::from_str::<String>(&json) {
                Ok(expected) => {
                    let text = read(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(text.get(), expected.as_str());
                    prop_assert_eq!(written(&text), serde_json::to_string(&expected).unwrap());
                }
                Err(_) => prop_assert!(read(&json).is_err(), "{}", json),
            }
        }

        /// A string kept as written (only the short escapes) is unescaped as serde_json reads
        /// it, wherever its escapes fall against the eight bytes copied at once.
        #[test]
        fn kept_strings_unescape_as_serde_json(pieces in prop::collection::vec(prop::sample::select(vec![
            "a", "é", "☎", "/", "plain text", "\\\"", "\\\\", "\\b", "\\f", "\\n", "\\r", "\\t",
        ]), 0..60)) {
            let json = format!("\"{}\"", pieces.concat());
            let expected: String = serde_json::from_str(&json).unwrap();
            let text = read(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(text.get(), expected.as_str());
        }
    }
}
