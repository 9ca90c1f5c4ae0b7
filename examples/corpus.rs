//! Writes a deterministic NDJSON capture of sample calls from all five providers:
//! `cargo run --release --example corpus -- CALLS [SEED] > corpus.ndjson`.

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let calls = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let start = "2026-11-20T09:00:00Z".parse().expect("a fixed start time");
    let mut out = BufWriter::new(std::io::stdout().lock());
    for envelope in telev::sample::envelopes(calls, seed, start) {
        serde_json::to_writer(&mut out, &envelope)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
