//! Realistic sample envelopes of all five providers' fake calls, deterministic for a seed:
//! the example capture, the differential-test corpus and the benchmark corpus all come from
//! here. Each event goes through the real wire format and the real decoder.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::envelope::{Direction, Envelope};
use crate::envelope::{HttpWire, SseWire};
use crate::fake::{Call, Outcome, Party, Step};
use crate::provider::{self, Provider};

const NUMBERS: [&str; 8] = [
    "+15551230001",
    "+15551230002",
    "+442071838750",
    "+79817654321",
    "+3712000000",
    "2147367077",
    "8774112987",
    "6465550199",
];
const EXTENSIONS: [&str; 5] = ["201", "202", "226", "240", "697"];

/// `calls` calls' worth of events, starting at `start`, in the order they were received.
pub fn envelopes(calls: u64, seed: u64, start: Timestamp) -> impl Iterator<Item = Envelope> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut clock = start;
    (0..calls).flat_map(move |call| {
        let provider = match rng.u8(0..100) {
            0..35 => Provider::Cytracom,
            35..55 => Provider::Telphin,
            55..75 => Provider::Callcenter,
            75..90 => Provider::Teltel,
            _ => Provider::Ringcentral,
        };
        let answered = rng.u8(0..100) < 70;
        let inbound = rng.bool();
        let outside = NUMBERS[rng.usize(..NUMBERS.len())];
        let ext = EXTENSIONS[rng.usize(..EXTENSIONS.len())];
        let (from, to) = if inbound {
            (outside, ext)
        } else {
            (ext, outside)
        };
        let call = Call {
            id: format!("{seed:x}-{call:07}"),
            direction: if inbound {
                Direction::Inbound
            } else {
                Direction::Outbound
            },
            caller: Party {
                number: from,
                name: "Caller",
            },
            callee: Party {
                number: to,
                name: "Callee",
            },
            outcome: if answered {
                Outcome::Answered
            } else {
                Outcome::NoAnswer
            },
            seed: seed ^ call,
        };
        let steps = call.steps(provider, "baaaaac");
        let mut events = Vec::with_capacity(steps.len());
        for step in steps {
            clock += SignedDuration::from_millis(rng.i64(200..4000));
            events.push(step.decode(provider, clock));
        }
        events
    })
}

/// Sends a fake call's event the way its provider does, and decodes it.
trait Decode {
    fn decode(self, provider: Provider, at: Timestamp) -> Envelope;
}

impl Decode for Step {
    fn decode(mut self, provider: Provider, at: Timestamp) -> Envelope {
        set_time(provider, &mut self.payload, at);
        match provider {
            Provider::Cytracom => {
                let wire = SseWire {
                    event: self.name,
                    id: None,
                    data: self.payload.to_string().into(),
                };
                provider::decode_sse(crate::envelope::Stream::Chan, wire, at)
            }
            Provider::Telphin => {
                let form: String = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(
                        self.payload
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default())),
                    )
                    .finish();
                let headers: [(&str, &[u8]); 1] =
                    [("content-type", b"application/x-www-form-urlencoded")];
                let wire = HttpWire::new("POST", "/telphin", None, headers, form.as_bytes());
                provider::decode_http(Some(provider), wire, at).expect("sample form decodes")
            }
            _ => {
                let headers: [(&str, &[u8]); 1] = [("content-type", b"application/json")];
                let body = self.payload.to_string();
                let wire = HttpWire::new("POST", "/hooks", None, headers, body.as_bytes());
                provider::decode_http(Some(provider), wire, at).expect("sample JSON decodes")
            }
        }
    }
}

fn set_time(provider: Provider, payload: &mut Value, at: Timestamp) {
    let Some(object) = payload.as_object_mut() else {
        return;
    };
    match provider {
        Provider::Cytracom => object.insert("event_time".into(), json!(at.as_millisecond())),
        Provider::Telphin => {
            object.insert("EventTime".into(), json!(at.as_microsecond().to_string()))
        }
        Provider::Callcenter => object.insert("ts".into(), json!(at.as_second())),
        Provider::Teltel => object.insert(
            "timestamp".into(),
            json!(at.strftime("%Y-%m-%d %H:%M:%S").to_string()),
        ),
        Provider::Ringcentral => {
            if let Some(body) = object.get_mut("body").and_then(Value::as_object_mut) {
                body.insert("eventTime".into(), json!(format!("{at:.3}")));
            }
            None
        }
        _ => None,
    };
}
