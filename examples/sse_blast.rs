//! A loopback SSE server that sends demo Cytracom events as fast as the socket takes them, for
//! the `tail` ingest benchmark: `cargo run --release --example sse_blast -- EVENTS`.
//! Prints its base URL on stdout, then serves every connection the same EVENTS events
//! (`/v1.0/events/sse/chan` or any other path) and closes it.
//!
//! `sse_blast EVENTS --parse-only` serves nothing: it runs telev's SSE framer over the same
//! bytes in memory, in chunks of 8 KiB (what reqwest hands `tail` here; `CHUNK=1024` sets
//! another size), and prints the seconds it took: the most `tail` could reach with this
//! framer, with no network, decoding or output at all.
//!
//! `sse_blast EVENTS --envelope-floor` serves nothing either: it times, on one thread, the two
//! passes over each payload that any `tail` writing the contract's envelope must make, however
//! it frames the stream: checking that `data` is JSON, and escaping it once as `wire.data`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// Distinct events in the repeated block: enough that a consumer cannot cache its way through.
const BLOCK: usize = 4096;

fn main() -> std::io::Result<()> {
    let events: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let frames = Arc::new(frames());
    if std::env::args().any(|arg| arg == "--parse-only") {
        return parse_only(&frames, events);
    }
    if std::env::args().any(|arg| arg == "--envelope-floor") {
        return envelope_floor(&frames, events);
    }
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    for stream in listener.incoming() {
        let (stream, frames) = (stream?, frames.clone());
        std::thread::spawn(move || {
            // The client going away mid-stream is expected; nothing to report.
            let _ = serve(stream, &frames, events);
        });
    }
    Ok(())
}

/// `BLOCK` distinct frames, back to back, and where each one ends.
struct Frames {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// Each frame's `data`, as the server sent it.
    data: Vec<String>,
}

impl Frames {
    /// The first `events` frames, repeating the block: the slices to send one after another.
    fn first(&self, events: usize) -> impl Iterator<Item = &[u8]> {
        let rest = events % BLOCK;
        let cut = if rest == 0 { 0 } else { self.ends[rest - 1] };
        let whole = std::iter::repeat_n(&self.bytes[..], events / BLOCK);
        whole.chain(std::iter::once(&self.bytes[..cut]))
    }
}

fn frames() -> Frames {
    let epoch = 1_763_629_200_000;
    let mut frames = Frames {
        bytes: Vec::new(),
        ends: Vec::new(),
        data: Vec::new(),
    };
    for n in 0..BLOCK as u64 {
        let (event, data) = telev::demo::event(telev::envelope::Stream::Chan, n, epoch, "bench");
        let (id, data) = (n.to_string(), data.to_string());
        let frame = telev::serve::sse::frame(Some(&id), &event, &data);
        frames.bytes.extend_from_slice(&frame);
        frames.ends.push(frames.bytes.len());
        frames.data.push(data);
    }
    frames
}

fn serve(stream: TcpStream, frames: &Frames, events: usize) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut out = stream;
    out.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
    )?;
    frames
        .first(events)
        .try_for_each(|bytes| out.write_all(bytes))
}

fn parse_only(frames: &Frames, events: usize) -> std::io::Result<()> {
    use futures_util::StreamExt;
    let chunk: usize = std::env::var("CHUNK")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(8192);
    let stream = bytes::Bytes::from(frames.first(events).collect::<Vec<_>>().concat());
    let chunks = (0..stream.len())
        .step_by(chunk)
        .map(move |at| Ok(stream.slice(at..stream.len().min(at + chunk))));
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let start = std::time::Instant::now();
    let parsed =
        runtime.block_on(telev::source::sse::parse(futures_util::stream::iter(chunks)).count());
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(parsed, events, "the parser lost events");
    println!("{seconds:.3}");
    Ok(())
}

fn envelope_floor(frames: &Frames, events: usize) -> std::io::Result<()> {
    let mut escaped = Vec::with_capacity(4096);
    let start = std::time::Instant::now();
    for data in frames.data.iter().cycle().take(events) {
        let checked = serde_json::from_str::<serde::de::IgnoredAny>(data);
        assert!(checked.is_ok(), "the demo's data is JSON");
        escaped.clear();
        json_escape_simd::escape_into(data, &mut escaped);
        std::hint::black_box(&escaped);
    }
    println!("{:.3}", start.elapsed().as_secs_f64());
    Ok(())
}
