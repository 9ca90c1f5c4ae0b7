//! `floor CORPUS [READER]`: seconds each reader (or only READER) takes to check every line of CORPUS is one valid JSON
//! value, best of three, in memory, on one thread. What telev's fast paths do on top of the
//! check (finding fields, writing output) and reading the file are not counted.

use std::time::Instant;

// telev's own reader, the one its fast paths check every line with (it needs only serde_json).
#[allow(dead_code)]
#[path = "../../../src/filter/probe.rs"]
mod probe;

fn main() {
    let path = std::env::args().nth(1).expect("usage: floor CORPUS [READER]");
    let only = std::env::args().nth(2);
    let data = std::fs::read(&path).expect("the corpus reads");
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let time = |name: &str, check: &mut dyn FnMut(&[u8]) -> bool| {
        if only.as_ref().is_some_and(|only| only != name) {
            return;
        }
        let mut best = f64::MAX;
        for _ in 0..3 {
            let started = Instant::now();
            let valid = lines.iter().filter(|line| check(line)).count();
            assert_eq!(valid, lines.len(), "{name} rejected a line");
            best = best.min(started.elapsed().as_secs_f64());
        }
        println!("{name}\t{best:.3}\t{:.0}", data.len() as f64 / best / 1e6);
    };
    // What telev's fast paths do before reading any field.
    time("telev's reader", &mut |line| {
        probe::read_fields(line, &[] as &[&str], &[]).is_some()
    });
    // Checked as UTF-8 once, then read as a str (telev's fast paths did, before its reader).
    time("serde_json", &mut |line| {
        std::str::from_utf8(line)
            .is_ok_and(|s| serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok())
    });
    time("sonic-rs", &mut |line| {
        sonic_rs::from_slice::<serde::de::IgnoredAny>(line).is_ok()
    });
    // simd-json parses in place: each line is copied first, as a reader would have to.
    let (mut copy, mut buffers) = (Vec::new(), simd_json::Buffers::default());
    time("simd-json", &mut |line| {
        copy.clear();
        copy.extend_from_slice(line);
        simd_json::Deserializer::from_slice_with_buffers(&mut copy, &mut buffers).is_ok()
    });
}
