//! The event envelope: one provider-independent record per event, as the contract defines it.

mod json;

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::raw::Raw;
use crate::wire::Wire;

/// One event from any source, normalized. Field order is the order of the NDJSON output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub provider: String,
    pub stream: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub kind: Kind,
    #[serde(with = "millis::option")]
    pub time: Option<Timestamp>,
    #[serde(with = "millis")]
    pub received: Timestamp,
    pub call_id: Option<String>,
    pub direction: Option<Direction>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub raw: Raw,
    pub wire: Wire,
}

impl Envelope {
    /// The envelope as one compact JSON line (without the newline).
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(1024);
        json::write(&mut out, self);
        String::from_utf8(out).expect("escaped JSON is UTF-8")
    }

    /// Appends the envelope as one compact JSON line, with its newline.
    pub fn write_line(&self, out: &mut Vec<u8>) {
        json::write(out, self);
        out.push(b'\n');
    }
}

/// Which way a call goes, seen from the account telev watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Inbound,
    Outbound,
    Internal,
}

impl Direction {
    /// Reads the many spellings providers use: `IN`, `Inbound`, `incoming`, `out`, …
    pub fn parse(s: &str) -> Option<Direction> {
        match crate::provider::fields::lower(s.trim()).as_ref() {
            "in" | "inbound" | "incoming" => Some(Direction::Inbound),
            "out" | "outbound" | "outgoing" => Some(Direction::Outbound),
            "internal" | "local" => Some(Direction::Internal),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Internal => "internal",
        }
    }
}

macro_rules! kinds {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// The normalized, provider-independent kind of an event.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $(#[doc = $doc] $variant,)*
        }

        impl Kind {
            pub const ALL: &[Kind] = &[$(Kind::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }

            pub fn describe(self) -> &'static str {
                match self {
                    $(Kind::$variant => $doc,)*
                }
            }

            pub fn parse(s: &str) -> Option<Kind> {
                match s {
                    $($name => Some(Kind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

kinds! {
    CallStarted => "call.started", "a call session began";
    CallRinging => "call.ringing", "a phone or endpoint is ringing";
    CallAnswered => "call.answered", "a party answered";
    CallMissed => "call.missed", "ringing ended without an answer (no answer, busy, cancelled, failed)";
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

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        // A capture from a newer telev may name kinds we do not know: keep the event.
        Ok(Kind::parse(&name).unwrap_or(Kind::Other))
    }
}

/// RFC 3339 UTC with exactly three fractional digits: `2019-01-24T08:21:41.509Z`.
pub mod millis {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn format(ts: &Timestamp) -> String {
        format!("{ts:.3}")
    }

    pub fn serialize<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{ts:.3}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }

    pub mod option {
        use jiff::Timestamp;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(ts: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match ts {
                Some(ts) => super::serialize(ts, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            let text = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
            text.map(|t| t.parse().map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_exactly_three_fractional_digits() {
        let ts = Timestamp::from_millisecond(1_548_318_101_000).unwrap();
        assert_eq!(millis::format(&ts), "2019-01-24T08:21:41.000Z");
        let ts = Timestamp::from_microsecond(1_548_318_101_509_123).unwrap();
        assert_eq!(millis::format(&ts), "2019-01-24T08:21:41.509Z");
    }

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(*kind));
        }
    }
}
