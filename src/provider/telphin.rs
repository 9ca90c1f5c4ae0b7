//! Telphin extension events: webhooks whose fields (all strings) come in the query string,
//! in headers, or in an `application/x-www-form-urlencoded` body.

use serde_json::{Map, Value};

use super::fields::{self, Unit, first_text, text};
use super::{EventKind, Normalized};
use crate::envelope::HttpWire;
use crate::envelope::{Direction, Kind};

/// Every field the Telphin document names, spelled as it spells them.
const FIELDS: [&str; 26] = [
    "EventType",
    "CallID",
    "CallerIDNum",
    "CallerIDName",
    "CalledDID",
    "CalledExtension",
    "CalledExtensionID",
    "CallStatus",
    "CallFlow",
    "CallerExtension",
    "CallerExtensionID",
    "CalledNumber",
    "RecID",
    "CallAPIID",
    "Diversion",
    "EventTime",
    "Duration",
    "Transfered",
    "Bridged",
    "BridgedDuration",
    "CallBackID",
    "SubCallID",
    "ClientApiID",
    "RemoteNumber",
    "ANI",
    "Tag",
];

/// Adds the request's headers named like Telphin fields (bare or `X-`-prefixed) for the
/// fields the query string and the body did not give: some deployments send them that way.
pub fn add_header_fields(wire: &HttpWire, fields: &mut Map<String, Value>) {
    for (name, value) in &wire.headers {
        let bare = name.strip_prefix("x-").unwrap_or(name);
        if let Some(field) = FIELDS.iter().find(|f| f.eq_ignore_ascii_case(bare)) {
            fields.entry(*field).or_insert_with(|| value.clone());
        }
    }
}

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Telphin,
    events: &EVENTS,
    looks_like,
    normalize,
    read_text: None,
    state,
};

pub fn normalize(raw: &Value) -> Normalized {
    let event_type = fields::event_name(raw).unwrap_or_else(|| "unknown".to_owned());
    Normalized {
        kind: kind(&event_type, raw),
        time: fields::time(raw, "EventTime", Unit::Micros),
        call_id: text(raw, "CallID"),
        direction: text(raw, "CallFlow").and_then(|d| Direction::parse(&d)),
        from: text(raw, "CallerIDNum"),
        to: first_text(raw, &["CalledNumber", "CalledDID", "CalledExtension"]),
        state: state(raw),
        event_id: None,
        event_type,
    }
}

const EVENTS: [EventKind; 8] = [
    EventKind::new("dial-in", Kind::CallRinging),
    EventKind::new("dial-out", Kind::CallRinging),
    EventKind::new("answer", Kind::CallAnswered),
    EventKind::when(
        "hangup",
        "`CallStatus` is `NOANSWER`, `BUSY`, `CANCEL`, `CONGESTION` or `CHANUNAVAIL`",
        Kind::CallMissed,
    ),
    EventKind::when(
        "hangup",
        "`CallStatus` is `ANSWER`, or none",
        Kind::CallEnded,
    ),
    EventKind::new("message-in", Kind::MessageReceived),
    EventKind::new("message-out", Kind::MessageSent),
    EventKind::new("voicemail", Kind::VoicemailReceived),
];

/// A `hangup` whose `CallStatus` is not `ANSWER` (`NOANSWER`, `BUSY`, `CANCEL`, `CONGESTION`,
/// `CHANUNAVAIL`) ends a missed call.
fn kind(event_type: &str, raw: &Value) -> Kind {
    match fields::lower(event_type).as_ref() {
        "dial-in" | "dial-out" => Kind::CallRinging,
        "answer" => Kind::CallAnswered,
        "hangup" if text(raw, "CallStatus").is_some_and(|s| fields::unanswered(&s)) => {
            Kind::CallMissed
        }
        "hangup" => Kind::CallEnded,
        "message-in" => Kind::MessageReceived,
        "message-out" => Kind::MessageSent,
        "voicemail" => Kind::VoicemailReceived,
        _ => Kind::Other,
    }
}

pub fn state(raw: &Value) -> Option<String> {
    text(raw, "CallStatus")
}

pub fn looks_like(raw: &Value) -> bool {
    raw.get("EventType").is_some() || raw.get("CallID").is_some()
}
