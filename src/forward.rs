//! Passing requests on to the user's app: `listen --forward-to` relays live webhooks, and
//! `replay --to` re-delivers captured ones. Both aim the request the same way.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Method, Response};
use reqwest::Url;

use crate::client::{self, describe};
use crate::connections::{Connections, Failed};
use crate::envelope::resolve_dots;
use crate::print::{Delivery, Note};

/// Headers that belong to one connection, not to the message (RFC 9110 §7.6.1), plus those
/// the client recomputes (`host`, `content-length`).
pub fn is_hop_by_hop(name: &str) -> bool {
    const HOP: [&str; 11] = [
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    ];
    HOP.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// The URL's path followed by the original path (an original `/` adds nothing), with the
/// original query kept after any query of the URL's own; `None` for a path that would climb
/// above the URL's own (`/../admin`), which a URL parser would resolve out of it.
pub fn join_url(base: &Url, path: &str, query: Option<&str>) -> Option<Url> {
    let mut url = base.clone();
    let path = resolve_dots(path)?;
    if path != "/" && !path.is_empty() {
        let joined = format!("{}{}", base.path().trim_end_matches('/'), path);
        url.set_path(&joined);
    }
    let query = match (base.query(), query.filter(|q| !q.is_empty())) {
        (Some(own), Some(original)) => Some(format!("{own}&{original}")),
        (own, original) => own.or(original).map(str::to_owned),
    };
    url.set_query(query.as_deref());
    Some(url)
}

/// Why a request was not sent: its path would leave the target's.
pub const CLIMBS: &str = "its path climbs above the target's";

/// Where `replay --to` sends: the target, joined with each captured path and query. The
/// joins are kept for the next events with the same ones (a capture holds a few paths, and
/// joining a URL for every event was 5% of a fast replay's time); a capture of ever-new
/// paths keeps only the last few, and a long path or query is joined each time, not kept.
pub struct Aim {
    base: Arc<Target>,
    /// Path, query, and the target they join to (`None`: the path climbs), newest last.
    joined: std::sync::Mutex<Vec<Joined>>,
}

type Joined = (String, String, Option<Arc<Target>>);

/// A URL deliveries go to, with what our own connections send as its request target (the
/// path and query), made once for every event that goes there.
struct Target {
    url: Url,
    /// Why not, when the URL's path and query are not a request target hyper takes.
    origin_form: Result<hyper::Uri, String>,
}

impl Target {
    fn new(url: Url) -> Target {
        let origin_form = url[url::Position::BeforePath..url::Position::AfterQuery]
            .parse()
            .map_err(|err| format!("it cannot be sent: {err}"));
        Target { url, origin_form }
    }
}

impl Aim {
    const KEPT: usize = 16;
    /// The longest path and query kept, together.
    const KEPT_LENGTH: usize = 2048;

    pub fn new(base: Url) -> Aim {
        Aim {
            base: Arc::new(Target::new(base)),
            joined: std::sync::Mutex::default(),
        }
    }

    /// [`join_url`] of the target with `path` and `query`.
    fn join(&self, path: &str, query: &str) -> Option<Arc<Target>> {
        let mut joined = self.joined.lock().expect("no panics while joining URLs");
        if let Some((.., target)) = joined.iter().find(|(p, q, _)| p == path && q == query) {
            return target.clone();
        }
        let target =
            join_url(&self.base.url, path, Some(query)).map(|url| Arc::new(Target::new(url)));
        if path.len() + query.len() > Self::KEPT_LENGTH {
            return target;
        }
        if joined.len() == Self::KEPT {
            joined.remove(0);
        }
        joined.push((path.to_owned(), query.to_owned(), target.clone()));
        target
    }
}

pub struct Forwarder {
    client: reqwest::Client,
    base: Url,
}

/// What the app said, or why it could not.
pub enum Relayed {
    Answered {
        response: Response<Full<Bytes>>,
        status: u16,
        latency: Duration,
    },
    Failed {
        reason: String,
        latency: Duration,
    },
}

impl Relayed {
    /// The note shown on the event's line: `→ app 200 3.1ms`.
    pub fn note(&self) -> Note {
        match self {
            Relayed::Answered {
                status, latency, ..
            } => Note::Forwarded {
                status: *status,
                latency: *latency,
            },
            Relayed::Failed { reason, latency } => Note::NotForwarded {
                reason: reason.clone(),
                latency: *latency,
            },
        }
    }
}

impl Forwarder {
    pub fn new(base: Url) -> Forwarder {
        Forwarder {
            client: client::for_requests(),
            base,
        }
    }

    pub async fn relay(&self, request: &hyper::http::request::Parts, body: Bytes) -> Relayed {
        let (method, uri, headers) = (&request.method, &request.uri, &request.headers);
        let started = Instant::now();
        let Some(url) = join_url(&self.base, uri.path(), uri.query()) else {
            let reason = CLIMBS.to_owned();
            let latency = started.elapsed();
            return Relayed::Failed { reason, latency };
        };
        let mut request = self.client.request(method.clone(), url);
        for (name, value) in headers {
            if !is_hop_by_hop(name.as_str()) {
                request = request.header(name, value);
            }
        }
        let result = async {
            let answer = request.body(body).send().await?;
            let status = answer.status();
            let headers = answer.headers().clone();
            let body = answer.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        }
        .await;
        let latency = started.elapsed();
        match result {
            Ok((status, headers, body)) => {
                let mut response = Response::new(Full::new(body));
                *response.status_mut() = status;
                for (name, value) in &headers {
                    if !is_hop_by_hop(name.as_str()) {
                        response.headers_mut().append(name.clone(), value.clone());
                    }
                }
                Relayed::Answered {
                    response,
                    status: status.as_u16(),
                    latency,
                }
            }
            Err(err) => Relayed::Failed {
                reason: describe(&err),
                latency,
            },
        }
    }
}

/// A header pair from a capture, if it is still a valid header.
pub fn header_pair(name: &str, value: &[u8]) -> Option<(HeaderName, HeaderValue)> {
    Some((
        HeaderName::from_bytes(name.as_bytes()).ok()?,
        HeaderValue::from_bytes(value).ok()?,
    ))
}

/// How deliveries reach the app: plain HTTP on connections of our own, anything else (TLS, a
/// proxy, credentials in the URL) through reqwest.
pub enum Courier {
    Direct(Connections),
    Client(reqwest::Client),
}

impl Courier {
    pub fn for_target(target: &Url) -> Courier {
        match Connections::for_url(target) {
            Some(connections) => Courier::Direct(connections),
            None => Courier::Client(client::for_requests()),
        }
    }

    /// One try: the answer's status, or why there was none.
    async fn send(&self, aim: &Aim, wire: &crate::envelope::Wire) -> Result<u16, Unanswered> {
        let again = Again::of(aim, wire).map_err(Unanswered::Unsendable)?;
        match self {
            Courier::Direct(connections) => {
                let request = again.on_connections().map_err(Unanswered::Unsendable)?;
                match tokio::time::timeout(client::REQUEST_TIMEOUT, connections.send(request)).await
                {
                    Ok(Ok(status)) => Ok(status.as_u16()),
                    Ok(Err(Failed(reason))) => Err(Unanswered::Failed(reason)),
                    Err(_) => Err(Unanswered::Failed("timed out".to_owned())),
                }
            }
            Courier::Client(client) => {
                let sent = again.through(client).send().await;
                let mut answer = sent.map_err(|err| Unanswered::Failed(describe(&err)))?;
                let status = answer.status().as_u16();
                // Read to its end, so that the connection can be used again; piece by piece,
                // so that an answer of any size takes no memory.
                while let Ok(Some(_)) = answer.chunk().await {}
                Ok(status)
            }
        }
    }
}

/// Why a try got no answer: worth trying again (no connection, a timeout), or not (the request
/// cannot be made from what was captured).
enum Unanswered {
    Failed(String),
    Unsendable(String),
}

/// Delivers a captured event to the target in its provider's native wire format, retrying
/// connection errors and 5xx answers `retries` times with backoff.
pub async fn deliver(
    courier: &Courier,
    aim: &Aim,
    wire: &crate::envelope::Wire,
    retries: u32,
) -> Delivery {
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = courier.send(aim, wire).await;
        let retry = match &result {
            Ok(status) => *status >= 500,
            Err(Unanswered::Failed(_)) => true,
            Err(Unanswered::Unsendable(_)) => false,
        };
        if !retry || attempts > retries {
            let (status, error) = match result {
                Ok(status) => (Some(status), None),
                Err(Unanswered::Failed(reason) | Unanswered::Unsendable(reason)) => {
                    (None, Some(reason))
                }
            };
            return Delivery {
                status,
                latency: started.elapsed(),
                attempts,
                error,
            };
        }
        tokio::time::sleep(Duration::from_millis(100 << (attempts - 1).min(6))).await;
    }
}

/// A captured request as it goes again to `--to`: the method, the URL (the target's, with
/// the captured path and query after it), the headers that belong to the message, the body.
struct Again {
    method: Method,
    target: Arc<Target>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

impl Again {
    /// The request `wire` was, aimed at the target; an SSE event becomes a JSON POST. Why
    /// not, when it cannot be made.
    fn of(aim: &Aim, wire: &crate::envelope::Wire) -> Result<Again, String> {
        use crate::envelope::Wire;
        Ok(match wire {
            Wire::Http(http) => {
                let headers = http.headers.keys().filter(|name| !is_hop_by_hop(name));
                Again {
                    method: Method::from_bytes(http.method.as_bytes()).unwrap_or(Method::POST),
                    target: aim.join(&http.path, &http.query).ok_or(CLIMBS)?,
                    headers: headers
                        .filter_map(|name| header_pair(name, &http.header_bytes(name)?))
                        .collect(),
                    body: Bytes::from(http.body_bytes().into_owned()),
                }
            }
            Wire::Sse(sse) => {
                let event = header_pair("x-telev-event", sse.event.as_bytes())
                    .ok_or("its event name cannot be a header")?;
                let json = (CONTENT_TYPE, HeaderValue::from_static("application/json"));
                let mut headers = vec![json, event];
                if let Some(id) = &sse.id {
                    headers.extend(header_pair("x-telev-event-id", id.as_bytes()));
                }
                Again {
                    method: Method::POST,
                    target: aim.base.clone(),
                    headers,
                    body: Bytes::from(sse.data.get().into_owned()),
                }
            }
        })
    }

    /// As sent on [`Connections`]: origin-form, its URI the path and query.
    fn on_connections(self) -> Result<crate::connections::Outgoing, String> {
        let target = self.target.origin_form.clone()?;
        let mut request = hyper::Request::builder()
            .method(self.method)
            .uri(target)
            .body(Full::new(self.body))
            .map_err(|err| format!("it cannot be sent: {err}"))?;
        request.headers_mut().extend(self.headers);
        Ok(request)
    }

    /// As sent through reqwest.
    fn through(self, client: &reqwest::Client) -> reqwest::RequestBuilder {
        let mut headers = hyper::HeaderMap::with_capacity(self.headers.len());
        headers.extend(self.headers);
        client
            .request(self.method, self.target.url.clone())
            .headers(headers)
            .body(self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_queries_join_as_the_contract_says() {
        let base = Url::parse("http://127.0.0.1:3000/hooks").unwrap();
        assert_eq!(
            join_url(&base, "/", None).unwrap().as_str(),
            "http://127.0.0.1:3000/hooks"
        );
        assert_eq!(
            join_url(&base, "/telphin", Some("myid=175"))
                .unwrap()
                .as_str(),
            "http://127.0.0.1:3000/hooks/telphin?myid=175"
        );
        let slash = Url::parse("http://h/hooks/?k=1").unwrap();
        assert_eq!(
            join_url(&slash, "/a", Some("b=2")).unwrap().as_str(),
            "http://h/hooks/a?k=1&b=2"
        );
        let root = Url::parse("http://h").unwrap();
        assert_eq!(join_url(&root, "/x", None).unwrap().as_str(), "http://h/x");
        // A URL parser resolves `..` (and `%2e%2e`, and `\` as `/`) out of the base's path.
        for climbing in ["/../admin", "/%2e%2E/admin", "/a/..\\..\\admin"] {
            assert_eq!(join_url(&base, climbing, None), None, "{climbing}");
        }
        assert_eq!(
            join_url(&base, "/a/../b", None).unwrap().as_str(),
            "http://127.0.0.1:3000/hooks/b"
        );
    }

    #[test]
    fn kept_joins_are_the_joins() {
        let base = Url::parse("http://127.0.0.1:3000/hooks?k=1").unwrap();
        let aim = Aim::new(base.clone());
        // More paths than are kept, each asked for again, and one that climbs.
        let paths: Vec<String> = (0..40).map(|i| format!("/p{}", i % 23)).collect();
        for (i, path) in paths.iter().enumerate() {
            for (path, query) in [(path.as_str(), "q=1"), (path.as_str(), ""), ("/../x", "")] {
                let expected = join_url(&base, path, Some(query));
                let joined = aim.join(path, query).map(|target| target.url.clone());
                assert_eq!(joined, expected, "{i}: {path}?{query}");
            }
        }
        assert!(aim.joined.lock().unwrap().len() <= Aim::KEPT);
        let long = format!("/{}", "a".repeat(Aim::KEPT_LENGTH));
        let joined = aim.join(&long, "").map(|target| target.url.clone());
        assert_eq!(joined, join_url(&base, &long, None));
        let kept = aim.joined.lock().unwrap();
        assert!(
            kept.iter().all(|(path, ..)| *path != long),
            "a long path is not kept"
        );
    }
}
