//! Arbitrary bytes as the body of a `text/event-stream` answer, read by the whole connector
//! (`SseSource::run`: the HTTP client, the framer, ids and retries) from a loopback server,
//! each event then decoded: no panic, no hang, and no event past the limit.
#![no_main]

use std::io::{Read, Write};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use telev::envelope::Stream;
use telev::source::sse::{Arrival, SseSource};

fuzz_target!(|body: &[u8]| {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let body = body.to_vec();
    let server = std::thread::spawn(move || {
        let Ok((mut conn, _)) = listener.accept() else { return };
        let mut request = [0u8; 4096];
        let _ = conn.read(&mut request);
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
        let _ = conn.write_all(head.as_bytes());
        let _ = conn.write_all(&body);
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let limit = 4096;
    runtime.block_on(async {
        let source = SseSource {
            url: format!("http://127.0.0.1:{port}/v1.0/events/sse/chan"),
            token: None,
            method: None,
            query: Vec::new(),
            idle_timeout: Duration::from_secs(5),
            max_retries: Some(0),
            auth_hint: String::new(),
            max_event: limit,
            resume: None,
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel(64);
        let run = tokio::spawn(source.run(tx));
        while let Some(arrival) = rx.recv().await {
            if let Arrival::Event(wire) = arrival {
                assert!(wire.data.len() <= limit);
                let _ = telev::provider::decode_sse(Stream::Chan, wire, jiff::Timestamp::UNIX_EPOCH);
            }
        }
        let _ = run.await;
    });
    let _ = server.join();
});
