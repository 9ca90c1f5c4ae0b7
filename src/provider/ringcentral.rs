//! RingCentral telephony sessions: a notification whose `body` holds the session, either at
//! the top level (webhook) or inside `pn_apns` (push).

use serde_json::Value;

use super::Normalized;
use super::fields::{self, Unit, text};
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

pub const DECODER: super::Decoder = super::Decoder {
    provider: crate::envelope::Provider::Ringcentral,
    looks_like,
    normalize,
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
        kind: kind(&event_type),
        time: fields::time(session, "eventTime", Unit::Millis),
        call_id: text(session, "telephonySessionId"),
        direction: call_direction(party),
        from: number("from"),
        to: number("to"),
        state: state(raw),
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

fn kind(code: &str) -> Kind {
    match fields::lower(code).as_ref() {
        "setup" => Kind::CallStarted,
        "proceeding" => Kind::CallRinging,
        "answered" => Kind::CallAnswered,
        "disconnected" => Kind::CallEnded,
        "gone" => Kind::CallTransferred,
        "parked" => Kind::CallParked,
        "hold" => Kind::CallHeld,
        "voicemail" | "voicemailscreening" => Kind::VoicemailReceived,
        "faxreceive" => Kind::FaxReceived,
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
