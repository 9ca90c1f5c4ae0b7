//! TelTel: JSON webhooks, events `START RING RINGRESULT READY JOIN LEAVE COMPLETED`.

use serde_json::Value;

use super::fields::{self, Unit, first_text, text};
use super::{EventKind, Normalized};
use crate::envelope::{Direction, Kind};

/// The document names no caller or callee fields; these are the spellings we look for first.
const FROM: [&str; 6] = ["from", "caller", "src", "source", "caller_id", "callerid"];
const TO: [&str; 6] = ["to", "callee", "dst", "destination", "called", "dialed"];

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Teltel,
    events: &EVENTS,
    looks_like,
    normalize,
    state,
};

pub fn normalize(raw: &Value) -> Normalized {
    let event_type = fields::event_name(raw).unwrap_or_else(|| "unknown".to_owned());
    let direction = text(raw, "direction").and_then(|d| Direction::parse(&d));
    let (callback_from, callback_to) = callback_legs(raw);
    let (from, to) = party_side(raw, direction);
    Normalized {
        kind: kind(&event_type, raw),
        time: fields::time(raw, "timestamp", Unit::Seconds),
        call_id: text(raw, "call_id"),
        direction,
        from: first_text(raw, &FROM).or(callback_from).or(from),
        to: first_text(raw, &TO).or(callback_to).or(to),
        state: state(raw),
        event_type,
    }
}

/// A callback (click-to-call) reaches leg 1 first, then leg 2: leg 1 calls, leg 2 is called.
fn callback_legs(raw: &Value) -> (Option<String>, Option<String>) {
    let legs = raw.get("data").and_then(|d| d.get("callback"));
    let leg = |key: &str| legs.and_then(|l| text(l, key));
    (leg("leg_1_phone_number"), leg("leg_2_phone_number"))
}

/// The one party an event names: the `subject` of `READY`, `JOIN` and `LEAVE`, the
/// `hanged_value` of `COMPLETED`. A `phone` is the outside end, a `sip` device the account's:
/// on an inbound call the phone calls and the device is called, on an outbound one the reverse.
fn party_side(raw: &Value, direction: Option<Direction>) -> (Option<String>, Option<String>) {
    let party = [("subject_type", "subject"), ("hanged_by", "hanged_value")]
        .into_iter()
        .find_map(|(kind, number)| Some((text(raw, kind)?, text(raw, number)?)));
    let Some((kind, number)) = party else {
        return (None, None);
    };
    let outside = match fields::lower(&kind).as_ref() {
        "phone" => true,
        "sip" => false,
        _ => return (None, None),
    };
    match (direction, outside) {
        (Some(Direction::Inbound), true) | (Some(Direction::Outbound), false) => {
            (Some(number), None)
        }
        (Some(Direction::Inbound), false) | (Some(Direction::Outbound), true) => {
            (None, Some(number))
        }
        _ => (None, None),
    }
}

const EVENTS: [EventKind; 9] = [
    EventKind::new("START", Kind::CallStarted),
    EventKind::new("RING", Kind::CallRinging),
    EventKind::when("RINGRESULT", "`state` is `ANSWER`", Kind::CallAnswered),
    EventKind::when(
        "RINGRESULT",
        "any other `state` (`BUSY`, `NOANSWER`, `CANCEL`, …): this phone did not answer",
        Kind::CallUnanswered,
    ),
    EventKind::new("READY", Kind::CallConnected),
    EventKind::new("JOIN", Kind::CallJoined),
    EventKind::new("LEAVE", Kind::CallLeft),
    EventKind::when("COMPLETED", "`is_answered` is false", Kind::CallMissed),
    EventKind::when("COMPLETED", "otherwise", Kind::CallEnded),
];

fn kind(event_type: &str, raw: &Value) -> Kind {
    match event_type.to_ascii_uppercase().as_str() {
        "START" => Kind::CallStarted,
        "RING" => Kind::CallRinging,
        "RINGRESULT" if fields::is(raw, "state", "ANSWER") => Kind::CallAnswered,
        "RINGRESULT" => Kind::CallUnanswered,
        "READY" => Kind::CallConnected,
        "JOIN" => Kind::CallJoined,
        "LEAVE" => Kind::CallLeft,
        "COMPLETED" if never_answered(raw) => Kind::CallMissed,
        "COMPLETED" => Kind::CallEnded,
        _ => Kind::Other,
    }
}

/// `COMPLETED` says whether the call was answered, as a boolean or its spelling.
fn never_answered(raw: &Value) -> bool {
    match raw.get("is_answered") {
        Some(Value::Bool(answered)) => !answered,
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::String(s)) => ["false", "0", "no"].contains(&fields::lower(s.trim()).as_ref()),
        _ => false,
    }
}

pub fn state(raw: &Value) -> Option<String> {
    text(raw, "state")
        .or_else(|| text(raw, "subject").map(|s| format!("subject {s}")))
        .or_else(|| text(raw, "hanged_by").map(|s| format!("hung up by {s}")))
}

pub fn looks_like(raw: &Value) -> bool {
    let named = fields::event_name(raw).is_some_and(|e| EVENTS.iter().any(|k| k.name == e));
    named || (raw.get("accountcode").is_some() && raw.get("session_id").is_some())
}
