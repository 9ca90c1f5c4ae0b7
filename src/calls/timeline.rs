//! `telev calls --call ID`: one call's story. Its events in the order they happened, each at
//! its offset from the first; each leg's changes; the ring, talk and hold times.

use jiff::Timestamp;
use serde::Serialize;

use super::{CallTable, Outcome, seconds_between};
use crate::envelope::{Direction, Envelope, Kind, Provider};

/// Events one call may hold before the rest are only counted: a crafted capture of a million
/// events under one call id must not hold them all.
pub const MOST_EVENTS: usize = 10_000;

/// One event of the call, as its story shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Seconds from the call's first event.
    pub offset: f64,
    #[serde(with = "crate::envelope::millis")]
    pub time: Timestamp,
    pub kind: Kind,
    #[serde(rename = "type")]
    pub event_type: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub state: Option<String>,
    /// The leg it belongs to: the provider's own leg id where it reports legs apart (a
    /// RingCentral party, a call-center leg), else the party it is about (its `to`, or `from`).
    pub leg: Option<String>,
}

/// One party's part of the call: the kinds its events said, in order, with their offsets.
#[derive(Debug, Clone, Serialize)]
pub struct Leg {
    /// The provider's leg id, else the party's number.
    pub leg: String,
    /// The number it rang, as its first event gave it.
    pub party: Option<String>,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub offset: f64,
    pub kind: Kind,
}

/// A call's story, built from its events in any order.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub call_id: String,
    pub provider: Provider,
    pub direction: Option<Direction>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outcome: Outcome,
    #[serde(with = "crate::envelope::millis")]
    pub first: Timestamp,
    pub ring_seconds: Option<f64>,
    pub talk_seconds: Option<f64>,
    /// Seconds on hold: from each `call.held` to the answer that takes it off hold (or the end).
    pub hold_seconds: Option<f64>,
    pub steps: Vec<Step>,
    pub legs: Vec<Leg>,
    /// Events past [`MOST_EVENTS`], counted only.
    pub left_out: u64,
}

/// Gathers one call's events, then tells its story.
#[derive(Default)]
pub struct Gathered {
    events: Vec<(Envelope, Option<String>)>,
    left_out: u64,
}

impl Gathered {
    /// Adds an event, with its leg where the provider reports legs apart.
    pub fn add(&mut self, envelope: Envelope, leg: Option<String>) {
        if self.events.len() < MOST_EVENTS {
            self.events.push((envelope, leg));
        } else {
            self.left_out += 1;
        }
    }

    /// The story, or `None` when no event was gathered.
    pub fn timeline(mut self) -> Option<Timeline> {
        // The order things happened: the provider's time where it gives one (a sort that keeps
        // the capture's order among equal times).
        self.events
            .sort_by_key(|(e, _)| e.time.unwrap_or(e.received));
        let mut table = CallTable::default();
        for (event, _) in &self.events {
            table.add(event);
        }
        let call = table.calls().first()?.clone();
        let first = (self.events.first()?.0.time).unwrap_or(self.events[0].0.received);
        let mut legs: Vec<Leg> = Vec::new();
        let mut steps = Vec::with_capacity(self.events.len());
        let mut held: Option<Timestamp> = None;
        let mut hold_seconds: Option<f64> = None;
        for (e, leg) in self.events {
            let at = e.time.unwrap_or(e.received);
            let offset = seconds_between(first, at).unwrap_or(0.0);
            match e.kind {
                Kind::CallHeld => {
                    held.get_or_insert(at);
                }
                Kind::CallAnswered | Kind::CallJoined | Kind::CallEnded | Kind::CallMissed => {
                    if let Some(since) = held.take() {
                        let on_hold = seconds_between(since, at).unwrap_or(0.0);
                        *hold_seconds.get_or_insert(0.0) += on_hold;
                    }
                }
                _ => {}
            }
            let leg = leg.or_else(|| e.to.clone()).or_else(|| e.from.clone());
            if let Some(id) = &leg {
                let index = match legs.iter().position(|l| &l.leg == id) {
                    Some(index) => index,
                    None => {
                        legs.push(Leg {
                            leg: id.clone(),
                            party: e.to.clone().or_else(|| e.from.clone()),
                            changes: Vec::new(),
                        });
                        legs.len() - 1
                    }
                };
                let change = Change {
                    offset,
                    kind: e.kind,
                };
                legs[index].changes.push(change);
            }
            steps.push(Step {
                offset,
                time: at,
                kind: e.kind,
                event_type: e.event_type,
                from: e.from,
                to: e.to,
                state: e.state,
                leg,
            });
        }
        Some(Timeline {
            call_id: call.call_id,
            provider: call.provider,
            direction: call.direction,
            from: call.from,
            to: call.to,
            outcome: call.outcome,
            first,
            ring_seconds: call.ring_seconds,
            talk_seconds: call.talk_seconds,
            hold_seconds: hold_seconds.map(|s| (s * 1000.0).round() / 1000.0),
            steps,
            legs,
            left_out: self.left_out,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: Kind, at_ms: i64, to: &str) -> Envelope {
        let mut e = crate::sample::envelopes(1, 1, Timestamp::UNIX_EPOCH)
            .next()
            .unwrap();
        e.kind = kind;
        e.time = Some(Timestamp::from_millisecond(at_ms).unwrap());
        e.to = Some(to.into());
        e.call_id = Some("c1".into());
        e
    }

    #[test]
    fn steps_are_in_time_order_with_offsets_and_hold_is_summed() {
        let mut gathered = Gathered::default();
        // Arrived out of order: the answer before the ring.
        gathered.add(event(Kind::CallAnswered, 5_000, "201"), None);
        gathered.add(event(Kind::CallRinging, 1_000, "201"), None);
        gathered.add(event(Kind::CallHeld, 10_000, "201"), None);
        gathered.add(event(Kind::CallAnswered, 12_500, "201"), None);
        gathered.add(event(Kind::CallEnded, 20_000, "201"), None);
        let story = gathered.timeline().unwrap();
        let offsets: Vec<f64> = story.steps.iter().map(|s| s.offset).collect();
        assert_eq!(offsets, [0.0, 4.0, 9.0, 11.5, 19.0]);
        assert_eq!(story.ring_seconds, Some(4.0));
        assert_eq!(story.hold_seconds, Some(2.5));
        assert_eq!(story.outcome, Outcome::Answered);
        assert_eq!(story.legs.len(), 1);
        let first = Change {
            offset: 0.0,
            kind: Kind::CallRinging,
        };
        assert_eq!(story.legs[0].changes[0], first);
    }

    #[test]
    fn a_call_of_too_many_events_keeps_the_first_and_counts_the_rest() {
        let mut gathered = Gathered::default();
        for i in 0..MOST_EVENTS as i64 + 5 {
            gathered.add(event(Kind::CallRinging, i, "201"), None);
        }
        let story = gathered.timeline().unwrap();
        assert_eq!(story.steps.len(), MOST_EVENTS);
        assert_eq!(story.left_out, 5);
    }
}
