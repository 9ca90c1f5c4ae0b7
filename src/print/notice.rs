//! What a run tells on stderr between its events, as data, in order with them.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use hyper::StatusCode;

#[derive(Debug, Clone)]
pub enum Notice {
    /// `tail`: the connection ended (or could not be made); the next attempt is after a delay.
    Outage(Outage),
    /// `tail`: a connection after an outage is up.
    Reconnected,
    /// `tail`: the server said it has no more events (204, 205): the run ends.
    StreamOver { status: String },
    /// `tail`: the stream had bytes that are not UTF-8, shown as U+FFFD (told once).
    NotUtf8,
    /// `listen`: a request answered with a 4xx, and why.
    Refused {
        request: Request,
        status: StatusCode,
        reason: String,
    },
    /// `listen --forward-to`: the app gave no answer, so the sender got 502 (told here when
    /// the printed lines carry no notes).
    NotForwarded { request: Request, reason: String },
    /// `listen`: a request the HTTP layer could not read (its head too large, not HTTP/1).
    Unreadable {
        peer: SocketAddr,
        reason: String,
        /// What the sender was told: `answered 414 URI Too Long`.
        answered: String,
    },
    /// `listen`: a provider's subscription handshake, answered.
    Handshake { what: &'static str, path: String },
    /// `listen -v`: a request taken, and how long answering it took.
    Answered { request: Request, took: Duration },
}

/// A request as a notice names it: `POST /telphin from 127.0.0.1:51234`.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub peer: SocketAddr,
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} {} from {}", self.method, self.path, self.peer)
    }
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
            Notice::StreamOver { status } => crate::messages::status(&format!(
                "the server answered {status}: it has no more events, so telev stops"
            )),
            Notice::NotUtf8 => crate::messages::warn(
                "the stream has bytes that are not UTF-8; each is shown as U+FFFD",
            ),
            Notice::Refused {
                request,
                status,
                reason,
            } => crate::messages::warn(&format!("{request}: {status}: {reason}")),
            Notice::NotForwarded { request, reason } => crate::messages::warn(&format!(
                "{request}: not forwarded ({reason}); answered 502"
            )),
            Notice::Unreadable {
                peer,
                reason,
                answered,
            } => crate::messages::warn(&format!(
                "a request from {peer} could not be read ({reason}); {answered}"
            )),
            Notice::Handshake { what, path } => {
                crate::messages::status(&format!("answered a {what} on {path}"))
            }
            Notice::Answered { request, took } => {
                crate::messages::verbose(format_args!("{request} in {took:.1?}"))
            }
        }
    }
}
