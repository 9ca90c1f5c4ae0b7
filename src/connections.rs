//! Plain-HTTP connections of our own to one app, for `replay --to`: hyper's connection API,
//! one request at a time on each, kept open and used again. A general client (reqwest) spends
//! as long again on each request as the request itself takes on loopback, in its pool, URL
//! handling and timers; this one does nothing but send and read (bench/RESULTS.md, 32 at
//! once: wrk's rate, against reqwest's 0.53 of it). TLS, a proxy or credentials in the URL
//! still go through reqwest.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{HOST, HeaderValue};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use reqwest::Url;
use tokio::net::TcpStream;

/// How long a connection may take to open, as for every request telev makes.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub type Outgoing = Request<Full<Bytes>>;

/// Connections to one origin (`http://host:port`), opened as requests need them: as many as
/// are sent at once, no more.
pub struct Connections {
    host: String,
    port: u16,
    /// The `Host` header every request carries.
    authority: HeaderValue,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

/// Why a request got no answer, as one line.
#[derive(Debug)]
pub struct Failed(pub String);

impl Connections {
    /// Connections for `url`'s origin, when it is one they can serve: plain HTTP, with no
    /// credentials in it and no proxy named in the environment (reqwest honours those).
    pub fn for_url(url: &Url) -> Option<Connections> {
        let plain = url.scheme() == "http" && url.username().is_empty() && url.password().is_none();
        if !plain || proxied() {
            return None;
        }
        let host = match url.host()? {
            url::Host::Domain(name) => name.to_owned(),
            url::Host::Ipv4(ip) => ip.to_string(),
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        let port = url.port_or_known_default()?;
        let authority = &url[url::Position::BeforeHost..url::Position::AfterPort];
        Some(Connections {
            host,
            port,
            authority: HeaderValue::from_str(authority).ok()?,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends `request` (origin-form: its URI is the path and query) on a kept connection, or a
    /// new one, and reads the whole answer; the connection is kept if it stays open.
    pub async fn send(&self, mut request: Outgoing) -> Result<StatusCode, Failed> {
        request.headers_mut().insert(HOST, self.authority.clone());
        while let Some(mut kept) = self.kept() {
            if kept.ready().await.is_err() {
                continue;
            }
            match kept.try_send_request(request).await {
                Ok(answer) => return self.read(kept, answer).await,
                // Closed before the request went out (the app closed an idle connection):
                // the request comes back unsent, to go on another.
                Err(mut err) => match err.take_message() {
                    Some(unsent) => request = unsent,
                    None => return Err(failed(&err.into_error())),
                },
            }
        }
        let mut fresh = self.connect().await?;
        match fresh.send_request(request).await {
            Ok(answer) => self.read(fresh, answer).await,
            Err(err) => Err(failed(&err)),
        }
    }

    /// A kept connection that has not closed.
    fn kept(&self) -> Option<SendRequest<Full<Bytes>>> {
        let mut idle = self
            .idle
            .lock()
            .expect("no panics while holding connections");
        std::iter::from_fn(|| idle.pop()).find(|connection| !connection.is_closed())
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, Failed> {
        let cannot = |reason: &dyn std::fmt::Display| {
            let (host, port) = (&self.host, self.port);
            Failed(format!("cannot connect to {host}:{port}: {reason}"))
        };
        let opening = async {
            let stream = match self.host.parse::<std::net::IpAddr>() {
                Ok(ip) => TcpStream::connect(SocketAddr::new(ip, self.port)).await,
                Err(_) => TcpStream::connect((self.host.as_str(), self.port)).await,
            }?;
            stream.set_nodelay(true)?;
            Ok::<_, std::io::Error>(stream)
        };
        let stream = match tokio::time::timeout(CONNECT_TIMEOUT, opening).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(err)) => return Err(cannot(&err)),
            Err(_) => return Err(cannot(&"timed out")),
        };
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|err| cannot(&err))?;
        // Drives the connection; ends when it closes or the sender is dropped.
        tokio::spawn(connection);
        Ok(sender)
    }

    /// Reads the answer's body, so that the connection is free again, and keeps it.
    async fn read(
        &self,
        connection: SendRequest<Full<Bytes>>,
        answer: hyper::Response<hyper::body::Incoming>,
    ) -> Result<StatusCode, Failed> {
        let status = answer.status();
        // Read to its end and let go piece by piece: an answer of any size takes no memory.
        let mut body = answer.into_body();
        while let Some(piece) = body.frame().await {
            piece.map_err(|_| Failed("the response body broke off".to_owned()))?;
        }
        if !connection.is_closed() {
            let mut idle = self
                .idle
                .lock()
                .expect("no panics while holding connections");
            idle.push(connection);
        }
        Ok(status)
    }
}

/// A proxy for plain HTTP named in the environment, as reqwest reads it.
fn proxied() -> bool {
    ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// A request that failed on its way, with its root cause.
fn failed(err: &hyper::Error) -> Failed {
    let root = crate::client::root_cause(err).unwrap_or_else(|| err.to_string());
    Failed(format!("the request failed: {root}"))
}
