//! The event envelope: one provider-independent record per event, as the contract defines it.

mod json;
mod names;
pub mod raw;
pub mod wire;
mod wire_text;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use names::{Direction, Kind, Provider, Stream, type_suffix};
pub use raw::Raw;
pub use wire::{HttpWire, SseWire, Wire, is_under, resolve_dots};
pub use wire_text::WireText;

/// One event from any source, normalized. Field order is the order of the NDJSON output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    pub provider: Provider,
    pub stream: Stream,
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
    /// What is worth showing beside the event (a dial status, a hangup cause), read from the
    /// payload when it is decoded; not part of the envelope's JSON.
    #[serde(skip)]
    pub state: Option<String>,
    /// The provider's own id of the event (TelTel's `id`, RingCentral's `uuid`), read from the
    /// payload when it is decoded, for telling a repeat from the event; not part of the
    /// envelope's JSON, so read from `raw` again where it is not here.
    #[serde(skip)]
    pub event_id: Option<String>,
}

/// Envelopes are equal when their JSON is: `state` is read from the payload, and an envelope
/// read back from a capture has it only once its reader has read it again.
impl PartialEq for Envelope {
    fn eq(&self, other: &Envelope) -> bool {
        fn contract(e: &Envelope) -> impl PartialEq + '_ {
            (
                (
                    e.provider,
                    e.stream,
                    &e.event_type,
                    e.kind,
                    e.time,
                    e.received,
                ),
                (&e.call_id, e.direction, &e.from, &e.to, &e.raw, &e.wire),
            )
        }
        contract(self) == contract(other)
    }
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

/// Reads a string with `read`, from where the reader has it: the input itself, or the reader's
/// scratch when the string has escapes. serde's `Cow<str>` would copy it into a `String` every
/// time: six allocations a capture line, for names and times read only to be parsed.
fn with_str<'de, D: serde::Deserializer<'de>, T>(
    deserializer: D,
    read: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    struct Reading<F>(F);
    impl<T, F: FnOnce(&str) -> Result<T, String>> serde::de::Visitor<'_> for Reading<F> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
            (self.0)(text).map_err(E::custom)
        }
    }
    deserializer.deserialize_str(Reading(read))
}

/// RFC 3339 UTC with exactly three fractional digits: `2019-01-24T08:21:41.509Z`.
pub mod millis {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    /// A time as read, for `Option` to wrap.
    struct Millis(Timestamp);

    impl<'de> Deserialize<'de> for Millis {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Millis, D::Error> {
            super::with_str(d, |text| {
                text.parse().map(Millis).map_err(|e| e.to_string())
            })
        }
    }

    pub fn format(ts: &Timestamp) -> String {
        format!("{ts:.3}")
    }

    pub fn serialize<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{ts:.3}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        Millis::deserialize(d).map(|Millis(ts)| ts)
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
            let read = Option::<super::Millis>::deserialize(d)?;
            Ok(read.map(|super::Millis(ts)| ts))
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
}
