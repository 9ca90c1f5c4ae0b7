//! A webhook sink on 127.0.0.1:0 that records every request it gets and answers with a
//! scripted status (keep-alive and chunked bodies included, as real clients send them).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        super::header(&self.headers, name)
    }
}

pub struct Sink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
}

impl Sink {
    /// Answers `statuses[n]` to the n-th request, then 200.
    pub fn start(statuses: Vec<u16>) -> Sink {
        Sink::serving(statuses, false)
    }

    /// Answers 200 with `Connection: close`, and closes each connection after one request.
    pub fn closing() -> Sink {
        Sink::serving(Vec::new(), true)
    }

    fn serving(statuses: Vec<u16>, close: bool) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let (received2, stop2, connections2) =
            (received.clone(), stop.clone(), connections.clone());
        let statuses = Arc::new(statuses);
        thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                connections2.fetch_add(1, Ordering::SeqCst);
                let (received, statuses, count) =
                    (received2.clone(), statuses.clone(), count.clone());
                thread::spawn(move || {
                    let _ = serve(conn, &received, &statuses, &count, close);
                });
            }
        });
        Sink {
            port,
            received,
            stop,
            connections,
        }
    }

    /// Connections opened to it so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(
    conn: TcpStream,
    received: &Mutex<Vec<Received>>,
    statuses: &[u16],
    count: &AtomicUsize,
    close: bool,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut out = conn;
    loop {
        let Some(head) = super::Head::read(&mut reader)? else {
            return Ok(());
        };
        let header = |name: &str| head.header(name);
        let mut body = Vec::new();
        if let Some(len) = header("content-length").and_then(|l| l.parse::<usize>().ok()) {
            body.resize(len, 0);
            reader.read_exact(&mut body)?;
        } else if header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut piece = vec![0; size + 2];
                reader.read_exact(&mut piece)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&piece[..size]);
            }
        }
        received.lock().unwrap().push(Received {
            method: head.method.clone(),
            target: head.target.clone(),
            headers: head.headers.clone(),
            body,
        });
        let n = count.fetch_add(1, Ordering::SeqCst);
        let status = statuses.get(n).copied().unwrap_or(200);
        let text = format!("sink says {status}");
        let connection = if close { "Connection: close\r\n" } else { "" };
        write!(
            out,
            "HTTP/1.1 {status} Scripted\r\nContent-Type: text/plain\r\nX-Sink: yes\r\n{connection}Content-Length: {}\r\n\r\n{text}",
            text.len()
        )?;
        if close {
            return Ok(());
        }
    }
}
