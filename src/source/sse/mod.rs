//! The SSE connector: one long-lived stream that reconnects by itself, resuming with
//! `Last-Event-ID`, until the caller stops it or the server refuses us for good.

mod framer;

use std::time::Duration;

use anyhow::{Result, bail};
use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use tokio::sync::mpsc;

use crate::client::{describe, redact};
use crate::config::Secret;
use crate::envelope::SseWire;
use crate::error::AuthError;
use crate::messages;
use crate::print::{Notice, Outage};
pub use framer::{Framer, Oversize};

pub struct SseSource {
    /// The stream's full URL.
    pub url: String,
    /// Sent as HTTP Basic auth, user `token`.
    pub token: Option<Secret>,
    /// Forced method; without it GET, switching to POST for good on a 405.
    pub method: Option<Method>,
    pub query: Vec<(String, String)>,
    pub idle_timeout: Duration,
    /// Failed attempts in a row before giving up; `None` retries forever.
    pub max_retries: Option<u32>,
    /// How to tell the user to fix a refused token.
    pub auth_hint: String,
    /// The longest event (its lines, comments aside) taken before giving up on the stream.
    pub max_event: usize,
    /// Where to start: after this event.
    pub resume: Option<Resume>,
}

/// An event to start after: its id, sent as `Last-Event-ID`, and, when the whole event is
/// known (from a capture), its fingerprint, to tell the server sending it again from a new
/// event that happens to have the same id.
#[derive(Debug, Clone)]
pub struct Resume {
    pub id: String,
    pub fingerprint: Option<u64>,
}

/// What the connector hands on, in the order it happened: a notice about the connection is
/// told after the events that came before it, and not at all if those ended the run.
#[derive(Debug)]
pub enum Arrival {
    Event(SseWire),
    /// About the connection: it dropped, it is back, the stream was not all UTF-8.
    Notice(Notice),
}

/// Why one connection ended.
enum Ended {
    /// The server closed the stream, or a read failed, or it went quiet, after `events`.
    Dropped { reason: String, events: u64 },
    /// At once, to try again another way (POST after a 405).
    Again,
    /// The receiver is gone: the run is over.
    Stopped,
}

/// What carries over from one connection to the next.
struct Session {
    method: Method,
    /// The last event id seen, sent as `Last-Event-ID`.
    last_id: Option<String>,
    /// Failed attempts in a row.
    failures: u32,
    /// The delay the backoff grows from: the server's `retry:` once it sent one.
    base_delay: Duration,
    connected_once: bool,
    /// The last event sent on: its id and a fingerprint of its name and data, to know a
    /// server that resumes by sending it again.
    last_event: Option<(String, u64)>,
    /// Bytes that were not UTF-8 have been told of.
    told_lossy: bool,
}

impl Session {
    /// Whether `wire`, the first event of a connection, is the last one sent on, again: the
    /// same id, name and data. The same id alone is not enough; ids need not be unique.
    fn repeats(&self, wire: &SseWire) -> bool {
        self.last_event
            .as_ref()
            .is_some_and(|(id, print)| wire.id.as_ref() == Some(id) && fingerprint(wire) == *print)
    }

    fn sent(&mut self, wire: &SseWire) {
        if let Some(id) = &wire.id {
            match &mut self.last_event {
                Some((last, print)) => {
                    last.clone_from(id);
                    *print = fingerprint(wire);
                }
                None => self.last_event = Some((id.clone(), fingerprint(wire))),
            }
        }
    }
}

/// A cheap fingerprint of an event's name and data (not a defence against a hostile server,
/// which can repeat events as it likes: a way to tell a repeat from a new event).
pub fn fingerprint(wire: &SseWire) -> u64 {
    let data = wire.data.get();
    let mut hash = data.len() as u64;
    for part in [wire.event.as_bytes(), data.as_bytes()] {
        for word in part.chunks(8) {
            let mut bytes = [0u8; 8];
            bytes[..word.len()].copy_from_slice(word);
            hash = (hash.rotate_left(5) ^ u64::from_le_bytes(bytes))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    hash
}

const FIRST_DELAY: Duration = Duration::from_millis(500);
/// The shortest wait a server's `retry:` may ask for: `retry: 0` must not make a storm.
const MIN_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(30);

impl SseSource {
    /// Connects and forwards every event to `events` until the receiver is dropped.
    pub async fn run(self, events: mpsc::Sender<Arrival>) -> Result<()> {
        let client = crate::client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        let resume = self.resume.clone();
        let mut session = Session {
            method: self.method.clone().unwrap_or(Method::GET),
            last_id: resume.as_ref().map(|r| r.id.clone()),
            failures: 0,
            base_delay: FIRST_DELAY,
            connected_once: false,
            last_event: resume.and_then(|r| Some((r.id, r.fingerprint?))),
            told_lossy: false,
        };
        loop {
            match self.attempt(&client, &mut session, &events).await? {
                Ended::Stopped => return Ok(()),
                Ended::Again => {}
                Ended::Dropped { reason, events: n } => {
                    // A connection that delivered something starts the backoff over.
                    if n > 0 {
                        session.failures = 0;
                    }
                    if !self.pause(&mut session, reason, &events).await? {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// One connection, from its request until it ends; an error ends the run.
    async fn attempt(
        &self,
        client: &reqwest::Client,
        session: &mut Session,
        events: &mpsc::Sender<Arrival>,
    ) -> Result<Ended> {
        let sent = match self.request(client, &session.method, session.last_id.as_deref()) {
            Ok(request) => client.execute(request).await,
            Err(err) => Err(err),
        };
        let response = match sent {
            Ok(response) => response,
            Err(err) => {
                let reason = describe(&err);
                return Ok(Ended::Dropped { reason, events: 0 });
            }
        };
        let status = response.status();
        messages::verbose(format_args!(
            "answered {status} ({})",
            content_type(response.headers()).unwrap_or("no content type")
        ));
        if status == StatusCode::METHOD_NOT_ALLOWED
            && self.method.is_none()
            && session.method == Method::GET
        {
            messages::verbose("GET answered 405: using POST from now on");
            session.method = Method::POST;
            return Ok(Ended::Again);
        }
        // 204 is a server's way to say there will be no more events (WHATWG HTML §9.2.3):
        // never reconnect. 205 asks the same.
        if status == StatusCode::NO_CONTENT || status == StatusCode::RESET_CONTENT {
            let notice = Notice::StreamOver {
                status: status.to_string(),
            };
            let _ = events.send(Arrival::Notice(notice)).await;
            return Ok(Ended::Stopped);
        }
        if !status.is_success() {
            return self.refused(response).await;
        }
        // Only a 200 with text/event-stream is a stream; anything else is a wrong URL or a
        // page in front of it, and waiting for it again would never end.
        if status != StatusCode::OK || !is_event_stream(response.headers()) {
            let what = content_type(response.headers()).unwrap_or("no content type");
            bail!("the server answered {status} with {what}, not an event stream: is --url right?");
        }
        if session.connected_once {
            let back = Arrival::Notice(Notice::Reconnected);
            if events.send(back).await.is_err() {
                return Ok(Ended::Stopped);
            }
        }
        session.connected_once = true;
        self.events(response, events, session).await
    }

    /// An answer that is not a stream: a refused token or another 4xx ends the run; a 5xx is
    /// an outage to wait out.
    async fn refused(&self, response: reqwest::Response) -> Result<Ended> {
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(AuthError {
                status: status.as_u16(),
                hint: self.auth_hint.clone(),
            }
            .into());
        }
        if status.is_client_error() {
            let reason = tokio::time::timeout(Duration::from_secs(5), reason(response))
                .await
                .unwrap_or_default();
            bail!(refusal(status, &first_line(&reason), &self.url));
        }
        let reason = format!("the server answered {status}");
        Ok(Ended::Dropped { reason, events: 0 })
    }

    /// After a failed attempt: tells of it and waits before the next, or gives up (an error)
    /// after `--max-retries`. False once the receiver is gone.
    async fn pause(
        &self,
        session: &mut Session,
        reason: String,
        events: &mpsc::Sender<Arrival>,
    ) -> Result<bool> {
        session.failures += 1;
        if let Some(max) = self.max_retries
            && session.failures > max
        {
            if max == 0 {
                bail!("{reason}");
            }
            let retries = crate::print::counted(max, "retry", "retries");
            bail!("giving up after {retries}: {reason}");
        }
        let delay = backoff(session.base_delay, session.failures);
        let outage = Outage {
            reason,
            delay,
            was_connected: session.connected_once,
            resume: session.last_id.clone(),
        };
        if events
            .send(Arrival::Notice(Notice::Outage(outage)))
            .await
            .is_err()
        {
            return Ok(false);
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => Ok(true),
            _ = events.closed() => Ok(false),
        }
    }

    /// One attempt's request, resuming after `last_id`.
    fn request(
        &self,
        client: &reqwest::Client,
        method: &Method,
        last_id: Option<&str>,
    ) -> reqwest::Result<reqwest::Request> {
        let mut request = client
            .request(method.clone(), &self.url)
            .query(&self.query)
            .header("Accept", "text/event-stream")
            .header("Cache-Control", "no-cache");
        if let Some(token) = &self.token {
            request = request.basic_auth("token", Some(token.expose()));
        }
        if let Some(id) = last_id {
            request = request.header("Last-Event-ID", id);
        }
        let request = request.build()?;
        let url = redact(request.url().as_str());
        match last_id {
            Some(id) => messages::verbose(format_args!("{method} {url} (Last-Event-ID: {id})")),
            None => messages::verbose(format_args!("{method} {url}")),
        }
        Ok(request)
    }

    /// Reads one connection's events until it ends. Its `retry:` sets the delay before the
    /// next attempt; its last event id is sent with it. An event over `max_event` ends the
    /// run: the server would send it again.
    async fn events(
        &self,
        response: reqwest::Response,
        events: &mpsc::Sender<Arrival>,
        session: &mut Session,
    ) -> Result<Ended> {
        let mut framer = Framer::new(session.last_id.as_deref(), self.max_event);
        let mut chunks = std::pin::pin!(chunks(response, self.idle_timeout));
        let (mut batch, mut sent) = (Vec::new(), 0);
        loop {
            let chunk = tokio::select! {
                chunk = chunks.next() => chunk,
                _ = events.closed() => return Ok(Ended::Stopped),
            };
            let chunk = match chunk {
                Some(Ok(chunk)) => chunk,
                ended => {
                    let reason = match ended {
                        Some(Err(reason)) => reason,
                        _ => "the server closed the stream".to_owned(),
                    };
                    return Ok(Ended::Dropped {
                        reason,
                        events: sent,
                    });
                }
            };
            // Events before an oversize one still go on.
            let fed = framer.feed(&chunk, &mut batch);
            // Told before the events that carry them.
            if framer.lossy() && !std::mem::replace(&mut session.told_lossy, true) {
                let notice = Arrival::Notice(Notice::NotUtf8);
                if events.send(notice).await.is_err() {
                    return Ok(Ended::Stopped);
                }
            }
            for wire in batch.drain(..) {
                // A server that resumes by sending the last event again must not show it twice.
                if sent == 0 && session.repeats(&wire) {
                    messages::verbose("the server sent the last event again: not shown twice");
                    continue;
                }
                session.sent(&wire);
                if events.send(Arrival::Event(wire)).await.is_err() {
                    return Ok(Ended::Stopped);
                }
                sent += 1;
            }
            if session.last_id.as_deref() != framer.last_id() {
                session.last_id = framer.last_id().map(str::to_owned);
            }
            if let Some(retry) = framer.retry() {
                session.base_delay = retry.max(MIN_DELAY);
            }
            if let Err(Oversize(max)) = fed {
                bail!("the server sent an event larger than --max-event ({max} bytes)");
            }
        }
    }
}

/// A response's body as it arrives; going `idle` without a byte ends it with an error.
/// Heartbeat comments are bytes too: the idle clock watches bytes, not events.
fn chunks(
    response: reqwest::Response,
    idle: Duration,
) -> impl futures_util::Stream<Item = Result<Bytes, String>> {
    futures_util::stream::unfold(Some(response), move |response| async move {
        let mut response = response?;
        match tokio::time::timeout(idle, response.chunk()).await {
            Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some(response))),
            Ok(Ok(None)) => None,
            Ok(Err(err)) => Some((Err(describe(&err)), None)),
            Err(_) => {
                let idle = crate::duration::Duration(idle);
                Some((Err(format!("no data for {idle}")), None))
            }
        }
    })
}

/// Whether a response says it is an event stream: `text/event-stream`, in any case, with
/// any parameters.
fn is_event_stream(headers: &reqwest::header::HeaderMap) -> bool {
    content_type(headers).is_some_and(|ct| {
        let essence = ct.split(';').next().unwrap_or("").trim();
        essence.eq_ignore_ascii_case("text/event-stream")
    })
}

fn content_type(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()
}

/// SSE bytes, chunked however the network chunked them, to events, as the connector reads
/// them (with no limit on an event's size). A transport error ends the stream with its
/// reason.
pub fn parse(
    bytes: impl futures_util::Stream<Item = Result<Bytes, String>>,
) -> impl futures_util::Stream<Item = Result<SseWire, String>> {
    let framer = Framer::new(None, usize::MAX);
    bytes
        .scan(framer, |framer, chunk| {
            let events = chunk.map(|chunk| {
                let mut out = Vec::new();
                let _ = framer.feed(&chunk, &mut out);
                out
            });
            std::future::ready(Some(events))
        })
        .flat_map(|events| {
            let events: Vec<Result<SseWire, String>> = match events {
                Ok(events) => events.into_iter().map(Ok).collect(),
                Err(reason) => vec![Err(reason)],
            };
            futures_util::stream::iter(events)
        })
}

/// Exponential backoff with ±20% jitter, so many clients do not return in step; whole
/// milliseconds, which is all the precision a sleep has (and reads well in the warning).
fn backoff(base: Duration, failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(16);
    let delay = base.saturating_mul(1 << exponent).min(MAX_DELAY);
    let jittered = delay.mul_f64(0.8 + fastrand::f64() * 0.4);
    Duration::from_millis(jittered.as_millis() as u64)
}

/// The start of a refusal's body, which says why: enough for its first line, however much
/// the server sends (and the caller bounds how long it takes).
async fn reason(mut response: reqwest::Response) -> String {
    const KEEP: usize = 4096;
    let mut body = Vec::new();
    while body.len() < KEEP {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(KEEP - body.len())]),
            Ok(None) | Err(_) => break,
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

/// Why a 4xx ended the run: the server's reason when it gave one, and for a 404, which is
/// nearly always a wrong base URL, the URL tried.
fn refusal(status: StatusCode, reason: &str, url: &str) -> String {
    let reason = match reason {
        "" => String::new(),
        reason => format!(": {reason}"),
    };
    if status == StatusCode::NOT_FOUND {
        let url = redact(url);
        return format!("no event stream at {url} ({status}{reason}): is --url right?");
    }
    format!("the server answered {status}{reason}")
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_fields_are_read_across_chunks_and_in_blocks_without_data() {
        let mut framer = Framer::new(None, 1024);
        let mut scan = |bytes: &[u8]| {
            framer.feed(bytes, &mut Vec::new()).unwrap();
            framer.retry()
        };
        assert_eq!(scan(b": hi\nretry: 25"), None, "a line counts once it ends");
        let ms = |n| Some(Duration::from_millis(n));
        assert_eq!(scan(b"0\n\nid: 1\ndata: {\"retry: 9\": 1}\n\n"), ms(250));
        assert_eq!(scan(b"retry:7\r\n"), ms(7));
        assert_eq!(scan(b"retry: soon\nretry: 1"), ms(7));
    }

    #[test]
    fn an_event_is_measured_by_its_lines_across_chunks_and_line_ends() {
        let mut framer = Framer::new(None, 100);
        let mut scan = |bytes: &[u8]| framer.feed(bytes, &mut Vec::new());
        let data = format!("data: {}", "x".repeat(40));
        // Two lines of 46 bytes fit; the event ends (CRLF cut between chunks), and it starts over.
        for chunk in [&data, "\r\n", &data, "\r", "\n\r\n", &data, "\n"] {
            scan(chunk.as_bytes()).unwrap();
        }
        // Comments are not kept, so they do not count.
        for _ in 0..10 {
            scan(b": keep-alive\n").unwrap();
        }
        assert!(scan(data.as_bytes()).is_ok());
        assert!(scan(b"\ndata: more than fits").is_err());

        let mut framer = Framer::new(None, 100);
        assert!(framer.feed(&[b'x'; 60], &mut Vec::new()).is_ok());
        let long = framer.feed(&[b'x'; 60], &mut Vec::new());
        assert!(long.is_err(), "one line without an end");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let d = |n| backoff(Duration::from_millis(100), n).as_millis();
        assert!((80..=120).contains(&d(1)));
        assert!((320..=480).contains(&d(3)));
        assert!(d(30) <= 36_000);
    }

    #[test]
    fn a_refusal_gives_the_servers_reason_only_when_there_is_one() {
        let url = "https://token:s3cret@example.test/v1.0/events/sse/chan";
        assert_eq!(
            refusal(StatusCode::BAD_REQUEST, "queue 9 does not exist", url),
            "the server answered 400 Bad Request: queue 9 does not exist"
        );
        assert_eq!(
            refusal(StatusCode::GONE, "", url),
            "the server answered 410 Gone"
        );
        assert_eq!(
            refusal(StatusCode::NOT_FOUND, "", url),
            "no event stream at https://example.test/v1.0/events/sse/chan (404 Not Found): \
             is --url right?"
        );
    }

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            redact("https://token:s3cret@example.test/x"),
            "https://example.test/x"
        );
    }
}
