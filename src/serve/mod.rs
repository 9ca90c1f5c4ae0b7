//! Servers telev runs: the SSE endpoint (demo, `replay --serve`) and, through the same
//! HTTP/1 loop, the webhook receiver.

pub mod sse;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::messages;

/// Binds a server's listener. A port already taken is the usual failure, and `fix` says how
/// to choose another (`--port 0` for any free one).
pub(crate) async fn bind(address: &str, fix: &str) -> anyhow::Result<TcpListener> {
    match TcpListener::bind(address).await {
        Ok(listener) => Ok(listener),
        Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => Err(anyhow::anyhow!(
            "cannot listen on {address}: the port is already in use; {fix}"
        )),
        Err(err) => Err(anyhow::Error::new(err).context(format!("cannot listen on {address}"))),
    }
}

/// How long a client may take to send its request headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// A request the HTTP/1 layer refused before a handler saw it: its head was too large, it was
/// not HTTP/1, or it was not HTTP at all.
#[derive(Debug, Clone)]
pub(crate) struct Unreadable {
    pub peer: SocketAddr,
    pub reason: String,
    /// What the sender was told: `answered 431 Request Header Fields Too Large`.
    pub answered: String,
}

/// Told of each [`Unreadable`] request.
pub(crate) type OnUnreadable = Arc<dyn Fn(Unreadable) + Send + Sync>;

/// The first bytes of an HTTP/2 connection (RFC 9113 §3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Connections open at once when nothing else is said: well under the usual limit of 1024
/// open files, so the process keeps room for its capture, its forwards and its logs.
pub(crate) const MAX_CONNECTIONS: usize = 256;

/// Serves HTTP/1 on `listener` with `handle` until `shutdown` resolves, then lets in-flight
/// requests finish for up to `grace` before closing them. Slow clients are cut off after
/// [`HEADER_TIMEOUT`], so they cannot hold the server up; at most `max_connections` are open
/// at once (the rest wait in the kernel's queue), and a failing `accept` (out of file
/// descriptors) is retried with a growing pause instead of at once.
pub(crate) async fn http1<H, F, B>(
    listener: TcpListener,
    handle: H,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
    max_connections: usize,
    on_unreadable: OnUnreadable,
) where
    H: Fn(Request<Incoming>, SocketAddr) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response<B>> + Send + 'static,
    B: hyper::body::Body<Data = Bytes, Error = Infallible> + Send + 'static,
{
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let room = Arc::new(Semaphore::new(max_connections.max(1)));
    let mut trouble = Trouble::default();
    loop {
        let permit = match room.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                trouble.full(max_connections);
                tokio::select! {
                    permit = room.clone().acquire_owned() => permit.expect("never closed"),
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => {
                    trouble.accepted();
                    conn
                }
                Err(err) => {
                    tokio::select! {
                        () = trouble.failed(err) => continue,
                        () = &mut shutdown => break,
                    }
                }
            },
            () = &mut shutdown => break,
        };
        let handle = handle.clone();
        let service = hyper::service::service_fn(move |req| {
            let response = handle(req, peer);
            async move { Ok::<_, Infallible>(response.await) }
        });
        let watcher = graceful.watcher();
        let on_unreadable = on_unreadable.clone();
        connections.spawn(async move {
            if speaks_http2(&stream).await {
                refuse_http2(stream).await;
                on_unreadable(Unreadable {
                    peer,
                    reason: "HTTP/2 without an upgrade".into(),
                    answered: "told to use HTTP/1.1 (GOAWAY)".into(),
                });
                return;
            }
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(err) = watcher.watch(conn).await
                && let Some((reason, answered)) = unreadable(&err)
            {
                on_unreadable(Unreadable {
                    peer,
                    reason,
                    answered,
                });
            }
            drop(permit);
        });
        // Reap finished connections so the set stays small on long runs.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    if !grace.is_zero() {
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(grace) => {
                messages::warn(&format!("requests still in flight after {grace:?}; closing them"));
            }
        }
    }
    connections.shutdown().await;
}

/// Whether a connection opens with HTTP/2's preface (a client that assumes HTTP/2, such as
/// `curl --http2-prior-knowledge`), as far as its first packet shows.
async fn speaks_http2(stream: &tokio::net::TcpStream) -> bool {
    let mut head = [0u8; H2_PREFACE.len()];
    match tokio::time::timeout(HEADER_TIMEOUT, stream.peek(&mut head)).await {
        Ok(Ok(n)) => n >= 4 && H2_PREFACE.starts_with(&head[..n]),
        _ => false,
    }
}

/// Tells an HTTP/2 client, in its own terms, to use HTTP/1.1: the server's preface (empty
/// settings), then GOAWAY with HTTP_1_1_REQUIRED (RFC 9113 §§ 6.5, 6.8, 7).
async fn refuse_http2(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let debug: &[u8] = b"telev speaks HTTP/1.1";
    let mut frames = vec![0, 0, 0, 0x4, 0, 0, 0, 0, 0];
    let length = u32::try_from(8 + debug.len())
        .expect("a short frame")
        .to_be_bytes();
    frames.extend_from_slice(&length[1..]);
    frames.extend_from_slice(&[0x7, 0, 0, 0, 0, 0]);
    frames.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0x0d]);
    frames.extend_from_slice(debug);
    let _ = stream.write_all(&frames).await;
    let _ = stream.shutdown().await;
}

/// Why hyper could not read a request, and what it answered; `None` for a connection that
/// merely ended (closed by the client, idle too long).
fn unreadable(err: &hyper::Error) -> Option<(String, String)> {
    let status = if err.is_parse_version_h2() {
        return Some(("HTTP/2 without an upgrade".into(), "closed".into()));
    } else if err.is_parse_too_large() && err.to_string().contains("URI") {
        hyper::StatusCode::URI_TOO_LONG
    } else if err.is_parse_too_large() {
        hyper::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    } else if err.is_parse() {
        hyper::StatusCode::BAD_REQUEST
    } else {
        return None;
    };
    Some((err.to_string(), format!("answered {status}")))
}

/// What went wrong accepting connections, told at most once a second however often it
/// happens, with a pause after each failure that doubles from 10 ms to 1 s.
#[derive(Default)]
struct Trouble {
    pause: Duration,
    told: Option<Instant>,
    failures: u64,
}

impl Trouble {
    const FIRST_PAUSE: Duration = Duration::from_millis(10);
    const LONGEST_PAUSE: Duration = Duration::from_secs(1);

    fn accepted(&mut self) {
        self.pause = Duration::ZERO;
    }

    /// Tells of a failed accept (once a second at most) and waits before the next.
    async fn failed(&mut self, err: std::io::Error) {
        self.failures += 1;
        self.pause = (self.pause * 2).clamp(Self::FIRST_PAUSE, Self::LONGEST_PAUSE);
        if self.due() {
            let pause = self.pause;
            let failures = std::mem::take(&mut self.failures);
            let times = crate::print::counted(failures, "time", "times");
            messages::warn(&format!(
                "cannot accept connections ({err}; {times}); trying again in {pause:?}"
            ));
        }
        tokio::time::sleep(self.pause).await;
    }

    fn full(&mut self, max: usize) {
        if self.due() {
            messages::warn(&format!(
                "{max} connections open (--max-connections): new ones wait"
            ));
        }
    }

    /// Whether a second has passed since the last thing told.
    fn due(&mut self) -> bool {
        let now = Instant::now();
        let due = self
            .told
            .is_none_or(|at| now - at >= Duration::from_secs(1));
        if due {
            self.told = Some(now);
        }
        due
    }
}
