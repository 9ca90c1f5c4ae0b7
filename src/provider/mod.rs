//! Provider decoders: pure functions from what arrived on the wire to an [`Envelope`].

pub mod callcenter;
pub mod cytracom;
pub mod fields;
pub mod ringcentral;
pub mod telphin;
pub mod teltel;

use std::fmt;

use jiff::Timestamp;
use serde_json::Value;

use crate::envelope::{Direction, Envelope, Kind};
use crate::raw::Raw;
use crate::wire::{HttpWire, SseWire, Wire};

/// The providers telev speaks, by the ids the contract gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Provider {
    Cytracom,
    Telphin,
    Callcenter,
    Teltel,
    Ringcentral,
}

impl Provider {
    pub const ALL: [Provider; 5] = [
        Provider::Cytracom,
        Provider::Telphin,
        Provider::Callcenter,
        Provider::Teltel,
        Provider::Ringcentral,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Provider::Cytracom => "cytracom",
            Provider::Telphin => "telphin",
            Provider::Callcenter => "callcenter",
            Provider::Teltel => "teltel",
            Provider::Ringcentral => "ringcentral",
        }
    }

    pub fn from_id(id: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.id() == id)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The provider id of events whose sender telev could not recognise.
pub const UNKNOWN: &str = "unknown";

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
}

/// Why a request could not become an event; the text is the reason a sender is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// The part of an event name after its last `.` or `:`: `dial_end` of `chan.dial_end`.
pub fn suffix(event_type: &str) -> &str {
    event_type.rsplit(['.', ':']).next().unwrap_or(event_type)
}

/// Decodes one Cytracom SSE event from `stream`. A `data:` that is not JSON is kept as a
/// string in `raw`, so nothing the server sent is lost.
pub fn decode_sse(stream: &str, wire: SseWire, received: Timestamp) -> Envelope {
    let raw = Raw::parse(&wire.data).unwrap_or_else(|| Raw::string(&wire.data));
    let n = cytracom::normalize_json(&wire.event, raw.text());
    assemble(
        Provider::Cytracom.id(),
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
    let raw = payload(provider, &wire)?;
    let provider = provider.or_else(|| detect(&raw));
    let n = match provider {
        Some(p) => normalize(p, &raw),
        None => generic(&raw),
    };
    let id = provider.map_or(UNKNOWN, Provider::id);
    let raw = Raw::from_value(&raw);
    Ok(assemble(id, "webhook", n, received, raw, Wire::Http(wire)))
}

fn assemble(
    provider: &str,
    stream: &str,
    n: Normalized,
    received: Timestamp,
    raw: Raw,
    wire: Wire,
) -> Envelope {
    Envelope {
        provider: provider.to_owned(),
        stream: stream.to_owned(),
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
    }
}

/// The provider-specific reading of a payload that is already JSON.
pub fn normalize(provider: Provider, raw: &Value) -> Normalized {
    match provider {
        Provider::Cytracom => cytracom::normalize_value("", raw),
        Provider::Telphin => telphin::normalize(raw),
        Provider::Callcenter => callcenter::normalize(raw),
        Provider::Teltel => teltel::normalize(raw),
        Provider::Ringcentral => ringcentral::normalize(raw),
    }
}

/// The state worth showing beside an event (a dial status, a hangup cause), if any.
pub fn state(envelope: &Envelope) -> Option<String> {
    let raw = &envelope.raw.value();
    match Provider::from_id(&envelope.provider)? {
        Provider::Cytracom => cytracom::state(raw),
        Provider::Telphin => telphin::state(raw),
        Provider::Callcenter => callcenter::state(raw),
        Provider::Teltel => teltel::state(raw),
        Provider::Ringcentral => ringcentral::state(raw),
    }
}

/// Whose payload this is, from its shape alone.
pub fn detect(raw: &Value) -> Option<Provider> {
    // Order matters: the most specific shapes first.
    if ringcentral::looks_like(raw) {
        Some(Provider::Ringcentral)
    } else if telphin::looks_like(raw) {
        Some(Provider::Telphin)
    } else if callcenter::looks_like(raw) {
        Some(Provider::Callcenter)
    } else if teltel::looks_like(raw) {
        Some(Provider::Teltel)
    } else if cytracom::looks_like(raw) {
        Some(Provider::Cytracom)
    } else {
        None
    }
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
    }
}

/// The request's payload as JSON: a JSON body as it is, form fields as an object of strings.
fn payload(provider: Option<Provider>, wire: &HttpWire) -> Result<Value, DecodeError> {
    let body = wire.body_bytes();
    let media = wire.media_type();
    let json_body = media
        .as_deref()
        .is_some_and(|m| m == "application/json" || m.ends_with("+json"))
        || (media.is_none() && body.trim_ascii_start().starts_with(b"{"));
    if json_body && provider != Some(Provider::Telphin) {
        if body.trim_ascii().is_empty() {
            return Err(DecodeError(
                "empty body: expected a JSON payload".to_owned(),
            ));
        }
        return serde_json::from_slice(&body)
            .map_err(|e| DecodeError(format!("body is not valid JSON: {e}")));
    }
    let form = telphin::fields_of(wire);
    if form.is_empty() {
        if !body.trim_ascii().is_empty() {
            let media = media.as_deref().unwrap_or("no content type");
            return Err(DecodeError(format!("cannot read a body of {media}")));
        }
        return Err(DecodeError(
            "no event: the request has no body, query fields or event headers".to_owned(),
        ));
    }
    Ok(Value::Object(form))
}
