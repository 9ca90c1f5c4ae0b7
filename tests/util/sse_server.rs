//! A scriptable SSE server on 127.0.0.1:0 that can misbehave the ways real networks do:
//! drop connections, cut frames at any byte, refuse tokens, answer 405 or 500, go quiet.

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Clone, Default)]
pub struct Script {
    /// `(id, event name, data)`.
    pub events: Vec<(String, String, String)>,
    /// Close each connection after this many events.
    pub drop_after: Option<usize>,
    /// Write frames in pieces of this many bytes, flushing between them.
    pub chunk: Option<usize>,
    /// Statuses for the first connections, before streaming normally.
    pub statuses: Vec<u16>,
    /// Answer GET with 405.
    pub post_only: bool,
    /// Expected `Authorization` header value.
    pub auth: Option<String>,
    /// Send a comment line before every event.
    pub heartbeat: bool,
    /// Go quiet (connection open, no bytes) after this many events on the first connection.
    pub stall_after: Option<usize>,
    pub crlf: bool,
    /// A `retry:` field at the start of each stream, in milliseconds.
    pub retry_ms: Option<u64>,
    /// Instead of `text/event-stream`.
    pub content_type: Option<&'static str>,
}

/// What one request looked like.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub last_event_id: Option<String>,
    pub authorization: Option<String>,
}

pub struct SseServer {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

impl SseServer {
    pub fn start(script: Script) -> SseServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        thread::spawn(move || {
            let script = Arc::new(script);
            for (n, conn) in listener.incoming().enumerate() {
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (script, seen, stop) = (script.clone(), seen2.clone(), stop2.clone());
                thread::spawn(move || {
                    let _ = serve(conn, n, &script, &seen, &stop);
                });
            }
        });
        SseServer { port, seen, stop }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/v1.0", self.port)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for SseServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(
    conn: TcpStream,
    n: usize,
    script: &Script,
    seen: &Mutex<Vec<Seen>>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let Some(head) = super::Head::read(&mut reader)? else {
        return Ok(());
    };
    let header = |name: &str| head.header(name);
    let method = head.method.clone();
    let target = head.target.clone();
    let last_event_id = header("last-event-id");
    seen.lock().unwrap().push(Seen {
        method: method.clone(),
        target,
        last_event_id: last_event_id.clone(),
        authorization: header("authorization"),
    });
    let mut out = conn;
    let refuse = |out: &mut TcpStream, status: &str, body: &str| {
        let _ = write!(
            out,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    };
    if let Some(expected) = &script.auth
        && header("authorization").as_deref() != Some(expected.as_str())
    {
        refuse(&mut out, "401 Unauthorized", "bad token");
        return Ok(());
    }
    if script.post_only && method == "GET" {
        refuse(&mut out, "405 Method Not Allowed", "use POST");
        return Ok(());
    }
    if let Some(status) = script.statuses.get(n) {
        let text = match status {
            500 => "500 Internal Server Error",
            503 => "503 Service Unavailable",
            404 => "404 Not Found",
            _ => "400 Bad Request",
        };
        refuse(
            &mut out,
            text,
            "scripted failure: queue id 99 does not exist",
        );
        return Ok(());
    }
    let content_type = script.content_type.unwrap_or("text/event-stream");
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
    )?;
    let nl = if script.crlf { "\r\n" } else { "\n" };
    let mut body = String::new();
    if let Some(retry) = script.retry_ms {
        body.push_str(&format!("retry: {retry}{nl}{nl}"));
    }
    let start = match &last_event_id {
        Some(id) => script
            .events
            .iter()
            .position(|(i, _, _)| i == id)
            .map_or(0, |p| p + 1),
        None => 0,
    };
    for (sent, (id, event, data)) in script.events[start..].iter().enumerate() {
        if script.drop_after.is_some_and(|max| sent >= max) {
            break;
        }
        if n == 0 && script.stall_after.is_some_and(|max| sent >= max) {
            send(&mut out, &body, script.chunk)?;
            while !stop.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(20));
            }
            return Ok(());
        }
        if script.heartbeat {
            body.push_str(&format!(": heartbeat{nl}"));
        }
        body.push_str(&format!("id: {id}{nl}event: {event}{nl}"));
        for line in data.split('\n') {
            body.push_str(&format!("data: {line}{nl}"));
        }
        body.push_str(nl);
    }
    send(&mut out, &body, script.chunk)?;
    if script.drop_after.is_none() {
        // Keep the stream open, as a live server does, until the test ends.
        while !stop.load(Ordering::Relaxed) {
            thread::sleep(Duration::from_millis(20));
            if out.write_all(b": ping\n").is_err() {
                break;
            }
        }
    }
    Ok(())
}

fn send(out: &mut TcpStream, body: &str, chunk: Option<usize>) -> std::io::Result<()> {
    match chunk {
        None => out.write_all(body.as_bytes()),
        Some(size) => {
            out.set_nodelay(true)?;
            for piece in body.as_bytes().chunks(size) {
                out.write_all(piece)?;
                out.flush()?;
                thread::sleep(Duration::from_micros(200));
            }
            Ok(())
        }
    }
}

/// `count` chan events whose data are seed-shaped dial_begin payloads with ids 1..=count.
pub fn chan_events(count: usize) -> Vec<(String, String, String)> {
    (1..=count)
        .map(|i| {
            let data = format!(
                r#"{{"linked_id":"call-{i}","event_time":1548318101509,"event":"chan.dial_begin","direction":"internal","caller":{{"number":"226"}},"called":{{"number":"{i}","dial_status":"ringing"}}}}"#
            );
            (i.to_string(), "chan.dial_begin".to_owned(), data)
        })
        .collect()
}
