//! Cytracom: Server-Sent Events on `/events/sse/{chan,queue,monitored}`, JSON `data:`.

use serde::Deserialize;
use serde_json::Value;

use super::fields::{self, Object, Text, Unit};
use super::{EventKind, Normalized};
use crate::envelope::{Direction, Kind};

/// What telev reads of a Cytracom payload; the rest is skipped, not built. Its text is
/// borrowed from the input (the bound says the input outlives it).
#[derive(Debug, Default, Deserialize)]
#[serde(default, bound(deserialize = "'de: 'a"))]
struct Payload<'a> {
    event: Text<'a>,
    #[serde(rename = "EventType")]
    event_type_title: Text<'a>,
    event_type: Text<'a>,
    name: Text<'a>,
    event_time: Text<'a>,
    linked_id: Text<'a>,
    call_id: Text<'a>,
    direction: Text<'a>,
    caller: Object<Party<'a>>,
    /// The callee: `called` in the seed's examples, `callee` in its table.
    called: Object<Party<'a>>,
    callee: Object<Party<'a>>,
    channel: Object<Party<'a>>,
    caller_id_number: Text<'a>,
    caller_number: Text<'a>,
    from: Text<'a>,
    to: Text<'a>,
    state: Text<'a>,
    status: Text<'a>,
    member_state: Text<'a>,
    // What queue and recording events carry.
    queue_id: Text<'a>,
    position: Text<'a>,
    wait_time: Text<'a>,
    talk_time: Text<'a>,
    member: Text<'a>,
    callers_waiting: Text<'a>,
    members_available: Text<'a>,
    recording_id: Text<'a>,
    duration: Text<'a>,
}

impl Payload<'_> {
    /// What a queue or recording event carries, in a few words: `queue 101, position 2`,
    /// `queue 100, member 203, waited 35s`, `recording rec-000123, 30s`.
    fn carries(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut add = |field: &Text, show: &dyn Fn(&str) -> String| {
            if let Some(value) = field.get() {
                parts.push(show(value));
            }
        };
        add(&self.queue_id, &|v| format!("queue {v}"));
        add(&self.recording_id, &|v| format!("recording {v}"));
        add(&self.position, &|v| format!("position {v}"));
        add(&self.member, &|v| format!("member {v}"));
        add(&self.callers_waiting, &|v| format!("{v} waiting"));
        add(&self.members_available, &|v| format!("{v} available"));
        add(&self.wait_time, &|v| format!("waited {v}s"));
        add(&self.talk_time, &|v| format!("talked {v}s"));
        add(&self.duration, &|v| format!("{v}s"));
        add(&self.member_state, &|v| v.to_owned());
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, bound(deserialize = "'de: 'a"))]
struct Party<'a> {
    number: Text<'a>,
    connected_number: Text<'a>,
    dial_status: Text<'a>,
    state: Text<'a>,
}

impl Party<'_> {
    fn answered(&self) -> bool {
        self.dial_status.is("answered") || self.state.is("answered")
    }

    /// A dial status that ended the ringing without an answer.
    fn never_answered(&self) -> bool {
        self.dial_status.get().is_some_and(fields::unanswered)
    }
}

/// Reads a payload straight from its JSON text. `event_name` is the SSE `event:` field; the
/// payload's own `event` stands in when it is empty. Text that is not JSON names nothing.
/// [`normalize_json`] in one pass, when the text is JSON its reader takes (an object without
/// a key given twice, or any other value); `None` otherwise.
pub fn read_json(event_name: &str, json: &str) -> Option<Normalized> {
    let payload = serde_json::from_str::<Object<Payload>>(json).ok()?;
    Some(normalize(event_name, payload.0.unwrap_or_default()))
}

pub fn normalize_json(event_name: &str, json: &str) -> Normalized {
    match serde_json::from_str::<Object<Payload>>(json) {
        Ok(payload) => normalize(event_name, payload.0.unwrap_or_default()),
        // A key given twice (refused by a struct): read as a tree reads it, the last one wins.
        Err(_) => match serde_json::from_str::<Value>(json) {
            Ok(raw) => normalize_value(event_name, &raw),
            Err(_) => normalize(event_name, Payload::default()),
        },
    }
}

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Cytracom,
    events: &EVENTS,
    looks_like,
    normalize: |raw| normalize_value("", raw),
    read_text: Some(|json| read_json("", json)),
    state: |raw| normalize_value("", raw).state,
};

/// Reads a payload that is already a tree (a webhook body), as [`normalize_json`] reads text.
pub fn normalize_value(event_name: &str, raw: &Value) -> Normalized {
    let payload = Object::<Payload>::deserialize(raw).unwrap_or_default();
    normalize(event_name, payload.0.unwrap_or_default())
}

fn normalize(event_name: &str, p: Payload) -> Normalized {
    let first = |fields: &[&Text]| fields.iter().find_map(|f| f.owned());
    let event_type = Some(event_name)
        .filter(|name| !name.is_empty() && *name != "message")
        .map(str::to_owned)
        .or_else(|| first(&[&p.event, &p.event_type_title, &p.event_type, &p.name]))
        .unwrap_or_else(|| "unknown".to_owned());
    let callee = p.called.0.as_ref().or(p.callee.0.as_ref());
    let channel = p.channel.0.as_ref();
    // The callee's dial status, the hung-up channel's, or the payload's own state.
    let dialed = [&p.called, &p.callee, &p.channel, &p.caller]
        .into_iter()
        .find_map(|party| party.0.as_ref()?.dial_status.owned());
    Normalized {
        state: dialed
            .or_else(|| first(&[&p.state, &p.status]))
            .or_else(|| p.carries()),
        event_id: None,
        kind: kind(crate::envelope::type_suffix(&event_type), callee, channel),
        time: p
            .event_time
            .get()
            .and_then(|t| fields::time_text(t, Unit::Millis)),
        call_id: first(&[&p.linked_id, &p.call_id]),
        direction: p.direction.get().and_then(Direction::parse),
        from: p
            .caller
            .0
            .as_ref()
            .and_then(|c| c.number.owned())
            .or_else(|| channel.and_then(|c| c.connected_number.owned()))
            .or_else(|| first(&[&p.caller_id_number, &p.caller_number, &p.from])),
        to: callee
            .and_then(|c| c.number.owned())
            .or_else(|| channel.and_then(|c| c.number.owned()))
            .or_else(|| first(&[&p.to, &p.member])),
        event_type,
    }
}

const EVENTS: [EventKind; 14] = [
    EventKind::new("chan.dial_begin", Kind::CallRinging),
    EventKind::when(
        "chan.dial_end",
        "the callee's `dial_status` is `answered`",
        Kind::CallAnswered,
    ),
    EventKind::when(
        "chan.dial_end",
        "any other `dial_status`: this phone did not answer",
        Kind::CallUnanswered,
    ),
    EventKind::when(
        "chan.hangup",
        "the channel's `dial_status` is `no answer`, `busy`, `cancel`, `congestion`, `chanunavail` or `failed`",
        Kind::CallMissed,
    ),
    EventKind::when("chan.hangup", "otherwise", Kind::CallEnded),
    EventKind::new("queue.queue_status", Kind::QueueStatus),
    EventKind::new("queue.member_init_state", Kind::AgentStatus),
    EventKind::new("queue.caller_history", Kind::QueueHistory),
    EventKind::new("queue.caller_join", Kind::QueueJoined),
    EventKind::new("queue.caller_abandon", Kind::QueueAbandoned),
    EventKind::new("queue.member_state", Kind::AgentStatus),
    EventKind::new("queue.member_connect", Kind::QueueConnected),
    EventKind::new("queue.member_complete", Kind::QueueCompleted),
    EventKind::new("monitored.recording_available", Kind::RecordingAvailable),
];

/// Cytracom reports each channel (one per phone rung), not the call: a `dial_end` that was not
/// answered is one phone's ringing ended, and the hang-up of a channel whose dial status says
/// it never answered (`no answer`, `busy`, `cancel`, …) is the end of a missed call.
fn kind(name: &str, callee: Option<&Party>, channel: Option<&Party>) -> Kind {
    match fields::lower(name).as_ref() {
        "dial_begin" => Kind::CallRinging,
        "dial_end" if callee.is_some_and(Party::answered) => Kind::CallAnswered,
        "dial_end" => Kind::CallUnanswered,
        "hangup" if channel.is_some_and(Party::never_answered) => Kind::CallMissed,
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

pub fn looks_like(raw: &Value) -> bool {
    raw.get("linked_id").is_some()
        || fields::event_name(raw).is_some_and(|e| {
            ["chan.", "queue.", "monitored."]
                .iter()
                .any(|p| e.starts_with(p))
        })
}
