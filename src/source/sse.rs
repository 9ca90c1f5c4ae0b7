//! The SSE connector: one long-lived stream that reconnects by itself, resuming with
//! `Last-Event-ID`, until the caller stops it or the server refuses us for good.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Result, bail};
use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use tokio::sync::mpsc;

use crate::client::{describe, redact};
use crate::config::Secret;
use crate::envelope::SseWire;
use crate::error::AuthError;
use crate::messages;
use crate::print::Outage;

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
}

/// What the connector hands on, in the order it happened: a notice about the connection is
/// told after the events that came before it, and not at all if those ended the run.
#[derive(Debug)]
pub enum Arrival {
    Event(SseWire),
    /// The connection ended; the next attempt is after `delay`.
    Dropped(Outage),
    /// A connection after a drop is up.
    Reconnected,
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
}

const FIRST_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(30);

impl SseSource {
    /// Connects and forwards every event to `events` until the receiver is dropped.
    pub async fn run(self, events: mpsc::Sender<Arrival>) -> Result<()> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        let mut session = Session {
            method: self.method.clone().unwrap_or(Method::GET),
            last_id: None,
            failures: 0,
            base_delay: FIRST_DELAY,
            connected_once: false,
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
        if !status.is_success() {
            return self.refused(response).await;
        }
        if session.connected_once && events.send(Arrival::Reconnected).await.is_err() {
            return Ok(Ended::Stopped);
        }
        session.connected_once = true;
        let content_type = not_a_stream(response.headers());
        let ended = self.read(response, events, session).await?;
        // A page, a JSON answer or a download is no stream to wait on again.
        if let (Ended::Dropped { events: 0, .. }, Some(content_type)) = (&ended, content_type) {
            bail!(
                "the server answered {status} with {content_type}, not an event stream: is \
                 --url right?"
            );
        }
        Ok(ended)
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
        if events.send(Arrival::Dropped(outage)).await.is_err() {
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

    /// Reads one connection's events until it ends; a `retry:` it carried sets the delay
    /// before the next attempt. An event over `max_event` ends the run: the server would
    /// send it again.
    async fn read(
        &self,
        response: reqwest::Response,
        events: &mpsc::Sender<Arrival>,
        session: &mut Session,
    ) -> Result<Ended> {
        let lines = Arc::new(std::sync::Mutex::new(LineWatch::new(self.max_event)));
        let ended = self
            .events(response, events, &mut session.last_id, lines.clone())
            .await;
        let lines = lines.lock().expect("no panics while scanning");
        if let Some(delay) = lines.retry {
            session.base_delay = delay;
        }
        if lines.oversize {
            bail!(
                "the server sent an event larger than --max-event ({} bytes)",
                self.max_event
            );
        }
        Ok(ended)
    }

    async fn events(
        &self,
        response: reqwest::Response,
        events: &mpsc::Sender<Arrival>,
        last_id: &mut Option<String>,
        lines: Arc<std::sync::Mutex<LineWatch>>,
    ) -> Ended {
        // An oversize event ends the stream before the parser holds more of it.
        let bytes = chunks(response, self.idle_timeout).map(move |chunk| {
            let chunk = chunk?;
            lines
                .lock()
                .expect("no panics while scanning")
                .scan(&chunk)?;
            Ok(chunk)
        });
        let mut stream = std::pin::pin!(parse(bytes));
        let mut first = true;
        let mut sent = 0;
        loop {
            let event = tokio::select! {
                event = stream.next() => event,
                _ = events.closed() => return Ended::Stopped,
            };
            let wire = match event {
                Some(Ok(wire)) => wire,
                ended => {
                    let reason = match ended {
                        Some(Err(reason)) => reason,
                        _ => "the server closed the stream".to_owned(),
                    };
                    return Ended::Dropped {
                        reason,
                        events: sent,
                    };
                }
            };
            // A server that resumes by repeating the last event it sent must not print it twice.
            if first && wire.id.is_some() && wire.id == *last_id {
                first = false;
                continue;
            }
            first = false;
            if wire.id.is_some() {
                last_id.clone_from(&wire.id);
            }
            if events.send(Arrival::Event(wire)).await.is_err() {
                return Ended::Stopped;
            }
            sent += 1;
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

/// The content type of a response that is plainly not an event stream (a page, a JSON
/// answer, a download). None where it may well be one: `text/event-stream`, none at all, or
/// `text/plain`, which quick servers send.
fn not_a_stream(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let essence = content_type(headers)?
        .split(';')
        .next()
        .unwrap_or("")
        .trim();
    let streamy = ["text/event-stream", "text/plain", ""];
    (!streamy.iter().any(|t| essence.eq_ignore_ascii_case(t))).then(|| essence.to_owned())
}

fn content_type(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()
}

/// The connector's parser: SSE bytes, chunked however the network chunked them, to events.
/// A transport error ends the stream with its reason.
pub fn parse(
    bytes: impl futures_util::Stream<Item = Result<Bytes, String>>,
) -> impl futures_util::Stream<Item = Result<SseWire, String>> {
    // A CR is a line end on its own, but the parser waits to see whether an LF follows; at
    // the end of the stream none can, so one is supplied (CRLF is a single line end too).
    // Without it, a last event framed with bare CRs would be lost (found by a property test).
    let ended_in_cr = Arc::new(AtomicBool::new(false));
    let seen = ended_in_cr.clone();
    let bytes = bytes
        .inspect(move |chunk| {
            if let Ok(chunk) = chunk
                && let Some(&byte) = chunk.last()
            {
                seen.store(byte == b'\r', Ordering::Relaxed);
            }
        })
        .chain(
            futures_util::stream::once(async move {
                let cr = ended_in_cr.load(Ordering::Relaxed);
                cr.then(|| Ok(Bytes::from_static(b"\n")))
            })
            .filter_map(std::future::ready),
        );
    bytes.eventsource().map(|event| match event {
        Ok(event) => Ok(SseWire {
            event: event.event,
            id: Some(event.id).filter(|id| !id.is_empty()),
            data: event.data,
        }),
        Err(eventsource_stream::EventStreamError::Transport(reason)) => Err(reason),
        Err(err) => Err(format!("unreadable stream: {err}")),
    })
}

/// Watches a stream's lines as they arrive, before the parser: for the last `retry:` field
/// (the parser drops one whose block has no data, which is how servers usually send it,
/// `retry: 10000` alone at the start), and for an event growing past the limit, which the
/// parser would otherwise hold in memory however large it grew. Only a line's first bytes
/// are kept.
#[derive(Debug)]
struct LineWatch {
    limit: usize,
    /// The first bytes of the current line, and its whole length so far.
    start: Vec<u8>,
    line: usize,
    /// The current event's lines so far, comments aside.
    event: usize,
    /// The last chunk ended in a CR: an LF first in the next one ends no other line.
    after_cr: bool,
    retry: Option<Duration>,
    oversize: bool,
}

impl LineWatch {
    /// Longer than any `retry:` line worth reading.
    const KEEP: usize = 32;

    fn new(limit: usize) -> LineWatch {
        LineWatch {
            limit,
            start: Vec::new(),
            line: 0,
            event: 0,
            after_cr: false,
            retry: None,
            oversize: false,
        }
    }

    /// Err once the current event is larger than the limit.
    fn scan(&mut self, mut bytes: &[u8]) -> Result<(), String> {
        if std::mem::take(&mut self.after_cr) && bytes.first() == Some(&b'\n') {
            bytes = &bytes[1..];
        }
        loop {
            let end = memchr::memchr2(b'\n', b'\r', bytes);
            let part = &bytes[..end.unwrap_or(bytes.len())];
            let room = Self::KEEP.saturating_sub(self.start.len());
            self.start.extend_from_slice(&part[..part.len().min(room)]);
            self.line += part.len();
            if self.event + self.line > self.limit {
                self.oversize = true;
                return Err(format!("an event larger than {} bytes", self.limit));
            }
            let Some(end) = end else { return Ok(()) };
            self.end_line();
            let cr = bytes[end] == b'\r';
            bytes = &bytes[end + 1..];
            if cr {
                match bytes.first() {
                    None => self.after_cr = true,
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                }
            }
        }
    }

    fn end_line(&mut self) {
        match self.start.first() {
            // A blank line ends the event.
            None => self.event = 0,
            Some(b':') => {}
            Some(_) => self.event += self.line,
        }
        if self.line <= Self::KEEP
            && let Some(value) = self.start.strip_prefix(b"retry:")
        {
            let value = value.strip_prefix(b" ").unwrap_or(value);
            let millis = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            if let Some(millis) = millis {
                self.retry = Some(Duration::from_millis(millis));
            }
        }
        self.start.clear();
        self.line = 0;
    }
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
        let mut watch = LineWatch::new(1024);
        let mut scan = |bytes: &[u8]| {
            watch.scan(bytes).unwrap();
            watch.retry
        };
        assert_eq!(scan(b": hi\nretry: 25"), None, "a line counts once it ends");
        let ms = |n| Some(Duration::from_millis(n));
        assert_eq!(scan(b"0\n\nid: 1\ndata: {\"retry: 9\": 1}\n\n"), ms(250));
        assert_eq!(scan(b"retry:7\r\n"), ms(7));
        assert_eq!(scan(b"retry: soon\nretry: 1"), ms(7));
    }

    #[test]
    fn an_event_is_measured_by_its_lines_across_chunks_and_line_ends() {
        let mut watch = LineWatch::new(100);
        let data = format!("data: {}", "x".repeat(40));
        // Two lines of 46 bytes fit; the event ends (CRLF cut between chunks), and it starts over.
        for chunk in [&data, "\r\n", &data, "\r", "\n\r\n", &data, "\n"] {
            watch.scan(chunk.as_bytes()).unwrap();
        }
        // Comments are not kept by the parser, so they do not count.
        for _ in 0..10 {
            watch.scan(b": keep-alive\n").unwrap();
        }
        assert!(watch.scan(data.as_bytes()).is_ok());
        assert!(watch.scan(b"\ndata: more than fits").is_err());
        assert!(watch.oversize);

        let mut watch = LineWatch::new(100);
        assert!(watch.scan(&[b'x'; 60]).is_ok());
        assert!(watch.scan(&[b'x'; 60]).is_err(), "one line without an end");
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
