//! `telev replay` against real sinks and clients on 127.0.0.1.

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use util::Telev;
use util::http::{post_json, request};
use util::listener::Listener;
use util::sink::Sink;

const TELPHIN_FORM: &str = "EventType=hangup&CallID=tp-1&CallerIDNum=%2B79817654321&CallStatus=ANSWER&CallFlow=in&EventTime=1548318101509123";
const TELTEL: &str = r#"{"event":"COMPLETED","call_id":"tt-1","timestamp":"2023-11-07 10:00:00","direction":"inbound"}"#;

/// A capture made the way users make one: `listen --record` fed by real requests.
fn webhook_capture(t: &Telev) -> std::path::PathBuf {
    let capture = t.path("hooks.ndjson");
    let listener = Listener::start(t, &["--record", capture.to_str().unwrap()]);
    let form = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Trace", "abc"),
    ];
    request(
        listener.port,
        "POST",
        "/telphin?myid=175",
        &form,
        TELPHIN_FORM.as_bytes(),
    );
    request(
        listener.port,
        "GET",
        &format!("/show.php?{TELPHIN_FORM}"),
        &[],
        b"",
    );
    post_json(listener.port, "/teltel", TELTEL);
    listener.stop().ok();
    capture
}

/// `telev replay <capture> --speed max ARGS…`
fn replay_max(t: &Telev, capture: &Path, args: &[&str]) -> util::Run {
    let command = ["replay", capture.to_str().unwrap(), "--speed", "max"];
    t.run(&[&command[..], args].concat())
}

#[test]
fn to_redelivers_each_request_byte_for_byte() {
    let t = Telev::new();
    let capture = webhook_capture(&t);
    let sink = Sink::start(vec![]);
    let run = replay_max(&t, &capture, &["--to", &sink.url("/app")]).ok();
    let got = sink.received();
    assert_eq!(got.len(), 3);
    assert_eq!(
        (got[0].method.as_str(), got[0].target.as_str()),
        ("POST", "/app/telphin?myid=175")
    );
    assert_eq!(got[0].body, TELPHIN_FORM.as_bytes());
    assert_eq!(got[0].header("x-trace"), Some("abc"));
    assert_eq!(
        got[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        (got[1].method.as_str(), got[1].target.as_str()),
        ("GET", &*format!("/app/show.php?{TELPHIN_FORM}"))
    );
    assert_eq!(got[2].body, TELTEL.as_bytes());
    assert_eq!(got[2].header("content-type"), Some("application/json"));
    assert_eq!(run.json_lines().len(), 3);
    assert!(
        run.stderr.contains("2XX") && run.stderr.contains("total"),
        "{}",
        run.stderr
    );
}

#[test]
fn sse_events_are_posted_with_their_name() {
    let t = Telev::new();
    let capture = t.demo_capture("tail.ndjson", 3);
    let sink = Sink::start(vec![]);
    replay_max(&t, &capture, &["--to", &sink.url("/")]).ok();
    let got = sink.received();
    // Events already in flight when --count was reached are recorded too.
    let recorded = std::fs::read_to_string(&capture).unwrap().lines().count();
    assert!(recorded >= 3);
    assert_eq!(got.len(), recorded);
    assert_eq!(got[0].header("x-telev-event"), Some("chan.dial_begin"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let first: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(first["event"], "chan.dial_begin");
}

#[test]
fn retries_server_errors_and_fails_when_they_persist() {
    let t = Telev::new();
    let capture = webhook_capture(&t);
    let sink = Sink::start(vec![500, 503]);
    replay_max(&t, &capture, &["--to", &sink.url("/")]).ok();
    assert_eq!(sink.received().len(), 5, "the first event took three tries");

    let sink = Sink::start(vec![500; 20]);
    let run = replay_max(&t, &capture, &["--retries", "0", "--to", &sink.url("/")]).code(1);
    // Piped, no line carries a delivery's note: the error says why.
    assert!(
        run.stderr
            .contains("3 deliveries failed; the first: answered 500"),
        "{}",
        run.stderr
    );

    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/", dead.local_addr().unwrap().port());
    drop(dead);
    let run = replay_max(&t, &capture, &["--retries", "0", "--to", &url]).code(1);
    assert!(
        run.stderr.contains("the first: cannot connect"),
        "{}",
        run.stderr
    );
    // The table's last column is never cut: the reason is whole on each row.
    let args = ["--retries", "0", "--to", &url, "-o", "table"];
    let run = replay_max(&t, &capture, &args).code(1);
    let whole = run.stdout.matches("→ failed: cannot connect").count();
    assert_eq!(whole, 3, "{}", run.stdout);
}

/// With a proxy named in the environment, deliveries go to it (through the general client),
/// as they did before telev had connections of its own.
#[test]
fn a_proxy_in_the_environment_is_used() {
    let t = Telev::new();
    let capture = webhook_capture(&t);
    let proxy = Sink::start(vec![]);
    let output = t
        .cmd(&["replay", capture.to_str().unwrap(), "--speed", "max"])
        .args(["--to", "http://app.invalid:3000/hooks"])
        .env("HTTP_PROXY", proxy.url(""))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let got = proxy.received();
    assert_eq!(got.len(), 3);
    assert!(
        got[0].target.starts_with("http://app.invalid:3000/hooks"),
        "{}",
        got[0].target
    );
}

/// A captured path that would climb out of the target's (`/../admin`) is never sent, and not
/// tried again: the reason is on its line and in the error.
#[test]
fn a_path_that_climbs_above_the_target_is_not_sent() {
    let t = Telev::new();
    let line = r#"{"provider":"teltel","stream":"webhook","type":"RING","kind":"call.ringing","time":null,"received":"2026-01-01T00:00:00Z","call_id":null,"direction":null,"from":null,"to":null,"raw":{},"wire":{"method":"POST","path":"/../admin","query":"","content_type":null,"headers":{},"body":"{}"}}"#;
    let path = t.write("climbing.ndjson", line);
    let sink = Sink::start(vec![]);
    let run = replay_max(&t, &path, &["--to", &sink.url("/hooks"), "-o", "table"]).code(1);
    assert!(
        run.stderr.contains("its path climbs above the target's"),
        "{}",
        run.stderr
    );
    // Tried once: a retry would say "after 3 tries" on the line.
    assert!(
        run.stdout.contains("→ failed: its path climbs"),
        "{}",
        run.stdout
    );
    assert!(sink.received().is_empty());
}

#[test]
fn concurrency_delivers_everything() {
    let t = Telev::new();
    let start = "2026-11-20T09:00:00Z".parse().unwrap();
    let mut text = String::new();
    for e in telev::sample::envelopes(60, 3, start).filter(|e| e.stream == "webhook") {
        text.push_str(&e.to_json());
        text.push('\n');
    }
    let path = t.write("many.ndjson", &text);
    let sink = Sink::start(vec![]);
    replay_max(&t, &path, &["--concurrency", "8", "--to", &sink.url("/")]).ok();
    assert_eq!(sink.received().len(), text.lines().count());
    // Connections are kept and used again: no more are opened than requests go at once.
    assert!(
        sink.connections() <= 8,
        "{} connections",
        sink.connections()
    );
    let sink = Sink::start(vec![]);
    replay_max(&t, &path, &["--to", &sink.url("/")]).ok();
    assert_eq!(sink.connections(), 1);

    // An app that closes each connection after answering still gets everything, first time.
    for concurrency in ["1", "8"] {
        let sink = Sink::closing();
        let args = [
            "--retries",
            "0",
            "--concurrency",
            concurrency,
            "--to",
            &sink.url("/"),
        ];
        replay_max(&t, &path, &args).ok();
        assert_eq!(sink.received().len(), text.lines().count());
        assert_eq!(sink.connections(), text.lines().count());
    }
}

#[test]
fn deliveries_at_once_are_answered_while_replay_waits() {
    // Several at once, a delivery goes on and its line is shown while the replay waits for
    // something else: the next line of a pipe, or the next event's time.
    let t = Telev::new();
    let sink = Sink::start(vec![]);
    let target = sink.url("/");
    let args = ["replay", "-", "--concurrency", "4", "--to", &target];
    let mut replay = t.fed(&args);
    let line = |received: &str| {
        format!(
            r#"{{"provider":"teltel","stream":"webhook","type":"RING","kind":"call.ringing","time":null,"received":"{received}","call_id":null,"direction":null,"from":null,"to":null,"raw":{{}},"wire":{{"method":"POST","path":"/","query":"","content_type":null,"headers":{{}},"body":"{{}}"}}}}"#
        )
    };
    replay.line(&line("2026-01-01T00:00:00.000Z"));
    replay
        .output
        .next("a delivery while the pipe has no next line");
    // The third event is due an hour after the second, at --speed 1.
    replay.line(&line("2026-01-01T00:00:00.100Z"));
    replay.line(&line("2026-01-01T01:00:00.000Z"));
    replay
        .output
        .next("a delivery while the next event is not yet due");
    assert_eq!(sink.received().len(), 2);
}

#[test]
fn pacing_follows_the_captured_gaps() {
    let t = Telev::new();
    let line = |ms: u64| {
        format!(
            r#"{{"provider":"teltel","stream":"webhook","type":"RING","kind":"call.ringing","time":null,"received":"2026-01-01T00:00:0{}.{:03}Z","call_id":null,"direction":null,"from":null,"to":null,"raw":{{}},"wire":{{"method":"POST","path":"/","query":"","content_type":null,"headers":{{}},"body":"{{}}"}}}}"#,
            ms / 1000,
            ms % 1000
        )
    };
    let path = t.write("paced.ndjson", &[line(0), line(600), line(1200)].join("\n"));
    let started = Instant::now();
    let run = t.run(&["replay", path.to_str().unwrap()]).ok();
    let took = started.elapsed();
    assert_eq!(run.json_lines().len(), 3);
    assert!(
        took >= Duration::from_millis(1180) && took < Duration::from_secs(6),
        "{took:?}"
    );
    // 300 ms and 100 ms of gaps: what is left of the second is for a busy machine.
    let started = Instant::now();
    t.run(&["replay", path.to_str().unwrap(), "--speed", "4"])
        .ok();
    assert!(started.elapsed() < Duration::from_millis(1000));
    let started = Instant::now();
    t.run(&["replay", path.to_str().unwrap(), "--max-gap", "50ms"])
        .ok();
    assert!(started.elapsed() < Duration::from_millis(1000));
}

#[test]
fn ctrl_c_or_sigterm_ends_a_replay_waiting_out_a_long_gap() {
    let t = Telev::new();
    let line = |hour: u8| ring_received(&format!("2026-01-01T0{hour}:00:00.000Z"));
    let path = t.write("night.ndjson", &[line(0), line(1)].join("\n"));
    for signal in ["-INT", "-TERM"] {
        let mut replay = t
            .cmd(&["replay", path.to_str().unwrap(), "-o", "ndjson"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let first = util::first_line(replay.stdout.as_mut().unwrap());
        assert!(first.contains(r#""type":"RING""#), "{first}");
        // The next event is an hour off: the run is waiting for it now.
        let (status, stderr) = stop_with(&mut replay, signal);
        assert!(status.success(), "{signal}: {status}");
        assert!(stderr.contains("1 event (RING 1) replayed in"), "{stderr}");
    }
}

/// A capture line: a TelTel RING received at `received`.
fn ring_received(received: &str) -> String {
    format!(
        r#"{{"provider":"teltel","stream":"webhook","type":"RING","kind":"call.ringing","time":null,"received":"{received}","call_id":null,"direction":null,"from":null,"to":null,"raw":{{}},"wire":{{"method":"POST","path":"/","query":"","content_type":null,"headers":{{}},"body":"{{}}"}}}}"#
    )
}

/// Sends `signal` to a running telev; its exit status and stderr once it ends, which must be
/// soon.
fn stop_with(child: &mut std::process::Child, signal: &str) -> (std::process::ExitStatus, String) {
    util::send_signal(child, signal);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    let mut pipe = child.stderr.take().unwrap();
    pipe.read_to_string(&mut stderr).unwrap();
    let status = status.unwrap_or_else(|| {
        panic!("kill {signal} did not end telev within 10 s; its stderr:\n{stderr}")
    });
    (status, stderr)
}

#[test]
fn ctrl_c_ends_deliveries_to_an_app_that_does_not_answer() {
    let t = Telev::new();
    let capture = webhook_capture(&t);
    // An app stopped in a debugger: it takes connections and never answers.
    let app = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", app.local_addr().unwrap());
    let (taken_tx, taken) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in app.incoming() {
            held.push(conn);
            let _ = taken_tx.send(());
        }
    });
    // In order, the first delivery hangs; with room for 2, two do and the third waits for
    // room; with room for 8, all three of the capture do.
    let cases = [
        ("1", 1, "1 delivery"),
        ("2", 2, "2 deliveries"),
        ("8", 3, "3 deliveries"),
    ];
    for (concurrency, hanging, under_way) in cases {
        let mut replay = t
            .cmd(&[
                "replay",
                capture.to_str().unwrap(),
                "--to",
                &url,
                "--speed",
                "max",
                "--concurrency",
                concurrency,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        for _ in 0..hanging {
            taken.recv_timeout(Duration::from_secs(10)).unwrap();
        }
        let (status, stderr) = stop_with(&mut replay, "-INT");
        assert!(status.success(), "{status}: {stderr}");
        let told = format!("stopped with {under_way} under way");
        assert!(stderr.contains(&told), "{stderr}");
        assert!(!stderr.contains("TYPE"), "no table of nothing: {stderr}");
    }
}

#[test]
fn torn_lines_stop_or_are_skipped_and_gz_reads_transparently() {
    let t = Telev::new();
    let example = std::fs::read_to_string(util::repo_root().join("examples/calls.ndjson")).unwrap();
    let mut lines: Vec<&str> = example.lines().collect();
    let torn = &lines[2][..40];
    lines[2] = torn;
    let path = t.write("torn.ndjson", &lines.join("\n"));
    let run = replay_max(&t, &path, &[]).code(1);
    assert_eq!(run.json_lines().len(), 2, "what came before is printed");
    assert!(run.stderr.contains("torn.ndjson:3"), "{}", run.stderr);
    let run = replay_max(&t, &path, &["--skip-invalid"]).ok();
    assert_eq!(run.json_lines().len(), lines.len() - 1);

    let gz = t.path("calls.ndjson.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(example.as_bytes()).unwrap();
    encoder.finish().unwrap();
    let run = replay_max(&t, &gz, &["--only", "hangup"]).ok();
    assert!(!run.json_lines().is_empty());
    assert!(
        run.json_lines()
            .iter()
            .all(|e| e["type"].as_str().unwrap().ends_with("hangup"))
    );
    t.run(&["replay", "missing.ndjson"]).code(1);
}

#[test]
fn plain_payload_files_with_a_provider() {
    let t = Telev::new();
    let path = t.write(
        "payloads.jsonl",
        &format!("{TELTEL}\n{}\n", TELTEL.replace("COMPLETED", "RING")),
    );
    let run = t
        .run(&[
            "replay",
            path.to_str().unwrap(),
            "--provider",
            "teltel",
            "--speed",
            "max",
        ])
        .ok();
    let events = run.json_lines();
    assert_eq!(
        (events[0]["provider"].as_str(), events[1]["kind"].as_str()),
        (Some("teltel"), Some("call.ringing"))
    );
    let forms = t.write("telphin.txt", &format!("{TELPHIN_FORM}\n"));
    let run = t
        .run(&[
            "replay",
            forms.to_str().unwrap(),
            "--provider",
            "telphin",
            "--speed",
            "max",
        ])
        .ok();
    assert_eq!(run.json_lines()[0]["call_id"], "tp-1");
}

/// Cytracom payloads were taken for webhooks (stream `webhook`, an HTTP wire) unless
/// `--provider cytracom` was given, and even then all went on the `chan` stream.
#[test]
fn plain_cytracom_payloads_are_sse_events_on_the_stream_their_names_say() {
    let t = Telev::new();
    let join = r#"{"linked_id":"q-1","event":"queue.caller_join","event_time":1763629200000,"caller":{"number":"3125550143"}}"#;
    let hangup = r#"{"linked_id":"c-1","event":"chan.hangup","event_time":1763629201000}"#;
    let path = t.write("cytracom.jsonl", &format!("{join}\n{hangup}\n"));
    let path = path.to_str().unwrap();
    for provider in [&[][..], &["--provider", "cytracom"]] {
        let mut args = vec!["replay", path, "--speed", "max"];
        args.extend(provider);
        let events = t.run(&args).ok().json_lines();
        let read: Vec<_> = events
            .iter()
            .map(|e| {
                (
                    e["provider"].clone(),
                    e["stream"].clone(),
                    e["wire"].clone(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    "cytracom".into(),
                    "queue".into(),
                    serde_json::json!({"event": "queue.caller_join", "id": null, "data": join})
                ),
                (
                    "cytracom".into(),
                    "chan".into(),
                    serde_json::json!({"event": "chan.hangup", "id": null, "data": hangup})
                ),
            ],
            "{provider:?}"
        );
    }
}

/// A misspelled `--only` would select nothing in silence: it is named, with the nearest names.
#[test]
fn an_only_name_no_provider_sends_is_warned_of_with_the_nearest_ones() {
    let t = Telev::new();
    let example = util::repo_root().join("examples/calls.ndjson");
    let file = example.to_str().unwrap();
    let args = [
        "replay",
        file,
        "--speed",
        "max",
        "--only",
        "dial_edn,call.missed",
        "-o",
        "ndjson",
    ];
    let run = t.run(&args).ok();
    assert!(
        run.stderr.contains("--only dial_edn: no provider sends")
            && run.stderr.contains("did you mean dial_end"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--only call.missed"), "{}", run.stderr);
    let run = t
        .run(&["filter", "--only", "hangup", ".call_id", file])
        .ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn calls_summarise_complete_and_incomplete_calls() {
    let t = Telev::new();
    let example = util::repo_root().join("examples/calls.ndjson");
    let text = std::fs::read_to_string(&example).unwrap();
    // Drop the last call's end: it must show as incomplete, not guessed.
    let cut: Vec<&str> = text.lines().collect();
    let path = t.write("cut.ndjson", &cut[..cut.len() - 1].join("\n"));
    let run = t
        .run(&["replay", path.to_str().unwrap(), "--calls", "-o", "ndjson"])
        .ok();
    let calls = run.json_lines();
    assert_eq!(calls.len(), 10);
    assert_eq!(calls[0]["outcome"], "answered");
    assert_eq!(
        calls[0]["kinds"],
        serde_json::json!(["call.ringing", "call.answered", "call.ended"])
    );
    assert!(calls[0]["talk_seconds"].as_f64().unwrap() > 0.0);
    assert_eq!(calls[3]["outcome"], "missed");
    assert_eq!(calls[9]["outcome"], "incomplete");
    let table = t
        .run(&["replay", path.to_str().unwrap(), "--calls", "-o", "table"])
        .ok();
    assert!(table.stdout.contains("OUTCOME") && table.stdout.contains("incomplete"));
    // Not a terminal: nothing cut or wrapped, one row per call, no rules between rows.
    let whole =
        "call.started › call.ringing › call.answered › call.joined › call.left › call.ended";
    assert!(table.stdout.contains(whole), "{}", table.stdout);
    assert!(table.stdout.contains(" 8-0000000 "), "{}", table.stdout);
    let rows = table.stdout.lines().filter(|l| l.contains(" 8-00")).count();
    assert_eq!(rows, 10, "{}", table.stdout);
    assert_eq!(table.stdout.lines().count(), 10 + 4, "{}", table.stdout);
}

#[test]
fn calls_fit_the_terminal() {
    let t = Telev::new();
    let example = util::repo_root().join("examples/calls.ndjson");
    for cols in [100, 160, 240] {
        let mut command = t.cmd(&["replay", example.to_str().unwrap(), "--calls"]);
        command.arg("--color=never").env("TERM", "xterm");
        let mut terminal = util::pty::Pty::spawn(command, cols, 60);
        terminal.wait();
        let shown = String::from_utf8_lossy(&terminal.bytes()).into_owned();
        let lines: Vec<&str> = shown.lines().map(|l| l.trim_end_matches('\r')).collect();
        for line in &lines {
            assert!(line.chars().count() <= cols.into(), "{line:?}\n{shown}");
        }
        let header = lines.iter().find(|l| l.contains("FIRST")).expect(&shown);
        assert!(
            header.contains("CALL") && header.contains("OUTCOME"),
            "{shown}"
        );
        // The id, the time and the outcome are never wrapped.
        let first = lines
            .iter()
            .find(|l| l.contains("8-0000000"))
            .expect(&shown);
        assert!(first.contains("2026-11-20 09:00:03.638") && first.contains("answered"));
        // Given the room, every column is there.
        assert_eq!(header.contains("LAST"), cols >= 240, "{shown}");
    }
}

/// Reads SSE frames from a raw connection until `count` events have come.
fn read_sse(port: u16, last_event_id: Option<&str>, count: usize) -> Vec<(String, String)> {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let resume = last_event_id.map_or(String::new(), |id| format!("Last-Event-ID: {id}\r\n"));
    write!(conn, "GET /v1.0/events/sse/chan HTTP/1.1\r\nHost: x\r\nAuthorization: Basic dG9rZW46cGxheQ==\r\n{resume}\r\n").unwrap();
    let mut events = Vec::new();
    let (mut id, mut name) = (String::new(), String::new());
    for line in BufReader::new(conn).lines() {
        let line = line.unwrap();
        if let Some(v) = line.strip_prefix("id: ") {
            id = v.to_owned();
        } else if let Some(v) = line.strip_prefix("event: ") {
            name = v.to_owned();
        } else if line.starts_with("data: ") {
            events.push((id.clone(), name.clone()));
            if events.len() == count {
                break;
            }
        }
    }
    events
}

#[test]
fn serve_streams_the_capture_to_sse_clients_with_resume() {
    let t = Telev::new();
    let capture = t.demo_capture("day.ndjson", 6);
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap().to_string();
    drop(free);
    let mut server = util::Running(
        t.cmd(&[
            "replay",
            capture.to_str().unwrap(),
            "--serve",
            &addr,
            "--speed",
            "max",
            "--token",
            "play",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap(),
    );
    let first = util::first_line(server.stderr.as_mut().unwrap());
    assert!(first.contains("serving on"), "{first}");
    let port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();

    let all = read_sse(port, None, 6);
    let ids: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(all[0].1, "chan.dial_begin");
    let resumed = read_sse(port, Some("4"), 2);
    assert_eq!(
        resumed
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["5", "6"]
    );

    // telev's own tail reads it back, as a user pointing it at a recorded day would.
    let base = format!("http://{addr}/v1.0");
    let run = t
        .run(&[
            "tail", "cytracom", "--url", &base, "--token", "play", "--count", "6",
        ])
        .ok();
    let original = std::fs::read_to_string(&capture).unwrap();
    let originals: Vec<serde_json::Value> = original
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (got, want) in run.json_lines().iter().zip(&originals) {
        assert_eq!(got["raw"], want["raw"]);
        assert_eq!(got["type"], want["type"]);
    }
    let mut unauthorized = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        unauthorized,
        "GET /v1.0/events/sse/chan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    unauthorized.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Past the capture's end the stream stays open with heartbeats, as a provider's does: a tail
/// pointed at it waits quietly instead of reconnecting. With `-v` the server logs its clients,
/// and Ctrl-C ends it with a summary.
#[test]
fn serve_keeps_streams_open_with_heartbeats_and_logs_its_clients() {
    let t = Telev::new();
    let capture = t.demo_capture("day.ndjson", 6);
    let file = capture.to_str().unwrap();
    let args = [
        "replay",
        file,
        "--serve",
        "127.0.0.1:0",
        "--speed",
        "max",
        "--heartbeat",
        "200ms",
        "-v",
    ];
    let mut server = util::Running(t.cmd(&args).stderr(Stdio::piped()).spawn().unwrap());
    let log = util::Lines::new(server.stderr.take().unwrap());
    let first = log.next("the serving line");
    let port = util::port_in(&first);
    let base = format!("http://127.0.0.1:{port}/v1.0");
    // Idle for longer than the idle timeout if it were not for the heartbeats (and long
    // enough for a debug build to connect on a busy machine).
    let tail = [
        "tail",
        "cytracom",
        "--url",
        &base,
        "--idle-timeout",
        "1s",
        "--timeout",
        "4s",
    ];
    let run = t.run(&tail).ok();
    assert_eq!(run.json_lines().len(), 6, "{}", run.stderr);
    assert!(!run.stderr.contains("reconnect"), "{}", run.stderr);
    assert!(
        log.next("a client connecting")
            .contains("connected to chan")
    );
    assert!(
        log.next("the client leaving")
            .contains("left after 6 events")
    );
    util::send_signal(&server, "-INT");
    assert!(server.wait().unwrap().success());
    let summary = log.rest();
    assert!(
        summary.contains("6 events (") && summary.contains("served to 1 client in"),
        "{summary}"
    );
}

#[test]
fn a_filter_that_fails_on_every_event_is_told_a_few_times_and_counted() {
    let t = Telev::new();
    let capture = t.demo_capture("calls.ndjson", 60);
    // Names are not numbers: every event fails, in a few dozen distinct ways.
    let failing = ["--filter", ".raw.caller.name | tonumber", "-o", "ndjson"];
    let warnings = |run: &util::Run| run.stderr.matches("warning:").count();
    let run = replay_max(&t, &capture, &failing).ok();
    assert_eq!(run.stdout, "");
    assert_eq!(warnings(&run), 6, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("further --filter failures are not shown")
    );
    let events = std::fs::read_to_string(&capture).unwrap().lines().count();
    let counted = format!(" {events} --filter failures");
    assert!(run.stderr.contains(&counted), "{}", run.stderr);

    let sink = Sink::start(vec![]);
    let run = replay_max(
        &t,
        &capture,
        &[&failing[..], &["--to", &sink.url("/")]].concat(),
    )
    .ok();
    assert!(sink.received().is_empty());
    assert_eq!(warnings(&run), 6, "{}", run.stderr);
    let in_all = format!("{events} --filter failures in all");
    assert!(run.stderr.contains(&in_all), "{}", run.stderr);
}

#[test]
fn every_destination_takes_the_events_the_filter_chooses_whatever_it_prints() {
    let t = Telev::new();
    let capture = t.demo_capture("calls.ndjson", 30);
    let answered = r#"select(.kind == "call.answered")"#;
    let sink = Sink::start(vec![]);
    // `select(…)` gives the event itself: delivered, and printed as the event.
    let run = replay_max(
        &t,
        &capture,
        &["--filter", answered, "--to", &sink.url("/"), "-o", "ndjson"],
    )
    .ok();
    let printed = run.json_lines();
    assert!(!printed.is_empty());
    assert!(
        printed.iter().all(|e| e["kind"] == "call.answered"),
        "{}",
        run.stdout
    );
    assert_eq!(sink.received().len(), printed.len());

    // Another output is printed as it is; its event is still delivered, as captured.
    let sink = Sink::start(vec![]);
    let ids = format!("{answered} | .call_id");
    let run = replay_max(
        &t,
        &capture,
        &["--filter", &ids, "--to", &sink.url("/"), "-o", "ndjson"],
    )
    .ok();
    let got = sink.received();
    assert_eq!(run.stdout.lines().count(), got.len());
    assert!(
        run.stdout.lines().all(|l| l.starts_with('"')),
        "{}",
        run.stdout
    );
    for delivery in &got {
        let body: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
        assert_eq!(delivery.header("x-telev-event"), Some("chan.dial_end"));
        assert_eq!(body["called"]["dial_status"], "answered");
    }

    // The calls table counts the chosen events into their calls.
    let run = replay_max(
        &t,
        &capture,
        &["--filter", answered, "--calls", "-o", "ndjson"],
    )
    .ok();
    for call in run.json_lines() {
        assert_eq!(
            call["kinds"],
            serde_json::json!(["call.answered"]),
            "{call}"
        );
    }
}

#[test]
fn replay_records_counts_and_times_out_like_the_other_commands() {
    let t = Telev::new();
    let capture = t.demo_capture("calls.ndjson", 20);
    let trimmed = t.path("trimmed.ndjson");
    let args = [
        "--record",
        trimmed.to_str().unwrap(),
        "--only",
        "hangup",
        "-o",
        "ndjson",
    ];
    let run = replay_max(&t, &capture, &args).ok();
    let all = std::fs::read_to_string(&capture).unwrap();
    let recorded = std::fs::read_to_string(&trimmed).unwrap();
    assert_eq!(
        recorded, all,
        "every event replayed is recorded, before --only"
    );
    assert!(run.stdout.lines().count() < all.lines().count());

    let run = replay_max(&t, &capture, &["--count", "2", "-o", "ndjson"]).ok();
    assert_eq!(run.stdout.lines().count(), 2);

    // Paced, the second event is a day away: --timeout ends the wait.
    let line = |day: u8| ring_received(&format!("2026-01-0{day}T00:00:00.000Z"));
    let path = t.write("slow.ndjson", &[line(1), line(2)].join("\n"));
    let started = Instant::now();
    let run = t
        .run(&[
            "replay",
            path.to_str().unwrap(),
            "--timeout",
            "300ms",
            "-o",
            "ndjson",
        ])
        .ok();
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(started.elapsed() < Duration::from_secs(5));

    for mode in ["--calls", "--serve=127.0.0.1:0"] {
        t.run(&["replay", path.to_str().unwrap(), mode, "--count", "1"])
            .code(2);
    }
}

#[test]
fn a_reader_that_leaves_ends_a_replay_waiting_out_a_long_gap() {
    let t = Telev::new();
    let line = |hour: u8| ring_received(&format!("2026-01-01T0{hour}:00:00.000Z"));
    let path = t.write("night.ndjson", &[line(0), line(1)].join("\n"));
    // `telev replay night.ndjson | head -1`: the next event is an hour off.
    let mut replay = t
        .cmd(&["replay", path.to_str().unwrap(), "-o", "ndjson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first = util::first_line(replay.stdout.take().unwrap());
    assert!(first.contains(r#""type":"RING""#), "{first}");
    // first_line has read the line and dropped the pipe's read end, as head does.
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = replay.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still waiting for an event nobody will read"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

#[test]
fn events_from_a_pipe_are_replayed_as_they_are_written() {
    // `tail -f capture | telev replay -`: the reader sends a file's events in batches, but
    // must not hold a pipe's first event back waiting for more.
    let t = Telev::new();
    let mut replay = t.fed(&["replay", "-", "--speed", "max", "-o", "ndjson"]);
    for (n, second) in ["00", "01"].iter().enumerate() {
        replay.line(&ring_received(&format!("2026-01-01T00:00:{second}.000Z")));
        let what = format!("event {n}, written with the pipe left open");
        let shown = replay.output.next(&what);
        assert!(shown.contains(r#""type":"RING""#), "{shown}");
    }
    assert!(replay.finish().success());
}

#[test]
fn deliveries_on_a_terminal_show_whole_lines_under_the_spinner() {
    let t = Telev::new();
    let capture = t.demo_capture("calls.ndjson", 30);
    let sink = Sink::start(vec![]);
    let args = [
        "replay",
        capture.to_str().unwrap(),
        "--speed",
        "20",
        "--to",
        &sink.url("/"),
    ];
    let mut command = t.cmd(&args);
    command.arg("--color=never").env("TERM", "xterm");
    let mut terminal = util::pty::Pty::spawn(command, 140, 60);
    terminal.until_shown("replayed in");
    terminal.wait();
    let screen = terminal.screen();
    let lines: Vec<&str> = screen.lines().filter(|l| l.contains('→')).collect();
    assert_eq!(lines.len(), 30, "{screen}");
    for line in lines {
        // A line starts with its time: no spinner frame glued before it.
        assert!(
            line.starts_with(|c: char| c.is_ascii_digit()),
            "{line}\n{screen}"
        );
    }
    let progress = String::from_utf8_lossy(&terminal.bytes()).into_owned();
    assert!(
        !progress.contains(".0000/s") && progress.contains("/s)"),
        "a whole rate"
    );
}

#[test]
fn times_are_shown_one_way_everywhere_and_as_asked() {
    let t = Telev::new();
    // Events of a past day: shown with their date, in pretty, table and --calls alike.
    let line = |hour: u8| ring_received(&format!("2026-01-01T0{hour}:00:00.000Z"));
    let path = t.write("day.ndjson", &[line(1), line(2)].join("\n"));
    let path = path.to_str().unwrap();
    for mode in ["pretty", "table"] {
        let run = t.run(&["replay", path, "--speed", "max", "-o", mode]).ok();
        assert!(
            run.stdout.contains("2026-01-01 01:00:00.000"),
            "{mode}: {}",
            run.stdout
        );
    }
    let demo = t.demo_capture("calls.ndjson", 6);
    let run = t
        .run(&[
            "replay",
            demo.to_str().unwrap(),
            "--speed",
            "max",
            "--calls",
            "-o",
            "table",
        ])
        .ok();
    let today = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    assert!(
        !run.stdout.contains(&today),
        "today's calls show the time alone: {}",
        run.stdout
    );
    // The user's choice, on every command: `replay PATH --speed max -o pretty`, with `before`
    // the command (global flags) and `after` it.
    let pretty = |before: &[&str], after: &[&str]| {
        let mut args = before.to_vec();
        args.extend_from_slice(&["replay", path, "--speed", "max", "-o", "pretty"]);
        args.extend_from_slice(after);
        t.run(&args).ok()
    };
    let run = pretty(&[], &["--time-format", "rfc3339"]);
    assert!(
        run.stdout.contains("2026-01-01T01:00:00.000+00:00"),
        "{}",
        run.stdout
    );
    let run = pretty(&["--time-format", "relative"], &[]);
    let starts: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(starts, ["+0.000", "+3600.000"]);
    let run = pretty(&[], &["--time-format", "time", "--utc"]);
    assert!(run.stdout.starts_with("01:00:00.000 "), "{}", run.stdout);
}
