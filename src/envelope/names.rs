//! The envelope's named values: who sent an event, on which stream, which way the call goes,
//! and what kind of event it is. Each is written in captures and output by its name, and a
//! comparison with text (`e.provider == "telphin"`) reads as it would with the name.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An enum whose values are named in the envelope's JSON: its names, `ALL`, `as_str`,
/// `from_name`, `describe`, and the text-like traits.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident $(else $fallback:ident)? { $($variant:ident => $text:literal, $doc:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = $doc] $variant,)*
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn describe(self) -> &'static str {
                match self {
                    $($name::$variant => $doc,)*
                }
            }

            /// The value written exactly as `as_str` writes it.
            pub fn from_name(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let fallback: Option<$name> = None $(.or(Some($name::$fallback)))?;
                by_name(deserializer, $name::ALL, $name::as_str, fallback)
            }
        }
    };
}

/// A value read by its name. A name it does not know is its fallback where it has one (a
/// capture from a newer telev may name providers and kinds this one does not: the event is
/// kept), and an error that lists the names otherwise.
fn by_name<'de, D: Deserializer<'de>, T: Copy>(
    deserializer: D,
    all: &[T],
    name_of: fn(T) -> &'static str,
    fallback: Option<T>,
) -> Result<T, D::Error> {
    super::with_str(deserializer, |name| {
        let known = all.iter().copied().find(|value| name_of(*value) == name);
        known.or(fallback).ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|value| name_of(*value)).collect();
            format!("unknown `{name}` (one of {})", names.join(", "))
        })
    })
}

named! {
    /// Who sent an event, by the ids the contract gives providers.
    Provider else Unknown {
        Cytracom => "cytracom", "Cytracom: Server-Sent Events";
        Telphin => "telphin", "Telphin: webhooks of form fields";
        Callcenter => "callcenter", "the call-center Events API: JSON webhooks";
        Teltel => "teltel", "TelTel: JSON webhooks";
        Ringcentral => "ringcentral", "RingCentral: telephony-session notifications";
        Unknown => "unknown", "a webhook no provider's shape matches";
    }
}

impl Provider {
    /// The providers telev speaks: every one but `Unknown`, which comes last.
    pub const KNOWN: &[Provider] = match Provider::ALL.split_last() {
        Some((Provider::Unknown, known)) => known,
        _ => panic!("Unknown is the last provider"),
    };

    pub fn id(self) -> &'static str {
        self.as_str()
    }

    /// One of the providers telev speaks, by its id.
    pub fn from_id(id: &str) -> Option<Provider> {
        Provider::KNOWN.iter().copied().find(|p| p.id() == id)
    }
}

named! {
    /// Where an event came from: one of Cytracom's streams, or a webhook.
    Stream {
        Chan => "chan", "channel events: dial_begin, dial_end, hangup";
        Queue => "queue", "call-queue statistics events";
        Monitored => "monitored", "monitored-call events: recording_available";
        Webhook => "webhook", "a pushed HTTP request";
    }
}

impl Stream {
    /// Cytracom's streams, which `tail` connects to and `replay --serve` serves.
    pub const SSE: [Stream; 3] = [Stream::Chan, Stream::Queue, Stream::Monitored];

    /// The stream an event name says it came on: `queue` for `queue.caller_join`.
    pub fn of_event(event: &str) -> Option<Stream> {
        let (prefix, _) = event.split_once('.')?;
        Stream::SSE.into_iter().find(|stream| *stream == prefix)
    }
}

named! {
    /// Which way a call goes, seen from the account telev watches.
    Direction {
        Inbound => "inbound", "the call came in";
        Outbound => "outbound", "the call went out";
        Internal => "internal", "both ends are the account's own";
    }
}

impl Direction {
    /// Reads the many spellings providers use: `IN`, `Inbound`, `incoming`, `out`, …
    pub fn parse(text: &str) -> Option<Direction> {
        let text = text.trim();
        let spelled = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(text));
        if spelled(&["in", "inbound", "incoming"]) {
            Some(Direction::Inbound)
        } else if spelled(&["out", "outbound", "outgoing"]) {
            Some(Direction::Outbound)
        } else if spelled(&["internal", "local"]) {
            Some(Direction::Internal)
        } else {
            None
        }
    }
}

named! {
    /// The normalized, provider-independent kind of an event.
    Kind else Other {
        CallStarted => "call.started", "a call session began";
        CallRinging => "call.ringing", "a phone or endpoint is ringing";
        CallAnswered => "call.answered", "a party answered";
        CallUnanswered => "call.unanswered", "one endpoint's ringing ended without an answer; the call may be answered elsewhere";
        CallMissed => "call.missed", "a call ended without ever being answered (no answer, busy, cancelled, failed)";
        CallConnected => "call.connected", "the media path to a party is up, ready to join";
        CallJoined => "call.joined", "a party joined the conversation";
        CallLeft => "call.left", "a party left the conversation";
        CallHeld => "call.held", "the call was put on hold";
        CallParked => "call.parked", "the call was parked";
        CallTransferred => "call.transferred", "the party moved to another call session";
        CallEnded => "call.ended", "the call (or this party's part of it) ended";
        QueueStatus => "queue.status", "queue statistics";
        QueueJoined => "queue.joined", "a caller or member joined a queue";
        QueueLeft => "queue.left", "a member left a queue";
        QueueAbandoned => "queue.abandoned", "a caller hung up while waiting in a queue";
        QueueConnected => "queue.connected", "a member accepted a queue call";
        QueueCompleted => "queue.completed", "a queue call finished";
        QueueHistory => "queue.history", "a condensed record of the day's queue calls";
        AgentLogin => "agent.login", "an agent checked in";
        AgentLogout => "agent.logout", "an agent checked out";
        AgentStatus => "agent.status", "an agent's or queue member's state changed";
        RecordingAvailable => "recording.available", "a call recording is ready";
        MessageReceived => "message.received", "an incoming message";
        MessageSent => "message.sent", "an outgoing message";
        VoicemailReceived => "voicemail.received", "a voicemail was left (or the call went to voicemail)";
        FaxReceived => "fax.received", "a fax is being received";
        Other => "other", "nothing above fits";
    }
}

impl Kind {
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::from_name(text)
    }

    /// Whether this kind is also a `wider` one: a missed call is an ended call, so
    /// `--only call.ended` selects the end of every call and `--only call.missed` only those
    /// nobody answered.
    pub fn is_a(self, wider: Kind) -> bool {
        self == wider || (self == Kind::CallMissed && wider == Kind::CallEnded)
    }
}

/// The part of an event name after its last `.` or `:`: `dial_end` of `chan.dial_end`.
pub fn type_suffix(event_type: &str) -> &str {
    event_type.rsplit(['.', ':']).next().unwrap_or(event_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(*kind));
        }
        for provider in Provider::ALL {
            let json = serde_json::to_string(provider).unwrap();
            assert_eq!(serde_json::from_str::<Provider>(&json).unwrap(), *provider);
        }
        for stream in Stream::ALL {
            assert_eq!(Stream::from_name(stream.as_str()), Some(*stream));
        }
        assert_eq!(Direction::parse(" Incoming "), Some(Direction::Inbound));
        assert_eq!(Direction::parse("OUT"), Some(Direction::Outbound));
    }

    #[test]
    fn names_from_a_newer_capture_are_kept_as_unknown() {
        assert_eq!(
            serde_json::from_str::<Provider>("\"zoom\"").unwrap(),
            Provider::Unknown
        );
        assert_eq!(
            serde_json::from_str::<Kind>("\"call.x\"").unwrap(),
            Kind::Other
        );
        assert!(serde_json::from_str::<Stream>("\"sms\"").is_err());
    }
}
