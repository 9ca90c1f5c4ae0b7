//! The envelope's `raw`: the provider's payload, held as compact JSON text.
//!
//! Most events are only passed through (printed, recorded, matched on envelope fields), so
//! the payload is read into a tree only when something looks inside it. Building a tree for
//! every event, then writing it out again, was two thirds of `tail`'s time.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// Compact JSON text, exactly as serde_json writes the value it holds.
#[derive(Clone)]
pub struct Raw(Box<str>);

impl Raw {
    /// The payload a JSON text holds, or `None` if it is not JSON. Text already in compact
    /// form (nearly every payload) is kept as it came; anything else is rewritten compact,
    /// so `raw` is always a single line.
    pub fn parse(text: &str) -> Option<Raw> {
        Raw::compact(serde_json::from_str::<&RawValue>(text).ok()?).ok()
    }

    /// Text a parser has already read as valid JSON, when it is compact (as nearly every
    /// payload is): kept as it came, without reading it again. `None` otherwise.
    pub(crate) fn read_already(text: &str) -> Option<Raw> {
        is_compact(text.as_bytes()).then(|| Raw(text.into()))
    }

    /// Valid JSON text in compact form: kept when it already is, rewritten otherwise.
    fn compact(raw: &RawValue) -> serde_json::Result<Raw> {
        if is_compact(raw.get().as_bytes()) {
            return Ok(Raw(raw.get().into()));
        }
        // Also refuses what the first pass lets through: a lone surrogate in a `\u` escape.
        let value: Value = serde_json::from_str(raw.get())?;
        Ok(Raw::from_value(&value))
    }

    /// A payload that is not JSON, kept as a JSON string so that nothing is lost.
    pub fn string(text: &str) -> Raw {
        Raw::from_value(&Value::from(text))
    }

    pub fn from_value(value: &Value) -> Raw {
        let text = serde_json::to_string(value).expect("a JSON value always serializes");
        Raw(text.into_boxed_str())
    }

    pub fn text(&self) -> &str {
        &self.0
    }

    /// The payload as a tree, for the few readers that look inside it.
    pub fn value(&self) -> Value {
        serde_json::from_str(self.text()).expect("raw text is always valid JSON")
    }

    /// One top-level field of the payload, read from the text without building the rest of
    /// the tree: for the readers that look at one field of every event (the event's own id).
    pub fn field(&self, key: &str) -> Option<Value> {
        match crate::filter::probe::read_fields(self.text().as_bytes(), &[key], &[]) {
            Some(found) => serde_json::from_str(found[0]?.text).ok(),
            // Not an object, or a `\u` surrogate escape the probe leaves to a full read.
            None => self.value().get_mut(key).map(Value::take),
        }
    }

    pub fn is_string(&self) -> bool {
        self.text().starts_with('"')
    }
}

impl PartialEq for Raw {
    fn eq(&self, other: &Raw) -> bool {
        self.text() == other.text()
    }
}

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for Raw {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw: &RawValue = serde_json::from_str(&self.0).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Raw {
    /// A capture's `raw` as it was written, unless an editor or another tool left it in
    /// another form.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Raw, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if is_compact(raw.get().as_bytes()) {
            // Kept in the allocation it was read into.
            return Ok(Raw(raw.into()));
        }
        Raw::compact(&raw).map_err(serde::de::Error::custom)
    }
}

/// Whether valid JSON `text` is already what serde_json would write for it: no whitespace
/// outside strings, no escape other than the short ones it writes itself (`\u` and `\/` are
/// spelled differently), and integers of at most 18 digits (longer ones may become floats,
/// and fractions and exponents may be respelled). Duplicate keys are kept, where a tree
/// would keep the last: readers of the text take the last one too. Nested no deeper than a
/// tree can be read ([`MAX_DEPTH`]): text kept without a tree is still read into one by the
/// few that look inside, and a crafted payload nested deeper must be refused (or kept as a
/// string) when it arrives, not fail those readers later.
fn is_compact(text: &[u8]) -> bool {
    let (mut i, mut depth) = (0, 0);
    while let Some(&byte) = text.get(i) {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return false;
                }
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'"' => match string_end(text, i + 1) {
                Some(end) => i = end,
                None => return false,
            },
            b'-' | b'0'..=b'9' => {
                let end = text[i..]
                    .iter()
                    .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .map_or(text.len(), |n| i + n);
                if !crate::filter::probe::is_short_integer(&text[i..end]) {
                    return false;
                }
                i = end;
            }
            b' ' | b'\t' | b'\n' | b'\r' => return false,
            _ => i += 1,
        }
    }
    true
}

/// The deepest nesting serde_json reads into a tree (its recursion limit is 128 levels).
const MAX_DEPTH: usize = 127;

/// Where the string whose contents start at `from` ends (past its closing quote), or `None`
/// if it holds an escape serde_json would spell differently.
fn string_end(text: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + quote_or_backslash(&text[from..])?;
        if text[at] == b'"' {
            return Some(at + 1);
        }
        match text.get(at + 1) {
            Some(b'"' | b'\\' | b'n' | b'r' | b't' | b'b' | b'f') => from = at + 2,
            _ => return None,
        }
    }
}

/// Where the first `"` or `\` is. Most strings in a payload are short (keys, ids, names):
/// looked at byte by byte they end before a vector search is set up (memchr's was half of
/// this check's time); a longer one is searched in vectors past its start.
fn quote_or_backslash(text: &[u8]) -> Option<usize> {
    const SHORT: usize = 32;
    let (head, rest) = text.split_at(text.len().min(SHORT));
    match head.iter().position(|&b| b == b'"' || b == b'\\') {
        Some(at) => Some(at),
        None => memchr::memchr2(b'"', b'\\', rest).map(|at| SHORT + at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_text_is_kept_as_it_came() {
        for text in [
            r#"{"a":1,"b":[true,null,"x y"],"c":{"d":-12,"e":"q\"\\\n\t"}}"#,
            r#""é ☎""#,
            "0",
            "[]",
        ] {
            let raw = Raw::parse(text).unwrap();
            assert_eq!(raw.text(), text);
            assert_eq!(raw.text(), serde_json::to_string(&raw.value()).unwrap());
        }
    }

    #[test]
    fn a_string_ends_where_a_vector_search_says_on_either_side_of_the_short_ones() {
        for len in 0..80 {
            for at in 0..=len {
                for mark in [b'"', b'\\'] {
                    let mut text = vec![b'a'; len];
                    if at < len {
                        text[at] = mark;
                    }
                    let found = quote_or_backslash(&text);
                    assert_eq!(found, memchr::memchr2(b'"', b'\\', &text), "{len} {at}");
                }
            }
        }
    }

    #[test]
    fn other_text_is_written_as_serde_json_writes_it() {
        for text in [
            "{ \"a\": 1 }",
            "{\"a\":\n1}",
            r#"{"a":"\u00e9\/"}"#,
            r#"{"a":"\u0001"}"#,
            "[1.50,1e3,-0,12345678901234567890]",
            " [1] ",
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            let raw = Raw::parse(text).unwrap();
            assert_eq!(raw.text(), serde_json::to_string(&value).unwrap(), "{text}");
        }
    }

    #[test]
    fn what_is_not_json_is_refused() {
        for text in ["{torn", "", "[1,]", r#""\ud800""#, "1 2"] {
            assert_eq!(Raw::parse(text), None, "{text}");
        }
        assert_eq!(Raw::string("{torn").text(), r#""{torn""#);
    }

    #[test]
    fn a_capture_in_another_form_reads_back_compact() {
        let raw: Raw = serde_json::from_str("{ \"a\" : [ 1 ] }").unwrap();
        assert_eq!(raw.text(), r#"{"a":[1]}"#);
    }

    #[test]
    fn a_field_is_read_as_the_tree_would_have_it() {
        let raw = Raw::parse(r#"{"id":"a","n":{"x":[1]},"id":7,"s":"\ud83d\ude00"}"#).unwrap();
        for key in ["id", "n", "s", "absent"] {
            assert_eq!(raw.field(key), raw.value().get(key).cloned(), "{key}");
        }
        assert_eq!(
            raw.field("id"),
            Some(Value::from(7)),
            "the last of a repeated key"
        );
        for text in [r#""id""#, "[1]", "3"] {
            assert_eq!(Raw::parse(text).unwrap().field("id"), None, "{text}");
        }
    }

    #[test]
    fn a_payload_nested_deeper_than_a_tree_can_be_is_refused_not_kept() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let deepest = Raw::parse(&nested(MAX_DEPTH)).expect("as deep as a tree goes");
        assert_eq!(
            deepest.value(),
            serde_json::from_str::<Value>(&nested(MAX_DEPTH)).unwrap()
        );
        assert_eq!(Raw::parse(&nested(MAX_DEPTH + 1)), None);
        let line = format!("{{\"a\":{}}}", nested(MAX_DEPTH + 1));
        let read = serde_json::from_str::<Raw>(&line);
        assert!(read.unwrap_err().to_string().contains("recursion limit"));
    }
}
