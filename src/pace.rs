//! Pacing a replay: each event's deadline is computed from one start instant and the
//! captured gaps (scaled, and capped by `--max-gap`), so errors never accumulate.

use std::time::Duration;

use jiff::Timestamp;
use tokio::time::Instant;

/// Which time paces a replay (`--clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Clock {
    /// Pace by when telev received each event
    Received,
    /// Pace by the event's own time
    Event,
}

impl Clock {
    pub fn of(self, e: &crate::envelope::Envelope) -> Timestamp {
        match self {
            Clock::Received => e.received,
            Clock::Event => e.time.unwrap_or(e.received),
        }
    }
}

/// `--speed`: a factor, or `max` for no pacing at all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    Factor(f64),
    Max,
}

impl std::str::FromStr for Speed {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.eq_ignore_ascii_case("max") {
            return Ok(Speed::Max);
        }
        match text.trim_end_matches(['x', 'X']).parse::<f64>() {
            Ok(f) if f.is_finite() && f > 0.0 => Ok(Speed::Factor(f)),
            _ => Err(format!(
                "`{text}` is not a speed (a positive factor such as 10, or max)"
            )),
        }
    }
}

/// Longer than anyone waits on a replay: where a tiny `--speed` puts an event, short of
/// overflowing the clock.
const NEVER: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

pub struct Pacer {
    speed: Speed,
    max_gap: Option<Duration>,
    start: Option<Instant>,
    previous: Option<Timestamp>,
    /// Captured time elapsed so far, gaps capped.
    elapsed: Duration,
}

impl Pacer {
    pub fn new(speed: Speed, max_gap: Option<Duration>) -> Pacer {
        Pacer {
            speed,
            max_gap,
            start: None,
            previous: None,
            elapsed: Duration::ZERO,
        }
    }

    /// When the event captured at `at` is due; `None` means now.
    pub fn deadline(&mut self, at: Timestamp) -> Option<Instant> {
        let Speed::Factor(factor) = self.speed else {
            return None;
        };
        let start = *self.start.get_or_insert_with(Instant::now);
        if let Some(previous) = self.previous {
            // Out-of-order events (several files, clock skew) come out at once.
            let gap = at
                .duration_since(previous)
                .try_into()
                .unwrap_or(Duration::ZERO);
            self.elapsed += self.max_gap.map_or(gap, |max| gap.min(max));
        }
        self.previous = Some(at.max(self.previous.unwrap_or(at)));
        let wait = Duration::try_from_secs_f64(self.elapsed.as_secs_f64() / factor);
        Some(start + wait.unwrap_or(NEVER).min(NEVER))
    }

    /// Waits until the event captured at `at` is due.
    pub async fn wait(&mut self, at: Timestamp) {
        if let Some(deadline) = self.deadline(at) {
            tokio::time::sleep_until(deadline).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(ms).unwrap()
    }

    #[tokio::test]
    async fn deadlines_follow_scaled_and_capped_gaps() {
        let mut pacer = Pacer::new(Speed::Factor(2.0), Some(Duration::from_secs(10)));
        let first = pacer.deadline(ts(0)).unwrap();
        let second = pacer.deadline(ts(1000)).unwrap();
        let third = pacer.deadline(ts(61_000)).unwrap();
        let back = pacer.deadline(ts(500)).unwrap();
        assert_eq!(second - first, Duration::from_millis(500));
        assert_eq!(
            third - second,
            Duration::from_secs(5),
            "a 60s gap capped at 10s, at 2x"
        );
        assert_eq!(back, third, "an earlier event comes out at once");
        assert!(Pacer::new(Speed::Max, None).deadline(ts(0)).is_none());
    }

    #[tokio::test]
    async fn a_tiny_speed_puts_events_far_off_instead_of_overflowing() {
        let speed: Speed = "1e-300".parse().unwrap();
        let mut pacer = Pacer::new(speed, None);
        let first = pacer.deadline(ts(0)).unwrap();
        let second = pacer.deadline(ts(1000)).unwrap();
        assert_eq!(second - first, NEVER);
    }
}
