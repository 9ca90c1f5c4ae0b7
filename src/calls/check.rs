//! `telev check`: what a call's events should never say, found in captures. Each rule is a
//! fact about the events as they arrived (in capture order, several captures merged by time),
//! reported with the line that shows it.
//!
//! A call starts with `call.started`, `call.ringing` or `queue.joined` and ends with
//! `call.ended`, `call.missed`, `call.transferred`, `queue.completed` or `queue.abandoned`;
//! which provider event each is, is the kinds table's. Where a provider reports each party's
//! part apart (a leg: a Cytracom channel, a RingCentral party, a call-center leg), what may
//! follow an end, and an answer, are judged per leg; a leg rung again after its end is a new
//! attempt, not an event after the end. A call has ended when any of its legs has.

use std::collections::HashMap;
use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::envelope::{Envelope, Kind, Provider, Stream, Wire};

/// What a finding is about: one rule each, named as `--ignore` and `-o ndjson` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A call with no start or ringing event
    NoStart,
    /// A call whose end never came, though the capture went on long after its last event
    NoEnd,
    /// A call still open when the capture ends
    Open,
    /// A ring, an answer or another step of a call (or phone) that had already ended
    AfterEnd,
    /// An event whose provider time is earlier than one of the same call before it
    Backwards,
    /// The same event twice (a provider's retry, or a replay recorded again)
    Duplicate,
    /// An answer that came before the call's ringing
    AnswerBeforeRing,
    /// A call (or phone) answered, whose end says nobody answered
    TalkUnanswered,
    /// Stream event ids that skip: events missed, as across a reconnect
    IdGap,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::NoStart => "no-start",
            Rule::NoEnd => "no-end",
            Rule::Open => "open",
            Rule::AfterEnd => "after-end",
            Rule::Backwards => "backwards",
            Rule::Duplicate => "duplicate",
            Rule::AnswerBeforeRing => "answer-before-ring",
            Rule::TalkUnanswered => "talk-unanswered",
            Rule::IdGap => "id-gap",
        }
    }
}

/// Where an event is: its file and line (the name shared, so that a place costs no
/// allocation: one is kept for each event the rules may point back to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    #[serde(serialize_with = "text")]
    pub file: Arc<str>,
    pub line: u64,
}

fn text<S: serde::Serializer>(file: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(file)
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One thing found: a rule, the call, where, and what a person reads.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub provider: Provider,
    pub call_id: Option<String>,
    #[serde(flatten)]
    pub place: Place,
    pub message: String,
}

/// A call's first steps.
pub fn starts(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::CallStarted | Kind::CallRinging | Kind::QueueJoined
    )
}

/// A call's (or a leg's) last steps.
pub fn ends(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::CallEnded
            | Kind::CallMissed
            | Kind::CallTransferred
            | Kind::QueueCompleted
            | Kind::QueueAbandoned
    )
}

/// The steps of a call that cannot follow its end.
fn progresses(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::CallStarted
            | Kind::CallRinging
            | Kind::CallAnswered
            | Kind::CallUnanswered
            | Kind::CallConnected
            | Kind::CallJoined
            | Kind::CallHeld
            | Kind::CallParked
    )
}

/// What an event shows a person: `hangup (call.ended)`.
fn named(e: &Envelope) -> String {
    format!("{} ({})", e.event_type, e.kind)
}

/// Events (for duplicates) and legs one call remembers at most.
const MOST_REMEMBERED: usize = 10_000;

/// A call as the rules see it so far.
struct CallState {
    /// Its place among the calls, by first event.
    order: u64,
    provider: Provider,
    call_id: String,
    first: (Place, String),
    last: (Place, String, Timestamp),
    /// Whether it has an event of a call's life at all (rather than only recordings, messages).
    lifecycle: bool,
    /// Where its first start or ringing was.
    started: Option<Place>,
    /// An answer before any start: where and which, until a start arrives.
    early_answer: Option<Place>,
    /// Where each scope ended (a leg, or the call: ""): scope → the end's place and name.
    ended: HashMap<String, (Place, String)>,
    /// Where each scope was first answered.
    answered: HashMap<String, Place>,
    /// The latest provider time seen, and where.
    latest: Option<(Timestamp, Place)>,
    /// Each event's payload, hashed, with where it was first seen.
    seen: HashMap<u64, Place>,
}

/// The rules, fed one event at a time, in capture order. A call ended more than `open_for`
/// (in the capture's time) before the latest event is forgotten, so that memory follows the
/// calls of the last hour, not the capture's length; an event of a forgotten call is not
/// judged.
pub struct Checker {
    calls: HashMap<String, CallState>,
    /// The calls forgotten, by a digest of their id.
    forgotten: HashSet<u64>,
    /// Calls seen in all.
    seen: u64,
    /// The last numeric SSE id of each provider's stream, and where it was.
    ids: HashMap<(Provider, Stream), (u64, Place)>,
    /// The capture's latest time, for telling `open` from `no-end`.
    latest: Option<Timestamp>,
    /// How long a call may go quiet before the capture's end before its end counts as lost.
    open_for: SignedDuration,
    hasher: std::collections::hash_map::RandomState,
    pub events: u64,
}

impl Checker {
    pub fn new(open_for: std::time::Duration) -> Checker {
        Checker {
            calls: HashMap::new(),
            forgotten: HashSet::new(),
            seen: 0,
            ids: HashMap::new(),
            latest: None,
            open_for: SignedDuration::try_from(open_for).unwrap_or(SignedDuration::MAX),
            hasher: Default::default(),
            events: 0,
        }
    }

    /// Calls seen so far.
    pub fn calls(&self) -> u64 {
        self.seen
    }

    /// Forgets the calls that ended more than `open_for` before the latest event.
    fn forget_old(&mut self) {
        let (Some(latest), open_for) = (self.latest, self.open_for) else {
            return;
        };
        let old = |c: &CallState| !c.ended.is_empty() && latest.duration_since(c.last.2) > open_for;
        let hasher = &self.hasher;
        let forgotten = &mut self.forgotten;
        self.calls.retain(|id, call| {
            let keep = !old(call);
            if !keep {
                forgotten.insert(hasher.hash_one(id));
            }
            keep
        });
    }

    /// Checks one event, of `leg` where the provider reports legs apart; what it shows goes to
    /// `found`.
    pub fn add(
        &mut self,
        e: &Envelope,
        leg: Option<String>,
        place: Place,
        found: &mut impl FnMut(Finding),
    ) {
        self.events += 1;
        let at = e.time.unwrap_or(e.received);
        self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        self.id_gap(e, &place, found);
        let Some(call_id) = &e.call_id else {
            return;
        };
        if self.events.is_multiple_of(4096) {
            self.forget_old();
        }
        if !self.calls.contains_key(call_id)
            && !self.forgotten.is_empty()
            && self.forgotten.contains(&self.hasher.hash_one(call_id))
        {
            return;
        }
        let digest = self.hasher.hash_one((e.provider, e.raw.text()));
        let seen = &mut self.seen;
        let call = self.calls.entry(call_id.clone()).or_insert_with(|| {
            *seen += 1;
            CallState {
                order: *seen,
                provider: e.provider,
                call_id: call_id.clone(),
                first: (place.clone(), named(e)),
                last: (place.clone(), named(e), at),
                lifecycle: false,
                started: None,
                early_answer: None,
                ended: HashMap::new(),
                answered: HashMap::new(),
                latest: None,
                seen: HashMap::new(),
            }
        });
        let finding = |rule: Rule, message: String| Finding {
            rule,
            provider: e.provider,
            call_id: Some(call_id.clone()),
            place: place.clone(),
            message,
        };
        if let Some(first) = call.seen.get(&digest) {
            found(finding(
                Rule::Duplicate,
                format!("{} is the same event as {first}", named(e)),
            ));
            return;
        }
        // A crafted capture can give one call millions of events: past a bound, later ones
        // are no longer compared for duplicates.
        if call.seen.len() < MOST_REMEMBERED {
            call.seen.insert(digest, place.clone());
        }
        call.last = (place.clone(), named(e), at);
        if let Some(time) = e.time {
            match &call.latest {
                Some((latest, before)) if time < *latest => {
                    let earlier = latest.duration_since(time).as_secs_f64();
                    found(finding(
                        Rule::Backwards,
                        format!(
                            "{} is {earlier:.3}s earlier than the event at {before}",
                            named(e)
                        ),
                    ));
                }
                _ => call.latest = Some((time, place.clone())),
            }
        }
        let kind = e.kind;
        if !(starts(kind) || ends(kind) || progresses(kind)) {
            return;
        }
        call.lifecycle = true;
        let per_leg = leg.is_some();
        let scope = leg.unwrap_or_default();
        // Likewise legs: past a bound, a new leg's end and answer are not kept.
        let room = call.ended.len() + call.answered.len() < MOST_REMEMBERED;
        if let Some((end, end_name)) = call.ended.get(&scope) {
            if per_leg && starts(kind) {
                // The leg rung again: a new attempt.
                call.ended.remove(&scope);
                call.answered.remove(&scope);
            } else if progresses(kind) {
                let whose = if per_leg { "its leg" } else { "the call" };
                found(finding(
                    Rule::AfterEnd,
                    format!("{} after {whose} ended ({end_name} at {end})", named(e)),
                ));
            }
        }
        if starts(kind) {
            if let Some(answer) = call.early_answer.take() {
                found(finding(
                    Rule::AnswerBeforeRing,
                    format!("{} came after the answer at {answer}", named(e)),
                ));
            }
            call.started.get_or_insert(place.clone());
        }
        if kind == Kind::CallAnswered {
            if call.started.is_none() && call.early_answer.is_none() {
                call.early_answer = Some(place.clone());
            }
            if room || call.answered.contains_key(&scope) {
                call.answered.entry(scope.clone()).or_insert(place.clone());
            }
        }
        if kind == Kind::CallMissed
            && let Some(answer) = call.answered.get(&scope)
        {
            let state = e.state.as_deref().unwrap_or("nobody answered");
            found(finding(
                Rule::TalkUnanswered,
                format!(
                    "{} says nobody answered ({state}), yet it was answered at {answer}",
                    named(e)
                ),
            ));
        }
        if ends(kind) && (room || call.ended.contains_key(&scope)) {
            call.ended
                .entry(scope)
                .or_insert_with(|| (place.clone(), named(e)));
        }
    }

    /// A numeric SSE id more than one past the last of the same stream.
    fn id_gap(&mut self, e: &Envelope, place: &Place, found: &mut impl FnMut(Finding)) {
        let Wire::Sse(sse) = &e.wire else {
            return;
        };
        let Some(id) = sse.id.as_deref().and_then(|id| id.parse::<u64>().ok()) else {
            return;
        };
        let key = (e.provider, e.stream);
        if let Some((last, before)) = self.ids.get(&key)
            && id > last.saturating_add(1)
        {
            let missed = id - last - 1;
            let events = if missed == 1 { "event" } else { "events" };
            found(Finding {
                rule: Rule::IdGap,
                provider: e.provider,
                call_id: e.call_id.clone(),
                place: place.clone(),
                message: format!(
                    "id {id} follows id {last} (at {before}): {missed} {events} missed, as across a reconnect"
                ),
            });
        }
        self.ids.insert(key, (id, place.clone()));
    }

    /// What only the whole capture shows: calls with no start, and calls never ended.
    pub fn finish(self, found: &mut impl FnMut(Finding)) {
        let latest = self.latest;
        let mut calls: Vec<CallState> = self.calls.into_values().filter(|c| c.lifecycle).collect();
        calls.sort_by_key(|c| c.order);
        for call in calls {
            let finding = |rule: Rule, place: &Place, message: String| Finding {
                rule,
                provider: call.provider,
                call_id: Some(call.call_id.clone()),
                place: place.clone(),
                message,
            };
            if call.started.is_none() {
                let (place, first) = &call.first;
                let message = format!("its first event is {first}: no start or ringing captured");
                found(finding(Rule::NoStart, place, message));
            }
            if !call.ended.is_empty() {
                continue;
            }
            let (place, last, at) = &call.last;
            let quiet = latest.map_or(SignedDuration::ZERO, |l| l.duration_since(*at));
            if quiet > self.open_for {
                let whole = std::time::Duration::from_secs(quiet.as_secs().unsigned_abs());
                let quiet = crate::duration::Duration(whole);
                let message = format!(
                    "no end captured, though the capture goes on {quiet} past its last event, {last}"
                );
                found(finding(Rule::NoEnd, place, message));
            } else {
                let message = format!("still open when the capture ends; its last event is {last}");
                found(finding(Rule::Open, place, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long capture of whole calls: nothing found, and memory held to the last `open_for` of
    /// calls, not all of them.
    #[test]
    fn ended_calls_are_forgotten_after_open_for() {
        let mut checker = Checker::new(std::time::Duration::from_secs(3600));
        let file: Arc<str> = "capture".into();
        let mut found = Vec::new();
        let mut most = 0;
        let envelopes = crate::sample::envelopes(20_000, 5, jiff::Timestamp::UNIX_EPOCH);
        for (line, e) in envelopes.enumerate() {
            let place = Place {
                file: file.clone(),
                line: line as u64 + 1,
            };
            checker.add(&e, None, place, &mut |f| found.push(f));
            most = most.max(checker.calls.len());
        }
        let span = checker
            .latest
            .unwrap()
            .duration_since(jiff::Timestamp::UNIX_EPOCH);
        assert!(span.as_hours() > 10, "the sample spans {span:#}");
        assert_eq!(checker.calls(), 20_000);
        assert!(most < 5_000, "{most} calls held at once");
        checker.finish(&mut |f| found.push(f));
        let rules: Vec<Rule> = found.iter().map(|f| f.rule).collect();
        assert!(rules.is_empty(), "{rules:?}");
    }

    /// A crafted capture of one call with 50,000 distinct events, each on a leg of its own,
    /// is checked without remembering them all.
    #[test]
    fn one_call_of_many_events_and_legs_is_held_to_a_bound() {
        let mut checker = Checker::new(std::time::Duration::from_secs(3600));
        let file: Arc<str> = "capture".into();
        let mut e = crate::sample::envelopes(1, 1, jiff::Timestamp::UNIX_EPOCH)
            .next()
            .unwrap();
        e.kind = Kind::CallEnded;
        for n in 0..50_000_u64 {
            e.raw = crate::envelope::Raw::string(&n.to_string());
            let place = Place {
                file: file.clone(),
                line: n + 1,
            };
            checker.add(&e, Some(format!("leg{n}")), place, &mut |_| {});
        }
        let call = checker.calls.values().next().unwrap();
        assert_eq!(call.seen.len(), MOST_REMEMBERED);
        assert!(call.ended.len() + call.answered.len() <= MOST_REMEMBERED);
    }
}
