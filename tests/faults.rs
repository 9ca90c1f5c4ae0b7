//! Faults and load, bounded in time: a forward target that flaps under a burst of webhooks,
//! a capture killed mid-write, and one whose reader goes away. (A thousand events through an
//! SSE server that drops every few: `tests/tail.rs`.)

mod util;

use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use util::http::post_json;
use util::listener::Listener;
use util::{Head, Telev};

/// An app on one port that keeps going down: every 25 ms it stops listening (connections are
/// refused) or comes back, and while up it drops every fourth connection without answering.
struct FlappingApp {
    port: u16,
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicUsize>,
}

impl FlappingApp {
    fn start() -> FlappingApp {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicUsize::new(0));
        let (stop2, answered2) = (stop.clone(), answered.clone());
        thread::spawn(move || {
            let mut accepted = 0usize;
            while !stop2.load(Ordering::Relaxed) {
                // Up: listen for a while.
                if let Ok(listener) = TcpListener::bind(("127.0.0.1", port)) {
                    listener.set_nonblocking(true).unwrap();
                    let until = std::time::Instant::now() + Duration::from_millis(25);
                    while std::time::Instant::now() < until {
                        match listener.accept() {
                            Ok((conn, _)) => {
                                accepted += 1;
                                if accepted.is_multiple_of(4) {
                                    drop(conn);
                                    continue;
                                }
                                let answered = answered2.clone();
                                thread::spawn(move || answer(conn, &answered));
                            }
                            Err(_) => thread::sleep(Duration::from_millis(1)),
                        }
                    }
                }
                // Down: nothing listens.
                thread::sleep(Duration::from_millis(25));
            }
        });
        FlappingApp {
            port,
            stop,
            answered,
        }
    }
}

impl Drop for FlappingApp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Answers every request on `conn` with 200 until the client closes it.
fn answer(conn: TcpStream, answered: &AtomicUsize) {
    conn.set_nonblocking(false).unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut out = conn;
    while let Ok(Some(head)) = Head::read(&mut reader) {
        let length: usize = head
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        answered.fetch_add(1, Ordering::Relaxed);
        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nok\n";
        if out.write_all(reply).is_err() {
            return;
        }
    }
}

#[test]
fn a_burst_through_a_flapping_forward_target_is_recorded_whole() {
    let app = FlappingApp::start();
    let t = Telev::new();
    let capture = t.path("burst.ndjson");
    let target = format!("http://127.0.0.1:{}/app", app.port);
    let listener = Listener::start(
        &t,
        &[
            "callcenter",
            "--record",
            capture.to_str().unwrap(),
            "--forward-to",
            &target,
        ],
    );
    let port = listener.port;
    let (senders, each) = (16, 25);
    let statuses: Vec<(String, u16)> = (0..senders)
        .map(|s| {
            thread::spawn(move || {
                (0..each)
                    .map(|n| {
                        let id = format!("call-{s}-{n}");
                        let body = format!(
                            r#"{{"event":"call_start","call_id":"{id}","from":"201","to":"202"}}"#
                        );
                        (id, post_json(port, "/hook", &body).status)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let run = listener.stop();

    let recorded: Vec<String> = std::fs::read_to_string(&capture)
        .unwrap()
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).expect("whole lines");
            e["call_id"].as_str().unwrap().to_owned()
        })
        .collect();
    let mut sent: Vec<&str> = statuses.iter().map(|(id, _)| id.as_str()).collect();
    let mut unique = recorded.clone();
    sent.sort_unstable();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), recorded.len(), "an event was recorded twice");
    assert_eq!(unique, sent, "every request is in the capture, 2xx or not");
    let ok = statuses.iter().filter(|(_, s)| *s == 200).count();
    let failed = statuses.iter().filter(|(_, s)| *s == 502).count();
    assert_eq!(ok + failed, statuses.len(), "only the app's 200 or a 502");
    assert!(ok > 0 && ok <= app.answered.load(Ordering::Relaxed));
    assert!(failed > 0, "the target flapped: {}", run.stderr);
    assert_eq!(run.json_lines().len(), statuses.len());
}

/// Every line of the capture that ends parses as an envelope; returns how many, and the
/// unended rest.
fn whole_lines(capture: &std::path::Path) -> (usize, Vec<u8>) {
    let bytes = std::fs::read(capture).unwrap();
    let ended = bytes
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let mut lines = 0;
    for line in bytes[..ended]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
    {
        let envelope: Result<telev::envelope::Envelope, _> = serde_json::from_slice(line);
        assert!(
            envelope.is_ok(),
            "a torn line: {}",
            String::from_utf8_lossy(line)
        );
        lines += 1;
    }
    (lines, bytes[ended..].to_vec())
}

/// Linux lets SIGKILL cut a `write` short where it crosses a page of the file, so a killed
/// writer may leave the start of its last event without an end; nothing else may be torn, and
/// the next writer removes that start before it appends.
#[test]
fn a_capture_killed_mid_write_holds_only_whole_lines() {
    let t = Telev::new();
    let capture = t.path("killed.ndjson");
    for round in 0..3 {
        let mut child = util::Running(
            t.cmd(&[
                "tail",
                "demo",
                "--rate",
                "20000",
                "-o",
                "ndjson",
                "--record",
                capture.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
        );
        let grown = |size: u64| std::fs::metadata(&capture).is_ok_and(|m| m.len() > size);
        let before = std::fs::metadata(&capture).map_or(0, |m| m.len());
        util::wait_until("the capture grows", || grown(before + 100_000));
        thread::sleep(Duration::from_millis(30 * round));
        child.kill().unwrap(); // SIGKILL: no chance to flush or clean up
        child.wait().unwrap();
        let (_, rest) = whole_lines(&capture);
        assert!(
            rest.is_empty() || rest.starts_with(br#"{"provider":""#),
            "only the start of an event can be left unended: {}",
            String::from_utf8_lossy(&rest)
        );
    }
    let (killed, _) = whole_lines(&capture);
    assert!(killed > 100, "three rounds of 100 kB or more");
    t.run(&[
        "tail",
        "demo",
        "--count",
        "3",
        "--record",
        capture.to_str().unwrap(),
    ])
    .ok();
    let (lines, rest) = whole_lines(&capture);
    assert!(
        lines >= killed + 3 && rest.is_empty(),
        "{lines} lines, then {rest:?}"
    );
}

#[test]
fn a_torn_end_is_named_by_readers_and_removed_by_the_next_writer() {
    let t = Telev::new();
    let capture = t.demo_capture("torn.ndjson", 4);
    let whole = std::fs::read(&capture).unwrap();
    let second = whole.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut torn = whole.clone();
    torn.extend_from_slice(&whole[second..second + 300]);
    std::fs::write(&capture, &torn).unwrap();
    let path = capture.to_str().unwrap();

    let (events, _) = whole_lines(&capture);
    let run = t.run(&["replay", path, "-o", "ndjson"]).code(1);
    assert_eq!(
        run.json_lines().len(),
        events,
        "the whole events come first"
    );
    let torn_line = format!("torn.ndjson:{}", events + 1);
    assert!(
        run.stderr.contains(&torn_line) && run.stderr.contains("ends inside this event"),
        "{}",
        run.stderr
    );

    let run = t
        .run(&["tail", "demo", "--count", "1", "--record", path])
        .ok();
    assert!(
        run.stderr
            .contains("removed the torn start of an event (300 bytes)"),
        "{}",
        run.stderr
    );
    let mended = std::fs::read(&capture).unwrap();
    assert_eq!(
        mended[..whole.len()],
        whole[..],
        "the whole events are kept"
    );
    let (lines, rest) = whole_lines(&capture);
    assert!(
        lines > events && rest.is_empty(),
        "{lines} lines, then {rest:?}"
    );
}

/// A capture piped to a reader that goes away is a failure: unlike a closed stdout
/// (`telev … | head`), which ends a run quietly, it would lose events without a word.
#[test]
fn a_capture_whose_reader_leaves_fails_the_run() {
    let t = Telev::new();
    let fifo = t.path("capture.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    let reading = fifo.clone();
    let reader = thread::spawn(move || {
        let mut some = [0u8; 1000];
        std::fs::File::open(reading)
            .unwrap()
            .read_exact(&mut some)
            .unwrap();
    });
    let record = fifo.to_str().unwrap();
    let args = [
        "tail",
        "demo",
        "--rate",
        "5000",
        "--timeout",
        "20s",
        "-o",
        "ndjson",
    ];
    let run = t.run(&[&args[..], &["--record", record]].concat()).code(1);
    reader.join().unwrap();
    assert!(
        run.stderr.contains("cannot write to") && run.stderr.contains("capture.fifo"),
        "{}",
        run.stderr
    );
}
