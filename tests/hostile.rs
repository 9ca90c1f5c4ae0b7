//! `telev listen` against a hostile sender, over real sockets: what it sends must never act on
//! the developer's terminal, reach where it was not aimed, or exhaust the listener.

mod util;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::Duration;

use util::Telev;
use util::http::{post_json, request};
use util::listener::Listener;
use util::pty::{Acts, Pty};
use util::sink::Sink;

/// Starts `telev listen ARGS…` on a terminal of its own; its port, once it listens.
fn listen_on_a_terminal(t: &Telev, args: &[&str]) -> (Pty, u16) {
    let mut full = vec!["listen", "--port", "0", "--color", "never"];
    full.extend_from_slice(args);
    let terminal = Pty::spawn(t.cmd(&full), 200, 40);
    terminal.until_shown("listening on http://127.0.0.1:");
    let shown = String::from_utf8_lossy(&terminal.bytes()).into_owned();
    let port = util::port_in(&shown);
    (terminal, port)
}

#[test]
fn escapes_in_an_event_or_a_request_never_act_on_the_terminal() {
    let t = Telev::new();
    for mode in ["pretty", "table"] {
        let (mut terminal, port) = listen_on_a_terminal(&t, &["-o", mode]);
        // A window title (OSC 0), a screen clear, a clipboard write (OSC 52), a C1 CSI and a
        // right-to-left override, in every field a line shows.
        let event = serde_json::json!({
            "event": "call:end\u{9b}31m",
            "call_id": "\u{1b}]52;c;cHduZWQ=\u{7}",
            "cid_num": "\u{1b}]0;pwned\u{7}",
            "dst_num": "\u{1b}[2J\u{1b}[H",
            "hangup_cause": "evil\u{202e}gpj.exe",
        });
        assert_eq!(post_json(port, "/hook", &event.to_string()).status, 200);
        // A refusal whose reason names the sender's content type, on stderr.
        let content_type = "text/\u{9b}2J\u{202e}x";
        let refused = request(port, "POST", "/", &[("Content-Type", content_type)], b"x");
        assert_eq!(refused.status, 400);
        terminal.until_shown("cannot read a body of");
        terminal.until_shown("gpj.exe");
        terminal.type_keys(b"\x03");
        terminal.until_shown("1 request refused");
        terminal.wait();

        let shown = terminal.bytes();
        for raw in ["\u{1b}", "\u{7}", "\u{9b}", "\u{202e}"] {
            let found = shown
                .windows(raw.len())
                .any(|window| window == raw.as_bytes());
            assert!(!found, "{mode}: {raw:?} reached the terminal");
        }
        assert_eq!(terminal.acts(), Acts::default(), "{mode}");
        let screen = terminal.screen();
        assert!(screen.contains("listening on"), "{mode}: cleared\n{screen}");
        assert!(screen.contains("\\x1b]0;pwned"), "{mode}:\n{screen}");
        assert!(screen.contains("\\u{202e}"), "{mode}:\n{screen}");
    }
}

#[test]
fn forwarding_never_leaves_the_path_it_was_given() {
    let t = Telev::new();
    let app = Sink::start(vec![]);
    let target = app.url("/hooks");
    let listener = Listener::start(&t, &["--forward-to", &target, "--path", "/telphin"]);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let body = b"EventType=hangup&CallID=c-1";
    for climbing in [
        "/telphin/../../admin",
        "/telphin/%2e%2e/%2E%2e/admin",
        "/telphin/.%2E/.%2e/admin",
        "/../telphin",
    ] {
        let reply = request(listener.port, "POST", climbing, &form, body);
        assert_eq!(reply.status, 400, "{climbing}: {}", reply.body);
    }
    // Under --path only as a path is: never a longer name, nor a way out and back.
    for outside in ["/telphinEVIL", "/telphin/../admin", "/telphin/%2e%2e/x"] {
        let reply = request(listener.port, "POST", outside, &form, body);
        assert_eq!(reply.status, 404, "{outside}: {}", reply.body);
    }
    for inside in ["/telphin", "/telphin/7", "/telphin/./7", "/telphin/a/../7"] {
        let reply = request(listener.port, "POST", inside, &form, body);
        assert_eq!(reply.status, 200, "{inside}: {}", reply.body);
    }
    let targets: Vec<String> = app.received().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/hooks/telphin",
            "/hooks/telphin/7",
            "/hooks/telphin/7",
            "/hooks/telphin/7"
        ]
    );
    let run = listener.stop();
    assert!(
        run.stderr.contains("the path climbs above /"),
        "{}",
        run.stderr
    );
}

/// How a padded TelTel event starts and ends: `{"event":"RING","pad":"xxx…"}`.
const PADDED: (&str, &str) = (r#"{"event":"RING","pad":""#, r#""}"#);

/// A connection that sent its request's head and the start of a body of `length` bytes,
/// and waits.
fn half_sent(port: u16, length: usize) -> TcpStream {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n{}",
        PADDED.0
    );
    conn.write_all(head.as_bytes()).unwrap();
    conn
}

/// The rest of a body `half_sent` started.
fn send_the_rest(conn: &mut TcpStream, length: usize) {
    let pad = "x".repeat(length - PADDED.0.len() - PADDED.1.len());
    conn.write_all(format!("{pad}{}", PADDED.1).as_bytes())
        .unwrap();
}

/// The head (status line and headers) a connection is answered with, within `wait`; `None`
/// if it is not.
fn head_within(conn: &mut TcpStream, wait: Duration) -> Option<String> {
    conn.set_read_timeout(Some(wait)).unwrap();
    let mut head = Vec::new();
    let mut byte = [0];
    while !head.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    (!head.is_empty()).then(|| String::from_utf8_lossy(&head).into_owned())
}

/// The status line a connection is answered with, within `wait`; `None` if it is not.
fn answer_within(conn: &mut TcpStream, wait: Duration) -> Option<String> {
    let head = head_within(conn, wait)?;
    head.lines().next().map(str::to_owned)
}

#[test]
fn bodies_held_at_once_stay_within_the_memory_budget() {
    let t = Telev::new();
    let args = ["--max-body", "1MiB", "--max-body-memory", "2MiB"];
    let listener = Listener::start(&t, &args);
    let size = 1 << 20;
    let mut first = half_sent(listener.port, size);
    let mut second = half_sent(listener.port, size);
    std::thread::sleep(Duration::from_millis(200));
    // Two 1 MiB bodies on their way hold the whole budget: a third is turned away at once.
    let mut third = half_sent(listener.port, size);
    let head = head_within(&mut third, Duration::from_secs(5)).unwrap_or_default();
    assert!(
        head.starts_with("HTTP/1.1 503 Service Unavailable"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 1"),
        "{head}"
    );
    // Once they are answered, the budget is free again.
    for conn in [&mut first, &mut second] {
        send_the_rest(conn, size);
        let answer = answer_within(conn, Duration::from_secs(10));
        assert_eq!(answer.as_deref(), Some("HTTP/1.1 200 OK"));
    }
    assert_eq!(
        post_json(listener.port, "/hook", r#"{"event":"RING"}"#).status,
        200
    );
    let run = listener.stop();
    assert!(run.stderr.contains("--max-body-memory"), "{}", run.stderr);
}

#[test]
fn connections_beyond_the_cap_wait_their_turn() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["--max-connections", "2"]);
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(("127.0.0.1", listener.port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut waiting = half_sent(listener.port, 40);
    send_the_rest(&mut waiting, 40);
    assert_eq!(
        answer_within(&mut waiting, Duration::from_millis(500)),
        None
    );
    drop(idle);
    let answer = answer_within(&mut waiting, Duration::from_secs(5));
    assert_eq!(answer.as_deref(), Some("HTTP/1.1 200 OK"));
    let run = listener.stop();
    assert!(run.stderr.contains("2 connections open"), "{}", run.stderr);
}

#[test]
fn running_out_of_file_descriptors_is_waited_out_not_spun_on() {
    let t = Telev::new();
    let mut child = util::Running(
        t.shell("ulimit -n 32 && exec \"$TELEV\" listen --port 0 -o ndjson")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let lines = util::Lines::new(child.stderr.take().unwrap());
    let first = lines.next("the listening line");
    let port: u16 = util::port_in(&first);
    // More connections than the process may have files: accept fails until some close.
    let crowd: Vec<TcpStream> = (0..60)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    drop(crowd);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(post_json(port, "/hook", r#"{"event":"RING"}"#).status, 200);
    util::send_signal(&child, "-INT");
    child.wait().unwrap();
    let told = lines.rest();
    let warnings = told.matches("cannot accept connections").count();
    assert!((1..=4).contains(&warnings), "{warnings} warnings:\n{told}");
    assert!(told.len() < 10_000, "{} bytes of warnings", told.len());
}

#[test]
fn a_web_page_cannot_use_the_listener() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["--allow-origin", "https://app.example"]);
    let port = listener.port;
    let event = br#"{"event":"RING"}"#;
    let json = ("Content-Type", "application/json");
    let post = |headers: &[(&str, &str)]| {
        let headers: Vec<(&str, &str)> = [json].iter().chain(headers).copied().collect();
        request(port, "POST", "/hook", &headers, event).status
    };
    // What a browser adds to a request a page makes.
    assert_eq!(post(&[("Origin", "http://evil.example")]), 403);
    assert_eq!(post(&[("Origin", "null")]), 403);
    assert_eq!(post(&[("Sec-Fetch-Site", "cross-site")]), 403);
    assert_eq!(
        post(&[
            ("Sec-Fetch-Site", "same-site"),
            ("Sec-Fetch-Mode", "no-cors")
        ]),
        403
    );
    assert_eq!(post(&[("Origin", "https://app.example")]), 200);
    assert_eq!(post(&[("Sec-Fetch-Site", "none")]), 200);
    // DNS rebinding: a page on a name that resolves to 127.0.0.1 sends that name.
    let host = |name: &str| {
        let target = format!("http://{name}/hook");
        let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {name}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            if name.is_empty() { "/hook" } else { &target },
            event.len()
        );
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(event).unwrap();
        answer_within(&mut conn, Duration::from_secs(5)).unwrap_or_default()
    };
    assert_eq!(
        host(&format!("rebound.example:{port}")),
        "HTTP/1.1 421 Misdirected Request"
    );
    for ours in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(host(&ours), "HTTP/1.1 200 OK", "{ours}");
    }
    let run = listener.stop();
    assert!(
        run.stderr.contains("421 Misdirected Request"),
        "{}",
        run.stderr
    );

    // A tunnel's name, once given, is ours.
    let listener = Listener::start(&t, &["--host", "abc.trycloudflare.com"]);
    let mut conn = TcpStream::connect(("127.0.0.1", listener.port)).unwrap();
    let head = "POST /hook HTTP/1.1\r\nHost: abc.trycloudflare.com\r\n\
                Content-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"event\":\"RING\"}";
    conn.write_all(head.as_bytes()).unwrap();
    let answer = answer_within(&mut conn, Duration::from_secs(5));
    assert_eq!(answer.as_deref(), Some("HTTP/1.1 200 OK"));
    listener.stop().ok();
}

#[test]
fn a_reader_that_stops_reading_never_holds_up_acknowledgements() {
    let t = Telev::new();
    let capture = t.path("capture.ndjson");
    let args = [
        "listen",
        "--port",
        "0",
        "-o",
        "ndjson",
        "--record",
        capture.to_str().unwrap(),
    ];
    let mut child = util::Running(
        t.cmd(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // stdout is a pipe nobody reads: it fills after some 64 KiB, as a paused `| less` does.
    let paused = child.stdout.take().unwrap();
    let lines = util::Lines::new(child.stderr.take().unwrap());
    let port: u16 = util::port_in(&lines.next("the listening line"));
    // A bounded load on loopback: 4 senders, 1,500 events each.
    let (senders, each) = (4, 1500);
    let slowest = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..senders)
            .map(|sender| {
                scope.spawn(move || {
                    let mut slowest = Duration::ZERO;
                    for n in 0..each {
                        let body = format!(r#"{{"event":"RING","call_id":"{sender}-{n}"}}"#);
                        let started = std::time::Instant::now();
                        assert_eq!(post_json(port, "/hook", &body).status, 200);
                        slowest = slowest.max(started.elapsed());
                    }
                    slowest
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .max()
            .unwrap()
    });
    assert!(
        slowest < Duration::from_secs(2),
        "an answer took {slowest:?}"
    );
    let recorded = std::fs::read_to_string(&capture).unwrap();
    assert_eq!(recorded.lines().count(), senders * each);

    util::send_signal(&child, "-INT");
    // The reader comes back: what the screen still had goes out, and telev ends.
    let mut shown = String::new();
    let mut paused = paused;
    paused.read_to_string(&mut shown).unwrap();
    assert!(child.wait().unwrap().success());
    let told = lines.rest();
    let skipped: usize = told
        .split(" events not shown: the terminal fell behind; all are in the capture")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.rsplit("warning: ").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of events not shown:\n{told}"));
    assert!(skipped > 0, "{told}");
    assert_eq!(shown.lines().count() + skipped, senders * each, "{told}");
}

/// `data` gzip-compressed.
fn gzip(data: &[u8]) -> Vec<u8> {
    use flate2::write::GzEncoder;
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn bodies_as_providers_and_proxies_send_them() {
    let t = Telev::new();
    let capture = t.path("capture.ndjson");
    let args = ["--max-body", "64KiB", "--record", capture.to_str().unwrap()];
    let listener = Listener::start(&t, &args);
    let port = listener.port;
    let json = ("Content-Type", "application/json");
    let event = br#"{"event":"call:ring","call_id":"gz-1","cid_num":"201"}"#;
    // Compressed by a proxy: read, and kept as it came.
    let gzipped = gzip(event);
    let post_gzip = |body: &[u8]| {
        let headers = [json, ("Content-Encoding", "gzip")];
        request(port, "POST", "/", &headers, body)
    };
    let reply = post_gzip(&gzipped);
    assert_eq!(reply.status, 200, "{}", reply.body);
    // A bomb: 8 MiB of spaces in a few KiB, past --max-body once decoded.
    let bomb = gzip(&vec![b' '; 8 << 20]);
    assert!(bomb.len() < 64 << 10);
    let reply = post_gzip(&bomb);
    assert_eq!(reply.status, 413, "{}", reply.body);
    let reply = request(
        port,
        "POST",
        "/",
        &[json, ("Content-Encoding", "br")],
        event,
    );
    assert_eq!(reply.status, 415, "{}", reply.body);
    // "Звонок" in windows-1251, as a Russian PBX sends it, in a form and in JSON.
    let form = (
        "Content-Type",
        "application/x-www-form-urlencoded; charset=windows-1251",
    );
    let body = b"EventType=dial-in&CallID=cp-1&CallerIDName=%C7%E2%EE%ED%EE%EA";
    assert_eq!(request(port, "POST", "/telphin", &[form], body).status, 200);
    let cp1251 = ("Content-Type", "application/json; charset=windows-1251");
    let body =
        b"{\"event\":\"call:ring\",\"call_id\":\"cp-2\",\"cid_name\":\"\xc7\xe2\xee\xed\xee\xea\"}";
    assert_eq!(request(port, "POST", "/", &[cp1251], body).status, 200);
    let unknown = ("Content-Type", "application/json; charset=klingon");
    assert_eq!(request(port, "POST", "/", &[unknown], event).status, 415);
    // A byte-order mark, and JSON with no content type at all.
    let bom = [&b"\xef\xbb\xbf"[..], event].concat();
    assert_eq!(request(port, "POST", "/", &[json], &bom).status, 200);
    assert_eq!(request(port, "POST", "/", &[], event).status, 200);
    listener.stop().ok();

    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&capture)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["call_id"], "gz-1");
    assert_eq!(lines[0]["wire"]["headers"]["content-encoding"], "gzip");
    assert_eq!(
        lines[0]["wire"]["body_base64"], true,
        "the gzip bytes, as they came"
    );
    assert_eq!(lines[1]["raw"]["CallerIDName"], "Звонок");
    assert_eq!(lines[2]["raw"]["cid_name"], "Звонок");
    assert_eq!(
        lines[2]["wire"]["body_base64"], true,
        "the windows-1251 bytes"
    );
    assert_eq!(lines[3]["kind"], "call.ringing");
    assert_eq!(lines[4]["provider"], "callcenter");

    // Replayed, each request is the one that came, byte for byte.
    let app = Sink::start(vec![]);
    let run = t.run(&[
        "replay",
        capture.to_str().unwrap(),
        "--speed",
        "max",
        "--to",
        &app.url("/"),
        "-o",
        "ndjson",
    ]);
    run.ok();
    let got = app.received();
    assert_eq!(got[0].body, gzipped);
    assert_eq!(got[0].header("content-encoding"), Some("gzip"));
    assert!(got[2].body.ends_with(b"\"\xc7\xe2\xee\xed\xee\xea\"}"));
}

#[test]
fn the_capture_is_private_and_keeps_no_secrets() {
    use std::os::unix::fs::PermissionsExt;
    let t = Telev::new();
    let capture = t.path("capture.ndjson");
    let app = Sink::start(vec![]);
    let args = [
        "--record",
        capture.to_str().unwrap(),
        "--forward-to",
        &app.url("/app"),
    ];
    let listener = Listener::start(&t, &args);
    let secrets = [
        ("Content-Type", "application/json"),
        ("Authorization", "Bearer provider-secret"),
        ("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
        ("Cookie", "session=s3cret"),
    ];
    let reply = request(
        listener.port,
        "POST",
        "/hook",
        &secrets,
        br#"{"event":"RING"}"#,
    );
    assert_eq!(reply.status, 200);
    let run = listener.stop();
    let recorded = std::fs::read_to_string(&capture).unwrap();
    for secret in ["provider-secret", "cHJveHk6c2VjcmV0", "s3cret"] {
        assert!(!recorded.contains(secret), "{secret} in the capture");
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }
    assert_eq!(recorded.matches("[redacted]").count(), 3, "{recorded}");
    let mode = std::fs::metadata(&capture).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    // The app still gets them as they came.
    let got = &app.received()[0];
    assert_eq!(got.header("authorization"), Some("Bearer provider-secret"));
    assert_eq!(got.header("cookie"), Some("session=s3cret"));

    // --keep-secrets keeps them; appending to a capture others can read is told.
    std::fs::set_permissions(&capture, std::fs::Permissions::from_mode(0o644)).unwrap();
    let args = ["--record", capture.to_str().unwrap(), "--keep-secrets"];
    let listener = Listener::start(&t, &args);
    request(
        listener.port,
        "POST",
        "/hook",
        &secrets,
        br#"{"event":"RING"}"#,
    );
    let run = listener.stop();
    assert!(
        run.stderr.contains("is readable by others"),
        "{}",
        run.stderr
    );
    let recorded = std::fs::read_to_string(&capture).unwrap();
    assert!(recorded.lines().nth(1).unwrap().contains("session=s3cret"));
}

#[test]
fn inbound_credentials_come_from_anywhere_but_the_command_line_and_are_never_empty() {
    let t = Telev::new();
    let event = br#"{"event":"RING"}"#;
    let post = |port, auth: &str| {
        let headers = [
            ("Content-Type", "application/json"),
            ("Authorization", auth),
        ];
        request(port, "POST", "/hook", &headers, event).status
    };
    // From the environment, out of `ps`.
    let mut cmd = t.cmd(&["listen", "--port", "0", "-o", "ndjson"]);
    cmd.env("TELEV_LISTEN_BEARER", "env-token")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = util::Running(cmd.spawn().unwrap());
    let lines = util::Lines::new(child.stderr.take().unwrap());
    let port: u16 = util::port_in(&lines.next("the listening line"));
    assert_eq!(post(port, "Bearer env-token"), 200);
    // The scheme in any case, as RFC 9110 has it; the token exactly.
    assert_eq!(post(port, "bearer env-token"), 200);
    assert_eq!(post(port, "BEARER  env-token"), 200);
    assert_eq!(post(port, "Bearer ENV-TOKEN"), 401);
    assert_eq!(post(port, "Basic env-token"), 401);
    util::send_signal(&child, "-INT");
    child.wait().unwrap();
    assert!(!lines.rest().contains("env-token"));

    // From the config file's [listen] section.
    let config = t.write("listen.toml", "[listen]\nbasic_auth = \"hook:pw\"\n");
    let listener = Listener::start(&t, &["--config", config.to_str().unwrap()]);
    assert_eq!(post(listener.port, "Basic aG9vazpwdw=="), 200);
    assert_eq!(post(listener.port, "Basic aG9vazp4"), 401);
    listener.stop().ok();

    for empty in [
        &["--bearer", ""][..],
        &["--bearer", " "],
        &["--basic-auth", "user:"],
        &["--basic-auth", ":pw"],
    ] {
        let args = [&["listen", "--port", "0"][..], empty].concat();
        let run = t.run(&args).code(2);
        assert!(run.stderr.contains("empty"), "{empty:?}: {}", run.stderr);
    }
}

#[test]
fn every_refusal_is_told_and_counted_even_those_hyper_makes() {
    let t = Telev::new();
    let app = Sink::start(vec![500, 503]);
    let listener = Listener::start(&t, &["--forward-to", &app.url("/")]);
    let port = listener.port;
    let raw = |bytes: &[u8]| {
        let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = conn.write_all(bytes);
        let mut answer = Vec::new();
        let _ = conn.read_to_end(&mut answer);
        answer
    };
    let long_uri = [
        b"GET /".as_slice(),
        &[b'a'; 70_000],
        b" HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    .concat();
    assert!(raw(&long_uri).starts_with(b"HTTP/1.1 414"));
    let huge_head = [
        b"POST / HTTP/1.1\r\nX-A: ".as_slice(),
        &[b'b'; 500_000],
        b"\r\n\r\n",
    ]
    .concat();
    assert!(raw(&huge_head).starts_with(b"HTTP/1.1 431"));
    assert!(raw(b"NOT HTTP AT ALL\r\n\r\n").starts_with(b"HTTP/1.1 400"));
    // An HTTP/2 client is told, in HTTP/2, to use HTTP/1.1: SETTINGS, then GOAWAY with
    // HTTP_1_1_REQUIRED (0xd).
    let answer = raw(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assert_eq!(&answer[..9], &[0, 0, 0, 4, 0, 0, 0, 0, 0]);
    assert_eq!(answer[12], 0x7, "a GOAWAY frame");
    assert_eq!(&answer[18..26], &[0, 0, 0, 0, 0, 0, 0, 0x0d]);
    // The app's 5xx answers are passed on, and counted.
    for _ in 0..3 {
        post_json(port, "/hook", r#"{"event":"RING"}"#);
    }
    let run = listener.stop();
    for told in [
        "answered 414 URI Too Long",
        "answered 431 Request Header Fields Too Large",
        "answered 400 Bad Request",
        "HTTP/2 without an upgrade); told to use HTTP/1.1",
    ] {
        assert!(run.stderr.contains(told), "{told}: {}", run.stderr);
    }
    assert!(run.stderr.contains("4 requests refused"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 answered 5xx by the app"),
        "{}",
        run.stderr
    );

    // Every interface and no credentials: said at once.
    let run = t.run(&[
        "listen",
        "--bind",
        "0.0.0.0",
        "--port",
        "0",
        "--timeout",
        "100ms",
    ]);
    assert!(
        run.stderr.contains("without --basic-auth or --bearer"),
        "{}",
        run.stderr
    );
    let run = t.run(&["listen", "--port", "0", "--timeout", "100ms"]);
    assert!(
        !run.stderr.contains("without --basic-auth"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_providers_retries_are_marked_counted_and_with_dedup_left_out() {
    let t = Telev::new();
    let ringcentral = r#"{"uuid":"5c1-9","event":"/restapi/v1.0/account/1/extension/2/telephony/sessions","subscriptionId":"s","ownerId":"2","body":{"telephonySessionId":"rc-1","parties":[{"extensionId":"2","status":{"code":"Setup"}}]}}"#;
    let teltel = r#"{"event":"RING","id":"tt-77","call_id":"tt-1"}"#;
    // One leg's id on every event of the call: not an event id, so never a repeat.
    let ring = r#"{"event":"call:ring","id":"leg-1","call_id":"cc-1","ts":1700000000}"#;
    let answer = r#"{"event":"call:answer","id":"leg-1","call_id":"cc-1","ts":1700000004}"#;
    let sent = [
        ringcentral,
        teltel,
        ring,
        ringcentral,
        answer,
        teltel,
        ringcentral,
    ];
    let send_all = |port| {
        for body in sent {
            assert_eq!(post_json(port, "/hook", body).status, 200);
        }
    };
    let listener = Listener::start_command(&t, &["listen", "--port", "0", "-o", "pretty"]);
    send_all(listener.port);
    let run = listener.stop();
    let marks: Vec<&str> = run
        .stdout
        .lines()
        .map(|line| line.split("duplicate of ").nth(1).unwrap_or("-"))
        .collect();
    assert_eq!(
        marks,
        ["-", "-", "-", "#1", "-", "#2", "#1"],
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("3 duplicates"), "{}", run.stderr);

    // --dedup: recorded and answered, neither shown nor forwarded.
    let app = Sink::start(vec![]);
    let capture = t.path("capture.ndjson");
    let args = [
        "--dedup",
        "--forward-to",
        &app.url("/"),
        "--record",
        capture.to_str().unwrap(),
    ];
    let listener = Listener::start(&t, &args);
    send_all(listener.port);
    let run = listener.stop();
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    assert_eq!(app.received().len(), 4);
    assert_eq!(
        std::fs::read_to_string(&capture).unwrap().lines().count(),
        7
    );
}

#[test]
fn endless_or_huge_event_types_leave_the_summary_bounded() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["teltel"]);
    for n in 0..150 {
        let body = format!(r#"{{"event":"EV{n}","id":"tt-{n}","call_id":"tt-{n}"}}"#);
        assert_eq!(post_json(listener.port, "/hook", &body).status, 200);
    }
    let huge = format!(
        r#"{{"event":"{}","id":"h","call_id":"h"}}"#,
        "E".repeat(100_000)
    );
    assert_eq!(post_json(listener.port, "/hook", &huge).status, 200);
    let run = listener.stop();
    let summary = run
        .stderr
        .lines()
        .find(|line| line.contains("151 events"))
        .expect(&run.stderr);
    assert!(summary.contains("EV99 1, 51 of other types)"), "{summary}");
    assert!(summary.len() < 4 << 10, "{summary}");
}
