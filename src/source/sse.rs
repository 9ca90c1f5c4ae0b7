//! The SSE connector: one long-lived stream that reconnects by itself, resuming with
//! `Last-Event-ID`, until the caller stops it or the server refuses us for good.

use std::time::Duration;

use anyhow::{Result, bail};
use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use tokio::sync::mpsc;

use crate::config::Secret;
use crate::error::AuthError;
use crate::messages;
use crate::wire::SseWire;

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
}

/// What the connector did, for the summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub reconnects: u32,
}

/// Why one connection ended.
enum Ended {
    /// The server closed the stream, or a read failed, or it went quiet.
    Dropped(String),
    /// The receiver is gone: the run is over.
    Stopped,
}

const FIRST_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(30);

impl SseSource {
    /// Connects and forwards every event to `events` until the receiver is dropped.
    pub async fn run(self, events: mpsc::Sender<SseWire>, stats: &mut Stats) -> Result<()> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        let mut method = self.method.clone().unwrap_or(Method::GET);
        let mut last_id: Option<String> = None;
        let mut failures: u32 = 0;
        let mut base_delay = FIRST_DELAY;
        let mut connected_once = false;
        loop {
            let mut request = client
                .request(method.clone(), &self.url)
                .query(&self.query)
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
            if let Some(token) = &self.token {
                request = request.basic_auth("token", Some(token.expose()));
            }
            if let Some(id) = &last_id {
                request = request.header("Last-Event-ID", id);
            }
            messages::verbose(&format!(
                "{method} {} (Last-Event-ID {:?})",
                redact(&self.url),
                last_id
            ));
            let ended = match request.send().await {
                Err(err) => Ended::Dropped(crate::forward::describe(&err)),
                Ok(response) => {
                    let status = response.status();
                    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                        return Err(AuthError(format!(
                            "the server refused the token ({}): {}",
                            status.as_u16(),
                            self.auth_hint
                        ))
                        .into());
                    }
                    if status == StatusCode::METHOD_NOT_ALLOWED
                        && self.method.is_none()
                        && method == Method::GET
                    {
                        messages::verbose("GET answered 405: using POST from now on");
                        method = Method::POST;
                        continue;
                    }
                    if status.is_client_error() {
                        let reason = response.text().await.unwrap_or_default();
                        bail!("the server answered {status}: {}", first_line(&reason));
                    }
                    if !status.is_success() {
                        Ended::Dropped(format!("the server answered {status}"))
                    } else {
                        if connected_once {
                            messages::status("reconnected");
                        }
                        connected_once = true;
                        let before = last_id.clone();
                        let ended = self
                            .read(response, &events, &mut last_id, &mut base_delay)
                            .await;
                        // A connection that delivered something starts the backoff over.
                        if last_id != before {
                            failures = 0;
                        }
                        ended
                    }
                }
            };
            let reason = match ended {
                Ended::Stopped => return Ok(()),
                Ended::Dropped(reason) => reason,
            };
            failures += 1;
            if let Some(max) = self.max_retries
                && failures > max
            {
                bail!("giving up after {max} retries: {reason}");
            }
            let delay = backoff(base_delay, failures);
            stats.reconnects += 1;
            let resume = match &last_id {
                Some(id) => format!(", resuming after event {id}"),
                None => String::new(),
            };
            messages::warn(&format!(
                "{reason}; reconnecting in {}{resume}",
                crate::duration::Duration(delay)
            ));
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = events.closed() => return Ok(()),
            }
        }
    }

    /// Reads one connection's events until it ends.
    async fn read(
        &self,
        response: reqwest::Response,
        events: &mpsc::Sender<SseWire>,
        last_id: &mut Option<String>,
        base_delay: &mut Duration,
    ) -> Ended {
        let idle = self.idle_timeout;
        // Heartbeat comments are bytes too: the idle clock watches bytes, not events.
        let bytes = futures_util::stream::unfold(Some(response), move |response| async move {
            let mut response = response?;
            match tokio::time::timeout(idle, response.chunk()).await {
                Ok(Ok(Some(chunk))) => Some((Ok::<Bytes, String>(chunk), Some(response))),
                Ok(Ok(None)) => None,
                Ok(Err(err)) => Some((Err(crate::forward::describe(&err)), None)),
                Err(_) => Some((
                    Err(format!("no data for {}", crate::duration::Duration(idle))),
                    None,
                )),
            }
        });
        let mut stream = std::pin::pin!(bytes.eventsource());
        let mut first = true;
        loop {
            let event = tokio::select! {
                event = stream.next() => event,
                _ = events.closed() => return Ended::Stopped,
            };
            let event = match event {
                None => return Ended::Dropped("the server closed the stream".to_owned()),
                Some(Ok(event)) => event,
                Some(Err(eventsource_stream::EventStreamError::Transport(reason))) => {
                    return Ended::Dropped(reason);
                }
                Some(Err(err)) => return Ended::Dropped(format!("unreadable stream: {err}")),
            };
            if let Some(retry) = event.retry {
                *base_delay = retry;
            }
            let id = Some(event.id).filter(|id| !id.is_empty());
            // A server that resumes by repeating the last event it sent must not print it twice.
            if first && id.is_some() && id == *last_id {
                first = false;
                continue;
            }
            first = false;
            if id.is_some() {
                *last_id = id.clone();
            }
            let wire = SseWire {
                event: event.event,
                id,
                data: event.data,
            };
            if events.send(wire).await.is_err() {
                return Ended::Stopped;
            }
        }
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

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    line.chars().take(200).collect()
}

/// A URL fit for a log line: no user name or password in it.
pub fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => "<invalid url>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let d = |n| backoff(Duration::from_millis(100), n).as_millis();
        assert!((80..=120).contains(&d(1)));
        assert!((320..=480).contains(&d(3)));
        assert!(d(30) <= 36_000);
    }

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            redact("https://token:s3cret@example.test/x"),
            "https://example.test/x"
        );
    }
}
