//! The webhook receiver: HTTP requests → decoder → whatever the command does with an event
//! ([`Downstream`]: record, print, forward), whose answer goes back to the sender. A request it
//! cannot use gets a 4xx with a one-line reason, and the server goes on.

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
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::Secret;
use crate::envelope::{Envelope, HttpWire, is_under, resolve_dots};
use crate::messages;
use crate::print::{self, Notice};
use crate::provider::{self, ContentError, Provider};

/// What a checked credential header reads as in envelopes.
const REDACTED: &[u8] = b"[redacted]";

/// How long a client may take to send its body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

pub type Body = Full<Bytes>;

/// Credentials senders must present in `Authorization`: a scheme and what follows it.
#[derive(Debug, Clone)]
pub struct InboundAuth {
    scheme: &'static str,
    credentials: Secret,
}

impl InboundAuth {
    pub fn basic(user_pass: &str) -> InboundAuth {
        let encoded = base64::engine::general_purpose::STANDARD.encode(user_pass);
        InboundAuth {
            scheme: "Basic",
            credentials: Secret::new(encoded),
        }
    }

    pub fn bearer(token: &str) -> InboundAuth {
        InboundAuth {
            scheme: "Bearer",
            credentials: Secret::new(token),
        }
    }

    /// The scheme in any case (RFC 9110 §11.1), the credentials exactly and in constant time.
    fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(given) = headers.get(hyper::header::AUTHORIZATION) else {
            return false;
        };
        let given = given.as_bytes();
        let Some(space) = given.iter().position(|&b| b == b' ') else {
            return false;
        };
        let (scheme, credentials) = (&given[..space], given[space..].trim_ascii_start());
        scheme.eq_ignore_ascii_case(self.scheme.as_bytes())
            & constant_time_eq(credentials, self.credentials.expose().as_bytes())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Which requests the receiver takes.
pub struct Options {
    /// Whose webhooks; `None` recognises each request by its shape.
    pub provider: Option<Provider>,
    /// Only requests under this path.
    pub path: Option<String>,
    pub auth: Option<InboundAuth>,
    /// RingCentral's `Verification-Token`, when set.
    pub verification_token: Option<Secret>,
    pub max_body: usize,
    /// Bytes of request bodies held at once, all requests together.
    pub body_budget: usize,
    pub max_connections: usize,
    /// Host names requests may be for, beside localhost and the bound address (lower case).
    pub hosts: Vec<String>,
    /// Origins whose web pages may send requests (`https://app.example`).
    pub allow_origins: Vec<String>,
    /// Keep `Authorization`, `Proxy-Authorization` and `Cookie` in envelopes as they came.
    pub keep_secrets: bool,
}

/// A request the receiver took: its event, and the request as it came, to relay.
pub struct Accepted {
    pub envelope: Envelope,
    pub parts: Parts,
    pub body: Bytes,
    pub peer: SocketAddr,
}

/// What becomes of an accepted request; its answer is the sender's.
pub trait Downstream: Send + Sync + 'static {
    fn take(&self, accepted: Accepted) -> impl Future<Output = Response<Body>> + Send;
}

/// Requests refused with a 4xx: not decodable, unauthorised, too large, outside `--path`.
#[derive(Debug, Default)]
pub struct Refused(AtomicU64);

impl Refused {
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why a request is not taken: the status and the one line the sender is told.
struct Refusal {
    status: StatusCode,
    reason: String,
    /// Ask for credentials (`WWW-Authenticate`).
    challenge: bool,
    /// Seconds after which the sender may try again (`Retry-After`).
    retry_after: Option<u32>,
}

impl Refusal {
    fn new(status: StatusCode, reason: impl Into<String>) -> Refusal {
        Refusal {
            status,
            reason: reason.into(),
            challenge: false,
            retry_after: None,
        }
    }
}

pub struct Receiver<D> {
    options: Options,
    downstream: D,
    refused: Arc<Refused>,
    /// `body_budget`, in KiB, taken by each body being read or held until it is answered.
    budget: Arc<Semaphore>,
}

impl<D: Downstream> Receiver<D> {
    pub fn new(options: Options, downstream: D) -> Receiver<D> {
        let kib = options
            .body_budget
            .div_ceil(1024)
            .clamp(1, Semaphore::MAX_PERMITS);
        Receiver {
            options,
            downstream,
            refused: Arc::default(),
            budget: Arc::new(Semaphore::new(kib)),
        }
    }

    /// The count of refused requests, which goes on after serving ends.
    pub fn refused(&self) -> Arc<Refused> {
        self.refused.clone()
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests (for a few seconds
    /// at most) and returns.
    pub async fn serve(self, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        let max = self.options.max_connections;
        let refused = self.refused.clone();
        let told: crate::serve::OnUnreadable = Arc::new(move |unreadable| {
            refused.0.fetch_add(1, Ordering::Relaxed);
            let crate::serve::Unreadable {
                peer,
                reason,
                answered,
            } = unreadable;
            Notice::Unreadable {
                peer,
                reason,
                answered,
            }
            .tell();
        });
        let receiver = Arc::new(self);
        let handle = move |req, peer| {
            let receiver = receiver.clone();
            async move { receiver.handle(req, peer).await }
        };
        let grace = Duration::from_secs(5);
        crate::serve::http1(listener, handle, shutdown, grace, max, told).await;
    }

    async fn handle(&self, req: Request<Incoming>, peer: SocketAddr) -> Response<Body> {
        // How long each took is told only with `-v`, and made only then.
        let started = messages::is_verbose().then(Instant::now);
        let (parts, body) = req.into_parts();
        let (accepted, _held) = match self.accept(parts, body, peer).await {
            Ok(Taken::Event(accepted, held)) => (*accepted, held),
            Ok(Taken::Handshake(response)) => return response,
            Err((parts, refusal)) => return self.refuse(&parts, peer, refusal),
        };
        let request = started.map(|started| (request_of(&accepted.parts, peer), started));
        let response = self.downstream.take(accepted).await;
        if let Some((request, started)) = request {
            let took = started.elapsed();
            Notice::Answered { request, took }.tell();
        }
        response
    }

    /// Checks a request and reads its event, or says why not.
    async fn accept(
        &self,
        parts: Parts,
        body: Incoming,
        peer: SocketAddr,
    ) -> Result<Taken, (Parts, Refusal)> {
        if let Err(refusal) = self.admit(&parts.uri, &parts.headers) {
            return Err((parts, refusal));
        }
        let header = |name: &str| parts.headers.get(name).map(HeaderValue::as_bytes);
        if let Some(handshake) = provider::handshake(self.options.provider, header) {
            let path = parts.uri.path().to_owned();
            Notice::Handshake {
                what: handshake.what,
                path,
            }
            .tell();
            let mut response = text(StatusCode::OK, "");
            if let Ok(value) = HeaderValue::from_bytes(&handshake.echo.1) {
                response.headers_mut().insert(handshake.echo.0, value);
            }
            return Ok(Taken::Handshake(response));
        }
        if let Err(refusal) = self.verify(&parts.headers) {
            return Err((parts, refusal));
        }
        let (body, held) = match self.read_body(&parts.headers, body).await {
            Ok(read) => read,
            Err(refusal) => return Err((parts, refusal)),
        };
        match self.decode(&parts, &body) {
            Ok(envelope) => {
                let accepted = Accepted {
                    envelope,
                    parts,
                    body,
                    peer,
                };
                Ok(Taken::Event(Box::new(accepted), held))
            }
            Err(refusal) => Err((parts, refusal)),
        }
    }

    /// Whether the request may be taken at all: who it is for, where it comes from, its path
    /// and the sender's credentials.
    fn admit(&self, uri: &hyper::Uri, headers: &HeaderMap) -> Result<(), Refusal> {
        let options = &self.options;
        self.is_for_us(headers)?;
        // As the app behind `--forward-to` would see it once joined to its URL.
        let Some(path) = resolve_dots(uri.path()) else {
            let reason = "the path climbs above /";
            return Err(Refusal::new(StatusCode::BAD_REQUEST, reason));
        };
        if let Some(prefix) = &options.path
            && !is_under(&path, prefix)
        {
            let reason = format!("no webhook here; telev listens under {prefix}");
            return Err(Refusal::new(StatusCode::NOT_FOUND, reason));
        }
        if let Some(auth) = &options.auth
            && !auth.admits(headers)
        {
            let reason = "missing or wrong credentials";
            return Err(Refusal {
                challenge: true,
                ..Refusal::new(StatusCode::UNAUTHORIZED, reason)
            });
        }
        Ok(())
    }

    /// A web page cannot use the listener: a browser says it sent a request for one (`Origin`,
    /// `Sec-Fetch-Site`), and a page on a name that resolves here (DNS rebinding) sends its own
    /// name as the `Host`. Providers send neither.
    fn is_for_us(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        let text = |name| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()))
        };
        if let Some(host) = text("host")
            && !self.is_ours(&host)
        {
            let reason = format!("not a host this listener answers for: {host} (--host names one)");
            return Err(Refusal::new(StatusCode::MISDIRECTED_REQUEST, reason));
        }
        let origin = text("origin").filter(|o| !o.trim().is_empty());
        let fetched = text("sec-fetch-site").filter(|site| !site.eq_ignore_ascii_case("none"));
        let allowed = |origin: &str| {
            let allowed = &self.options.allow_origins;
            allowed
                .iter()
                .any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin))
        };
        match (origin, fetched) {
            (Some(origin), _) if allowed(&origin) => Ok(()),
            (None, None) => Ok(()),
            (origin, _) => {
                let from = origin.map_or("a web page".into(), |o| format!("a web page on {o}"));
                let reason = format!("{from} may not send here (--allow-origin admits one)");
                Err(Refusal::new(StatusCode::FORBIDDEN, reason))
            }
        }
    }

    /// Whether a `Host` names this listener: localhost, an IP address (a request for an
    /// address, not a name, cannot come from a rebound name), or a name given with `--host`;
    /// the port is not compared.
    fn is_ours(&self, host: &str) -> bool {
        let name = match host.trim().rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host.trim(),
        };
        let name = name.trim_start_matches('[').trim_end_matches(']');
        let name = name.trim_end_matches('.');
        name.eq_ignore_ascii_case("localhost")
            || name.parse::<std::net::IpAddr>().is_ok()
            || self
                .options
                .hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name))
    }

    /// RingCentral's `Verification-Token`, when `--verification-token` asks for it.
    fn verify(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        if let Some(expected) = &self.options.verification_token {
            let given = headers.get("verification-token").map(HeaderValue::as_bytes);
            if !given.is_some_and(|g| constant_time_eq(g, expected.expose().as_bytes())) {
                let reason = "Verification-Token does not match";
                return Err(Refusal::new(StatusCode::UNAUTHORIZED, reason));
            }
        }
        Ok(())
    }

    /// The whole body, within `--max-body`, the time a sender has to send it, and the memory
    /// all bodies may take together; the part of that budget it holds is given back when the
    /// request is answered.
    async fn read_body(
        &self,
        headers: &HeaderMap,
        body: Incoming,
    ) -> Result<(Bytes, OwnedSemaphorePermit), Refusal> {
        let max = self.options.max_body;
        let too_large = || {
            let reason = format!("the body is larger than --max-body ({max} bytes)");
            Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, reason)
        };
        let declared = headers
            .get(hyper::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if declared.is_some_and(|len| len > max) {
            return Err(too_large());
        }
        // A body of unknown length may grow to the limit.
        let kib = declared.unwrap_or(max).max(1).div_ceil(1024);
        let kib = u32::try_from(kib).unwrap_or(u32::MAX);
        let Ok(held) = self.budget.clone().try_acquire_many_owned(kib) else {
            let reason = "too many bodies at once (--max-body-memory); try again shortly";
            return Err(Refusal {
                retry_after: Some(1),
                ..Refusal::new(StatusCode::SERVICE_UNAVAILABLE, reason)
            });
        };
        let read = tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, max).collect()).await;
        match read {
            Err(_) => Err(Refusal::new(
                StatusCode::REQUEST_TIMEOUT,
                "the body took too long",
            )),
            Ok(Err(err)) if err.is::<http_body_util::LengthLimitError>() => Err(too_large()),
            Ok(Err(err)) => Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("cannot read the body: {err}"),
            )),
            Ok(Ok(collected)) => Ok((collected.to_bytes(), held)),
        }
    }

    fn decode(&self, parts: &Parts, body: &[u8]) -> Result<Envelope, Refusal> {
        let max = self.options.max_body;
        let codings = parts
            .headers
            .get_all(hyper::header::CONTENT_ENCODING)
            .iter();
        let codings: Vec<&[u8]> = codings.map(HeaderValue::as_bytes).collect();
        let content = provider::content(&codings, body, max).map_err(|err| {
            let status = match err {
                ContentError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                ContentError::Unknown(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ContentError::Corrupt { .. } => StatusCode::BAD_REQUEST,
            };
            Refusal::new(status, err.reason(max))
        })?;
        let headers = parts.headers.iter().map(|(name, value)| {
            let value = if self.hides(name.as_str()) {
                REDACTED
            } else {
                value.as_bytes()
            };
            (name.as_str(), value)
        });
        let (method, uri) = (parts.method.as_str(), &parts.uri);
        let wire = HttpWire::new(method, uri.path(), uri.query(), headers, body);
        let now = jiff::Timestamp::now();
        provider::decode_http_content(self.options.provider, wire, &content, now).map_err(|err| {
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
            Refusal::new(status, err.to_string())
        })
    }

    /// Whether `header` carries a secret that stays out of the envelope (so out of the output
    /// and the capture): the credential telev checks, always; other credentials and cookies
    /// unless `--keep-secrets`. The app behind `--forward-to` still gets them as they came.
    fn hides(&self, header: &str) -> bool {
        const SECRETS: [&str; 3] = ["authorization", "proxy-authorization", "cookie"];
        (self.options.auth.is_some() && header == "authorization")
            || (self.options.verification_token.is_some() && header == "verification-token")
            || (!self.options.keep_secrets && SECRETS.contains(&header))
    }

    fn refuse(&self, parts: &Parts, peer: SocketAddr, refusal: Refusal) -> Response<Body> {
        self.refused.0.fetch_add(1, Ordering::Relaxed);
        let Refusal {
            status,
            reason,
            challenge,
            retry_after,
        } = refusal;
        let response = text(status, format!("{reason}\n"));
        let request = request_of(parts, peer);
        Notice::Refused {
            request,
            status,
            reason,
        }
        .tell();
        let mut response = response;
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(seconds));
        }
        if challenge {
            response.headers_mut().insert(
                "www-authenticate",
                HeaderValue::from_static("Basic realm=\"telev\""),
            );
        }
        response
    }
}

/// How a notice names a request.
pub fn request_of(parts: &Parts, peer: SocketAddr) -> print::Request {
    print::Request {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        peer,
    }
}

/// What an accepted request turned out to be.
enum Taken {
    /// With the part of the body budget it holds until it is answered.
    Event(Box<Accepted>, OwnedSemaphorePermit),
    /// A provider's subscription handshake, already answered.
    Handshake(Response<Body>),
}

/// A plain-text answer; each ends in a newline, so `curl` leaves the prompt on its own line.
/// A `&'static str` is sent from where it is, a `String` without a copy.
pub fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
