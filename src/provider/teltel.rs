//! TelTel: JSON webhooks, events `START RING RINGRESULT READY JOIN LEAVE COMPLETED`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::fields::{self, Object, Text, Unit};
use super::{EventKind, Normalized};
use crate::envelope::{Direction, Kind};

/// What telev reads of a TelTel payload; the rest is skipped, not built. Its text is borrowed
/// from the input (the bound says the input outlives it). The document names no caller or
/// callee fields: `from`… and `to`… are the spellings looked for first, in their order.
#[derive(Debug, Default, Deserialize)]
#[serde(default, bound(deserialize = "'de: 'a"))]
struct Payload<'a> {
    /// The event's own id.
    id: Text<'a>,
    event: Text<'a>,
    #[serde(rename = "EventType")]
    event_type_title: Text<'a>,
    event_type: Text<'a>,
    name: Text<'a>,
    timestamp: Text<'a>,
    call_id: Text<'a>,
    direction: Text<'a>,
    state: Text<'a>,
    is_answered: Answered,
    subject_type: Text<'a>,
    subject: Text<'a>,
    hanged_by: Text<'a>,
    hanged_value: Text<'a>,
    data: Object<Data<'a>>,
    from: Text<'a>,
    caller: Text<'a>,
    src: Text<'a>,
    source: Text<'a>,
    caller_id: Text<'a>,
    callerid: Text<'a>,
    to: Text<'a>,
    callee: Text<'a>,
    dst: Text<'a>,
    destination: Text<'a>,
    called: Text<'a>,
    dialed: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, bound(deserialize = "'de: 'a"))]
struct Data<'a> {
    callback: Object<Callback<'a>>,
}

/// A callback (click-to-call) reaches leg 1 first, then leg 2: leg 1 calls, leg 2 is called.
#[derive(Debug, Default, Deserialize)]
#[serde(default, bound(deserialize = "'de: 'a"))]
struct Callback<'a> {
    leg_1_phone_number: Text<'a>,
    leg_2_phone_number: Text<'a>,
}

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Teltel,
    events: &EVENTS,
    looks_like,
    normalize,
    read_text: Some(read_json),
    state,
};

/// [`normalize`] straight from JSON text, in one pass without a tree: `None` when the text is
/// not JSON, or names a field this reads twice (a tree keeps the last; read it so).
pub fn read_json(json: &str) -> Option<Normalized> {
    let payload = serde_json::from_str::<Object<Payload>>(json).ok()?;
    Some(normalized(payload.0.unwrap_or_default()))
}

pub fn normalize(raw: &Value) -> Normalized {
    normalized(payload(raw))
}

/// A tree read as the text is: anything not an object names nothing.
fn payload(raw: &Value) -> Payload<'_> {
    Object::<Payload>::deserialize(raw)
        .ok()
        .and_then(|p| p.0)
        .unwrap_or_default()
}

fn normalized(p: Payload) -> Normalized {
    let first = |fields: &[&Text]| fields.iter().find_map(|f| f.owned());
    let event_type = first(&[&p.event, &p.event_type_title, &p.event_type, &p.name])
        .unwrap_or_else(|| "unknown".to_owned());
    let direction = p.direction.get().and_then(Direction::parse);
    let legs = p.data.0.as_ref().and_then(|d| d.callback.0.as_ref());
    let (from, to) = party_side(&p, direction);
    let from_fields = [
        &p.from,
        &p.caller,
        &p.src,
        &p.source,
        &p.caller_id,
        &p.callerid,
    ];
    let to_fields = [
        &p.to,
        &p.callee,
        &p.dst,
        &p.destination,
        &p.called,
        &p.dialed,
    ];
    Normalized {
        kind: kind(&event_type, &p),
        time: p
            .timestamp
            .get()
            .and_then(|t| fields::time_text(t, Unit::Seconds)),
        call_id: p.call_id.owned(),
        direction,
        from: first(&from_fields)
            .or_else(|| legs.and_then(|l| l.leg_1_phone_number.owned()))
            .or(from),
        to: first(&to_fields)
            .or_else(|| legs.and_then(|l| l.leg_2_phone_number.owned()))
            .or(to),
        state: state_of(&p),
        event_id: p.id.owned(),
        event_type,
    }
}

/// The one party an event names: the `subject` of `READY`, `JOIN` and `LEAVE`, the
/// `hanged_value` of `COMPLETED`. A `phone` is the outside end, a `sip` device the account's:
/// on an inbound call the phone calls and the device is called, on an outbound one the reverse.
fn party_side(p: &Payload, direction: Option<Direction>) -> (Option<String>, Option<String>) {
    let party = [
        (&p.subject_type, &p.subject),
        (&p.hanged_by, &p.hanged_value),
    ]
    .into_iter()
    .find_map(|(kind, number)| Some((kind.get()?, number.owned()?)));
    let Some((kind, number)) = party else {
        return (None, None);
    };
    let outside = match fields::lower(kind).as_ref() {
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

fn kind(event_type: &str, p: &Payload) -> Kind {
    match event_type.to_ascii_uppercase().as_str() {
        "START" => Kind::CallStarted,
        "RING" => Kind::CallRinging,
        "RINGRESULT" if p.state.is("ANSWER") => Kind::CallAnswered,
        "RINGRESULT" => Kind::CallUnanswered,
        "READY" => Kind::CallConnected,
        "JOIN" => Kind::CallJoined,
        "LEAVE" => Kind::CallLeft,
        "COMPLETED" if p.is_answered.0 == Some(false) => Kind::CallMissed,
        "COMPLETED" => Kind::CallEnded,
        _ => Kind::Other,
    }
}

/// `COMPLETED` says whether the call was answered, as a boolean or its spelling (`false`,
/// `0`, `no`); `None` when it does not say, or says it otherwise.
#[derive(Debug, Default)]
struct Answered(Option<bool>);

impl<'de> Deserialize<'de> for Answered {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnsweredVisitor)
    }
}

struct AnsweredVisitor;

impl<'de> Visitor<'de> for AnsweredVisitor {
    type Value = Answered;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, answered: bool) -> Result<Answered, E> {
        Ok(Answered(Some(answered)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Answered, E> {
        Ok(Answered((n == 0).then_some(false)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Answered, E> {
        Ok(Answered((n == 0).then_some(false)))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Answered, E> {
        Ok(Answered((n == 0.0).then_some(false)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Answered, E> {
        let no = ["false", "0", "no"].contains(&fields::lower(s.trim()).as_ref());
        Ok(Answered(no.then_some(false)))
    }

    fn visit_unit<E>(self) -> Result<Answered, E> {
        Ok(Answered(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answered, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Answered(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answered, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Answered(None))
    }
}

pub fn state(raw: &Value) -> Option<String> {
    state_of(&payload(raw))
}

fn state_of(p: &Payload) -> Option<String> {
    p.state
        .owned()
        .or_else(|| p.subject.get().map(|s| format!("subject {s}")))
        .or_else(|| p.hanged_by.get().map(|s| format!("hung up by {s}")))
}

pub fn looks_like(raw: &Value) -> bool {
    let named = fields::event_name(raw).is_some_and(|e| EVENTS.iter().any(|k| k.name == e));
    named || (raw.get("accountcode").is_some() && raw.get("session_id").is_some())
}
