//! An SSE endpoint in Cytracom's shape, `…/events/sse/{chan,queue,monitored}`, fed by any
//! source of frames: the demo simulator or a capture.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use http_body_util::{BodyExt, Full, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::Frame;
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;

use crate::config::Secret;
use crate::envelope::Stream;

/// What a client asked for: a stream, and where to resume.
#[derive(Debug, Clone)]
pub struct FeedRequest {
    pub stream: Stream,
    pub last_event_id: Option<String>,
}

/// Produces the frames (already SSE-encoded) for one client.
pub type Feed = Arc<dyn Fn(FeedRequest) -> BoxStream<'static, Bytes> + Send + Sync>;

/// One SSE frame: `id:`, `event:`, and `data:` lines (one per line of data).
pub fn frame(id: Option<&str>, event: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + event.len() + 32);
    if let Some(id) = id {
        out.push_str("id: ");
        out.push_str(id);
        out.push('\n');
    }
    if !event.is_empty() {
        out.push_str("event: ");
        out.push_str(event);
        out.push('\n');
    }
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    Bytes::from(out)
}

type Body = UnsyncBoxBody<Bytes, Infallible>;

/// Serves `feed` on `listener` until `shutdown` resolves, and says how many clients it
/// served. Streams never end by themselves, so open ones are closed at once. With `-v`,
/// clients are logged as they come and go.
pub async fn serve(
    listener: TcpListener,
    feed: Feed,
    token: Option<Secret>,
    shutdown: impl Future<Output = ()>,
) -> u64 {
    let clients = Arc::new(AtomicU64::new(0));
    let counted = clients.clone();
    let token = token.map(|t| {
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("token:{}", t.expose()));
        Arc::new(format!("Basic {basic}"))
    });
    let handle = move |req: Request<hyper::body::Incoming>, peer: SocketAddr| {
        let response = respond(&req, peer, &feed, token.as_deref().map(String::as_str));
        if response.status() == StatusCode::OK {
            counted.fetch_add(1, Ordering::Relaxed);
        }
        std::future::ready(response)
    };
    let (grace, max) = (std::time::Duration::ZERO, super::MAX_CONNECTIONS);
    let told: super::OnUnreadable = Arc::new(|unreadable: super::Unreadable| {
        let peer = unreadable.peer;
        crate::messages::verbose(format_args!("from {peer}: {}", unreadable.reason));
    });
    super::http1(listener, handle, shutdown, grace, max, told).await;
    clients.load(Ordering::Relaxed)
}

/// Logs a client's leaving (with `-v`) when its stream is dropped, with what it was sent.
struct Leaving {
    peer: SocketAddr,
    sent: u64,
}

impl Drop for Leaving {
    fn drop(&mut self) {
        let (peer, sent) = (self.peer, self.sent);
        crate::messages::verbose(format_args!("client {peer} left after {sent} events"));
    }
}

fn respond<B>(
    req: &Request<B>,
    peer: SocketAddr,
    feed: &Feed,
    expected_auth: Option<&str>,
) -> Response<Body> {
    let path = req.uri().path();
    let Some(stream) = path
        .trim_end_matches('/')
        .rsplit_once("/events/sse/")
        .map(|(_, s)| s)
        .and_then(Stream::from_name)
        .filter(|s| Stream::SSE.contains(s))
    else {
        return plain(
            StatusCode::NOT_FOUND,
            "no such stream: use /v1.0/events/sse/{chan,queue,monitored}\n",
        );
    };
    if let Some(expected) = expected_auth {
        let given = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if given != Some(expected) {
            return plain(StatusCode::UNAUTHORIZED, "unauthorized\n");
        }
    }
    let last_event_id = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let after = match &last_event_id {
        Some(id) => format!(", after event {id}"),
        None => String::new(),
    };
    crate::messages::verbose(format_args!("client {peer} connected to {stream}{after}"));
    let frames = feed(FeedRequest {
        stream,
        last_event_id,
    });
    let mut leaving = Leaving { peer, sent: 0 };
    let body = StreamBody::new(frames.map(move |frame| {
        // The whole guard lives in the stream, to be dropped with it.
        let leaving: &mut Leaving = &mut leaving;
        // A heartbeat is a comment, not an event.
        if !frame.starts_with(b":") {
            leaving.sent += 1;
        }
        Ok::<_, Infallible>(Frame::data(frame))
    }));
    Response::builder()
        .header("Content-Type", "text/event-stream")
        .header("Cache-Control", "no-cache")
        .body(BodyExt::boxed_unsync(body))
        .expect("a static response builds")
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("Content-Type", "text/plain")
        .body(Full::new(Bytes::from_static(text.as_bytes())).boxed_unsync())
        .expect("a static response builds")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_multi_line_data() {
        let f = frame(Some("7"), "chan.hangup", "{\n}");
        assert_eq!(&f[..], b"id: 7\nevent: chan.hangup\ndata: {\ndata: }\n\n");
    }
}
