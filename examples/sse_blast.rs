//! A loopback SSE server that sends demo Cytracom events as fast as the socket takes them, for
//! the `tail` ingest benchmark: `cargo run --release --example sse_blast -- EVENTS`.
//! Prints its base URL on stdout, then serves every connection the same EVENTS events
//! (`/v1.0/events/sse/chan` or any other path) and closes it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

/// Distinct events in the repeated block: enough that a consumer cannot cache its way through.
const BLOCK: u64 = 4096;

fn main() -> std::io::Result<()> {
    let events: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let block = block();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    for stream in listener.incoming() {
        let stream = stream?;
        let block = block.clone();
        std::thread::spawn(move || {
            // The client going away mid-stream is expected; nothing to report.
            let _ = serve(stream, &block, events);
        });
    }
    Ok(())
}

fn block() -> Vec<u8> {
    let epoch = 1_763_629_200_000;
    let mut out = Vec::new();
    for n in 0..BLOCK {
        let (event, data) = telev::demo::event("chan", n, epoch, "bench");
        let id = n.to_string();
        out.extend_from_slice(&telev::serve::sse::frame(
            Some(&id),
            &event,
            &data.to_string(),
        ));
    }
    out
}

fn serve(stream: TcpStream, block: &[u8], events: u64) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut out = stream;
    out.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
    )?;
    for _ in 0..events / BLOCK {
        out.write_all(block)?;
    }
    let rest = (events % BLOCK) as usize;
    let cut = block
        .split_inclusive(|&b| b == b'\n')
        .scan((0, 0), |(frames, len), line| {
            *len += line.len();
            if line == b"\n" {
                *frames += 1;
            }
            Some((*frames, *len))
        })
        .find(|&(frames, _)| frames == rest)
        .map_or(0, |(_, len)| len);
    out.write_all(&block[..cut])
}
