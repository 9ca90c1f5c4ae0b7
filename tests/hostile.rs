//! `telev listen` against a hostile sender, over real sockets: what it sends must never act on
//! the developer's terminal, reach where it was not aimed, or exhaust the listener.

mod util;

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
    let port = shown
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|port| port.parse().ok())
        .expect("a port");
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
