//! The floor under `replay --to`: the same HTTP client (reqwest, as telev builds it) posting
//! one body N times, C at once, on one thread, with no capture read, nothing decoded and
//! nothing printed. `post_floor URL N C` (the body from $BENCH_BODY) prints deliveries/s;
//! `post_floor URL N C --hyper` does the same on hyper's own connections, C of them, each
//! sending its next request when the last is answered (as wrk does), with no pool.

use std::time::Instant;

use tokio::task::JoinSet;

// The allocator telev itself runs with, so that the floor is telev's own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: post_floor URL N CONCURRENCY";
    let url: reqwest::Url = args.next().expect(usage).parse().expect("a URL");
    let n: usize = args.next().expect(usage).parse().expect("a number");
    let concurrency: usize = args.next().expect(usage).parse().expect("a number");
    let body = std::fs::read(std::env::var("BENCH_BODY").expect("BENCH_BODY")).expect("a body");
    let body = bytes::Bytes::from(body);
    if args.next().as_deref() == Some("--hyper") {
        return on_connections(url, n, concurrency, body).await;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    // As telev's client for requests: bounded times, no redirects.
    let client = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let started = Instant::now();
    let mut in_flight = JoinSet::new();
    for _ in 0..n {
        while in_flight.len() >= concurrency {
            in_flight.join_next().await;
        }
        let request = client
            .post(url.clone())
            .header("content-type", "application/json")
            .body(body.clone());
        in_flight.spawn(async move {
            let answer = request.send().await.expect("an answer");
            let _ = answer.bytes().await;
        });
    }
    while in_flight.join_next().await.is_some() {}
    println!("{:.0}", n as f64 / started.elapsed().as_secs_f64());
}

/// `n` posts over `concurrency` connections of hyper's own, each sending in turn.
async fn on_connections(url: reqwest::Url, n: usize, concurrency: usize, body: bytes::Bytes) {
    use http_body_util::{BodyExt, Full};
    let address = format!(
        "{}:{}",
        url.host_str().expect("a host"),
        url.port().expect("a port")
    );
    let started = Instant::now();
    let mut connections = JoinSet::new();
    for c in 0..concurrency {
        let stream = tokio::net::TcpStream::connect(&address)
            .await
            .expect("a connection");
        stream.set_nodelay(true).expect("no delay");
        let io = hyper_util::rt::TokioIo::new(stream);
        let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
            .await
            .expect("a handshake");
        tokio::spawn(connection);
        let (url, body, address) = (url.clone(), body.clone(), address.clone());
        let share = n / concurrency + usize::from(c < n % concurrency);
        connections.spawn(async move {
            for _ in 0..share {
                let request = hyper::Request::post(url.path())
                    .header("host", &address)
                    .header("content-type", "application/json")
                    .body(Full::new(body.clone()))
                    .expect("a request");
                sender.ready().await.expect("ready");
                let answer = sender.send_request(request).await.expect("an answer");
                let _ = answer.into_body().collect().await;
            }
        });
    }
    while connections.join_next().await.is_some() {}
    println!("{:.0}", n as f64 / started.elapsed().as_secs_f64());
}
