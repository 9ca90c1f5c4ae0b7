//! `telev mask` and `--mask`: phone numbers, names and e-mail addresses replaced with stand-ins,
//! everywhere an event holds them (its envelope fields, `raw`, and `wire`: headers, query and
//! body, re-encoded as they came), so that a masked capture still replays, groups into the same
//! calls and passes `telev check` the same way.
//!
//! What is a number: `from` and `to`, and every value of a field whose name says it holds one
//! (`…number`, `…num`, `…phone`, `…did`, `…extension`, `caller`, `dst`, …); then any run of six
//! or more digits elsewhere that is one of those numbers (`sip:+15551230001@…`). Shorter runs
//! elsewhere are left: `201` inside a date or a device name could be anything. A name is the
//! value of a field whose name ends in `name` (not an event's, a queue's, a file's); an e-mail
//! address is any `local@domain.tld` not in a SIP URI.
//!
//! A stand-in keeps a number's length, its punctuation, and the country code of a number of
//! eight digits or more; the same number always gets the same stand-in within a run (from a key
//! drawn for the run, so that stand-ins cannot be reversed by trying every number).

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

use crate::envelope::{Envelope, HttpWire, Raw, Wire};

/// Digits a run outside a number field needs before it is taken for a number.
const FREE_RUN: usize = 6;
/// A body decoded from its `Content-Encoding` may grow to this much.
const MOST_DECODED: usize = 64 << 20;

/// The stand-ins of one run.
pub struct Mask {
    key: RandomState,
}

impl Default for Mask {
    fn default() -> Mask {
        Mask::new()
    }
}

/// The numbers one event holds, as their digits.
#[derive(Default)]
struct Known(Vec<Vec<u8>>);

impl Known {
    fn add(&mut self, text: &str) {
        let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_digit).collect();
        if digits.len() >= FREE_RUN && !self.0.contains(&digits) {
            self.0.push(digits);
        }
    }

    fn has(&self, digits: &[u8]) -> bool {
        self.0.iter().any(|d| d == digits)
    }
}

/// What a field's name says its value is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Number,
    Name,
    Other,
}

impl Field {
    /// By the name's last word (`CallerIDNum`: `num`; `linked_id`: `id`), or the whole name.
    fn of(name: &str) -> Field {
        const NUMBER_WORDS: [&str; 7] =
            ["number", "num", "phone", "did", "extension", "ani", "dnis"];
        const NUMBER_NAMES: [&str; 12] = [
            "from",
            "to",
            "src",
            "dst",
            "source",
            "destination",
            "caller",
            "callee",
            "called",
            "dialed",
            "callerid",
            "cid",
        ];
        const NOT_A_PERSON: [&str; 8] = [
            "event", "queue", "file", "host", "device", "type", "server", "domain",
        ];
        // Telphin's fields also come as headers, `X-` prefixed.
        let name = (name.strip_prefix("x-").or_else(|| name.strip_prefix("X-"))).unwrap_or(name);
        let words = words(name);
        let whole = words.concat();
        let last = words.last().map_or("", String::as_str);
        if NUMBER_WORDS.contains(&last) || NUMBER_NAMES.contains(&whole.as_str()) {
            Field::Number
        } else if last == "name" && !words.iter().any(|w| NOT_A_PERSON.contains(&w.as_str())) {
            Field::Name
        } else {
            Field::Other
        }
    }
}

/// A field name's words, in lower case: `CallerIDNum` is `caller id num`, `leg_1_phone` is
/// `leg 1 phone`.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (at, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
            continue;
        }
        let before = at.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(at + 1);
        let starts_word = c.is_uppercase()
            && (before.is_some_and(|b| b.is_lowercase() || b.is_ascii_digit())
                || (before.is_some_and(char::is_uppercase)
                    && after.is_some_and(|a| a.is_lowercase())));
        if starts_word && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.extend(c.to_lowercase());
    }
    words.extend((!word.is_empty()).then_some(word));
    words
}

impl Mask {
    /// Stand-ins from a key of this run's own.
    pub fn new() -> Mask {
        Mask {
            key: RandomState::new(),
        }
    }

    /// Masks one event in place.
    pub fn envelope(&self, e: &mut Envelope) {
        let mut known = Known::default();
        for number in [&e.from, &e.to].into_iter().flatten() {
            known.add(number);
        }
        let mut raw = (!e.raw.is_string()).then(|| e.raw.value());
        if let Some(raw) = &raw {
            collect(raw, Field::Other, &mut known);
        }
        if let Wire::Http(http) = &e.wire {
            collect_form(&http.query, &mut known);
            for (name, value) in &http.headers {
                if let (Field::Number, Some(value)) = (Field::of(name), value.as_str()) {
                    known.add(value);
                }
            }
        }
        for number in [&mut e.from, &mut e.to].into_iter().flatten() {
            *number = self.number(number);
        }
        e.raw = match &mut raw {
            Some(value) => {
                self.value(value, Field::Other, &known);
                Raw::from_value(value)
            }
            None => Raw::string(&self.text(e.raw.text(), &known)),
        };
        if let Some(state) = &mut e.state {
            *state = self.text(state, &known).into_owned();
        }
        match &mut e.wire {
            Wire::Sse(sse) => sse.data = self.json_text(&sse.data.get(), &known).into(),
            Wire::Http(http) => self.http(http, &known),
        }
    }

    /// A request as it came, masked: path, query, headers, and the body in its own format.
    fn http(&self, http: &mut HttpWire, known: &Known) {
        http.path = self.text(&http.path, known).into_owned();
        let encoding = (http.charset())
            .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
            .unwrap_or(encoding_rs::UTF_8);
        http.query = String::from_utf8_lossy(&self.form(http.query.as_bytes(), encoding, known))
            .into_owned();
        for (name, value) in http.headers.iter_mut() {
            if let Some(text) = value.as_str() {
                *value = Value::String(self.field(text, Field::of(name), known));
            }
        }
        for value in http.headers_base64.values_mut() {
            let bytes = value.as_str().and_then(|v| BASE64.decode(v).ok());
            let masked = bytes.map_or_else(Vec::new, |b| self.bytes(&b, known).into_owned());
            *value = Value::String(BASE64.encode(masked));
        }
        let coded: Vec<&[u8]> = (http.headers.get("content-encoding"))
            .and_then(Value::as_str)
            .map(str::as_bytes)
            .into_iter()
            .collect();
        let body = http.body_bytes().into_owned();
        let content = match crate::provider::content::content(&coded, &body, MOST_DECODED) {
            Ok(content) => {
                if !coded.is_empty() {
                    // Stored decoded from here on: a masked body is not compressed again.
                    http.headers.remove("content-encoding");
                    http.headers_base64.remove("content-encoding");
                }
                content.into_owned()
            }
            // What cannot be read cannot be masked, so it is not kept.
            Err(_) => Vec::new(),
        };
        let media = http.media_type();
        let masked = match media.as_deref() {
            Some("application/x-www-form-urlencoded") => self.form(&content, encoding, known),
            _ => match serde_json::from_slice::<Value>(&content) {
                Ok(mut value) => {
                    self.value(&mut value, Field::Other, known);
                    value.to_string().into_bytes()
                }
                Err(_) => self.bytes(&content, known).into_owned(),
            },
        };
        if let Some(length) = http.headers.get_mut("content-length") {
            *length = Value::String(masked.len().to_string());
        }
        (http.body, http.body_base64) = match String::from_utf8(masked) {
            Ok(text) => (text.into(), false),
            Err(err) => (BASE64.encode(err.into_bytes()).into(), true),
        };
    }

    /// JSON text masked as a value and written compact; other text masked as text.
    fn json_text(&self, text: &str, known: &Known) -> String {
        match serde_json::from_str::<Value>(text) {
            Ok(mut value) => {
                self.value(&mut value, Field::Other, known);
                value.to_string()
            }
            Err(_) => self.text(text, known).into_owned(),
        }
    }

    /// A JSON value masked in place; `field` is what the name it is under says it is.
    fn value(&self, value: &mut Value, field: Field, known: &Known) {
        match value {
            Value::String(text) => *text = self.field(text, field, known),
            Value::Number(n) if field == Field::Number => {
                let digits = n.to_string();
                if digits.len() >= FREE_RUN && digits.bytes().all(|b| b.is_ascii_digit()) {
                    let masked = self.number(&digits);
                    *n = masked
                        .parse()
                        .unwrap_or_else(|_| serde_json::Number::from(0));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v, field, known)),
            Value::Object(map) => self.object(map, known),
            _ => {}
        }
    }

    fn object(&self, map: &mut Map<String, Value>, known: &Known) {
        for (name, value) in map.iter_mut() {
            self.value(value, Field::of(name), known);
        }
    }

    /// A field's text, as what it holds.
    fn field(&self, text: &str, field: Field, known: &Known) -> String {
        match field {
            Field::Number if looks_like_a_number(text) => self.number(text),
            Field::Name if !text.trim().is_empty() => self.name(text),
            _ => self.text(text, known).into_owned(),
        }
    }

    /// A form (a query string, a form body) with each field masked as what its name says it
    /// holds, re-encoded in `encoding`; a field left as it was keeps its bytes.
    fn form(
        &self,
        form: &[u8],
        encoding: &'static encoding_rs::Encoding,
        known: &Known,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(form.len());
        for (at, pair) in form.split(|&b| b == b'&').enumerate() {
            if at > 0 {
                out.push(b'&');
            }
            let Some(eq) = pair.iter().position(|&b| b == b'=') else {
                out.extend_from_slice(&self.bytes(pair, known));
                continue;
            };
            let (name, value) = (&pair[..eq], &pair[eq + 1..]);
            let text = crate::provider::form::component(value, encoding);
            let field = Field::of(&crate::provider::form::component(name, encoding));
            let masked = self.field(&text, field, known);
            out.extend_from_slice(name);
            out.push(b'=');
            if masked == text {
                out.extend_from_slice(value);
            } else {
                let (bytes, _, _) = encoding.encode(&masked);
                out.extend(form_urlencoded::byte_serialize(&bytes).flat_map(str::bytes));
            }
        }
        out
    }

    /// Free text: the event's numbers in it (as runs of digits), and e-mail addresses.
    fn text<'a>(&self, text: &'a str, known: &Known) -> Cow<'a, str> {
        match self.bytes(text.as_bytes(), known) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            // Only ASCII was replaced by ASCII: still UTF-8.
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }

    /// Bytes in any ASCII-compatible charset, masked as [`Mask::text`] masks text.
    fn bytes<'a>(&self, input: &'a [u8], known: &Known) -> Cow<'a, [u8]> {
        let mut out: Option<Vec<u8>> = None;
        let mut at = 0;
        let mut copied = 0;
        while at < input.len() {
            let b = input[at];
            if b.is_ascii_digit() {
                let end = at
                    + input[at..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                let run = &input[at..end];
                if known.has(run) {
                    let out = out.get_or_insert_with(|| Vec::with_capacity(input.len()));
                    out.extend_from_slice(&input[copied..at]);
                    out.extend_from_slice(self.digits(run).as_slice());
                    copied = end;
                }
                at = end;
            } else if b == b'@'
                && let Some((start, end)) = email_around(input, at)
                // Its local part not already replaced as a number.
                && start >= copied
            {
                let out = out.get_or_insert_with(|| Vec::with_capacity(input.len()));
                out.extend_from_slice(&input[copied..start]);
                out.extend_from_slice(self.email(&input[start..end]).as_bytes());
                copied = end;
                at = end;
            } else {
                at += 1;
            }
        }
        match out {
            None => Cow::Borrowed(input),
            Some(mut out) => {
                out.extend_from_slice(&input[copied..]);
                Cow::Owned(out)
            }
        }
    }

    /// A number's stand-in: its digits replaced, everything else where it was.
    pub fn number(&self, text: &str) -> String {
        let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_digit).collect();
        if digits.is_empty() {
            return text.to_owned();
        }
        let mut replaced = self.digits(&digits).into_iter();
        let out = text.bytes().map(|b| match b.is_ascii_digit() {
            true => replaced.next().unwrap_or(b),
            false => b,
        });
        String::from_utf8(out.collect()).unwrap_or_default()
    }

    /// Stand-in digits for `digits`: as many, the country code kept on a long number.
    fn digits(&self, digits: &[u8]) -> Vec<u8> {
        let keep = if digits.len() >= 8 {
            country_code(digits)
        } else {
            0
        };
        let mut rng = fastrand::Rng::with_seed(self.key.hash_one(digits));
        let mut out = digits[..keep].to_vec();
        out.extend((keep..digits.len()).map(|_| b'0' + rng.u8(0..10)));
        if out == digits {
            // Never the number itself: the last digit moves on by one.
            let last = out.len() - 1;
            out[last] = b'0' + (out[last] - b'0' + 1) % 10;
        }
        out
    }

    /// A person's stand-in: `Person 3F9A`.
    fn name(&self, text: &str) -> String {
        format!("Person {:04X}", self.key.hash_one(("name", text)) & 0xFFFF)
    }

    /// An address's stand-in: `user-3f9a1c@example.com`.
    fn email(&self, address: &[u8]) -> String {
        let lower = address.to_ascii_lowercase();
        format!(
            "user-{:06x}@example.com",
            self.key.hash_one(("email", lower)) & 0xFF_FFFF
        )
    }
}

/// Whether a number field's text is a number (`+1 (555) 123-4567`, `sip:201@host`, `201`),
/// rather than a word some provider put there (`Anonymous`, `unknown`).
fn looks_like_a_number(text: &str) -> bool {
    let text = text.trim();
    let bare = ["sip:", "sips:", "tel:"]
        .iter()
        .find_map(|scheme| text.strip_prefix(scheme))
        .map_or(text, |rest| rest.split('@').next().unwrap_or(rest));
    let digits = bare.bytes().filter(u8::is_ascii_digit).count();
    digits >= 2
        && bare
            .bytes()
            .all(|b| b.is_ascii_digit() || b" +-().#*".contains(&b))
}

/// How many leading digits of an international number are its country calling code (ITU-T
/// E.164): 1 and 7 are one digit, the two-digit codes are these, the rest are three.
fn country_code(d: &[u8]) -> usize {
    match (d[0], d[1]) {
        (b'1' | b'7', _) => 1,
        (b'2', b'0' | b'7')
        | (b'3', b'0'..=b'4' | b'6' | b'9')
        | (b'4', b'0' | b'1' | b'3'..=b'9')
        | (b'5', b'1'..=b'8')
        | (b'6', b'0'..=b'6')
        | (b'8', b'1' | b'2' | b'4' | b'6')
        | (b'9', b'0'..=b'5' | b'8') => 2,
        _ => 3,
    }
}

/// The e-mail address around the `@` at `at`, as (start, end); `None` for a SIP URI's.
fn email_around(input: &[u8], at: usize) -> Option<(usize, usize)> {
    let local = |b: &u8| b.is_ascii_alphanumeric() || b"._%+-".contains(b);
    let domain = |b: &u8| b.is_ascii_alphanumeric() || b".-".contains(b);
    let start = at - input[..at].iter().rev().take_while(|b| local(b)).count();
    let end = at + 1 + input[at + 1..].iter().take_while(|b| domain(b)).count();
    let host = input[at + 1..end].trim_ascii_end();
    let host = host.strip_suffix(b".").unwrap_or(host);
    let has_tld = host.iter().rposition(|&b| b == b'.').is_some_and(|dot| {
        let tld = &host[dot + 1..];
        tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
    });
    let sip = [&b"sip:"[..], b"sips:", b"tel:"]
        .iter()
        .any(|scheme| input[..start].ends_with(scheme));
    (start < at && has_tld && !sip).then_some((start, at + 1 + host.len()))
}

/// Numbers in number fields, everywhere in a value.
fn collect(value: &Value, field: Field, known: &mut Known) {
    match value {
        Value::String(text) if field == Field::Number && looks_like_a_number(text) => {
            known.add(text);
        }
        Value::Number(n) if field == Field::Number => known.add(&n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, field, known)),
        Value::Object(map) => {
            for (name, value) in map {
                collect(value, Field::of(name), known);
            }
        }
        _ => {}
    }
}

/// Numbers in a query string's number fields.
fn collect_form(form: &str, known: &mut Known) {
    for (name, value) in form_urlencoded::parse(form.as_bytes()) {
        if Field::of(&name) == Field::Number && looks_like_a_number(&value) {
            known.add(&value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_keeps_its_length_punctuation_and_country_code_and_is_stable() {
        let mask = Mask::new();
        let masked = mask.number("+1 (555) 123-4567");
        assert_eq!(masked.len(), "+1 (555) 123-4567".len());
        assert!(masked.starts_with("+1 ("), "{masked}");
        assert_ne!(masked, "+1 (555) 123-4567");
        assert_eq!(mask.number("+1 (555) 123-4567"), masked);
        // The same digits, however written, are the same number.
        let digits: String = masked.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(mask.number("15551234567"), digits);
        assert!(mask.number("+447700900123").starts_with("+44"));
        assert!(mask.number("+3712000000").starts_with("+371"));
        assert_eq!(mask.number("201").len(), 3);
    }

    #[test]
    fn field_names_split_into_words() {
        assert_eq!(words("CallerIDNum"), ["caller", "id", "num"]);
        assert_eq!(words("leg_1_phone_number"), ["leg", "1", "phone", "number"]);
        assert_eq!(words("X-CalledDID"), ["x", "called", "did"]);
        assert_eq!(words("phoneNumber"), ["phone", "number"]);
    }

    #[test]
    fn field_names_say_what_their_values_hold() {
        for name in [
            "CallerIDNum",
            "cid_num",
            "phoneNumber",
            "CalledDID",
            "X-CallerIDNum",
            "to",
        ] {
            assert!(Field::of(name) == Field::Number, "{name}");
        }
        for name in ["name", "CallerIDName", "connected_name", "displayName"] {
            assert!(Field::of(name) == Field::Name, "{name}");
        }
        for name in [
            "queue_name",
            "event",
            "linked_id",
            "uuid",
            "device",
            "eventName",
            "paid",
        ] {
            assert!(Field::of(name) == Field::Other, "{name}");
        }
    }

    #[test]
    fn addresses_are_masked_but_sip_uris_are_not_addresses() {
        let mask = Mask::new();
        let known = Known::default();
        let text = "mail ann.lee+x@mail.example.org, sip:201@pbx.example.com.";
        let masked = mask.text(text, &known);
        assert!(!masked.contains("ann.lee"), "{masked}");
        assert!(
            masked.contains("@example.com, sip:201@pbx.example.com."),
            "{masked}"
        );
    }

    #[test]
    fn free_text_loses_the_events_numbers_but_not_dates() {
        let mask = Mask::new();
        let mut known = Known::default();
        known.add("+15551230001");
        let text = "sip:+15551230001@host at 2026-11-20 15551230001";
        let masked = mask.text(text, &known);
        assert!(!masked.contains("15551230001"), "{masked}");
        assert!(masked.contains("@host at 2026-11-20 1"), "{masked}");
    }

    /// The sample calls of every provider, with generated numbers in place of theirs.
    fn calls_with(seed: u64, numbers: &[String]) -> Vec<Envelope> {
        let sample: Vec<Envelope> =
            crate::sample::envelopes(8, seed, jiff::Timestamp::UNIX_EPOCH).collect();
        let mut theirs: Vec<String> = Vec::new();
        for e in &sample {
            for number in [&e.from, &e.to].into_iter().flatten() {
                let digits: String = number.chars().filter(char::is_ascii_digit).collect();
                if digits.len() >= FREE_RUN && !theirs.contains(&digits) {
                    theirs.push(digits);
                }
            }
        }
        (sample.iter())
            .map(|e| {
                let mut line = e.to_json();
                for (at, number) in theirs.iter().enumerate() {
                    line = line.replace(number.as_str(), &numbers[at % numbers.len()]);
                }
                let mut e: Envelope = serde_json::from_str(&line).unwrap();
                e.state = crate::provider::state(&e);
                e
            })
            .collect()
    }

    proptest::proptest! {
        /// Masked, no number is left anywhere in the bytes; the same number always has the
        /// same stand-in; the calls are the same calls (their rows differ only in the numbers,
        /// each its stand-in); and each event's wire decodes to the same event again.
        #[test]
        fn masking_hides_every_number_and_keeps_calls_and_replays(
            seed in proptest::prelude::any::<u64>(),
            numbers in proptest::collection::hash_set("[1-9][0-9]{7,13}", 6),
        ) {
            let numbers: Vec<String> = numbers.into_iter().collect();
            let events = calls_with(seed, &numbers);
            let unmasked: String = events.iter().map(Envelope::to_json).collect();
            // The generated numbers are there to be hidden, in fields and wire alike.
            let there = numbers.iter().filter(|n| unmasked.contains(n.as_str())).count();
            proptest::prop_assert!(there >= 2, "{unmasked}");
            let mask = Mask::new();
            let masked: Vec<Envelope> = (events.iter())
                .map(|e| {
                    let mut masked = e.clone();
                    mask.envelope(&mut masked);
                    masked
                })
                .collect();
            let out: String = masked.iter().map(Envelope::to_json).collect();
            for number in &numbers {
                proptest::prop_assert!(!out.contains(number.as_str()), "{number} in {out}");
            }
            // Stable: masking again gives the same bytes.
            for (e, once) in events.iter().zip(&masked) {
                let mut again = e.clone();
                mask.envelope(&mut again);
                proptest::prop_assert_eq!(again.to_json(), once.to_json());
            }
            let table = |events: &[Envelope]| {
                let mut table = crate::calls::CallTable::default();
                events.iter().for_each(|e| table.add(e));
                table.calls().to_vec()
            };
            let (before, after) = (table(&events), table(&masked));
            proptest::prop_assert_eq!(before.len(), after.len());
            for (b, a) in before.iter().zip(&after) {
                let stand_in = |n: &Option<String>| n.as_deref().map(|n| mask.number(n));
                proptest::prop_assert_eq!(&a.call_id, &b.call_id);
                proptest::prop_assert_eq!(a.outcome, b.outcome);
                proptest::prop_assert_eq!((a.ring_seconds, a.talk_seconds), (b.ring_seconds, b.talk_seconds));
                proptest::prop_assert_eq!(&a.kinds, &b.kinds);
                proptest::prop_assert_eq!((&a.from, &a.to), (&stand_in(&b.from), &stand_in(&b.to)));
            }
            for (e, m) in events.iter().zip(&masked) {
                let again = match &m.wire {
                    Wire::Sse(sse) => crate::provider::decode_sse(m.stream, sse.clone(), m.received),
                    Wire::Http(http) => {
                        crate::provider::decode_http(Some(m.provider), http.clone(), m.received)
                            .unwrap()
                    }
                };
                proptest::prop_assert_eq!((again.kind, &again.call_id), (e.kind, &e.call_id));
                proptest::prop_assert_eq!((&again.from, &again.to), (&m.from, &m.to));
            }
        }
    }
}
