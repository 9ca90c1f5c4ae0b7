//! What a line says beside its event about what became of it, as data; the printer writes it.

use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum Note {
    /// `listen --forward-to`: the app's answer.
    Forwarded { status: u16, latency: Duration },
    /// `listen --forward-to`: no answer from the app (the sender was told 502).
    NotForwarded { reason: String, latency: Duration },
    /// `replay --to`.
    Delivered(Delivery),
    /// The same event came before, as event number `of` of the run (a provider's retry).
    Repeat { of: u64 },
}

/// How one re-delivery went.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The final answer's status; `None` when no answer came.
    pub status: Option<u16>,
    pub latency: Duration,
    pub attempts: u32,
    pub error: Option<String>,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Forwarded { status, latency } => write!(f, "→ app {status} {latency:.1?}"),
            Note::NotForwarded { reason, latency } => {
                write!(f, "→ app failed after {latency:.1?}: {reason}")
            }
            Note::Delivered(delivery) => delivery.fmt(f),
            Note::Repeat { of } => write!(f, "duplicate of #{of}"),
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let retried = match self.attempts {
            0 | 1 => String::new(),
            n => format!(" after {n} tries"),
        };
        match (self.status, &self.error) {
            (Some(status), _) => write!(f, "→ {status} {:.1?}{retried}", self.latency),
            (None, Some(error)) => write!(f, "→ failed{retried}: {error}"),
            (None, None) => f.write_str("→ failed"),
        }
    }
}
