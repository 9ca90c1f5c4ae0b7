//! `telev tail demo`: a simulator of realistic Cytracom calls, served over loopback SSE so the
//! real connector, decoder and printer run exactly as they do against a real account.
//! Event `n` of a stream is a pure function of `n`, so `Last-Event-ID` resumes exactly.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::envelope::Stream;
use crate::serve::sse::{Feed, FeedRequest, frame};

/// The token the demo server expects; the demo passes it itself.
pub const TOKEN: &str = "demo";

const PEOPLE: [(&str, &str); 6] = [
    ("201", "Mark Meyer"),
    ("202", "Dana Cruz"),
    ("203", "Lee Park"),
    ("226", "Front Desk"),
    ("240", "Sales Line"),
    ("697", "Support"),
];
const OUTSIDE: [&str; 6] = [
    "2147367077",
    "8774112987",
    "3125550143",
    "6465550199",
    "4155550123",
    "7185550177",
];

/// The feed for the demo's SSE server: `rate` events per second on every stream.
pub fn feed(rate: f64, customer: &'static str) -> Feed {
    let epoch = jiff::Timestamp::now().as_millisecond();
    let period = Duration::from_secs_f64(1.0 / rate.clamp(0.01, 1_000_000.0));
    Arc::new(move |req: FeedRequest| {
        let start = req
            .last_event_id
            .and_then(|id| id.parse::<u64>().ok())
            .map_or(0, |id| id + 1);
        let stream = req.stream;
        // Scheduled against a start instant, so the rate holds even when sleeps overshoot.
        let first = tokio::time::Instant::now();
        futures_util::stream::unfold(start, move |n| {
            let deadline = first + period.mul_f64((n - start) as f64);
            async move {
                tokio::time::sleep_until(deadline).await;
                let (event, data) = event(stream, n, epoch, customer);
                Some((
                    frame(Some(&n.to_string()), &event, &data.to_string()),
                    n + 1,
                ))
            }
        })
        .boxed()
    })
}

/// Event `n` of `stream`: its SSE name and JSON payload.
pub fn event(stream: Stream, n: u64, epoch: i64, customer: &str) -> (String, Value) {
    let now = jiff::Timestamp::now().as_millisecond();
    match stream {
        Stream::Queue => queue_event(n, now, epoch),
        Stream::Monitored => {
            let call = n;
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
        _ => chan_event(n, now, epoch, customer),
    }
}

/// Cytracom's shape (`1548318101312.864897`): the call's start in epoch milliseconds and six
/// digits that differ from call to call, so short call ids (`…2.864897`) tell calls apart.
fn linked_id(epoch: i64, call: u64) -> String {
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

/// Which call event `n` of a stream belongs to, and its step in that call, when each call's
/// steps come `lags` calls after its first: step `i` of call `c` takes slot `k·(c + lags[i]) + i`
/// of `k = lags.len()`, so calls overlap as on a real PBX while `n` alone decides the event.
/// The slots that would belong to calls before the first are skipped.
fn scheduled(n: u64, lags: &[u64]) -> (u64, usize) {
    let k = lags.len() as u64;
    let slot_call = |slot: u64| (slot / k).checked_sub(lags[(slot % k) as usize]);
    // Past the largest lag's first round every slot is some call's, and the skipped ones
    // number the sum of the lags.
    let skipped: u64 = lags.iter().sum();
    let full = k * lags.iter().max().copied().unwrap_or(0);
    let slot = if n + skipped >= full {
        n + skipped
    } else {
        (0..full)
            .filter(|&slot| slot_call(slot).is_some())
            .nth(n as usize)
            .expect("fewer than `full` events before every slot is a call's")
    };
    let call = slot_call(slot).expect("a slot that is some call's");
    (call, (slot % k) as usize)
}

/// Three events per call: dial_begin; dial_end once the next call has begun; hangup once three
/// calls after it have.
fn chan_event(n: u64, now: i64, epoch: i64, customer: &str) -> (String, Value) {
    let (call, step) = scheduled(n, &[0, 1, 3]);
    let mut rng = fastrand::Rng::with_seed(call);
    let (direction, caller, callee) = match rng.u8(0..100) {
        0..45 => {
            let (ext, name) = PEOPLE[rng.usize(..PEOPLE.len())];
            (
                "inbound",
                (OUTSIDE[rng.usize(..OUTSIDE.len())], "Outside Caller"),
                (ext, name),
            )
        }
        45..80 => {
            let (ext, name) = PEOPLE[rng.usize(..PEOPLE.len())];
            (
                "outbound",
                (ext, name),
                (OUTSIDE[rng.usize(..OUTSIDE.len())], "Outbound Call"),
            )
        }
        _ => {
            let a = rng.usize(..PEOPLE.len());
            let b = (a + 1 + rng.usize(..PEOPLE.len() - 1)) % PEOPLE.len();
            ("internal", PEOPLE[a], PEOPLE[b])
        }
    };
    let outcome = match rng.u8(0..100) {
        0..65 => "answered",
        65..85 => "no answer",
        _ => "busy",
    };
    let (caller_channel, callee_channel) = (uuid(&mut rng), uuid(&mut rng));
    let unique_id = uuid(&mut rng);
    let base = json!({
        "unique_id": unique_id,
        "linked_id": linked_id(epoch, call),
        "event_time": now,
        "direction": direction,
        "customer_code": customer,
    });
    let mut data = base;
    let object = data.as_object_mut().expect("built as an object");
    let name = match step {
        0 | 1 => {
            // dial_begin rings the callee; dial_end tells how the ringing ended.
            let (name, state, status) = match (step, outcome) {
                (0, _) => ("chan.dial_begin", "ringing", "ringing"),
                (_, "answered") => ("chan.dial_end", "answered", outcome),
                _ => ("chan.dial_end", "hangup", outcome),
            };
            let caller = party(
                caller.0,
                caller.1,
                customer,
                Value::Null,
                Value::Null,
                &caller_channel,
            );
            let called = party(
                callee.0,
                callee.1,
                customer,
                json!(state),
                json!(status),
                &callee_channel,
            );
            object.insert("event".into(), json!(name));
            object.insert("caller".into(), caller);
            object.insert("called".into(), called);
            name
        }
        _ => {
            object.insert("event".into(), json!("chan.hangup"));
            object.insert(
                "channel".into(),
                json!({
                    "state": "hangup", "number": callee.0, "name": callee.1, "dial_status": outcome,
                    "device": format!("sip{}_{customer}", callee.0), "connected_number": caller.0,
                    "connected_name": caller.1, "channel_id": callee_channel,
                }),
            );
            "chan.hangup"
        }
    };
    (name.to_owned(), data)
}

/// Four events per queue call, overlapping the next two: caller_join, member_connect or
/// caller_abandon, member_complete (or a member_state), and the queue_status after it.
fn queue_event(n: u64, now: i64, epoch: i64) -> (String, Value) {
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[test]
    fn every_call_has_each_step_once_in_order_and_calls_overlap() {
        for lags in [&[0, 1, 3][..], &[0, 1, 2, 2]] {
            let mut next_step: HashMap<u64, usize> = HashMap::new();
            let mut overlapping = 0;
            for n in 0..3000 {
                let (call, step) = super::scheduled(n, lags);
                let expected = next_step.entry(call).or_default();
                assert_eq!(
                    step, *expected,
                    "call {call} at event {n} with lags {lags:?}"
                );
                *expected += 1;
                let open = next_step.values().filter(|&&s| s < lags.len()).count();
                overlapping = overlapping.max(open);
            }
            let whole = next_step.values().filter(|&&s| s == lags.len()).count();
            assert!(
                whole >= 3000 / lags.len() - 4,
                "{whole} whole calls of {lags:?}"
            );
            assert!(overlapping >= 3, "at most {overlapping} calls at once");
        }
    }

    #[test]
    fn linked_ids_have_cytracom_shape_and_differ_where_short_ids_look() {
        let epoch = 1_548_318_101_312;
        let ids: Vec<String> = (0..1000)
            .map(|call| super::linked_id(epoch, call))
            .collect();
        for id in &ids {
            let (millis, digits) = id.split_once('.').expect("a dot");
            assert_eq!((millis.len(), digits.len()), (13, 6), "{id}");
        }
        let ends: std::collections::HashSet<&str> =
            ids.iter().map(|id| &id[id.len() - 6..]).collect();
        assert_eq!(
            ends.len(),
            ids.len(),
            "the last six digits tell calls apart"
        );
    }
}
