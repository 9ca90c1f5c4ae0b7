//! `telev listen`'s receiver with nothing behind it: each request is read, checked and decoded
//! into an envelope as `listen teltel` does, then answered 200 at once, with nothing recorded,
//! printed or forwarded. The floor under listen in the benchmark: how close to the smallest
//! hyper server (`http_ok`) telev could come if what follows the envelope cost nothing.
//! `cargo run --release --example listen_floor` prints its base URL and serves until killed.

use http_body_util::Full;
use hyper::Response;
use hyper::body::Bytes;
use telev::envelope::Provider;
use telev::source::webhook::{Accepted, Body, Downstream, Options, Receiver};

// The allocator telev itself runs with, so that the floor is telev's own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Nothing;

impl Downstream for Nothing {
    async fn take(&self, accepted: Accepted) -> Response<Body> {
        std::hint::black_box(accepted.envelope);
        Response::new(Full::new(Bytes::from_static(b"ok\n")))
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("http://{}", listener.local_addr()?);
    // listen's defaults, as `telev listen teltel` has them.
    let options = Options {
        provider: Provider::from_id("teltel"),
        path: None,
        auth: None,
        verification_token: None,
        max_body: 1 << 20,
        body_budget: 64 << 20,
        max_connections: 256,
        hosts: Vec::new(),
        allow_origins: Vec::new(),
        keep_secrets: false,
    };
    Receiver::new(options, Nothing)
        .serve(listener, std::future::pending())
        .await;
    Ok(())
}
