//! Servers telev runs: the SSE endpoint (demo, `replay --serve`) and, through the same
//! HTTP/1 loop, the webhook receiver.

pub mod sse;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
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

/// Serves HTTP/1 on `listener` with `handle` until `shutdown` resolves, then lets in-flight
/// requests finish for up to `grace` before closing them. Slow clients are cut off after
/// [`HEADER_TIMEOUT`], so they cannot hold the server up.
pub(crate) async fn http1<H, F, B>(
    listener: TcpListener,
    handle: H,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) where
    H: Fn(Request<Incoming>, SocketAddr) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response<B>> + Send + 'static,
    B: hyper::body::Body<Data = Bytes, Error = Infallible> + Send + 'static,
{
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(err) => {
                    messages::warn(&format!("accept failed: {err}"));
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let handle = handle.clone();
        let service = hyper::service::service_fn(move |req| {
            let response = handle(req, peer);
            async move { Ok::<_, Infallible>(response.await) }
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        connections.spawn(async move {
            let _ = conn.await;
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
