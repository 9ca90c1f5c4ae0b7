//! The call-center Events API v1.3: JSON pushed to the "Event Push Notifications URL".

use serde_json::Value;

use super::Normalized;
use super::fields::{self, Unit, text};
use crate::envelope::{Direction, Kind};

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Callcenter,
    looks_like,
    normalize,
    state,
};

pub fn normalize(raw: &Value) -> Normalized {
    let event_type = fields::event_name(raw).unwrap_or_else(|| "unknown".to_owned());
    Normalized {
        kind: kind(&event_type),
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
        event_type,
    }
}

fn kind(event_type: &str) -> Kind {
    match fields::lower(event_type).as_ref() {
        "call:start" => Kind::CallStarted,
        "call:ring" => Kind::CallRinging,
        "call:answer" => Kind::CallAnswered,
        "call:end" => Kind::CallEnded,
        "agent:checkin" => Kind::AgentLogin,
        "agent:checkout" => Kind::AgentLogout,
        "agent:status" => Kind::AgentStatus,
        "queue:join" => Kind::QueueJoined,
        "queue:leave" => Kind::QueueLeft,
        _ => Kind::Other,
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
