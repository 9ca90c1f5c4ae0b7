//! The live call board's calls: those in progress and the most recent ended, as their events
//! come, with the run's counters. Bounded whatever the stream sends: calls that never end
//! (their end lost) make way for new ones, and each call keeps its latest steps only.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use jiff::Timestamp;

use super::{Call, Outcome};
use crate::envelope::{Envelope, Kind};

/// Calls in progress at most: beyond it the longest-open make way (their ends were lost).
pub const MOST_OPEN: usize = 5_000;
/// Ended calls kept for the board.
pub const MOST_ENDED: usize = 200;
/// Steps kept of one call, for its timeline.
pub const MOST_STEPS: usize = 200;
/// Ring times kept for the median.
const RING_SAMPLE: usize = 10_000;

/// One event of a call, as its timeline shows it.
#[derive(Debug, Clone)]
pub struct Step {
    pub at: Timestamp,
    pub kind: Kind,
    pub event_type: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub state: Option<String>,
}

/// A call on the board.
#[derive(Debug, Clone)]
pub struct LiveCall {
    pub call: Call,
    /// When the board first saw it: its duration ticks from here.
    pub seen: Instant,
    /// When it ended, as the board saw it.
    pub ended: Option<Instant>,
    /// The latest event's kind and state.
    pub last: (Kind, Option<String>),
    pub steps: VecDeque<Step>,
    /// Steps beyond [`MOST_STEPS`], counted only.
    pub left_out: u64,
}

impl LiveCall {
    fn add(&mut self, e: &Envelope) {
        self.call.add(e);
        self.last = (e.kind, e.state.clone());
        if self.steps.len() == MOST_STEPS {
            self.steps.pop_front();
            self.left_out += 1;
        }
        self.steps.push_back(Step {
            at: e.time.unwrap_or(e.received),
            kind: e.kind,
            event_type: e.event_type.clone(),
            from: e.from.clone(),
            to: e.to.clone(),
            state: e.state.clone(),
        });
    }
}

#[derive(Default)]
pub struct Live {
    open: HashMap<String, LiveCall>,
    /// Open calls' ids in the order they came, to find the longest-open (ids of calls since
    /// ended are passed over).
    opened: VecDeque<String>,
    /// The most recent first.
    ended: VecDeque<LiveCall>,
    pub events: u64,
    pub calls: u64,
    pub answered: u64,
    /// Ended nobody answering: missed, busy or failed.
    pub missed: u64,
    /// Open calls that made way for new ones.
    pub dropped: u64,
    rings: VecDeque<f64>,
}

impl Live {
    pub fn add(&mut self, e: &Envelope, now: Instant) {
        self.events += 1;
        let Some(id) = &e.call_id else {
            return;
        };
        if let Some(call) = self.open.get_mut(id) {
            call.add(e);
            if call.call.ended() {
                let call = self.open.remove(id).expect("just found");
                self.close(call, now);
            }
            return;
        }
        // A late event of an ended call (another leg's hang-up) joins its story.
        if let Some(call) = self.ended.iter_mut().find(|c| &c.call.call_id == id) {
            call.add(e);
            return;
        }
        self.calls += 1;
        let mut call = LiveCall {
            call: Call::new(id, e),
            seen: now,
            ended: None,
            last: (e.kind, None),
            steps: VecDeque::new(),
            left_out: 0,
        };
        call.add(e);
        if call.call.ended() {
            self.close(call, now);
            return;
        }
        while self.open.len() >= MOST_OPEN {
            let Some(oldest) = self.opened.pop_front() else {
                break;
            };
            if self.open.remove(&oldest).is_some() {
                self.dropped += 1;
            }
        }
        self.opened.push_back(id.clone());
        self.open.insert(id.clone(), call);
        // Ids of calls since ended only take room: let them go now and then.
        if self.opened.len() > 2 * MOST_OPEN {
            self.opened.retain(|id| self.open.contains_key(id));
        }
    }

    fn close(&mut self, mut call: LiveCall, now: Instant) {
        call.ended = Some(now);
        match call.call.outcome {
            Outcome::Answered => self.answered += 1,
            Outcome::Missed | Outcome::Busy | Outcome::Failed => self.missed += 1,
            Outcome::Ended | Outcome::Incomplete => {}
        }
        if let Some(ring) = call.call.ring_seconds {
            if self.rings.len() == RING_SAMPLE {
                self.rings.pop_front();
            }
            self.rings.push_back(ring);
        }
        self.ended.push_front(call);
        self.ended.truncate(MOST_ENDED);
    }

    /// Calls in progress, the most recently seen first.
    pub fn open(&self) -> Vec<&LiveCall> {
        let mut open: Vec<&LiveCall> = self.open.values().collect();
        open.sort_by_key(|c| std::cmp::Reverse(c.seen));
        open
    }

    /// Ended calls, the most recent first.
    pub fn ended(&self) -> impl Iterator<Item = &LiveCall> {
        self.ended.iter()
    }

    pub fn find(&self, id: &str) -> Option<&LiveCall> {
        (self.open.get(id)).or_else(|| self.ended.iter().find(|c| c.call.call_id == id))
    }

    /// The median ring time of the latest ended calls that rang and were answered.
    pub fn median_ring(&self) -> Option<f64> {
        let mut rings: Vec<f64> = self.rings.iter().copied().collect();
        if rings.is_empty() {
            return None;
        }
        let middle = rings.len() / 2;
        let (_, median, _) = rings.select_nth_unstable_by(middle, f64::total_cmp);
        Some(*median)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_move_from_open_to_ended_and_are_counted() {
        let mut live = Live::default();
        let now = Instant::now();
        for e in crate::sample::envelopes(30, 3, Timestamp::UNIX_EPOCH) {
            live.add(&e, now);
        }
        assert_eq!(live.calls, 30);
        assert!(live.open().is_empty(), "every sample call ends");
        assert_eq!(live.ended().count(), 30);
        assert!(live.answered + live.missed <= 30);
        assert!(live.answered > 0 && live.median_ring().is_some());
    }

    #[test]
    fn calls_that_never_end_make_way() {
        let mut live = Live::default();
        let now = Instant::now();
        let mut e = crate::sample::envelopes(1, 1, Timestamp::UNIX_EPOCH)
            .next()
            .unwrap();
        e.kind = Kind::CallRinging;
        for n in 0..MOST_OPEN + 10 {
            e.call_id = Some(format!("c{n}"));
            live.add(&e, now);
        }
        assert_eq!(live.open().len(), MOST_OPEN);
        assert_eq!(live.dropped, 10);
        assert!(live.find("c0").is_none() && live.find("c10").is_some());
        assert!(live.opened.len() <= 2 * MOST_OPEN);
    }
}
