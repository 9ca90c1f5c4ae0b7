//! `replay --calls`: one row per call, built from its events. Only what the events say is
//! shown; a call whose end was never captured is `incomplete`, not guessed.

pub mod check;
pub mod live;
pub mod timeline;

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::envelope::{Direction, Envelope, Kind, Provider};

#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub call_id: String,
    pub provider: Provider,
    #[serde(with = "crate::envelope::millis")]
    pub first: Timestamp,
    #[serde(with = "crate::envelope::millis")]
    pub last: Timestamp,
    pub direction: Option<Direction>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outcome: Outcome,
    /// Seconds from the first ring (or start) to the answer.
    pub ring_seconds: Option<f64>,
    /// Seconds from the answer to the end.
    pub talk_seconds: Option<f64>,
    pub events: u64,
    pub kinds: Vec<Kind>,
    #[serde(skip)]
    ringing: Option<Timestamp>,
    #[serde(skip)]
    answered: Option<Timestamp>,
    #[serde(skip)]
    ended: bool,
    /// Whether an event said nobody answered the call (`call.missed`, `queue.abandoned`).
    #[serde(skip)]
    missed: bool,
    /// Why it was not answered: the state of the first event that said so (`BUSY`).
    #[serde(skip)]
    unanswered_state: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Answered,
    Missed,
    Busy,
    Failed,
    Ended,
    Incomplete,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Missed => "missed",
            Outcome::Busy => "busy",
            Outcome::Failed => "failed",
            Outcome::Ended => "ended",
            Outcome::Incomplete => "incomplete",
        }
    }
}

/// Calls in the order their first event arrived; events without a call id are counted apart.
#[derive(Default)]
pub struct CallTable {
    calls: Vec<Call>,
    index: HashMap<String, usize>,
    pub without_call_id: u64,
}

impl CallTable {
    pub fn add(&mut self, e: &Envelope) {
        let Some(id) = &e.call_id else {
            self.without_call_id += 1;
            return;
        };
        let slot = *self.index.entry(id.clone()).or_insert_with(|| {
            self.calls.push(Call::new(id, e));
            self.calls.len() - 1
        });
        self.calls[slot].add(e);
    }

    pub fn calls(&self) -> &[Call] {
        &self.calls
    }
}

/// Seconds from one time to a later one, to the millisecond; `None` when `to` is earlier.
pub fn seconds_between(from: Timestamp, to: Timestamp) -> Option<f64> {
    let d = to.duration_since(from).as_secs_f64();
    (d >= 0.0).then_some((d * 1000.0).round() / 1000.0)
}

impl Call {
    /// A call as its first event, `e`, begins it (not yet counted: [`Call::add`] it).
    pub fn new(id: &str, e: &Envelope) -> Call {
        let at = e.time.unwrap_or(e.received);
        Call {
            call_id: id.to_owned(),
            provider: e.provider,
            first: at,
            last: at,
            direction: None,
            from: None,
            to: None,
            outcome: Outcome::Incomplete,
            ring_seconds: None,
            talk_seconds: None,
            events: 0,
            kinds: Vec::new(),
            ringing: None,
            answered: None,
            ended: false,
            missed: false,
            unanswered_state: None,
        }
    }

    /// One more event of the call.
    pub fn add(&mut self, e: &Envelope) {
        let at = e.time.unwrap_or(e.received);
        self.events += 1;
        self.first = self.first.min(at);
        self.last = self.last.max(at);
        self.direction = self.direction.or(e.direction);
        self.from = self.from.take().or_else(|| e.from.clone());
        self.to = self.to.take().or_else(|| e.to.clone());
        if self.kinds.last() != Some(&e.kind) {
            self.kinds.push(e.kind);
        }
        match e.kind {
            Kind::CallStarted | Kind::CallRinging | Kind::QueueJoined => {
                self.ringing = Some(self.ringing.map_or(at, |r| r.min(at)));
            }
            Kind::CallAnswered | Kind::CallJoined | Kind::QueueConnected => {
                self.answered = Some(self.answered.map_or(at, |a| a.min(at)));
            }
            Kind::CallUnanswered => self.unanswered(e),
            Kind::QueueAbandoned => {
                self.missed = true;
                self.unanswered(e);
            }
            Kind::CallMissed => {
                self.missed = true;
                self.ended = true;
                self.unanswered(e);
            }
            // A party gone to another session has left this one: for this call, an end.
            Kind::CallEnded | Kind::QueueCompleted | Kind::CallTransferred => self.ended = true,
            _ => {}
        }
        self.settle();
    }

    /// Whether the call has ended (its outcome is known).
    pub fn ended(&self) -> bool {
        self.ended
    }

    fn unanswered(&mut self, e: &Envelope) {
        let state = e.state.clone().unwrap_or_else(|| "missed".into());
        self.unanswered_state.get_or_insert(state);
    }

    fn settle(&mut self) {
        let seconds = seconds_between;
        self.ring_seconds = match (self.ringing, self.answered) {
            (Some(r), Some(a)) => seconds(r, a),
            _ => None,
        };
        self.talk_seconds = match (self.answered, self.ended) {
            (Some(a), true) => seconds(a, self.last),
            _ => None,
        };
        // Missed only where an event said so, as `--only call.missed` selects: a call that
        // ended unanswered without one (an outbound call RingCentral does not mark) `ended`.
        self.outcome = if !self.ended {
            Outcome::Incomplete
        } else if self.answered.is_some() {
            Outcome::Answered
        } else if !self.missed {
            Outcome::Ended
        } else {
            let squeezed = self.unanswered_state.as_deref().map(|state| {
                let letters = state.chars().filter(char::is_ascii_alphanumeric);
                letters.map(|c| c.to_ascii_lowercase()).collect::<String>()
            });
            match squeezed.as_deref() {
                Some("busy" | "userbusy" | "targetbusy") => Outcome::Busy,
                Some(
                    "congestion" | "chanunavail" | "failed" | "invalidargs" | "internalerror"
                    | "invalidnumber",
                ) => Outcome::Failed,
                _ => Outcome::Missed,
            }
        };
    }
}
