//! Reads a few top-level fields of a JSON object line without building the rest of it, and
//! without copying what it reads: the whole line is still checked to be valid JSON, so
//! skipping or projecting it hides no error.
//!
//! The check is a reader of its own, not serde_json's: the lines it reads are envelopes whose
//! `wire` bodies are JSON written into JSON strings, an escaped quote every few bytes, and
//! serde_json's string skipping (which calls out at every escape) took most of a fast
//! path's time on them. This reader is strict and conservative: it takes only text that is
//! valid JSON as RFC 8259 writes it, and leaves anything unusual (a `\u` surrogate escape,
//! nesting deeper than [`MAX_DEPTH`]) to the full parse, which decides and reports exactly as
//! for any other line.

use std::borrow::Cow;
use std::ops::Range;

/// At most this many keys are looked for at once.
pub const MAX_KEYS: usize = 64;

/// Arrays and objects nested deeper than this, the line's own object counting, are left to
/// the full parse (serde_json's own limit is 128).
const MAX_DEPTH: usize = 100;

/// The JSON text of each of `keys` (`None` when absent; the last occurrence wins, as in jq),
/// or `None` when the line is not exactly one valid JSON object, or is one the full parse
/// should read: it has a surrogate escape (a lone `\ud800` is an error in jq, a pair is
/// read into one character), or nests deeper than [`MAX_DEPTH`].
pub fn fields<'a>(line: &'a [u8], keys: &[impl AsRef<str>]) -> Option<Vec<Option<&'a str>>> {
    assert!(keys.len() <= MAX_KEYS, "at most {MAX_KEYS} keys");
    // UTF-8 checked once for the whole line; the reader below then only looks at bytes.
    let line = std::str::from_utf8(line).ok()?;
    let mut reader = Reader {
        bytes: line.as_bytes(),
        at: 0,
    };
    let mut found = vec![None; keys.len()];
    reader.space();
    if reader.bytes.get(reader.at) != Some(&b'{') {
        return None;
    }
    reader.object(1, |key, value| {
        let key = match key {
            Text::Plain(range) => Cow::Borrowed(&line[range]),
            Text::Escaped(range) => Cow::Owned(serde_json::from_str(&line[range]).ok()?),
        };
        for (slot, wanted) in found.iter_mut().zip(keys) {
            if wanted.as_ref() == key {
                *slot = Some(&line[value.clone()]);
            }
        }
        Some(())
    })?;
    reader.space();
    (reader.at == line.len()).then_some(found)
}

/// A field's value if it is a string (borrowed unless it has escapes).
pub fn string(text: Option<&str>) -> Option<Cow<'_, str>> {
    let text = text?;
    match serde_json::from_str::<&str>(text) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(_) => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
    }
}

/// A string as read: where its contents are (between the quotes), or where the whole of it is
/// when it has escapes to read.
enum Text {
    Plain(Range<usize>),
    Escaped(Range<usize>),
}

/// Bytes a string's contents cannot hold as they are: its end, an escape, a control character.
const STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        stops[b] = true;
        b += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

/// Checks JSON text byte by byte from `at`; each reading method returns `None` at the first
/// byte that is not what valid JSON has there (the full parse then says what is wrong).
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn byte(&mut self, expected: u8) -> Option<()> {
        self.byte_if(expected).then_some(())
    }

    fn byte_if(&mut self, expected: u8) -> bool {
        let here = self.bytes.get(self.at) == Some(&expected);
        self.at += usize::from(here);
        here
    }

    /// One value; `depth` is how many arrays and objects it is inside, plus one.
    fn value(&mut self, depth: usize) -> Option<()> {
        match *self.bytes.get(self.at)? {
            b'"' => self.string().map(drop),
            b'{' => self.object(depth, |_, _| Some(())),
            b'[' => self.array(depth),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => self.number(),
        }
    }

    /// An object starting at its `{`, telling `member` where each key and value is.
    fn object(
        &mut self,
        depth: usize,
        mut member: impl FnMut(Text, Range<usize>) -> Option<()>,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.space();
        if self.byte_if(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.space();
            self.byte(b':')?;
            self.space();
            let start = self.at;
            self.value(depth + 1)?;
            member(key, start..self.at)?;
            self.space();
            if self.byte_if(b'}') {
                return Some(());
            }
            self.byte(b',')?;
            self.space();
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.space();
        if self.byte_if(b']') {
            return Some(());
        }
        loop {
            self.value(depth + 1)?;
            self.space();
            if self.byte_if(b']') {
                return Some(());
            }
            self.byte(b',')?;
            self.space();
        }
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        self.byte_if(b'-');
        match *self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.byte_if(b'.') {
            self.some_digits()?;
        }
        if self.byte_if(b'e') || self.byte_if(b'E') {
            if !self.byte_if(b'+') {
                self.byte_if(b'-');
            }
            self.some_digits()?;
        }
        Some(())
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// A string starting at its opening quote.
    fn string(&mut self) -> Option<Text> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        let mut at = start;
        let mut escaped = false;
        loop {
            at += plain_run(&self.bytes[at..]);
            match *self.bytes.get(at)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    at += escape_length(&self.bytes[at + 1..])?;
                }
                _ => return None,
            }
        }
        self.at = at + 1;
        Some(match escaped {
            false => Text::Plain(start..at),
            true => Text::Escaped(start - 1..at + 1),
        })
    }
}

/// How many bytes at the start of `bytes` a string holds as they are (none is in [`STOPS`]),
/// read eight at a time: in one word, the lowest byte found to be a quote, a backslash or a
/// control character is the first such byte (a borrow only runs up from a byte found).
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x;
    let mut words = bytes.chunks_exact(8);
    let mut run = 0;
    for word in words.by_ref() {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let (quote, backslash) = (x ^ (ONES * u64::from(b'"')), x ^ (ONES * u64::from(b'\\')));
        let stops = (below(quote, 1) | below(backslash, 1) | below(x, 0x20)) & HIGHS;
        if stops != 0 {
            return run + stops.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    let rest = words.remainder();
    run + rest
        .iter()
        .position(|&b| STOPS[usize::from(b)])
        .unwrap_or(rest.len())
}

/// The length of the escape starting at a backslash, given what follows it; `None` for one
/// JSON does not have, and for a surrogate (`\ud800`–`\udfff`), left to the full parse.
fn escape_length(after: &[u8]) -> Option<usize> {
    match *after.first()? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(2),
        b'u' => {
            let hex = after.get(1..5)?;
            let surrogate = matches!(
                hex,
                [b'd' | b'D', b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F', ..]
            );
            (!surrogate && hex.iter().all(u8::is_ascii_hexdigit)).then_some(6)
        }
        _ => None,
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

    #[test]
    fn reads_every_kind_of_value_as_json_writes_it() {
        let line = b" {\"n\" : -0.5e+10 , \"a\":[ 1,true, false,null,{}, [] ,\"\\u00e9\\/\\b\\f\\n\\r\\t\"],\r\n \"o\":{\"x\":{\"y\":0}}, \"k\\u0065y\": 1E5 }\n";
        let found = fields(line, &["n", "a", "o", "key"]).expect("valid JSON");
        assert_eq!(found[0], Some("-0.5e+10"));
        assert_eq!(
            found[1],
            Some(r#"[ 1,true, false,null,{}, [] ,"\u00e9\/\b\f\n\r\t"]"#)
        );
        assert_eq!(found[2], Some(r#"{"x":{"y":0}}"#));
        assert_eq!(found[3], Some("1E5"), "an escaped key is read as its text");
        for bad in [
            &b"{\"n\":-}"[..],
            b"{\"n\":01}",
            b"{\"n\":1.}",
            b"{\"n\":.5}",
            b"{\"n\":1e}",
            b"{\"n\":+1}",
            b"{\"n\":tru}",
            b"{\"n\":truex}",
            b"{\"n\":[1,]}",
            b"{\"n\":\"a\\x\"}",
            b"{\"n\":\"\\u00g0\"}",
            b"{\"n\":\"a\tb\"}",
            b"{\"n\":\"open}",
            b"{\"n\" 1}",
            b"{\"n\":1\x0c}",
            b"{n:1}",
            b"{\"n\":1}}",
            b"",
        ] {
            assert!(
                fields(bad, &["n"]).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
            assert!(serde_json::from_slice::<serde::de::IgnoredAny>(bad).is_err());
        }
    }

    #[test]
    fn leaves_deep_nesting_to_the_full_parse() {
        let nested = |depth: usize| {
            let mut line = b"{\"a\":".to_vec();
            line.extend(std::iter::repeat_n(b'[', depth));
            line.extend(std::iter::repeat_n(b']', depth));
            line.push(b'}');
            line
        };
        assert!(fields(&nested(MAX_DEPTH - 1), &["a"]).is_some());
        assert!(fields(&nested(MAX_DEPTH), &["a"]).is_none());
        assert!(
            fields(&nested(100_000), &["a"]).is_none(),
            "no stack overflow"
        );
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

    /// Any JSON value serde_json writes (strings of awkward characters, any numbers, nesting),
    /// compact or pretty.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let text = "[a\"\\\\/\u{0}-\u{1f}\u{7f}é\u{2028}😀]{0,12}";
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            text.prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::vec((text, inner), 0..6)
                    .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Every object serde_json writes is read, each field as the text of its value.
        #[test]
        fn reads_whatever_serde_json_writes(
            fields_in in prop::collection::vec(("[a-c]", json_value()), 0..5),
            pretty in any::<bool>(),
        ) {
            let object = serde_json::Value::Object(fields_in.into_iter().collect());
            let line = match pretty {
                true => serde_json::to_vec_pretty(&object),
                false => serde_json::to_vec(&object),
            }.unwrap();
            let keys = ["a", "b", "c"];
            let found = fields(&line, &keys);
            prop_assert!(found.is_some(), "not read: {}", String::from_utf8_lossy(&line));
            // Read back the same way (serde_json's floats do not always round-trip).
            let whole: serde_json::Value = serde_json::from_slice(&line).unwrap();
            for (key, text) in keys.iter().zip(found.unwrap()) {
                let read = text.map(|t| serde_json::from_str::<serde_json::Value>(t).unwrap());
                prop_assert_eq!(read.as_ref(), whole.get(*key));
            }
        }

        /// A valid line with one byte taken out, changed or put in is read only when the full
        /// parse reads it too, and then the same.
        #[test]
        fn a_damaged_line_is_read_only_when_it_is_still_json(
            value in json_value(),
            at in any::<prop::sample::Index>(),
            edit in 0..3u8,
            byte in prop::sample::select(b"{}[]:,\"\\/ 0-.eEu\x01\n\xc3tfn".to_vec()),
        ) {
            let mut line = serde_json::to_vec(&serde_json::json!({"a": value, "b": 1})).unwrap();
            let at = at.index(line.len());
            match edit {
                0 => { line.remove(at); }
                1 => line[at] = byte,
                _ => line.insert(at, byte),
            }
            if let Some(found) = fields(&line, &["a", "b"]) {
                let whole = crate::filter::parse(&line);
                prop_assert!(whole.is_ok(), "read {:?}", String::from_utf8_lossy(&line));
                prop_assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&line).is_ok());
                let Ok(Value::Obj(object)) = whole else {
                    return Err(TestCaseError::fail("read a line that is no object"));
                };
                for (key, text) in ["a", "b"].iter().zip(found) {
                    let probed = text.map(|t| crate::filter::parse(t.as_bytes()));
                    let probed = probed.transpose().map_err(TestCaseError::fail)?;
                    prop_assert_eq!(probed.as_ref(), object.get(&Value::from(key.to_string())));
                }
            }
        }

        /// Eight bytes at a time finds the same first stop as one at a time.
        #[test]
        fn a_plain_run_ends_at_the_first_stop(bytes in prop::collection::vec(
            prop::sample::select(b"a\"\\\x00\x1f\x20\x7f\x80\xff!#[]".to_vec()), 0..40,
        )) {
            let one_by_one = bytes.iter().position(|&b| STOPS[usize::from(b)]).unwrap_or(bytes.len());
            prop_assert_eq!(plain_run(&bytes), one_by_one);
        }

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
                    let probed = text.map(|t| crate::filter::parse(t.as_bytes()));
                    let probed = probed.transpose().map_err(TestCaseError::fail)?;
                    prop_assert_eq!(probed.as_ref(), object.get(&Value::from(key.to_string())));
                }
            }
        }
    }
}
