//! TelTel: JSON webhooks, events `START RING RINGRESULT READY JOIN LEAVE COMPLETED`.

use serde_json::Value;

use super::Normalized;
use super::fields::{self, Unit, first_text, text};
use crate::envelope::{Direction, Kind};

pub const EVENTS: [&str; 7] = [
    "START",
    "RING",
    "RINGRESULT",
    "READY",
    "JOIN",
    "LEAVE",
    "COMPLETED",
];

/// The document names no caller or callee fields; these are the spellings we look for.
const FROM: [&str; 6] = ["from", "caller", "src", "source", "caller_id", "callerid"];
const TO: [&str; 6] = ["to", "callee", "dst", "destination", "called", "dialed"];

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Teltel,
    looks_like,
    normalize,
    state,
};

pub fn normalize(raw: &Value) -> Normalized {
    let event_type = fields::event_name(raw).unwrap_or_else(|| "unknown".to_owned());
    Normalized {
        kind: kind(&event_type, raw),
        time: fields::time(raw, "timestamp", Unit::Seconds),
        call_id: text(raw, "call_id"),
        direction: text(raw, "direction").and_then(|d| Direction::parse(&d)),
        from: first_text(raw, &FROM),
        to: first_text(raw, &TO),
        state: state(raw),
        event_type,
    }
}

fn kind(event_type: &str, raw: &Value) -> Kind {
    match event_type.to_ascii_uppercase().as_str() {
        "START" => Kind::CallStarted,
        "RING" => Kind::CallRinging,
        "RINGRESULT" if fields::is(raw, "state", "ANSWER") => Kind::CallAnswered,
        "RINGRESULT" => Kind::CallMissed,
        "READY" => Kind::CallConnected,
        "JOIN" => Kind::CallJoined,
        "LEAVE" => Kind::CallLeft,
        "COMPLETED" => Kind::CallEnded,
        _ => Kind::Other,
    }
}

pub fn state(raw: &Value) -> Option<String> {
    text(raw, "state")
        .or_else(|| text(raw, "subject").map(|s| format!("subject {s}")))
        .or_else(|| text(raw, "hanged_by").map(|s| format!("hung up by {s}")))
}

pub fn looks_like(raw: &Value) -> bool {
    let named = fields::event_name(raw).is_some_and(|e| EVENTS.contains(&e.as_str()));
    named || (raw.get("accountcode").is_some() && raw.get("session_id").is_some())
}
