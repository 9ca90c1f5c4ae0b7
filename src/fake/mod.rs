//! Fake calls, deterministic for a seed, as each provider would tell them: the demo streams
//! them, and the samples (the example capture, the test and benchmark corpora) decode them.

mod cytracom;
mod webhooks;

use serde_json::Value;

use crate::envelope::{Direction, Provider};

pub use cytracom::{linked_id, monitored_event, queue_event};

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

/// One call: who called whom, and how it went.
#[derive(Debug, Clone)]
pub struct Call {
    /// The provider's id for the call.
    pub id: String,
    pub direction: Direction,
    pub caller: Party,
    pub callee: Party,
    pub outcome: Outcome,
    /// Seeds what else the call needs (channel ids).
    pub seed: u64,
}

#[derive(Debug, Clone, Copy)]
pub struct Party {
    pub number: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Answered,
    NoAnswer,
    Busy,
}

/// One event of a call before it is sent: the provider's name for it and its payload.
pub struct Step {
    pub name: String,
    pub payload: Value,
}

impl Step {
    fn new(name: &str, payload: Value) -> Step {
        Step {
            name: name.to_owned(),
            payload,
        }
    }
}

impl Call {
    /// A call as a small office's PBX has them: in, out or between extensions; mostly
    /// answered, some not, a few busy.
    pub fn office(id: String, seed: u64) -> Call {
        let mut rng = fastrand::Rng::with_seed(seed);
        let outside = |rng: &mut fastrand::Rng, name| Party {
            number: OUTSIDE[rng.usize(..OUTSIDE.len())],
            name,
        };
        let person = |i: usize| Party {
            number: PEOPLE[i].0,
            name: PEOPLE[i].1,
        };
        let (direction, caller, callee) = match rng.u8(0..100) {
            0..45 => {
                let callee = person(rng.usize(..PEOPLE.len()));
                (
                    Direction::Inbound,
                    outside(&mut rng, "Outside Caller"),
                    callee,
                )
            }
            45..80 => {
                let caller = person(rng.usize(..PEOPLE.len()));
                (
                    Direction::Outbound,
                    caller,
                    outside(&mut rng, "Outbound Call"),
                )
            }
            _ => {
                let a = rng.usize(..PEOPLE.len());
                let b = (a + 1 + rng.usize(..PEOPLE.len() - 1)) % PEOPLE.len();
                (Direction::Internal, person(a), person(b))
            }
        };
        let outcome = match rng.u8(0..100) {
            0..65 => Outcome::Answered,
            65..85 => Outcome::NoAnswer,
            _ => Outcome::Busy,
        };
        Call {
            id,
            direction,
            caller,
            callee,
            outcome,
            seed,
        }
    }

    pub fn answered(&self) -> bool {
        self.outcome == Outcome::Answered
    }

    pub fn inbound(&self) -> bool {
        self.direction == Direction::Inbound
    }

    /// The call's events as `provider` sends them, in order; `customer` is Cytracom's
    /// customer code.
    pub fn steps(&self, provider: Provider, customer: &str) -> Vec<Step> {
        match provider {
            Provider::Cytracom => self.cytracom(customer),
            Provider::Telphin => self.telphin(),
            Provider::Callcenter => self.callcenter(),
            Provider::Teltel => self.teltel(),
            Provider::Ringcentral => self.ringcentral(),
            // A provider without fake calls yet.
            _ => Vec::new(),
        }
    }
}

/// Which call event `n` of a stream belongs to, and its step in that call, when each call's
/// steps come `lags` calls after its first: step `i` of call `c` takes slot `k·(c + lags[i]) + i`
/// of `k = lags.len()`, so calls overlap as on a real PBX while `n` alone decides the event.
/// The slots that would belong to calls before the first are skipped.
pub fn scheduled(n: u64, lags: &[u64]) -> (u64, usize) {
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
