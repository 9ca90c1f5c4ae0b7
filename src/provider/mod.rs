//! Provider decoders: pure functions from what arrived on the wire to an [`Envelope`].

pub(crate) mod callcenter;
pub(crate) mod content;
pub mod cytracom;
pub(crate) mod fields;
pub(crate) mod form;
pub(crate) mod ringcentral;
pub(crate) mod telphin;
pub mod teltel;

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use serde_json::Value;

pub use crate::envelope::Provider;
use crate::envelope::{Direction, Envelope, HttpWire, Kind, Raw, SseWire, Stream, Wire};
pub use content::{ContentError, content};

/// The provider-specific part of an envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    pub event_type: String,
    pub kind: Kind,
    pub time: Option<Timestamp>,
    pub call_id: Option<String>,
    pub direction: Option<Direction>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// What is worth showing beside the event: a dial status, a hangup cause.
    pub state: Option<String>,
    /// The provider's own id of the event, where it gives one ([`own_event_id`]).
    pub event_id: Option<String>,
}

/// Why a request could not become an event; its text is the reason a sender is told.
#[derive(Debug)]
pub enum DecodeError {
    /// A JSON content type with nothing in the body.
    EmptyJson,
    NotJson(serde_json::Error),
    /// A body that is neither JSON nor a form, of this media type.
    UnreadableBody(Option<String>),
    /// Nothing to read: no body, no query fields, no event headers.
    NoEvent,
    /// A `charset=` no encoding goes by.
    UnknownCharset(String),
}

impl DecodeError {
    /// The HTTP status a sender is answered with.
    pub fn status(&self) -> u16 {
        match self {
            DecodeError::UnknownCharset(_) => 415,
            _ => 400,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::EmptyJson => f.write_str("empty body: expected a JSON payload"),
            DecodeError::NotJson(err) => write!(f, "body is not valid JSON: {err}"),
            DecodeError::UnreadableBody(media) => {
                let media = media.as_deref().unwrap_or("no content type");
                write!(f, "cannot read a body of {media}")
            }
            DecodeError::NoEvent => {
                f.write_str("no event: the request has no body, query fields or event headers")
            }
            DecodeError::UnknownCharset(label) => {
                write!(f, "cannot read a body in charset {label}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes one Cytracom SSE event from `stream`. A `data:` that is not JSON is kept as a
/// string in `raw`, so nothing the server sent is lost.
pub fn decode_sse(stream: Stream, wire: SseWire, received: Timestamp) -> Envelope {
    // One pass reads the payload and, doing so, checks it is JSON: compact (as nearly every
    // payload is), its text is then `raw` as it came.
    let data = wire.data.get();
    let read = cytracom::read_json(&wire.event, &data);
    let (n, raw) = match read.and_then(|n| Some((n, Raw::read_already(&data)?))) {
        Some(read) => read,
        None => {
            let raw = Raw::parse(&data).unwrap_or_else(|| Raw::string(&data));
            (cytracom::normalize_json(&wire.event, raw.text()), raw)
        }
    };
    assemble(
        Provider::Cytracom,
        stream,
        n,
        received,
        raw,
        Wire::Sse(wire),
    )
}

/// Decodes one webhook request. With `provider` unset, the request's shape says whose it is;
/// a well-formed request nobody claims becomes an event of provider `unknown`.
pub fn decode_http(
    provider: Option<Provider>,
    wire: HttpWire,
    received: Timestamp,
) -> Result<Envelope, DecodeError> {
    let body = wire.body_bytes().into_owned();
    decode_http_content(provider, wire, &body, received)
}

/// [`decode_http`] for a request whose body came with a `Content-Encoding` (gzip): `content`
/// is the body decoded, while `wire` keeps the bytes as they came.
pub fn decode_http_content(
    provider: Option<Provider>,
    wire: HttpWire,
    content: &[u8],
    received: Timestamp,
) -> Result<Envelope, DecodeError> {
    let encoding = encoding_of(&wire)?;
    let (text, _) = encoding.decode_with_bom_removal(content);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (provider, n, raw) = match payload(&wire, content, text, encoding)? {
        Payload::Json(json) => read_json(provider, json)?,
        Payload::Form(fields) => read_tree(provider, &Value::Object(fields), None),
    };
    Ok(assemble(
        provider.unwrap_or(Provider::Unknown),
        Stream::Webhook,
        n,
        received,
        raw,
        Wire::Http(wire),
    ))
}

/// A JSON body read for `provider` (`None`: whoever its shape says). Compact text (as nearly
/// every provider sends it) is `raw` as it came and, where the provider's decoder reads text,
/// is read in one pass without a tree; anything else is read into one.
fn read_json(
    provider: Option<Provider>,
    json: &str,
) -> Result<(Option<Provider>, Normalized, Raw), DecodeError> {
    let reader = provider.and_then(decoder).and_then(|d| d.read_text);
    // Valid JSON has only JSON's own whitespace around it.
    let trimmed = json.trim_matches([' ', '\t', '\n', '\r']);
    let as_it_came = match (Raw::read_already(trimmed), reader) {
        (Some(raw), Some(read)) => match read(json) {
            Some(n) => return Ok((provider, n, raw)),
            None => Some(raw),
        },
        (raw, _) => raw,
    };
    let tree = serde_json::from_str(json).map_err(DecodeError::NotJson)?;
    Ok(read_tree(provider, &tree, as_it_came))
}

/// A payload read as a tree, and its `raw`: as it came when given, else written from the tree.
fn read_tree(
    provider: Option<Provider>,
    tree: &Value,
    as_it_came: Option<Raw>,
) -> (Option<Provider>, Normalized, Raw) {
    let provider = provider.or_else(|| detect(tree));
    let n = match provider {
        Some(p) => normalize(p, tree),
        None => generic(tree),
    };
    (
        provider,
        n,
        as_it_came.unwrap_or_else(|| Raw::from_value(tree)),
    )
}

fn assemble(
    provider: Provider,
    stream: Stream,
    n: Normalized,
    received: Timestamp,
    raw: Raw,
    wire: Wire,
) -> Envelope {
    Envelope {
        provider,
        stream,
        event_type: n.event_type,
        kind: n.kind,
        time: n.time,
        received,
        call_id: n.call_id,
        direction: n.direction,
        from: n.from,
        to: n.to,
        raw,
        wire,
        state: n.state,
        event_id: n.event_id,
    }
}

/// What telev knows of one provider's payloads, read as JSON.
pub struct Decoder {
    pub provider: Provider,
    /// Every event its document names and the kind each becomes: the kinds table.
    pub events: &'static [EventKind],
    /// Whether a payload is this provider's, from its shape alone.
    pub looks_like: fn(&Value) -> bool,
    pub normalize: fn(&Value) -> Normalized,
    /// `normalize` straight from JSON text, in one pass that builds no tree, where the
    /// provider has one: `None` when the text is not JSON, or is JSON it leaves to the tree (a
    /// field it reads given twice).
    pub read_text: Option<fn(&str) -> Option<Normalized>>,
    /// The state worth showing beside an event (also read by `normalize`).
    pub state: fn(&Value) -> Option<String>,
}

/// One row of a provider's kinds table: an event its document names, the field its kind
/// depends on (empty when none), and the kind. An event the table does not name is `other`.
#[derive(Debug, Clone, Copy)]
pub struct EventKind {
    pub name: &'static str,
    pub when: &'static str,
    pub kind: Kind,
}

impl EventKind {
    pub const fn new(name: &'static str, kind: Kind) -> EventKind {
        EventKind::when(name, "", kind)
    }

    pub const fn when(name: &'static str, when: &'static str, kind: Kind) -> EventKind {
        EventKind { name, when, kind }
    }
}

/// Every provider, in the order a payload's shape is tried against them: the most specific
/// first. A new provider is one line here.
const DECODERS: [&Decoder; 5] = [
    &ringcentral::DECODER,
    &telphin::DECODER,
    &callcenter::DECODER,
    &teltel::DECODER,
    &cytracom::DECODER,
];

/// Every name `--only` can match in what the providers send: their event names, the part of
/// each after its last `.` or `:`, and the kinds.
pub fn known_names() -> Vec<&'static str> {
    let events = DECODERS
        .iter()
        .flat_map(|d| d.events.iter().map(|e| e.name));
    let suffixes = events.clone().map(crate::envelope::type_suffix);
    let kinds = Kind::ALL.iter().map(|k| k.as_str());
    let mut names: Vec<&'static str> = events.chain(suffixes).chain(kinds).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A provider's kinds table: every event its document names and the kind it becomes.
pub fn events(provider: Provider) -> &'static [EventKind] {
    decoder(provider).map_or(&[], |d| d.events)
}

fn decoder(provider: Provider) -> Option<&'static Decoder> {
    DECODERS.into_iter().find(|d| d.provider == provider)
}

/// The provider-specific reading of a payload that is already JSON.
pub fn normalize(provider: Provider, raw: &Value) -> Normalized {
    match decoder(provider) {
        Some(decoder) => (decoder.normalize)(raw),
        None => generic(raw),
    }
}

/// The state worth showing beside an event, read again from its payload: for an envelope
/// read back from a capture, where only the envelope's JSON was kept.
pub fn state(envelope: &Envelope) -> Option<String> {
    let raw = &envelope.raw;
    match envelope.provider {
        // Read from the text as the stream's decoder reads it, without a tree.
        Provider::Cytracom => cytracom::normalize_json("", raw.text()).state,
        provider => (decoder(provider)?.state)(&raw.value()),
    }
}

/// The party an event is about, where a provider reports each party's part of a call apart:
/// Cytracom's channels (by the number rung), RingCentral's parties, the call center's legs.
/// `None` where events are about the whole call (Telphin, TelTel).
pub fn leg(e: &Envelope) -> Option<String> {
    match e.provider {
        Provider::Cytracom => e.to.clone().or_else(|| e.from.clone()),
        Provider::Ringcentral => ringcentral::leg(&e.raw.value()),
        Provider::Callcenter => fields::as_text(&e.raw.field("id")?),
        _ => None,
    }
}

/// The provider's own id of an event, where it gives one: RingCentral's `uuid`, TelTel's `id`
/// (which their decoders read too, into `Envelope::event_id`: read again from `raw` only for an
/// envelope that was not just decoded).
pub fn own_event_id(e: &Envelope) -> Option<Cow<'_, str>> {
    if let Some(id) = &e.event_id {
        return Some(Cow::Borrowed(id));
    }
    let name = match e.provider {
        Provider::Ringcentral => "uuid",
        Provider::Teltel => "id",
        _ => return None,
    };
    fields::as_text(&e.raw.field(name)?).map(Cow::Owned)
}

/// What tells an event from a repeat of it (a provider retrying a delivery it thinks failed):
/// the provider's own event id where it has one (RingCentral's `uuid`, TelTel's `id`), else
/// the call id, the event's name and its time. `None` for an event that carries neither.
/// The call-center `id` is a leg's, the same on ring, answer and end: not an event's.
pub fn event_key(e: &Envelope) -> Option<String> {
    let provider = e.provider.id();
    if let Some(id) = own_event_id(e) {
        // Joined, not formatted: this is made for every request `listen` takes.
        return Some([provider, ":", &id].concat());
    }
    let (call, time) = (e.call_id.as_deref()?, e.time?);
    let micros = time.as_microsecond();
    Some(format!("{provider}:{call}:{}:{micros}", e.event_type))
}

/// A provider's subscription handshake: a request answered at once with 200, echoing a header,
/// rather than an event.
pub struct Handshake {
    /// What it is, for the status line: `RingCentral subscription handshake`.
    pub what: &'static str,
    /// The header to answer with, and its value.
    pub echo: (&'static str, Vec<u8>),
}

/// The handshake a request is, if any, from its headers (`header` finds one by its lower-case
/// name), for the provider expected (`None`: any).
pub fn handshake<'a>(
    provider: Option<Provider>,
    header: impl Fn(&str) -> Option<&'a [u8]>,
) -> Option<Handshake> {
    match provider {
        None | Some(Provider::Ringcentral) => ringcentral::handshake(header),
        Some(_) => None,
    }
}

/// Whose payload this is, from its shape alone.
pub fn detect(raw: &Value) -> Option<Provider> {
    DECODERS
        .into_iter()
        .find(|d| (d.looks_like)(raw))
        .map(|d| d.provider)
}

/// A best effort for payloads no provider claims: the usual field names, `kind: other`.
fn generic(raw: &Value) -> Normalized {
    use fields::{Unit, first_text};
    Normalized {
        event_type: fields::event_name(raw)
            .or_else(|| fields::text(raw, "type"))
            .unwrap_or_else(|| "unknown".to_owned()),
        kind: Kind::Other,
        time: ["timestamp", "time", "event_time", "eventTime", "ts"]
            .iter()
            .find_map(|k| fields::time(raw, k, Unit::Seconds)),
        call_id: first_text(raw, &["call_id", "CallID", "callId", "linked_id"]),
        direction: fields::text(raw, "direction").and_then(|d| Direction::parse(&d)),
        from: first_text(raw, &["from", "caller", "cid_num"]),
        to: first_text(raw, &["to", "callee", "dst_num"]),
        state: None,
        event_id: None,
    }
}

/// What a request carries: a JSON body's text (not yet read, so not yet known to be JSON), or
/// form fields as an object of strings.
enum Payload<'t> {
    Json(&'t str),
    Form(serde_json::Map<String, Value>),
}

/// The request's payload, from `text` (the body with its `Content-Encoding` undone, read in the
/// request's `encoding`, without a byte-order mark) or, for a form, from the query string, the
/// body's bytes (`content`) and the headers.
fn payload<'t>(
    wire: &HttpWire,
    content: &[u8],
    text: &'t str,
    encoding: &'static encoding_rs::Encoding,
) -> Result<Payload<'t>, DecodeError> {
    let media = wire.media_type();
    let starts_like_json = || text.trim_start().starts_with(['{', '[']);
    let json_body = match media.as_deref() {
        Some(media) => media == "application/json" || media.ends_with("+json"),
        None => starts_like_json(),
    };
    if json_body {
        if text.trim().is_empty() {
            return Err(DecodeError::EmptyJson);
        }
        return Ok(Payload::Json(text));
    }
    let is_form = match media.as_deref() {
        Some(media) => media == "application/x-www-form-urlencoded",
        None => !starts_like_json(),
    };
    let body = is_form.then_some(content);
    let mut form = form::fields(&wire.query, body, encoding);
    telphin::add_header_fields(wire, &mut form);
    if form.is_empty() {
        if !text.trim().is_empty() {
            return Err(DecodeError::UnreadableBody(media.map(Cow::into_owned)));
        }
        return Err(DecodeError::NoEvent);
    }
    Ok(Payload::Form(form))
}

/// The charset the request's content type names; UTF-8 when it names none.
fn encoding_of(wire: &HttpWire) -> Result<&'static encoding_rs::Encoding, DecodeError> {
    match wire.charset() {
        None => Ok(encoding_rs::UTF_8),
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes())
            .ok_or_else(|| DecodeError::UnknownCharset(label.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A payload naming `event` as `provider` names its events, and nothing else.
    fn named(provider: Provider, event: &str) -> Value {
        match provider {
            Provider::Telphin => serde_json::json!({"EventType": event}),
            Provider::Ringcentral => {
                serde_json::json!({"body": {"parties": [{"status": {"code": event}}]}})
            }
            _ => serde_json::json!({"event": event}),
        }
    }

    #[test]
    fn the_kinds_tables_say_what_the_decoders_do() {
        for provider in Provider::KNOWN.iter().copied() {
            let table = events(provider);
            assert!(table.len() >= 7, "{provider}");
            for row in table.iter().filter(|row| row.when.is_empty()) {
                let kind = normalize(provider, &named(provider, row.name)).kind;
                assert_eq!(kind, row.kind, "{provider} {}", row.name);
            }
            let unnamed = normalize(provider, &named(provider, "no_such_event")).kind;
            assert_eq!(unnamed, Kind::Other, "{provider}");
        }
    }

    #[test]
    fn queue_and_recording_events_say_what_they_carry() {
        let at = Timestamp::from_second(1_763_629_200).unwrap();
        let sse = |event: &str, data: serde_json::Value| {
            let wire = SseWire {
                event: event.into(),
                id: None,
                data: data.to_string().into(),
            };
            decode_sse(Stream::Queue, wire, at)
        };
        let e = sse(
            "queue.member_connect",
            serde_json::json!({"queue_id": 101, "member": "226", "wait_time": 72}),
        );
        assert_eq!(
            e.state.as_deref(),
            Some("queue 101, member 226, waited 72s")
        );
        assert_eq!(e.to.as_deref(), Some("226"));
        let e = sse(
            "monitored.recording_available",
            serde_json::json!({"recording_id": "rec-7", "duration": 30}),
        );
        assert_eq!(e.state.as_deref(), Some("recording rec-7, 30s"));
        assert_eq!(state(&e), e.state, "read again from a capture, the same");
    }

    #[test]
    fn the_state_read_at_decode_time_is_the_one_read_again_from_a_capture() {
        let start = Timestamp::from_second(1_763_629_200).unwrap();
        let envelopes: Vec<Envelope> = crate::sample::envelopes(40, 11, start).collect();
        assert!(envelopes.iter().filter(|e| e.state.is_some()).count() > 20);
        for e in envelopes {
            assert_eq!(e.state, state(&e), "{}", e.to_json());
        }
    }

    #[test]
    fn a_compact_json_body_is_kept_as_it_came_and_any_other_written_compact() {
        let at = Timestamp::from_second(1_763_629_200).unwrap();
        let raw = |body: &str| {
            let json = [("content-type", &b"application/json"[..])];
            let wire = HttpWire::new("POST", "/", None, json, body.as_bytes());
            decode_http(Some(Provider::Teltel), wire, at).unwrap().raw
        };
        let compact = r#"{"event":"answer","id":"e1","id":"e2","n":[1,"a\"b"]}"#;
        assert_eq!(raw(compact).text(), compact, "a repeated key kept, as sent");
        assert_eq!(raw(&format!("\n{compact}\r\n")).text(), compact);
        assert_eq!(
            raw("{ \"event\": \"answer\", \"t\": 1.50 }").text(),
            r#"{"event":"answer","t":1.5}"#
        );
    }

    #[test]
    fn a_payload_too_deep_for_a_tree_is_kept_as_a_string() {
        let at = Timestamp::from_second(1_763_629_200).unwrap();
        let deep = format!(
            "{{\"event\":\"chan.hangup\",\"x\":{}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let wire = SseWire {
            event: "chan.hangup".into(),
            id: None,
            data: deep.clone().into(),
        };
        let e = decode_sse(Stream::Chan, wire, at);
        assert!(e.raw.is_string(), "nothing lost, and readable as a tree");
        assert_eq!(e.raw.value(), Value::from(deep));
    }
}
