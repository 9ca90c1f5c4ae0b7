//! Realistic sample events of all five providers, deterministic for a seed: the example
//! capture, the differential-test corpus and the benchmark corpus all come from here.
//! Each event goes through the real wire format and the real decoder.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::envelope::Envelope;
use crate::envelope::{HttpWire, SseWire};
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
        let id = format!("{seed:x}-{call:07}");
        let call = Call {
            id,
            from,
            to,
            inbound,
            answered,
        };
        let steps = call.steps(provider);
        let mut events = Vec::with_capacity(steps.len());
        for step in steps {
            clock += SignedDuration::from_millis(rng.i64(200..4000));
            events.push(step.decode(provider, clock));
        }
        events
    })
}

struct Call<'a> {
    id: String,
    from: &'a str,
    to: &'a str,
    inbound: bool,
    answered: bool,
}

/// One event before decoding: a name and a payload.
struct Step {
    name: String,
    payload: Value,
}

impl Step {
    fn new(name: &str, payload: Value) -> Step {
        Step {
            name: name.to_owned(),
            payload,
        }
    }

    fn decode(mut self, provider: Provider, at: Timestamp) -> Envelope {
        set_time(provider, &mut self.payload, at);
        match provider {
            Provider::Cytracom => {
                let wire = SseWire {
                    event: self.name,
                    id: None,
                    data: self.payload.to_string(),
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
        Provider::Unknown => None,
    };
}

impl Call<'_> {
    fn steps(&self, provider: Provider) -> Vec<Step> {
        match provider {
            Provider::Cytracom => self.cytracom(),
            Provider::Telphin => self.telphin(),
            Provider::Callcenter => self.callcenter(),
            Provider::Teltel => self.teltel(),
            Provider::Ringcentral => self.ringcentral(),
            Provider::Unknown => Vec::new(),
        }
    }

    fn cytracom(&self) -> Vec<Step> {
        let direction = if self.inbound { "inbound" } else { "outbound" };
        let status = if self.answered {
            "answered"
        } else {
            "no answer"
        };
        let base = |event: &str| {
            json!({"unique_id": format!("u-{}", self.id), "linked_id": self.id,
            "event": event, "direction": direction, "customer_code": "baaaaac"})
        };
        let with = |mut v: Value, key: &str, party: Value| {
            v[key] = party;
            v
        };
        let caller =
            json!({"state": null, "number": self.from, "name": "Caller", "answered_time": "0"});
        let called = |state: &str| json!({"state": state, "number": self.to, "name": "Callee", "dial_status": state});
        vec![
            Step::new(
                "chan.dial_begin",
                with(
                    with(base("chan.dial_begin"), "caller", caller.clone()),
                    "called",
                    called("ringing"),
                ),
            ),
            Step::new(
                "chan.dial_end",
                with(
                    with(base("chan.dial_end"), "caller", caller),
                    "called",
                    called(status),
                ),
            ),
            Step::new(
                "chan.hangup",
                with(
                    base("chan.hangup"),
                    "channel",
                    json!({"state": "hangup",
                "number": self.to, "dial_status": status, "connected_number": self.from}),
                ),
            ),
        ]
    }

    fn telphin(&self) -> Vec<Step> {
        let flow = if self.inbound { "IN" } else { "OUT" };
        let fields = |event: &str, status: &str| {
            json!({"EventType": event, "CallID": self.id,
            "CallerIDNum": self.from, "CalledNumber": self.to, "CallStatus": status, "CallFlow": flow,
            "CalledExtension": "000*099@sipproxy.telphin.ru", "SubCallID": format!("{}-1", self.id)})
        };
        let dial = if self.inbound { "dial-in" } else { "dial-out" };
        let mut steps = vec![Step::new(dial, fields(dial, "CALLING"))];
        if self.answered {
            steps.push(Step::new("answer", fields("answer", "ANSWER")));
        }
        let outcome = if self.answered { "ANSWER" } else { "NOANSWER" };
        steps.push(Step::new("hangup", fields("hangup", outcome)));
        steps
    }

    fn callcenter(&self) -> Vec<Step> {
        let kind = if self.inbound { "inbound" } else { "outbound" };
        let event = |name: &str| {
            json!({"event": name, "id": format!("{}-leg", self.id), "call_id": self.id,
            "site_id": 1, "type": kind, "cid_num": self.from, "dst_num": self.to, "a2": "US"})
        };
        let mut steps = vec![Step::new("call:ring", event("call:ring"))];
        if self.answered {
            steps.push(Step::new("call:answer", event("call:answer")));
        }
        let mut end = event("call:end");
        end["hangup_cause"] = json!(if self.answered {
            "NORMAL_CLEARING"
        } else {
            "NO_ANSWER"
        });
        steps.push(Step::new("call:end", end));
        steps
    }

    fn teltel(&self) -> Vec<Step> {
        let direction = if self.inbound { "inbound" } else { "outbound" };
        let event = |name: &str| {
            json!({"event": name, "id": format!("{}-{name}", self.id),
            "accountcode": "acc-1", "session_id": format!("s-{}", self.id), "call_id": self.id,
            "direction": direction, "type": "standard", "from": self.from, "to": self.to})
        };
        let mut result = event("RINGRESULT");
        result["state"] = json!(if self.answered { "ANSWER" } else { "NOANSWER" });
        let mut steps = vec![
            Step::new("START", event("START")),
            Step::new("RING", event("RING")),
            Step::new("RINGRESULT", result),
        ];
        if self.answered {
            steps.push(Step::new("JOIN", event("JOIN")));
            steps.push(Step::new("LEAVE", event("LEAVE")));
        }
        let mut done = event("COMPLETED");
        done["is_answered"] = json!(self.answered);
        steps.push(Step::new("COMPLETED", done));
        steps
    }

    fn ringcentral(&self) -> Vec<Step> {
        let direction = if self.inbound { "Inbound" } else { "Outbound" };
        let notification = |code: &str| {
            json!({"uuid": format!("{}-{code}", self.id), "event":
            "/restapi/v1.0/account/1/extension/2/telephony/sessions", "subscriptionId": "sub-1",
            "ownerId": "2", "body": {"telephonySessionId": self.id, "sequence": 1,
            "parties": [{"extensionId": "2", "direction": direction, "from": {"phoneNumber": self.from},
            "to": {"phoneNumber": self.to}, "status": {"code": code}, "missedCall": !self.answered}]}})
        };
        let mut steps = vec![
            Step::new("Setup", notification("Setup")),
            Step::new("Proceeding", notification("Proceeding")),
        ];
        if self.answered {
            steps.push(Step::new("Answered", notification("Answered")));
        }
        steps.push(Step::new("Disconnected", notification("Disconnected")));
        steps
    }
}
