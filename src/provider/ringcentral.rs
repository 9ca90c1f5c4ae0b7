//! RingCentral telephony sessions: a notification whose `body` holds the session, either at
//! the top level (webhook) or inside `pn_apns` (push).

use serde_json::Value;

use super::fields::{self, Unit, text};
use super::{EventKind, Normalized};
use crate::envelope::{Direction, Kind};

/// The telephony session: the notification's `body`, wherever it sits.
fn session(raw: &Value) -> Option<&Value> {
    raw.get("body").or_else(|| raw.get("pn_apns")?.get("body"))
}

fn owner(raw: &Value) -> Option<String> {
    text(raw, "ownerId")
        .or_else(|| raw.get("pn_apns").and_then(|p| text(p, "ownerId")))
        .or_else(|| session(raw).and_then(|s| text(s, "extensionId")))
}

/// The party the notification is about: the owner's, else the first.
fn party(raw: &Value) -> Option<&Value> {
    let parties = session(raw)?.get("parties")?.as_array()?;
    let owner = owner(raw);
    parties
        .iter()
        .find(|p| owner.is_some() && text(p, "extensionId") == owner)
        .or_else(|| parties.first())
}

/// The party's own id (`p-…-3`): which leg of the session the notification is about.
pub fn leg(raw: &Value) -> Option<String> {
    text(party(raw)?, "id")
}

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Ringcentral,
    events: &EVENTS,
    looks_like,
    normalize,
    read_text: None,
    state,
};

pub fn normalize(raw: &Value) -> Normalized {
    let session = session(raw).unwrap_or(&Value::Null);
    let party = party(raw).unwrap_or(&Value::Null);
    let status = party.get("status").unwrap_or(&Value::Null);
    let event_type = text(status, "code").unwrap_or_else(|| "unknown".to_owned());
    // A party's name ("Anonymous", "Tom Sawyer") is not a number.
    let number = |side: &str| {
        party
            .get(side)
            .and_then(|p| fields::first_text(p, &["phoneNumber", "extensionNumber"]))
    };
    Normalized {
        kind: kind(&event_type, party),
        time: fields::time(session, "eventTime", Unit::Millis),
        call_id: text(session, "telephonySessionId"),
        direction: call_direction(party),
        from: number("from"),
        to: number("to"),
        state: state(raw),
        event_id: text(raw, "uuid"),
        event_type,
    }
}

/// The call's direction, seen from the account, whichever party the notification describes:
/// an extension of the account sees the call as it is, an outside (PSTN) party as its reverse;
/// between two extensions of the account it is internal. So every notification of one call
/// agrees.
fn call_direction(party: &Value) -> Option<Direction> {
    let extension = |side: &str| {
        party
            .get(side)
            .and_then(|p| text(p, "extensionId"))
            .is_some()
    };
    if extension("from") && extension("to") {
        return Some(Direction::Internal);
    }
    let seen = text(party, "direction").and_then(|d| Direction::parse(&d))?;
    if text(party, "extensionId").is_some() {
        return Some(seen);
    }
    Some(match seen {
        Direction::Inbound => Direction::Outbound,
        Direction::Outbound => Direction::Inbound,
        Direction::Internal => Direction::Internal,
    })
}

/// The status codes of the guide and the SDKs, in their spellings.
const EVENTS: [EventKind; 14] = [
    EventKind::new("Setup", Kind::CallStarted),
    EventKind::new("Proceeding", Kind::CallRinging),
    EventKind::when(
        "Answered",
        "the first time; after `Hold` it is the call taken off hold, not a second answer",
        Kind::CallAnswered,
    ),
    EventKind::when(
        "Disconnected",
        "the party's `missedCall` is true, or its `reason` is `NoAnswer`, `TargetBusy`, `Rejected` or `Cancelled`",
        Kind::CallMissed,
    ),
    EventKind::when("Disconnected", "otherwise", Kind::CallEnded),
    EventKind::new("Gone", Kind::CallTransferred),
    EventKind::new("Parked", Kind::CallParked),
    EventKind::new("Hold", Kind::CallHeld),
    EventKind::new("VoiceMail", Kind::VoicemailReceived),
    EventKind::new("Voicemail", Kind::VoicemailReceived),
    EventKind::new("VoiceMailScreening", Kind::VoicemailReceived),
    EventKind::new("VMScreening", Kind::VoicemailReceived),
    EventKind::new("FaxReceive", Kind::FaxReceived),
    EventKind::when("Tds", "named by the SDKs, explained nowhere", Kind::Other),
];

/// The status code's kind. `Answered` after `Hold` is the call taken off hold, not a second
/// answer (`replay --calls` times the ring to the first). A `Disconnected` party marked
/// `missedCall`, or with a reason that means no answer (`NoAnswer`, `TargetBusy`, …), ends a
/// missed call.
fn kind(code: &str, party: &Value) -> Kind {
    let reason = party.get("status").and_then(|s| text(s, "reason"));
    let missed = party.get("missedCall").and_then(Value::as_bool) == Some(true)
        || reason.is_some_and(|r| fields::unanswered(&r));
    match fields::lower(code).as_ref() {
        "setup" => Kind::CallStarted,
        "proceeding" => Kind::CallRinging,
        "answered" => Kind::CallAnswered,
        "disconnected" if missed => Kind::CallMissed,
        "disconnected" => Kind::CallEnded,
        "gone" => Kind::CallTransferred,
        "parked" => Kind::CallParked,
        "hold" => Kind::CallHeld,
        "voicemail" | "voicemailscreening" | "vmscreening" => Kind::VoicemailReceived,
        "faxreceive" => Kind::FaxReceived,
        // `Tds` is in the SDKs' list of codes, with no word on what it means.
        _ => Kind::Other,
    }
}

pub fn state(raw: &Value) -> Option<String> {
    let party = party(raw)?;
    let status = party.get("status")?;
    let missed = party.get("missedCall").and_then(Value::as_bool) == Some(true);
    text(status, "reason").or_else(|| missed.then(|| "missed".to_owned()))
}

/// The webhook subscription's validation: a request carrying `Validation-Token` is answered
/// 200 with the same header.
pub fn handshake<'a>(header: impl Fn(&str) -> Option<&'a [u8]>) -> Option<super::Handshake> {
    let token = header("validation-token")?;
    Some(super::Handshake {
        what: "RingCentral subscription handshake",
        echo: ("validation-token", token.to_vec()),
    })
}

pub fn looks_like(raw: &Value) -> bool {
    raw.get("pn_apns").is_some()
        || session(raw)
            .is_some_and(|s| s.get("telephonySessionId").is_some() || s.get("parties").is_some())
        || (raw.get("uuid").is_some() && raw.get("subscriptionId").is_some())
}
