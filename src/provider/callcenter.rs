//! The call-center Events API v1.3: JSON pushed to the "Event Push Notifications URL".

use serde_json::Value;

use super::fields::{self, Unit, text};
use super::{EventKind, Normalized};
use crate::envelope::{Direction, Kind};

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Callcenter,
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
        time: fields::time(raw, "ts", Unit::Seconds),
        call_id: text(raw, "call_id"),
        // `type` is the call's type; a queue call is a call that came in.
        direction: text(raw, "type").and_then(|t| match fields::lower(&t).as_ref() {
            "queue" => Some(Direction::Inbound),
            other => Direction::parse(other),
        }),
        from: text(raw, "cid_num"),
        to: text(raw, "dst_num"),
        state: state(raw),
        // The call center's `id` is a leg's, the same on ring, answer and end: not an event's.
        event_id: None,
        event_type,
    }
}

const EVENTS: [EventKind; 10] = [
    EventKind::new("call:start", Kind::CallStarted),
    EventKind::new("call:ring", Kind::CallRinging),
    EventKind::new("call:answer", Kind::CallAnswered),
    EventKind::when(
        "call:end",
        "never answered: `canceled` is set, `billms` is 0, or without `billms` a `hangup_cause` such as `NO_ANSWER`, `USER_BUSY`, `ORIGINATOR_CANCEL`",
        Kind::CallMissed,
    ),
    EventKind::when("call:end", "otherwise", Kind::CallEnded),
    EventKind::new("agent:checkin", Kind::AgentLogin),
    EventKind::new("agent:checkout", Kind::AgentLogout),
    EventKind::new("agent:status", Kind::AgentStatus),
    EventKind::new("queue:join", Kind::QueueJoined),
    EventKind::new("queue:leave", Kind::QueueLeft),
];

fn kind(event_type: &str, raw: &Value) -> Kind {
    match fields::lower(event_type).as_ref() {
        "call:start" => Kind::CallStarted,
        "call:ring" => Kind::CallRinging,
        "call:answer" => Kind::CallAnswered,
        "call:end" if never_answered(raw) => Kind::CallMissed,
        "call:end" => Kind::CallEnded,
        "agent:checkin" => Kind::AgentLogin,
        "agent:checkout" => Kind::AgentLogout,
        "agent:status" => Kind::AgentStatus,
        "queue:join" => Kind::QueueJoined,
        "queue:leave" => Kind::QueueLeft,
        _ => Kind::Other,
    }
}

/// A `call:end` of a call nobody answered: a queue call's `canceled` reason, no billed time
/// (`billms` 0: none between answer and hang-up), or, without `billms`, a hang-up cause that
/// means no answer (`NO_ANSWER`, `USER_BUSY`, `ORIGINATOR_CANCEL`, …).
fn never_answered(raw: &Value) -> bool {
    if text(raw, "canceled").is_some() {
        return true;
    }
    match raw.get("billms").and_then(fields::as_text) {
        Some(billed) => billed.trim().parse::<f64>().is_ok_and(|ms| ms == 0.0),
        None => text(raw, "hangup_cause").is_some_and(|cause| fields::unanswered(&cause)),
    }
}

pub fn state(raw: &Value) -> Option<String> {
    fields::first_text(raw, &["canceled", "hangup_cause", "activity_id"])
}

pub fn looks_like(raw: &Value) -> bool {
    fields::event_name(raw).is_some_and(|e| {
        let e = fields::lower(&e);
        ["call:", "agent:", "queue:"]
            .iter()
            .any(|p| e.starts_with(p))
    })
}
