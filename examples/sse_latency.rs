//! Latency of a tail, beside curl's: `sse_latency serve RATE SECONDS` serves, on loopback,
//! demo events at RATE a second for SECONDS, each with the moment it was written in its data
//! (`"sent_ns"`); `sse_latency measure` reads what a client printed on stdin (telev's NDJSON
//! envelopes, or curl's raw `data:` lines) and prints the p50 and p99 of the time from the
//! server's write to the line's arrival, in milliseconds, then the count.
//! `cargo run --release --example sse_latency -- serve 1000 10`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("serve") => {
            let rate: f64 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1000.0);
            let seconds: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10.0);
            serve(rate, seconds)
        }
        Some("measure") => measure(),
        _ => {
            eprintln!("usage: sse_latency serve RATE SECONDS | sse_latency measure");
            std::process::exit(2);
        }
    }
}

fn serve(rate: f64, seconds: f64) -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    let events = (rate * seconds) as u64;
    let period = Duration::from_secs_f64(1.0 / rate);
    for stream in listener.incoming() {
        let stream = stream?;
        std::thread::spawn(move || -> std::io::Result<()> {
            let mut reader = BufReader::new(stream.try_clone()?);
            let mut line = String::new();
            while reader.read_line(&mut line)? > 2 {
                line.clear();
            }
            let mut out = stream;
            out.set_nodelay(true)?;
            out.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
            )?;
            let start = Instant::now();
            for n in 0..events {
                let due = start + period.mul_f64(n as f64);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                let stream = telev::envelope::Stream::Chan;
                let (event, mut data) = telev::demo::event(stream, n, 1_763_629_200_000, "bench");
                data["sent_ns"] = serde_json::json!(now_ns().to_string());
                let frame =
                    telev::serve::sse::frame(Some(&n.to_string()), &event, &data.to_string());
                out.write_all(&frame)?;
            }
            Ok(())
        });
    }
    Ok(())
}

fn measure() -> std::io::Result<()> {
    let mut latencies = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let arrived = now_ns();
        let Some(at) = line.find("sent_ns") else {
            continue;
        };
        let digits: String = line[at..]
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(sent) = digits.parse::<u128>() {
            latencies.push(arrived.saturating_sub(sent) as f64 / 1e6);
        }
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    if latencies.is_empty() {
        println!("no events");
    } else {
        println!("{:.3} {:.3} {}", at(0.5), at(0.99), latencies.len());
    }
    Ok(())
}
