//! A run's closing line on stderr, from its counts: `12 events (hangup 4, answer 4, dial-in
//! 4), 2 shown, 1 reconnect in 63.2s`.

use std::collections::BTreeMap;
use std::time::Duration;

/// What a run counts as it goes, for its summary.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub received: u64,
    pub printed: u64,
    /// Events by type, for the first [`TYPES`] types of up to [`TYPE_LEN`] bytes: a sender
    /// can name any number of types, of any length.
    pub by_type: BTreeMap<String, u64>,
    /// Events of every other type.
    pub other_types: u64,
    /// Events `--filter` failed on (each dropped).
    pub filter_failures: u64,
    /// Events whose payload is not JSON (kept as text).
    pub not_json: u64,
    /// `tail`: attempts that failed before any connection was up.
    pub retries: u64,
    /// `tail`: connections lost, and attempts that failed after one was up.
    pub reconnects: u64,
    /// `listen`: requests refused with a 4xx.
    pub refused: u64,
    /// `listen --forward-to`: requests the app did not answer (502 to the sender).
    pub not_forwarded: u64,
    /// `listen --forward-to`: requests the app answered with a 5xx.
    pub app_errors: u64,
    /// `listen`: events that came again (a provider's retries).
    pub repeats: u64,
    /// `--publish`: events stored in NATS JetStream, and not.
    pub published: Option<crate::publish::Published>,
}

/// The most event types counted one by one, in a summary and in `replay --to`'s report.
pub const TYPES: usize = 100;
/// The longest event type counted by its name, in bytes.
pub const TYPE_LEN: usize = 128;

/// Whether `event_type` gets a count of its own beside `kept` others.
pub fn has_room(kept: usize, event_type: &str) -> bool {
    kept < TYPES && event_type.len() <= TYPE_LEN
}

impl Tally {
    /// One more event of `event_type`; without allocating once the type has been seen.
    pub fn event(&mut self, event_type: &str) {
        self.received += 1;
        let kept = self.by_type.len();
        match self.by_type.get_mut(event_type) {
            Some(n) => *n += 1,
            None if has_room(kept, event_type) => {
                self.by_type.insert(event_type.to_owned(), 1);
            }
            None => self.other_types += 1,
        }
    }

    /// The counts as one line; `verb` says what happened to the events (`replayed`).
    pub fn line(&self, verb: Option<&str>, took: Duration) -> String {
        let mut text = counted(self.received, "event", "events");
        if !self.by_type.is_empty() {
            let mut parts: Vec<String> = self
                .by_type
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            if self.other_types > 0 {
                parts.push(format!("{} of other types", self.other_types));
            }
            text.push_str(&format!(" ({})", parts.join(", ")));
        }
        if self.printed != self.received {
            text.push_str(&format!(", {} shown", self.printed));
        }
        let failures = self.filter_failures;
        add_count(&mut text, failures, "--filter failure", "--filter failures");
        let as_text = "not JSON, kept as text";
        add_count(&mut text, self.not_json, as_text, as_text);
        add_count(&mut text, self.retries, "retry", "retries");
        add_count(&mut text, self.reconnects, "reconnect", "reconnects");
        let refused = self.refused;
        add_count(&mut text, refused, "request refused", "requests refused");
        let not_forwarded = self.not_forwarded;
        add_count(&mut text, not_forwarded, "not forwarded", "not forwarded");
        add_count(&mut text, self.repeats, "duplicate", "duplicates");
        let by_app = "answered 5xx by the app";
        add_count(&mut text, self.app_errors, by_app, by_app);
        if let Some(published) = self.published {
            text.push_str(&format!(", {} published to NATS", published.stored));
            let not = "not published";
            add_count(&mut text, published.not_stored, not, not);
        }
        if let Some(verb) = verb {
            text.push(' ');
            text.push_str(verb);
        }
        format!("{text} in {took:.1?}")
    }
}

/// `n` and the noun that goes with it: "1 retry", "3 retries".
pub fn counted(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Adds ", 3 retries" to a summary, or nothing for none.
fn add_count(summary: &mut String, n: u64, one: &str, many: &str) {
    if n > 0 {
        summary.push_str(", ");
        summary.push_str(&counted(n, one, many));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_of_endless_or_huge_types_gets_a_bounded_summary() {
        let mut tally = Tally::default();
        for n in 0..10_000 {
            tally.event(&format!("type-{n:05}"));
        }
        tally.event(&"x".repeat(1 << 20));
        tally.event("type-00000");
        assert_eq!(tally.by_type.len(), TYPES);
        assert_eq!(
            tally.by_type["type-00000"], 2,
            "a counted type still counts"
        );
        assert_eq!(
            (tally.received, tally.other_types),
            (10_002, 10_000 - 100 + 1)
        );
        tally.printed = tally.received;
        let line = tally.line(None, Duration::from_secs(1));
        assert!(
            line.contains("type-00099 1, 9901 of other types)"),
            "{line}"
        );
        assert!(line.len() < 4 << 10, "{line}");
    }

    #[test]
    fn only_what_happened_is_said() {
        let took = Duration::from_millis(1500);
        let mut tally = Tally::default();
        assert_eq!(tally.line(None, took), "0 events in 1.5s");
        tally.received = 3;
        tally.printed = 1;
        tally.by_type.insert("hangup".into(), 3);
        tally.reconnects = 1;
        tally.refused = 2;
        assert_eq!(
            tally.line(Some("replayed"), took),
            "3 events (hangup 3), 1 shown, 1 reconnect, 2 requests refused replayed in 1.5s"
        );
    }
}
