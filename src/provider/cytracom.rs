//! Cytracom: Server-Sent Events on `/events/sse/{chan,queue,monitored}`, JSON `data:`.

use serde_json::Value;

use super::Normalized;
use super::fields::{self, Unit, first_text, text};
use crate::envelope::{Direction, Kind};

pub const STREAMS: [&str; 3] = ["chan", "queue", "monitored"];

/// `event_name` is the SSE `event:` field; the payload's own `event` stands in when it is empty.
pub fn normalize(event_name: &str, raw: &Value) -> Normalized {
    let event_type = Some(event_name)
        .filter(|name| !name.is_empty() && *name != "message")
        .map(str::to_owned)
        .or_else(|| fields::event_name(raw))
        .unwrap_or_else(|| "unknown".to_owned());
    let callee = raw.get("called").or_else(|| raw.get("callee"));
    let channel = raw.get("channel");
    let kind = kind(super::suffix(&event_type), callee);
    Normalized {
        kind,
        time: fields::time(raw, "event_time", Unit::Millis),
        call_id: first_text(raw, &["linked_id", "call_id"]),
        direction: text(raw, "direction").and_then(|d| Direction::parse(&d)),
        from: raw
            .get("caller")
            .and_then(|c| text(c, "number"))
            .or_else(|| channel.and_then(|c| text(c, "connected_number")))
            .or_else(|| first_text(raw, &["caller_id_number", "caller_number", "from"])),
        to: callee
            .and_then(|c| text(c, "number"))
            .or_else(|| channel.and_then(|c| text(c, "number")))
            .or_else(|| first_text(raw, &["to"])),
        event_type,
    }
}

fn kind(name: &str, callee: Option<&Value>) -> Kind {
    match name.to_ascii_lowercase().as_str() {
        "dial_begin" => Kind::CallRinging,
        "dial_end" if callee.is_some_and(answered) => Kind::CallAnswered,
        "dial_end" => Kind::CallMissed,
        "hangup" => Kind::CallEnded,
        "queue_status" => Kind::QueueStatus,
        "member_init_state" | "member_state" => Kind::AgentStatus,
        "caller_history" => Kind::QueueHistory,
        "caller_join" => Kind::QueueJoined,
        "caller_abandon" => Kind::QueueAbandoned,
        "member_connect" => Kind::QueueConnected,
        "member_complete" => Kind::QueueCompleted,
        "recording_available" => Kind::RecordingAvailable,
        _ => Kind::Other,
    }
}

fn answered(party: &Value) -> bool {
    fields::is(party, "dial_status", "answered") || fields::is(party, "state", "answered")
}

/// The state worth showing: the callee's dial status, the hung-up channel's, or the state.
pub fn state(raw: &Value) -> Option<String> {
    let party = ["called", "callee", "channel", "caller"]
        .iter()
        .filter_map(|k| raw.get(k))
        .find(|p| p.get("dial_status").is_some_and(|s| !s.is_null()));
    party
        .and_then(|p| text(p, "dial_status"))
        .or_else(|| first_text(raw, &["state", "status", "member_state"]))
}

pub fn looks_like(raw: &Value) -> bool {
    raw.get("linked_id").is_some()
        || fields::event_name(raw).is_some_and(|e| {
            ["chan.", "queue.", "monitored."]
                .iter()
                .any(|p| e.starts_with(p))
        })
}
