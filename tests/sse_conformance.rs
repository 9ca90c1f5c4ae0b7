//! `telev tail` against the cases public SSE test material checks, over real sockets: the
//! WHATWG HTML standard's event-stream rules (§9.2.6, and §9.2.3 for answers that are not a
//! stream), as web-platform-tests' `eventsource/` (format-bom, format-newlines,
//! format-field-id, format-field-retry, request-status-error, eventsource-reconnect),
//! LaunchDarkly's sse-contract-tests, and the test vectors of npm `eventsource`,
//! `eventsource-parser`, `rust-eventsource-client` and Python `sseclient` exercise them. The
//! cases are written here from those rules; no test material is copied.

mod util;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use util::Telev;

/// One connection's answer: a status line and headers, a body, and whether the connection
/// then stays open (silent) or closes.
#[derive(Clone)]
struct Answer {
    head: String,
    body: Vec<u8>,
    hang: bool,
}

fn stream(body: &[u8]) -> Answer {
    Answer {
        head: "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n".into(),
        body: body.to_vec(),
        hang: false,
    }
}

fn hanging(body: &[u8]) -> Answer {
    Answer {
        hang: true,
        ..stream(body)
    }
}

fn status(line: &str, content_type: &str, body: &[u8]) -> Answer {
    Answer {
        head: format!("HTTP/1.1 {line}\r\nContent-Type: {content_type}\r\n"),
        body: body.to_vec(),
        hang: false,
    }
}

/// A server that gives the n-th connection the n-th answer (the last one from then on), and
/// notes each request's `Last-Event-ID`.
struct Server {
    port: u16,
    last_event_ids: Arc<Mutex<Vec<Option<String>>>>,
}

impl Server {
    fn start(answers: Vec<Answer>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let last_event_ids = Arc::new(Mutex::new(Vec::new()));
        let seen = last_event_ids.clone();
        std::thread::spawn(move || {
            for (n, conn) in listener.incoming().enumerate() {
                let Ok(conn) = conn else { continue };
                let answer = answers[n.min(answers.len() - 1)].clone();
                let seen = seen.clone();
                std::thread::spawn(move || answer_one(conn, &answer, &seen));
            }
        });
        Server {
            port,
            last_event_ids,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1.0", self.port)
    }

    fn last_event_ids(&self) -> Vec<Option<String>> {
        self.last_event_ids.lock().unwrap().clone()
    }
}

fn answer_one(mut conn: TcpStream, answer: &Answer, seen: &Mutex<Vec<Option<String>>>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut last_event_id = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("last-event-id")
        {
            last_event_id = Some(value.trim().to_owned());
        }
    }
    seen.lock().unwrap().push(last_event_id);
    let head = format!("{}Connection: close\r\n\r\n", answer.head);
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(&answer.body);
    let _ = conn.flush();
    if answer.hang {
        std::thread::sleep(Duration::from_secs(30));
    }
}

/// `telev tail cytracom --url … ARGS`, to its end.
fn tail(t: &Telev, server: &Server, args: &[&str]) -> util::Run {
    let url = server.url();
    let mut full = vec!["tail", "cytracom", "--url", &url, "-o", "ndjson"];
    full.extend_from_slice(args);
    t.run(&full)
}

fn wires(run: &util::Run) -> Vec<serde_json::Value> {
    run.json_lines()
        .into_iter()
        .map(|e| e["wire"].clone())
        .collect()
}

#[test]
fn a_byte_order_mark_is_stripped_once() {
    let server = Server::start(vec![hanging(b"\xef\xbb\xbfdata: {\"n\":1}\n\n")]);
    let run = tail(&Telev::new(), &server, &["--count", "1"]).ok();
    assert_eq!(wires(&run)[0]["data"], "{\"n\":1}");
}

#[test]
fn every_line_end_dispatches_and_a_lone_cr_at_once() {
    for end in ["\n", "\r\n", "\r"] {
        let body = format!("event: chan.hangup{end}data: {{\"n\":1}}{end}{end}");
        // The connection stays open: the event must not wait for a byte that never comes.
        let server = Server::start(vec![hanging(body.as_bytes())]);
        let started = Instant::now();
        let run = tail(&Telev::new(), &server, &["--count", "1"]).ok();
        assert_eq!(wires(&run)[0]["event"], "chan.hangup", "{end:?}");
        assert!(started.elapsed() < Duration::from_secs(10), "{end:?}");
    }
}

#[test]
fn ids_reset_update_alone_and_carry_across_reconnects() {
    let server = Server::start(vec![
        // An id, then an empty id: the reconnect sends none.
        stream(b"id: 1\ndata: {\"n\":1}\n\nid\ndata: {\"n\":2}\n\n"),
        // A block with only an id updates it.
        stream(b"data: {\"n\":3}\n\nid: 7\n\n"),
        // An event with no id line carries the last one.
        stream(b"data: {\"n\":4}\n\n"),
        hanging(b"id: 8\ndata: {\"n\":5}\n\n"),
    ]);
    let run = tail(&Telev::new(), &server, &["--count", "5"]).ok();
    let ids: Vec<serde_json::Value> = wires(&run).into_iter().map(|w| w["id"].clone()).collect();
    let expected: Vec<serde_json::Value> = serde_json::json!(["1", null, null, "7", "8"])
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(ids, expected);
    let sent = server.last_event_ids();
    assert_eq!(sent[..4], [None, None, Some("7".into()), Some("7".into())]);
}

#[test]
fn retry_zero_makes_no_storm() {
    let server = Server::start(vec![stream(b"retry: 0\ndata: {}\n\n")]);
    let run = tail(&Telev::new(), &server, &["--timeout", "2s"]).ok();
    let attempts = server.last_event_ids().len();
    // 100 ms at the least between attempts, with jitter: twenty-some in 2 s, not thousands.
    assert!(
        (3..=25).contains(&attempts),
        "{attempts} attempts\n{}",
        run.stderr
    );
}

#[test]
fn no_content_means_stop() {
    for line in ["204 No Content", "205 Reset Content"] {
        let server = Server::start(vec![status(line, "text/event-stream", b"")]);
        let run = tail(&Telev::new(), &server, &[]).ok();
        assert!(run.stderr.contains("no more events"), "{}", run.stderr);
        assert_eq!(server.last_event_ids().len(), 1, "{line}: never reconnects");
    }
}

#[test]
fn only_a_200_event_stream_is_read_as_one() {
    let t = Telev::new();
    for (line, content_type) in [
        ("200 OK", "text/html"),
        ("200 OK", "application/json"),
        ("202 Accepted", "text/event-stream"),
    ] {
        let body = b"data: {\"looks\":\"like an event\"}\n\n";
        let server = Server::start(vec![status(line, content_type, body)]);
        let run = tail(&t, &server, &[]).code(1);
        assert!(run.stderr.contains("not an event stream"), "{}", run.stderr);
        assert_eq!(run.stdout, "", "{line} {content_type}");
        assert_eq!(server.last_event_ids().len(), 1);
    }
    // Parameters and case do not matter.
    let server = Server::start(vec![status(
        "200 OK",
        "Text/Event-Stream; charset=utf-8",
        b"data: {}\n\n",
    )]);
    tail(&t, &server, &["--count", "1"]).ok();
}

#[test]
fn bytes_that_are_not_utf8_are_replaced_and_the_stream_goes_on() {
    let server = Server::start(vec![hanging(
        b"data: {\"name\":\"\xff\xfe\"}\n\ndata: {\"n\":2}\n\ndata: \xc3\n\ndata: {\"n\":3}\n\n",
    )]);
    let run = tail(&Telev::new(), &server, &["--count", "4"]).ok();
    let data: Vec<String> = wires(&run)
        .into_iter()
        .map(|w| w["data"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        data,
        [
            "{\"name\":\"\u{fffd}\u{fffd}\"}",
            "{\"n\":2}",
            "\u{fffd}",
            "{\"n\":3}"
        ]
    );
    assert_eq!(run.stderr.matches("not UTF-8").count(), 1, "{}", run.stderr);
}

#[test]
fn a_run_resumes_after_the_last_event_of_its_capture() {
    let t = Telev::new();
    let capture = t.path("today.ndjson");
    let record = [
        "--record",
        capture.to_str().unwrap(),
        "--resume",
        capture.to_str().unwrap(),
    ];
    // A first run, with no capture yet, starts from the present.
    let server = Server::start(vec![hanging(
        b"id: 1\nevent: chan.dial_begin\ndata: {\"n\":1}\n\nid: 2\nevent: chan.hangup\ndata: {\"n\":2}\n\n",
    )]);
    let run = tail(&t, &server, &[&record[..], &["--count", "2"]].concat()).ok();
    assert!(
        run.stderr.contains("starting from the present"),
        "{}",
        run.stderr
    );
    assert_eq!(server.last_event_ids(), [None]);

    // The next run asks for what came after event 2. This server sends event 2 again (not
    // shown twice), then a different event that has the same id (shown), then event 3.
    let server = Server::start(vec![hanging(
        b"id: 2\nevent: chan.hangup\ndata: {\"n\":2}\n\nid: 2\nevent: chan.hangup\ndata: {\"n\":99}\n\nid: 3\ndata: {\"n\":3}\n\n",
    )]);
    let run = tail(&t, &server, &[&record[..], &["--count", "2"]].concat()).ok();
    assert_eq!(server.last_event_ids(), [Some("2".to_owned())]);
    let data: Vec<serde_json::Value> = wires(&run).into_iter().map(|w| w["data"].clone()).collect();
    assert_eq!(data, ["{\"n\":99}", "{\"n\":3}"]);
    assert_eq!(
        std::fs::read_to_string(&capture).unwrap().lines().count(),
        4
    );

    // --last-event-id starts after any id; only an id is known, so nothing is taken for a repeat.
    let server = Server::start(vec![hanging(b"id: 41\ndata: {\"n\":41}\n\n")]);
    let run = tail(&t, &server, &["--last-event-id", "41", "--count", "1"]).ok();
    assert_eq!(server.last_event_ids(), [Some("41".to_owned())]);
    assert_eq!(wires(&run)[0]["data"], "{\"n\":41}");
}
