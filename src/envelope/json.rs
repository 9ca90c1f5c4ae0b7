//! Envelopes as JSON lines, written field by field. serde's derived writer escapes strings a
//! byte at a time, and an SSE envelope carries its payload's text twice (`raw` and, escaped,
//! `wire.data`): that escaping was the printing thread's largest cost. This writer produces
//! the same bytes as the derived one (a test holds them equal) with SIMD escaping.

use std::io::Write as _;

use jiff::Timestamp;

use super::Envelope;
use crate::envelope::{HttpWire, SseWire, Wire};

/// Appends `e` as compact JSON, without a newline.
pub fn write(out: &mut Vec<u8>, e: &Envelope) {
    let mut o = Object::open(out);
    o.string("provider", e.provider.as_str());
    o.string("stream", e.stream.as_str());
    o.string("type", &e.event_type);
    o.string("kind", e.kind.as_str());
    o.time("time", e.time.as_ref());
    o.time("received", Some(&e.received));
    o.optional("call_id", e.call_id.as_deref());
    o.optional("direction", e.direction.map(|d| d.as_str()));
    o.optional("from", e.from.as_deref());
    o.optional("to", e.to.as_deref());
    o.key("raw").extend_from_slice(e.raw.text().as_bytes());
    match &e.wire {
        Wire::Sse(wire) => sse(o.key("wire"), wire),
        Wire::Http(wire) => http(o.key("wire"), wire),
    }
    o.close();
}

fn sse(out: &mut Vec<u8>, wire: &SseWire) {
    let mut o = Object::open(out);
    o.string("event", &wire.event);
    o.optional("id", wire.id.as_deref());
    wire.data.write_json(o.key("data"));
    o.close();
}

fn http(out: &mut Vec<u8>, wire: &HttpWire) {
    let mut o = Object::open(out);
    o.string("method", &wire.method);
    o.string("path", &wire.path);
    o.string("query", &wire.query);
    o.optional("content_type", wire.content_type.as_deref());
    let headers = o.key("headers");
    headers.push(b'{');
    for (i, (name, value)) in wire.headers.iter().enumerate() {
        if i > 0 {
            headers.push(b',');
        }
        string(headers, name);
        headers.push(b':');
        match value {
            serde_json::Value::String(value) => string(headers, value),
            // Only a hand-edited capture holds anything else.
            other => serde_json::to_writer(&mut *headers, other).expect("a value serializes"),
        }
    }
    headers.push(b'}');
    if !wire.headers_base64.is_empty() {
        let exact = o.key("headers_base64");
        serde_json::to_writer(&mut *exact, &wire.headers_base64).expect("a map serializes");
    }
    wire.body.write_json(o.key("body"));
    if wire.body_base64 {
        o.key("body_base64").extend_from_slice(b"true");
    }
    o.close();
}

/// An object being written: each field's name, after a comma from the second on, then its
/// value. Names are the envelope's own, which need no escaping.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Object<'a> {
    fn open(out: &'a mut Vec<u8>) -> Object<'a> {
        out.push(b'{');
        Object { out, first: true }
    }

    /// Writes `"name":` and hands back the output for the value.
    #[inline(always)]
    fn key(&mut self, name: &str) -> &mut Vec<u8> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    #[inline(always)]
    fn string(&mut self, name: &str, text: &str) {
        string(self.key(name), text);
    }

    #[inline(always)]
    fn optional(&mut self, name: &str, text: Option<&str>) {
        match text {
            Some(text) => self.string(name, text),
            None => null(self.key(name)),
        }
    }

    #[inline(always)]
    fn time(&mut self, name: &str, time: Option<&Timestamp>) {
        let out = self.key(name);
        match time {
            Some(time) => write_time(out, time),
            None => null(out),
        }
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// `"2019-01-24T08:21:41.509Z"`. Events come many to a second: the date and time up to the
/// second are formatted once a second, and only the milliseconds each time. An envelope has
/// two times, the event's and when it was received, seconds apart: the last two seconds
/// formatted are kept, so that writing one does not undo the other.
fn write_time(out: &mut Vec<u8>, time: &Timestamp) {
    thread_local! {
        static SECONDS: std::cell::RefCell<Seconds> = const {
            std::cell::RefCell::new(Seconds::NONE)
        };
    }
    let (second, millis) = (time.as_second(), time.subsec_millisecond());
    if second < 0 || millis < 0 {
        return write!(out, "\"{time:.3}\"").expect("writing to a Vec cannot fail");
    }
    SECONDS.with_borrow_mut(|seconds| {
        out.push(b'"');
        out.extend_from_slice(seconds.formatted(second).as_bytes());
        let millis = millis as u16;
        let digits = [millis / 100, millis / 10 % 10, millis % 10].map(|d| b'0' + d as u8);
        out.push(b'.');
        out.extend_from_slice(&digits);
        out.extend_from_slice(b"Z\"");
    });
}

/// The last two seconds formatted, each as `2019-01-24T08:21:41`.
struct Seconds {
    kept: [(i64, String); 2],
    /// Which of the two to replace next.
    older: usize,
}

impl Seconds {
    const NONE: Seconds = Seconds {
        kept: [(i64::MIN, String::new()), (i64::MIN, String::new())],
        older: 0,
    };

    fn formatted(&mut self, second: i64) -> &str {
        let at = match self.kept.iter().position(|(kept, _)| *kept == second) {
            Some(at) => {
                self.older = 1 - at;
                at
            }
            None => {
                let at = self.older;
                self.older = 1 - at;
                let whole = Timestamp::from_second(second).expect("a second of a valid time");
                let prefix = &mut self.kept[at];
                prefix.1 = format!("{whole:.0}");
                prefix.1.truncate(prefix.1.len() - 1);
                prefix.0 = second;
                at
            }
        };
        &self.kept[at].1
    }
}

fn string(out: &mut Vec<u8>, text: &str) {
    json_escape_simd::escape_into(text, out);
}

fn null(out: &mut Vec<u8>) {
    out.extend_from_slice(b"null");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider;

    fn derived(e: &Envelope) -> String {
        serde_json::to_string(e).unwrap()
    }

    fn written(e: &Envelope) -> String {
        let mut out = Vec::new();
        write(&mut out, e);
        String::from_utf8(out).unwrap()
    }

    /// Every character that needs escaping, and some that do not.
    fn awkward() -> String {
        let mut text: String = (0u8..0x80).map(char::from).collect();
        text.push_str("é☎\u{2028}𝄞\"\\");
        text
    }

    #[test]
    fn times_are_written_as_jiff_writes_them() {
        for millis in [
            0,
            1,
            999,
            1_000,
            1_548_318_101_000,
            1_548_318_101_509,
            1_548_318_102_001,
        ] {
            for ts in [millis, millis + 7] {
                let ts = Timestamp::from_millisecond(ts).unwrap();
                let mut out = Vec::new();
                write_time(&mut out, &ts);
                assert_eq!(String::from_utf8(out).unwrap(), format!("\"{ts:.3}\""));
            }
        }
    }

    #[test]
    fn times_in_turn_from_three_seconds_are_each_written_as_their_own() {
        // An event's time and when it came, alternating, then a third second: each is
        // written from its own second whichever two are kept.
        let seconds = [1_763_629_213, 1_764_835_200, 1_764_835_201];
        for order in [[0, 1, 0, 1, 2, 0, 2, 1], [2, 2, 1, 0, 0, 1, 2, 0]] {
            for (n, i) in order.into_iter().enumerate() {
                let ts = Timestamp::from_millisecond(seconds[i] * 1000 + n as i64).unwrap();
                let mut out = Vec::new();
                write_time(&mut out, &ts);
                assert_eq!(String::from_utf8(out).unwrap(), format!("\"{ts:.3}\""));
            }
        }
    }

    #[test]
    fn writes_what_serde_writes() {
        let at = Timestamp::from_millisecond(1_548_318_101_509).unwrap();
        let mut envelopes: Vec<Envelope> = crate::sample::envelopes(60, 7, at).collect();
        let odd = awkward();
        let data = serde_json::json!({ "event": odd, "n": 1.5 }).to_string();
        let wire = SseWire {
            event: odd.clone(),
            id: None,
            data: data.clone().into(),
        };
        envelopes.push(provider::decode_sse(
            crate::envelope::Stream::Chan,
            wire,
            at,
        ));
        let headers: [(&str, &[u8]); 3] = [
            ("Content-Type", b"application/json"),
            ("X-Odd", odd.as_bytes()),
            ("X-Cp1251", b"\xc7\xe2"),
        ];
        let wire = HttpWire::new("POST", "/a\"b", Some("q=\u{1}"), headers, data.as_bytes());
        envelopes.push(provider::decode_http(None, wire, at).unwrap());
        let mut binary = envelopes[0].clone();
        binary.wire = Wire::Http(HttpWire::new("POST", "/", None, [], &[0xff, 0x00]));
        envelopes.push(binary);
        for e in &envelopes {
            assert_eq!(written(e), derived(e));
        }
    }
}
