//! Whole calls per provider (tests/fixtures/calls, sources in its README), replayed with
//! `--provider` and read back as `replay --calls` rows: every provider's answered, unanswered,
//! busy and transferred calls come out the same way, and `--only call.missed` selects exactly
//! one event per call nobody answered.

mod util;

use serde_json::Value;
use util::Telev;

/// What a row says: the call id's start, outcome, direction, from, to, ring and talk seconds.
type Row = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<f64>,
    Option<f64>,
);

fn fixture(provider: &str) -> String {
    let path = util::repo_root().join(format!("tests/fixtures/calls/{provider}.jsonl"));
    path.to_str().unwrap().to_owned()
}

/// The JSON lines `telev replay FIXTURE --provider PROVIDER ARGS… -o ndjson` prints.
fn replay(t: &Telev, provider: &str, args: &[&str]) -> Vec<Value> {
    let file = fixture(provider);
    let mut all = vec!["replay", &file, "--provider", provider];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", "ndjson"]);
    t.run(&all).ok().json_lines()
}

fn rows(t: &Telev, provider: &str) -> Vec<Value> {
    replay(t, provider, &["--calls"])
}

/// The call ids of the events `--only` selects, in order.
fn selected(t: &Telev, provider: &str, only: &str) -> Vec<String> {
    let lines = replay(t, provider, &["--speed", "max", "--only", only]);
    lines
        .iter()
        .map(|e| e["call_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn check(provider: &str, expected: &[Row]) {
    let t = Telev::new();
    let rows = rows(&t, provider);
    assert_eq!(rows.len(), expected.len(), "{provider}: {rows:#?}");
    let text = |v: &Value| v.as_str().map(str::to_owned);
    for (row, want) in rows.iter().zip(expected) {
        let id = row["call_id"].as_str().unwrap();
        assert!(id.starts_with(want.0), "{provider}: {id} is not {}", want.0);
        let got = (
            row["outcome"].as_str().unwrap(),
            text(&row["direction"]),
            text(&row["from"]),
            text(&row["to"]),
            row["ring_seconds"].as_f64(),
            row["talk_seconds"].as_f64(),
        );
        let want_owned = (
            want.1,
            want.2.map(str::to_owned),
            want.3.map(str::to_owned),
            want.4.map(str::to_owned),
            want.5,
            want.6,
        );
        assert_eq!(got, want_owned, "{provider} call {id}");
    }
    // One selected event per call nobody answered, whichever event carries the fact.
    let unanswered: Vec<&str> = rows
        .iter()
        .filter(|row| ["missed", "busy", "failed"].contains(&row["outcome"].as_str().unwrap()))
        .map(|row| row["call_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        selected(&t, provider, "call.missed"),
        unanswered,
        "{provider}"
    );
    // `call.ended` selects the end of every call, missed or not; a call whose party moved to
    // another session (`call.transferred`) ends there.
    let mut ended = selected(&t, provider, "call.ended");
    ended.dedup();
    let moved =
        |row: &Value| row["kinds"].as_array().unwrap().last().unwrap() == "call.transferred";
    let every: Vec<&str> = rows
        .iter()
        .filter(|row| row["outcome"] != "incomplete" && !moved(row))
        .map(|row| row["call_id"].as_str().unwrap())
        .collect();
    let ended_calls: Vec<&str> = ended.iter().map(String::as_str).collect();
    assert!(
        every.iter().all(|id| ended_calls.contains(id)),
        "{provider}: {ended_calls:?} misses one of {every:?}"
    );
}

#[test]
fn cytracom_calls() {
    check(
        "cytracom",
        &[
            (
                "1548320221192",
                "answered",
                Some("outbound"),
                Some("2147367077"),
                Some("8774112987"),
                Some(23.369),
                Some(60.0),
            ),
            (
                "1548318101312",
                "missed",
                Some("internal"),
                Some("226"),
                Some("697"),
                None,
                None,
            ),
            (
                "1700488812345",
                "missed",
                Some("inbound"),
                Some("5125550142"),
                Some("226"),
                None,
                None,
            ),
            (
                "1700489000000",
                "busy",
                Some("outbound"),
                Some("201"),
                Some("5125550177"),
                None,
                None,
            ),
            // Rung on 226 and 228, answered on 226 (228 cancelled), then moved to 227.
            (
                "1700489100000",
                "answered",
                Some("inbound"),
                Some("5125550142"),
                Some("226"),
                Some(4.0),
                Some(86.0),
            ),
        ],
    );
}

#[test]
fn telphin_calls() {
    check(
        "telphin",
        &[
            (
                "7cf0a6f2",
                "answered",
                Some("outbound"),
                Some("000*099"),
                Some("00010005"),
                Some(4.493),
                Some(25.776),
            ),
            (
                "c2b9f0a4",
                "missed",
                Some("inbound"),
                Some("+74957771122"),
                Some("2566*887"),
                None,
                None,
            ),
            (
                "5d1e2f3a",
                "busy",
                Some("outbound"),
                Some("2566*102"),
                Some("+79031234567"),
                None,
                None,
            ),
            (
                "8e7d6c5b",
                "missed",
                Some("inbound"),
                Some("+79261234567"),
                Some("2566*102"),
                None,
                None,
            ),
            (
                "6f708192",
                "answered",
                Some("inbound"),
                Some("+79161112233"),
                Some("2566*102"),
                Some(5.0),
                Some(60.0),
            ),
        ],
    );
}

#[test]
fn callcenter_calls() {
    check(
        "callcenter",
        &[
            (
                "0f4b9f5e",
                "answered",
                Some("inbound"),
                Some("447700900123"),
                Some("442071838750"),
                Some(7.0),
                Some(59.0),
            ),
            // A queue call the caller gave up on: `canceled` TIMEOUT.
            (
                "7a1c2e3f",
                "missed",
                Some("inbound"),
                Some("447700900555"),
                Some("442071838751"),
                None,
                None,
            ),
            (
                "8d9e0f1a",
                "busy",
                Some("outbound"),
                Some("442071838750"),
                Some("4930901821"),
                None,
                None,
            ),
            // Two legs: answered on the first, then moved to the second.
            (
                "9e0f1a2b",
                "answered",
                Some("inbound"),
                Some("447700900777"),
                Some("442071838750"),
                Some(5.0),
                Some(85.0),
            ),
        ],
    );
}

#[test]
fn teltel_calls() {
    check(
        "teltel",
        &[
            (
                "7f2e1c9a",
                "answered",
                Some("outbound"),
                Some("201"),
                Some("37129123456"),
                Some(7.0),
                Some(103.0),
            ),
            // COMPLETED names who hung up: the phone, on an inbound call the caller.
            (
                "1b2c3d4e",
                "missed",
                Some("inbound"),
                Some("37120000001"),
                None,
                None,
                None,
            ),
            (
                "2c3d4e5f",
                "busy",
                Some("outbound"),
                None,
                Some("37129000002"),
                None,
                None,
            ),
            // Rung on two phones, answered on one: one phone's `call.unanswered`, no miss.
            (
                "3d4e5f60",
                "answered",
                Some("inbound"),
                Some("37129123499"),
                Some("202"),
                Some(6.0),
                Some(114.0),
            ),
            // A callback's first and last events only: answered, says COMPLETED, but nothing
            // in between shows when; its numbers are the callback's legs.
            (
                "6f708192",
                "ended",
                Some("outbound"),
                Some("201"),
                Some("37129123456"),
                None,
                None,
            ),
        ],
    );
}

#[test]
fn ringcentral_calls() {
    check(
        "ringcentral",
        &[
            // Answered, held, taken off hold: the ring time is to the first answer.
            (
                "s-718107795d",
                "answered",
                Some("inbound"),
                Some("+14083388064"),
                Some("+18003151571"),
                Some(0.143),
                Some(30.729),
            ),
            // Outbound and never answered; RingCentral does not call it missed.
            (
                "s-bb843f9bc3",
                "ended",
                Some("outbound"),
                Some("+16504257106"),
                Some("+16579991394"),
                None,
                None,
            ),
            (
                "s-00aa11bb22",
                "missed",
                Some("inbound"),
                Some("+14083388064"),
                Some("+18003151571"),
                None,
                None,
            ),
            (
                "s-11bb22cc33",
                "answered",
                Some("inbound"),
                Some("+14083388064"),
                Some("+18003151571"),
                Some(4.0),
                Some(56.0),
            ),
        ],
    );
}
