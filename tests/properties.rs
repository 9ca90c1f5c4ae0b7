//! Properties over generated input: how the network chunks an SSE stream never changes the
//! events read from it, a payload decodes the same from its text as from a tree, and no
//! decoder or reader panics, whatever bytes arrive.

use std::io::Cursor;

use bytes::Bytes;
use futures_util::StreamExt;
use proptest::prelude::*;
use telev::capture::CaptureReader;
use telev::envelope::Stream;
use telev::envelope::raw::Raw;
use telev::envelope::wire::{HttpWire, SseWire};
use telev::provider::{self, Provider, cytracom, teltel};
use telev::source::sse::parse;

/// One event as a server may frame it: any name and id, data of several lines, and the
/// liberties the format allows (CRLF or CR line ends, comments, no space after the colon).
#[derive(Debug, Clone)]
struct Frame {
    event: String,
    id: String,
    data: Vec<String>,
    comment: bool,
    ending: &'static str,
    spaced: bool,
}

fn text() -> impl Strategy<Value = String> {
    // Field values cannot hold line breaks; anything else goes, multi-byte characters included.
    "[^\r\n]{0,12}"
}

fn frame() -> impl Strategy<Value = Frame> {
    (
        "[a-z._]{1,12}",
        "[0-9a-z-]{1,8}",
        prop::collection::vec(text(), 1..4),
        any::<bool>(),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        any::<bool>(),
    )
        .prop_map(|(event, id, data, comment, ending, spaced)| Frame {
            event,
            id,
            data,
            comment,
            ending,
            spaced,
        })
}

impl Frame {
    fn bytes(&self) -> String {
        let (end, sep) = (self.ending, if self.spaced { ": " } else { ":" });
        let mut out = String::new();
        if self.comment {
            out.push_str(&format!(": heartbeat{end}"));
        }
        out.push_str(&format!(
            "id{sep}{}{end}event{sep}{}{end}",
            self.id, self.event
        ));
        for line in &self.data {
            // A value's first space after the colon is the separator: keep leading spaces.
            out.push_str(&format!("data{sep}{line}{end}"));
        }
        out.push_str(end);
        out
    }

    fn expected(&self) -> SseWire {
        let strip = |s: &str| {
            if self.spaced {
                s.to_owned()
            } else {
                s.strip_prefix(' ').unwrap_or(s).to_owned()
            }
        };
        SseWire {
            event: strip(&self.event),
            id: Some(strip(&self.id)),
            data: self
                .data
                .iter()
                .map(|l| strip(l))
                .collect::<Vec<_>>()
                .join("\n")
                .into(),
        }
    }
}

/// The events read from `stream` delivered in pieces cut at `cuts` (byte offsets).
fn read(stream: &[u8], cuts: &[usize]) -> Vec<SseWire> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
    points.extend([0, stream.len()]);
    points.sort_unstable();
    points.dedup();
    let chunks: Vec<Result<Bytes, String>> = points
        .windows(2)
        .map(|w| Ok(Bytes::copy_from_slice(&stream[w[0]..w[1]])))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(
        parse(futures_util::stream::iter(chunks))
            .map(|parsed: Result<SseWire, String>| parsed.expect("a well-formed stream"))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_split_of_an_sse_stream_yields_the_same_events(
        frames in prop::collection::vec(frame(), 1..8),
        cuts in prop::collection::vec(any::<usize>(), 0..24),
    ) {
        let stream: String = frames.iter().map(Frame::bytes).collect();
        let expected: Vec<SseWire> = frames.iter().map(Frame::expected).collect();
        prop_assert_eq!(read(stream.as_bytes(), &[]), expected.clone());
        prop_assert_eq!(read(stream.as_bytes(), &cuts), expected);
    }

    #[test]
    fn sse_decoding_never_panics(event in any::<String>(), data in any::<String>(), stream in prop::sample::select(Stream::SSE.to_vec())) {
        let wire = SseWire { event, id: None, data: data.into() };
        let envelope = provider::decode_sse(stream, wire, jiff::Timestamp::UNIX_EPOCH);
        prop_assert_eq!(envelope.provider, "cytracom");
    }

    #[test]
    fn a_payload_reads_the_same_from_its_text_as_from_a_tree(value in json(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            value.to_string()
        };
        let tree: serde_json::Value = serde_json::from_str(&text).unwrap();
        // `raw` is what serde_json writes for the tree, whatever form the text came in.
        let raw = Raw::parse(&text).expect("JSON text");
        prop_assert_eq!(raw.text(), tree.to_string());
        for name in ["", "chan.dial_end"] {
            prop_assert_eq!(
                cytracom::normalize_json(name, &text),
                cytracom::normalize_value(name, &tree)
            );
        }
    }

    #[test]
    fn a_teltel_payload_reads_the_same_from_its_text_as_from_a_tree(
        value in teltel_json(),
        pretty in any::<bool>(),
    ) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            value.to_string()
        };
        let tree: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(teltel::read_json(&text), Some(teltel::normalize(&tree)), "{}", text);
    }

    #[test]
    fn a_webhook_decodes_the_same_read_in_one_pass_as_read_into_a_tree(value in teltel_json()) {
        // Compact, a body is read in one pass by the decoders that can; spread out, into a
        // tree. Either way the same event, with the same payload.
        let tree: serde_json::Value = serde_json::from_str(&value.to_string()).unwrap();
        let decode = |provider: Option<Provider>, body: &str| {
            let json = [("content-type", &b"application/json"[..])];
            let wire = HttpWire::new("POST", "/", None, json, body.as_bytes());
            let mut e = provider::decode_http(provider, wire, jiff::Timestamp::UNIX_EPOCH).unwrap();
            // The event's own id, read as it was decoded, is the one its payload gives (but for
            // a float, which serde_json may respell by a unit in its last place when `raw`,
            // written from the tree, is read again).
            let id = provider::own_event_id(&e).map(|id| id.into_owned());
            e.event_id = None;
            if !["id", "uuid"].iter().any(|k| tree.get(k).is_some_and(|v| v.is_f64())) {
                let read_again = provider::own_event_id(&e).map(|id| id.into_owned());
                assert_eq!(id, read_again, "{body}");
            }
            let mut json = serde_json::to_value(&e).unwrap();
            json.as_object_mut().unwrap().remove("wire");
            (json, id)
        };
        let (compact, pretty) = (tree.to_string(), serde_json::to_string_pretty(&tree).unwrap());
        let providers = [Provider::Teltel, Provider::Cytracom, Provider::Ringcentral];
        for who in providers.map(Some).into_iter().chain([None]) {
            prop_assert_eq!(decode(who, &compact), decode(who, &pretty), "{:?} {}", who, compact);
        }
    }

    #[test]
    fn sse_data_read_in_one_pass_is_what_a_validating_parse_keeps(
        value in json(),
        cut in any::<prop::sample::Index>(),
        noise in prop_oneof![
            Just(String::new()),
            Just("\u{1}".to_owned()),
            Just("\\ud800".to_owned()),
            Just(",".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("1e999".to_owned()),
            "[ -~]{1,3}",
        ],
    ) {
        // A payload as sent, or broken at one point: the one-pass reading must keep exactly
        // what a validating parse keeps (and text when it is not JSON).
        let text = value.to_string();
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let broken = format!("{}{noise}{}", &text[..at], &text[at..]);
        for data in [text, broken] {
            let wire = SseWire { event: "chan.hangup".into(), id: None, data: data.clone().into() };
            let envelope = provider::decode_sse(Stream::Chan, wire, jiff::Timestamp::UNIX_EPOCH);
            let expected = Raw::parse(&data).unwrap_or_else(|| Raw::string(&data));
            prop_assert_eq!(envelope.raw.text(), expected.text(), "{}", data);
        }
    }

    #[test]
    fn sse_parsing_never_panics(stream in prop::collection::vec(any::<u8>(), 0..512)) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let chunks = futures_util::stream::iter([Ok::<_, String>(Bytes::from(stream))]);
        let _: Vec<_> = runtime.block_on(parse(chunks).collect());
    }

    #[test]
    fn webhook_decoding_never_panics(
        method in "GET|POST|[A-Z]{1,7}",
        query in any::<String>(),
        content_type in prop_oneof![
            Just("application/json"),
            Just("application/x-www-form-urlencoded"),
            Just("text/plain"),
        ],
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..256),
            json().prop_map(|v| v.to_string().into_bytes()),
        ],
    ) {
        let providers = Provider::ALL.iter().copied().map(Some).chain([None]);
        for provider in providers {
            let headers = [("Content-Type", content_type.as_bytes())];
            let wire = HttpWire::new(&method, "/hook", Some(&query), headers, &body);
            let _ = provider::decode_http(provider, wire, jiff::Timestamp::UNIX_EPOCH);
        }
    }

    #[test]
    fn the_capture_reader_never_panics(
        lines in prop::collection::vec(
            prop_oneof![
                json().prop_map(|v| v.to_string()),
                any::<String>(),
                Just(r#"{"wire":{"#.to_owned()),
            ],
            0..8,
        ),
    ) {
        let input = lines.join("\n").into_bytes();
        for provider in Provider::ALL.iter().copied().map(Some).chain([None]) {
            let source = Box::new(Cursor::new(input.clone()));
            let mut reader = CaptureReader::from_reader("generated".into(), source, provider);
            while reader.next_event().is_some() {}
        }
    }
}

/// JSON shaped like provider payloads: the keys decoders look for, with values of any type.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let keys = prop_oneof![
        Just("event"),
        Just("type"),
        Just("call_id"),
        Just("linked_id"),
        Just("uuid"),
        Just("from"),
        Just("to"),
        Just("caller"),
        Just("called"),
        Just("direction"),
        Just("event_time"),
        Just("timestamp"),
        Just("body"),
        Just("parties"),
        Just("status"),
        Just("code"),
        Just("state"),
        Just("EventType"),
        Just("CallID"),
        Just("CallStatus"),
        Just("telephonySessionId"),
        Just("phoneNumber"),
        Just("number"),
        Just("dial_status"),
        Just("callee"),
        Just("channel"),
        Just("connected_number"),
        Just("caller_number"),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[^\"]{0,16}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// What `-o raw` prints for any provider, replayed with `--provider`, reads back as the
    /// same event: the same type, kind, call, direction, numbers, time and payload.
    #[test]
    fn raw_output_replays_to_the_same_envelope(seed in any::<u64>()) {
        let start = jiff::Timestamp::from_second(1_763_629_200).unwrap();
        for e in telev::sample::envelopes(12, seed, start) {
            let line = format!("{}\n", e.raw.text());
            let source = Box::new(Cursor::new(line.into_bytes()));
            let mut reader = CaptureReader::from_reader("raw".into(), source, Some(e.provider));
            let back = reader.next_event().expect("a line").expect("an event");
            let fields = |e: &telev::envelope::Envelope| {
                (e.provider, e.event_type.clone(), e.kind, e.call_id.clone(), e.direction,
                 e.from.clone(), e.to.clone(), e.time, e.raw.text().to_owned())
            };
            prop_assert_eq!(fields(&back), fields(&e));
        }
    }
}

/// A TelTel payload: the fields its decoder reads, with the values that steer it (events,
/// states, the answered flag in its spellings, phone or SIP parties) among any others.
fn teltel_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let keys = prop::sample::select(vec![
        "event",
        "EventType",
        "event_type",
        "name",
        "timestamp",
        "call_id",
        "direction",
        "state",
        "is_answered",
        "subject_type",
        "subject",
        "hanged_by",
        "hanged_value",
        "data",
        "from",
        "caller",
        "src",
        "source",
        "caller_id",
        "callerid",
        "to",
        "callee",
        "dst",
        "destination",
        "called",
        "dialed",
        "id",
        "uuid",
        "accountcode",
        "session_id",
    ]);
    let words = prop::sample::select(vec![
        "START",
        "ringresult",
        "RINGRESULT",
        "COMPLETED",
        "READY",
        "ANSWER",
        " answer ",
        "BUSY",
        "phone",
        "SIP",
        "sip",
        "inbound",
        "outbound",
        "false",
        "0",
        "No",
        "yes",
        "",
        "  ",
        "2026-11-20 09:00:13",
        "2026-11-20T09:00:13+02:00",
        "1763629213",
        "1763629213.5",
        "+15551230002",
        "201",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop_oneof![Just(0i64), Just(1), Just(1_763_629_213), any::<i64>()].prop_map(Value::from),
        prop_oneof![Just(0.0), Just(-0.0), Just(1_763_629_213.25), any::<f64>()]
            .prop_map(Value::from),
        words.prop_map(Value::from),
        "[^\"]{0,8}".prop_map(Value::from),
    ];
    let legs = (leaf.clone(), leaf.clone(), any::<bool>()).prop_map(|(one, two, nested)| {
        let callback = json!({"leg_1_phone_number": one, "leg_2_phone_number": two});
        if nested {
            json!({"callback": callback})
        } else {
            callback
        }
    });
    let field = prop_oneof![4 => leaf.clone(), 1 => legs, 1 => json()];
    prop::collection::vec((keys, field), 0..12).prop_map(|entries| {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    })
}
