//! Cytracom's events of a fake call: channel events (`chan.*`), queue calls (`queue.*`) and
//! recordings (`monitored.*`), shaped as the seed shows them.

use serde_json::{Value, json};

use super::{Call, OUTSIDE, Outcome, PEOPLE, Step, scheduled};

/// Cytracom's shape (`1548318101312.864897`): the call's start in epoch milliseconds and six
/// digits that differ from call to call, so short call ids (`…2.864897`) tell calls apart.
pub fn linked_id(epoch: i64, call: u64) -> String {
    // Multiplying by a number prime to 10⁶ permutes the six digits: no two calls share them.
    let digits = (call * 862_147 + 313_091) % 1_000_000;
    format!("{}.{digits:06}", epoch + call as i64 * 1000)
}

fn uuid(rng: &mut fastrand::Rng) -> String {
    let h = |rng: &mut fastrand::Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from_digit(rng.u32(0..16), 16).unwrap_or('0'))
            .collect()
    };
    format!(
        "{}-{}-{}-{}-{}",
        h(rng, 8),
        h(rng, 4),
        h(rng, 4),
        h(rng, 4),
        h(rng, 12)
    )
}

fn party(
    number: &str,
    name: &str,
    customer: &str,
    state: Value,
    dial_status: Value,
    channel: &str,
) -> Value {
    let device = if number.len() <= 4 {
        json!(format!("sip{number}_{customer}"))
    } else {
        Value::Null
    };
    json!({"state": state, "number": number, "name": name, "dial_status": dial_status,
           "device": device, "channel_id": channel})
}

impl Call {
    /// Three events: `dial_begin`, `dial_end` (answered, no answer or busy), `hangup`.
    pub(super) fn cytracom(&self, customer: &str) -> Vec<Step> {
        let mut rng = fastrand::Rng::with_seed(self.seed);
        let (caller_channel, callee_channel) = (uuid(&mut rng), uuid(&mut rng));
        let direction = self.direction.as_str();
        let status = match self.outcome {
            Outcome::Answered => "answered",
            Outcome::NoAnswer => "no answer",
            Outcome::Busy => "busy",
        };
        let base = json!({
            "unique_id": uuid(&mut rng),
            "linked_id": self.id,
            "direction": direction,
            "customer_code": customer,
        });
        let (caller, callee) = (self.caller, self.callee);
        let dial = |name: &str, state: &str, dial_status: &str| {
            let mut event = base.clone();
            event["event"] = json!(name);
            event["caller"] = party(
                caller.number,
                caller.name,
                customer,
                Value::Null,
                Value::Null,
                &caller_channel,
            );
            event["called"] = party(
                callee.number,
                callee.name,
                customer,
                json!(state),
                json!(dial_status),
                &callee_channel,
            );
            Step::new(name, event)
        };
        let ended = if self.answered() {
            "answered"
        } else {
            "hangup"
        };
        let mut hangup = base.clone();
        hangup["event"] = json!("chan.hangup");
        hangup["channel"] = json!({
            "state": "hangup", "number": callee.number, "name": callee.name, "dial_status": status,
            "device": format!("sip{}_{customer}", callee.number), "connected_number": caller.number,
            "connected_name": caller.name, "channel_id": callee_channel,
        });
        vec![
            dial("chan.dial_begin", "ringing", "ringing"),
            dial("chan.dial_end", ended, status),
            Step::new("chan.hangup", hangup),
        ]
    }
}

/// A recording of call `call`, ready.
pub fn monitored_event(call: u64, epoch: i64, now: i64, customer: &str) -> (String, Value) {
    let data = json!({
        "event": "monitored.recording_available",
        "linked_id": linked_id(epoch, call),
        "event_time": now,
        "customer_code": customer,
        "recording_id": format!("rec-{call:06}"),
        "duration": 30 + (call * 37) % 400,
    });
    ("monitored.recording_available".into(), data)
}

/// Four events per queue call, overlapping the next two: caller_join, member_connect or
/// caller_abandon, member_complete (or a member_state), and the queue_status after it.
pub fn queue_event(n: u64, now: i64, epoch: i64) -> (String, Value) {
    let (call, step) = scheduled(n, &[0, 1, 2, 2]);
    let mut rng = fastrand::Rng::with_seed(call ^ 0x5eed);
    let queue_id = 100 + rng.u32(0..3);
    let caller = OUTSIDE[rng.usize(..OUTSIDE.len())];
    let (member, member_name) = PEOPLE[rng.usize(..PEOPLE.len())];
    let abandoned = rng.u8(0..100) < 25;
    let wait = rng.u32(3..90);
    let linked = linked_id(epoch, call);
    let (name, data) = match (step, abandoned) {
        (0, _) => (
            "caller_join",
            json!({"queue_id": queue_id, "linked_id": linked, "caller_id_number": caller, "position": 1 + rng.u32(0..4)}),
        ),
        (1, true) => (
            "caller_abandon",
            json!({"queue_id": queue_id, "linked_id": linked, "caller_id_number": caller, "wait_time": wait}),
        ),
        (1, false) => (
            "member_connect",
            json!({"queue_id": queue_id, "linked_id": linked, "caller_id_number": caller, "member": member, "member_name": member_name, "wait_time": wait}),
        ),
        (2, true) => (
            "member_state",
            json!({"queue_id": queue_id, "member": member, "member_name": member_name, "member_state": "waiting"}),
        ),
        (2, false) => (
            "member_complete",
            json!({"queue_id": queue_id, "linked_id": linked, "caller_id_number": caller, "member": member, "talk_time": rng.u32(20..600), "wait_time": wait}),
        ),
        _ => (
            "queue_status",
            json!({"queue_id": queue_id, "callers_waiting": rng.u32(0..5), "members_available": rng.u32(0..6), "calls_today": call + 1}),
        ),
    };
    let mut data = data;
    let object = data.as_object_mut().expect("built as an object");
    let name = format!("queue.{name}");
    object.insert("event".into(), json!(name));
    object.insert("event_time".into(), json!(now));
    (name, data)
}
