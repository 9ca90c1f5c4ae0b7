//! What a run tells on stderr between its events, as data, in order with them.

use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum Notice {
    /// `tail`: the connection ended (or could not be made); the next attempt is after a delay.
    Outage(Outage),
    /// `tail`: a connection after an outage is up.
    Reconnected,
}

#[derive(Debug, Clone)]
pub struct Outage {
    pub reason: String,
    pub delay: Duration,
    /// Whether a connection was ever up: until then the next attempt is a retry, not a
    /// reconnect.
    pub was_connected: bool,
    /// The last event id seen, sent again as `Last-Event-ID`.
    pub resume: Option<String>,
}

impl fmt::Display for Outage {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let delay = crate::duration::Duration(self.delay);
        let again = if self.was_connected {
            "reconnecting"
        } else {
            "retrying"
        };
        write!(f, "{}; {again} in {delay}", self.reason)?;
        match &self.resume {
            Some(id) => write!(f, ", resuming after event {id}"),
            None => Ok(()),
        }
    }
}

impl Notice {
    /// Tells it on stderr.
    pub fn tell(&self) {
        match self {
            Notice::Outage(outage) => crate::messages::warn(&outage.to_string()),
            Notice::Reconnected => crate::messages::status("reconnected"),
        }
    }
}
