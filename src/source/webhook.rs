//! The webhook receiver: HTTP requests → decoder → pipeline, answering each sender only once
//! its event is safely recorded. A request it cannot use gets a 4xx with a one-line reason,
//! and the server goes on.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

use crate::config::Secret;
use crate::envelope::HttpWire;
use crate::forward::{Forwarder, Relayed};
use crate::messages;
use crate::pipeline::Job;
use crate::provider::{self, Provider};

/// What a checked credential header reads as in envelopes.
const REDACTED: &[u8] = b"[redacted]";

/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Credentials senders must present: the whole expected `Authorization` header value.
#[derive(Debug, Clone)]
pub struct InboundAuth(Secret);

impl InboundAuth {
    pub fn basic(user_pass: &str) -> InboundAuth {
        let encoded = base64::engine::general_purpose::STANDARD.encode(user_pass);
        InboundAuth(Secret::new(format!("Basic {encoded}")))
    }

    pub fn bearer(token: &str) -> InboundAuth {
        InboundAuth(Secret::new(format!("Bearer {token}")))
    }

    fn admits(&self, headers: &HeaderMap) -> bool {
        headers
            .get(hyper::header::AUTHORIZATION)
            .is_some_and(|given| constant_time_eq(given.as_bytes(), self.0.expose().as_bytes()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub struct Receiver {
    pub provider: Option<Provider>,
    pub path: Option<String>,
    pub auth: Option<InboundAuth>,
    pub verification_token: Option<Secret>,
    pub max_body: usize,
    pub forward: Option<Forwarder>,
    /// Say on stderr when a forward fails, as the printed lines do not.
    pub warn_failed_forwards: bool,
    pub jobs: mpsc::Sender<Job>,
    pub trouble: Arc<Trouble>,
}

/// Requests that did not go as the sender meant, counted for the summary.
#[derive(Debug, Default)]
pub struct Trouble {
    /// Answered 4xx: not decodable, unauthorised, too large, outside `--path`.
    refused: AtomicU64,
    /// Taken, but the user's app did not answer (`--forward-to`): answered 502.
    not_forwarded: AtomicU64,
}

impl Trouble {
    /// Appends the counts that are not zero to a summary.
    pub fn tell(&self, summary: &mut String) {
        let refused = self.refused.load(Ordering::Relaxed);
        messages::add_count(summary, refused, "request refused", "requests refused");
        let not_forwarded = self.not_forwarded.load(Ordering::Relaxed);
        messages::add_count(summary, not_forwarded, "not forwarded", "not forwarded");
    }
}

type Body = Full<Bytes>;

impl Receiver {
    /// Serves until `shutdown` resolves, then finishes in-flight requests (for a few seconds
    /// at most) and returns.
    pub async fn serve(self, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        let receiver = Arc::new(self);
        let handle = move |req, peer| {
            let receiver = receiver.clone();
            async move { receiver.handle(req, peer).await }
        };
        crate::serve::http1(listener, handle, shutdown, Duration::from_secs(5)).await;
    }

    async fn handle(&self, req: Request<Incoming>, peer: SocketAddr) -> Response<Body> {
        let started = Instant::now();
        let (parts, body) = req.into_parts();
        let path = parts.uri.path().to_owned();
        let refuse = |status: StatusCode, reason: String| {
            self.trouble.refused.fetch_add(1, Ordering::Relaxed);
            messages::warn(&format!(
                "{} {path} from {peer}: {status}: {reason}",
                parts.method
            ));
            // A line, as every answer is, so `curl` leaves the prompt on a line of its own.
            text(status, &format!("{reason}\n"))
        };
        if let Some(prefix) = &self.path
            && !path.starts_with(prefix.as_str())
        {
            return refuse(
                StatusCode::NOT_FOUND,
                format!("no webhook here; telev listens under {prefix}"),
            );
        }
        if let Some(auth) = &self.auth
            && !auth.admits(&parts.headers)
        {
            let mut response = refuse(
                StatusCode::UNAUTHORIZED,
                "missing or wrong credentials".into(),
            );
            response.headers_mut().insert(
                "www-authenticate",
                HeaderValue::from_static("Basic realm=\"telev\""),
            );
            return response;
        }
        if let Some(token) = self.validation_token(&parts.headers) {
            messages::status(&format!(
                "answered a RingCentral subscription handshake on {path}"
            ));
            let mut response = text(StatusCode::OK, "");
            response.headers_mut().insert("validation-token", token);
            return response;
        }
        if let Some(expected) = &self.verification_token {
            let given = parts
                .headers
                .get("verification-token")
                .map(HeaderValue::as_bytes);
            if !given.is_some_and(|g| constant_time_eq(g, expected.expose().as_bytes())) {
                return refuse(
                    StatusCode::UNAUTHORIZED,
                    "Verification-Token does not match".into(),
                );
            }
        }
        let declared = parts
            .headers
            .get(hyper::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if declared.is_some_and(|len| len > self.max_body) {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, self.too_large());
        }
        let body =
            match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, self.max_body).collect())
                .await
            {
                Err(_) => {
                    return refuse(StatusCode::REQUEST_TIMEOUT, "the body took too long".into());
                }
                Ok(Err(err)) if err.is::<http_body_util::LengthLimitError>() => {
                    return refuse(StatusCode::PAYLOAD_TOO_LARGE, self.too_large());
                }
                Ok(Err(err)) => {
                    return refuse(
                        StatusCode::BAD_REQUEST,
                        format!("cannot read the body: {err}"),
                    );
                }
                Ok(Ok(collected)) => collected.to_bytes(),
            };
        let headers = parts.headers.iter().map(|(name, value)| {
            let value = if self.checks(name.as_str()) {
                REDACTED
            } else {
                value.as_bytes()
            };
            (name.as_str(), value)
        });
        let wire = HttpWire::new(
            parts.method.as_str(),
            &path,
            parts.uri.query(),
            headers,
            &body,
        );
        let envelope = match provider::decode_http(self.provider, wire, jiff::Timestamp::now()) {
            Ok(envelope) => envelope,
            Err(err) => return refuse(StatusCode::BAD_REQUEST, err.to_string()),
        };
        let relayed = match &self.forward {
            Some(forwarder) => Some(
                forwarder
                    .relay(&parts.method, &parts.uri, &parts.headers, body)
                    .await,
            ),
            None => None,
        };
        let note = relayed.as_ref().map(|r| r.note());
        let (recorded, is_recorded) = oneshot::channel();
        let job = Job {
            note,
            recorded: Some(recorded),
            ..Job::new(envelope)
        };
        if self.jobs.send(job).await.is_err() || is_recorded.await.is_err() {
            return text(StatusCode::SERVICE_UNAVAILABLE, "telev is shutting down\n");
        }
        messages::verbose(format_args!(
            "{} {path} from {peer} in {:.1?}",
            parts.method,
            started.elapsed()
        ));
        match relayed {
            Some(Relayed::Answered { response, .. }) => response,
            Some(Relayed::Failed { reason, .. }) => {
                self.trouble.not_forwarded.fetch_add(1, Ordering::Relaxed);
                if self.warn_failed_forwards {
                    messages::warn(&format!(
                        "{} {path} from {peer}: not forwarded ({reason}); answered 502",
                        parts.method
                    ));
                }
                text(StatusCode::BAD_GATEWAY, &format!("{reason}\n"))
            }
            None => text(StatusCode::OK, "ok\n"),
        }
    }

    /// Whether `header` carries the credential telev itself checks: that one is telev's
    /// secret, and stays out of the envelope (so out of the output and the capture).
    fn checks(&self, header: &str) -> bool {
        (self.auth.is_some() && header == "authorization")
            || (self.verification_token.is_some() && header == "verification-token")
    }

    /// The RingCentral handshake header, when the request is one.
    fn validation_token(&self, headers: &HeaderMap) -> Option<HeaderValue> {
        if !matches!(self.provider, None | Some(Provider::Ringcentral)) {
            return None;
        }
        headers.get("validation-token").cloned()
    }

    fn too_large(&self) -> String {
        format!(
            "the body is larger than --max-body ({} bytes)",
            self.max_body
        )
    }
}

pub fn text(status: StatusCode, body: &str) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::copy_from_slice(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
