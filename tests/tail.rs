//! `telev tail` against real SSE servers on 127.0.0.1.

mod util;

use util::pty::Pty;
use util::sse_server::{Script, SseServer, chan_events};
use util::{Telev, basic};

const TOKEN: &str = "s3cret-T0KEN-value";

fn ids(run: &util::Run) -> Vec<String> {
    run.json_lines()
        .iter()
        .map(|e| e["wire"]["id"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// `telev tail cytracom --url <server> ARGS…`
fn tail(t: &Telev, server: &SseServer, args: &[&str]) -> util::Run {
    let base = server.base();
    let command = ["tail", "cytracom", "--url", &base];
    t.run(&[&command[..], args].concat())
}

fn numbered(n: usize) -> Vec<String> {
    (1..=n).map(|i| i.to_string()).collect()
}

#[test]
fn demo_prints_cytracom_envelopes_with_no_account() {
    let t = Telev::new();
    let run = t
        .run(&[
            "tail", "demo", "--rate", "400", "--count", "12", "-o", "ndjson",
        ])
        .ok();
    let events = run.json_lines();
    assert_eq!(events.len(), 12);
    for e in &events {
        assert_eq!(e["provider"], "cytracom");
        assert_eq!(e["stream"], "chan");
        assert!(e["call_id"].is_string() && e["time"].is_string());
    }
    // Each call rings, is answered or not, and ends, in that order; as on a real PBX, the
    // next calls begin before the first has ended.
    let steps = ["chan.dial_begin", "chan.dial_end", "chan.hangup"];
    let mut calls: Vec<(&serde_json::Value, usize)> = Vec::new();
    for e in &events {
        match calls.iter_mut().find(|(id, _)| **id == e["call_id"]) {
            Some((_, seen)) => {
                assert_eq!(e["type"], steps[*seen], "{e}");
                *seen += 1;
            }
            None => {
                assert_eq!(e["type"], steps[0], "{e}");
                calls.push((&e["call_id"], 1));
            }
        }
    }
    let first_ends = events.iter().position(|e| e["kind"] == "call.ended");
    let first_ends = first_ends.expect("a call ends within 12 events");
    assert_ne!(
        events[first_ends - 1]["call_id"],
        events[first_ends]["call_id"]
    );
    assert!(calls.len() >= 4, "{} calls", calls.len());
}

#[test]
fn demo_queue_stream_and_only() {
    let t = Telev::new();
    let run = t
        .run(&[
            "tail",
            "demo",
            "queue",
            "--rate",
            "500",
            "--only",
            "queue_status",
            "--count",
            "2",
        ])
        .ok();
    let events = run.json_lines();
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|e| e["type"] == "queue.queue_status" && e["stream"] == "queue")
    );
}

#[test]
fn events_arrive_exactly_with_basic_auth_and_the_token_never_shows() {
    let server = SseServer::start(Script {
        events: chan_events(5),
        auth: Some(basic(TOKEN)),
        heartbeat: true,
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--token", TOKEN, "--count", "5", "-vv"]).ok();
    assert_eq!(ids(&run), numbered(5));
    let first = &run.json_lines()[0];
    assert_eq!(first["type"], "chan.dial_begin");
    assert_eq!(first["call_id"], "call-1");
    assert_eq!(first["time"], "2019-01-24T08:21:41.509Z");
    assert_eq!(first["from"], "226");
    assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
    assert_eq!(server.requests()[0].method, "GET");
    assert!(
        server.requests()[0]
            .target
            .ends_with("/v1.0/events/sse/chan")
    );
}

#[test]
fn a_refused_token_ends_at_once_with_exit_3_and_a_hint() {
    let server = SseServer::start(Script {
        events: chan_events(1),
        auth: Some(basic("the-right-one")),
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--token", TOKEN]).code(3);
    assert!(
        run.stderr.contains("TELEV_CYTRACOM_TOKEN"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
    // The token from the environment is just as secret.
    let mut cmd = t.cmd(&["tail", "cytracom", "--url", &server.base(), "-v"]);
    let run = util::Run::from(cmd.env("TELEV_CYTRACOM_TOKEN", TOKEN).output().unwrap()).code(3);
    assert!(!run.stderr.contains(TOKEN));
}

#[test]
fn reconnects_resume_with_last_event_id_without_loss_or_duplicates() {
    let server = SseServer::start(Script {
        events: chan_events(12),
        drop_after: Some(4),
        retry_ms: Some(10),
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--count", "12", "-v"]).ok();
    assert_eq!(ids(&run), numbered(12));
    assert!(
        run.stderr.contains("(Last-Event-ID: 8)\n"),
        "{}",
        run.stderr
    );
    let resumed: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.last_event_id.clone())
        .collect();
    assert_eq!(resumed[..3], [None, Some("4".into()), Some("8".into())]);
    // The server also closes after the twelfth event, which ends the run: that is no
    // reconnect to tell of.
    assert_eq!(
        run.stderr.matches("reconnecting").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(", 2 reconnects in"), "{}", run.stderr);
}

#[test]
fn a_reconnect_is_told_after_the_events_before_it() {
    let server = SseServer::start(Script {
        events: chan_events(6),
        drop_after: Some(3),
        retry_ms: Some(10),
        ..Script::default()
    });
    let t = Telev::new();
    // stdout and stderr into one file, as a terminal shows them.
    let both = std::fs::File::create(t.path("both")).unwrap();
    let status = t
        .cmd(&["tail", "cytracom", "--url", &server.base(), "--count", "6"])
        .args(["-o", "ndjson"])
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(t.path("both")).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .map(
            |line| match serde_json::from_str::<serde_json::Value>(line) {
                Ok(event) => {
                    if event["wire"]["id"] == "3" {
                        "event 3"
                    } else {
                        "event"
                    }
                }
                Err(_) if line.contains("reconnecting") => "notice",
                Err(_) => "other",
            },
        )
        .collect();
    let notice = lines.iter().position(|l| *l == "notice").expect(&text);
    assert!(notice > 0 && lines[notice - 1] == "event 3", "{text}");
    assert_eq!(
        lines.iter().filter(|l| **l == "event 3").count(),
        1,
        "{text}"
    );
}

#[test]
fn a_thousand_events_through_a_server_that_drops_every_few_arrive_once_in_order() {
    let server = SseServer::start(Script {
        events: chan_events(1000),
        drop_after: Some(7),
        retry_ms: Some(1),
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--count", "1000", "-o", "ndjson"]).ok();
    assert_eq!(ids(&run), numbered(1000));
    assert!(server.requests().len() >= 1000 / 7, "it really dropped");
}

#[test]
fn frames_cut_at_every_byte_offset_decode_the_same() {
    let mut events = chan_events(3);
    // Multi-line data and a UTF-8 event name.
    events.push((
        "4".into(),
        "chan.hängup".into(),
        "{\"linked_id\":\"x\",\n\"event\":\"chan.hangup\"}".into(),
    ));
    for chunk in [1, 2, 3, 5, 7] {
        let server = SseServer::start(Script {
            events: events.clone(),
            chunk: Some(chunk),
            crlf: chunk % 2 == 1,
            heartbeat: true,
            ..Script::default()
        });
        let t = Telev::new();
        let run = tail(&t, &server, &["--count", "4"]).ok();
        let out = run.json_lines();
        assert_eq!(ids(&run), numbered(4), "chunk {chunk}");
        assert_eq!(out[3]["type"], "chan.hängup");
        assert_eq!(out[3]["raw"]["linked_id"], "x");
        assert_eq!(
            out[3]["wire"]["data"],
            "{\"linked_id\":\"x\",\n\"event\":\"chan.hangup\"}"
        );
    }
}

#[test]
fn data_in_any_json_form_or_none_is_kept_and_the_stream_goes_on() {
    let mut events = chan_events(3);
    events[0].2 = "{\n  \"linked_id\": \"call-1\",\n  \"n\": 1.50\n}".to_owned();
    events[1].2 = r#"{"linked_id":"call-2","#.to_owned();
    let server = SseServer::start(Script {
        events,
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--count", "3"]).ok();
    let lines = run.json_lines();
    assert_eq!(ids(&run), numbered(3));
    // Pretty-printed data: raw is the value, written compact on the line.
    assert_eq!(
        lines[0]["raw"],
        serde_json::json!({"linked_id": "call-1", "n": 1.5})
    );
    assert_eq!(lines[0]["call_id"], "call-1");
    assert!(
        run.stdout
            .lines()
            .next()
            .unwrap()
            .contains(r#""raw":{"linked_id":"call-1","n":1.5}"#)
    );
    // Torn data is kept as text, said on stderr, and the next event still arrives.
    assert_eq!(lines[1]["raw"], r#"{"linked_id":"call-2","#);
    assert_eq!(lines[1]["call_id"], serde_json::Value::Null);
    assert!(
        run.stderr.contains("data is not JSON; kept as text"),
        "{}",
        run.stderr
    );
    assert_eq!(lines[2]["call_id"], "call-3");
    // Counted in the summary too, as the warnings stop after a few.
    let summary = run.stderr.lines().last().unwrap_or_default();
    assert!(summary.contains(", 1 not JSON, kept as text"), "{summary}");
}

#[test]
fn get_answered_405_switches_to_post() {
    let server = SseServer::start(Script {
        events: chan_events(2),
        post_only: true,
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--count", "2"]).ok();
    assert_eq!(ids(&run), numbered(2));
    let methods: Vec<_> = server.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["GET", "POST"]);
}

#[test]
fn server_errors_are_retried_and_other_4xx_end_with_the_reason() {
    let server = SseServer::start(Script {
        events: chan_events(2),
        statuses: vec![500, 503],
        retry_ms: Some(10),
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--count", "2"]).ok();
    assert_eq!(ids(&run), numbered(2));
    assert_eq!(server.requests().len(), 3);
    // Nothing was connected yet: these are retries, not reconnects.
    assert_eq!(
        run.stderr.matches("retrying in").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("reconnect"), "{}", run.stderr);
    assert!(run.stderr.contains(", 2 retries in"), "{}", run.stderr);

    let server = SseServer::start(Script {
        statuses: vec![500, 503, 503],
        ..Script::default()
    });
    let run = tail(&t, &server, &["--max-retries", "1"]).code(1);
    assert_eq!(server.requests().len(), 2);
    assert!(
        run.stderr
            .contains("giving up after 1 retry: the server answered 503"),
        "{}",
        run.stderr
    );
    let server = SseServer::start(Script {
        statuses: vec![500],
        ..Script::default()
    });
    let run = tail(&t, &server, &["--max-retries", "0"]).code(1);
    assert!(
        run.stderr
            .contains("telev: the server answered 500 Internal Server Error\n"),
        "with no retries allowed, there is nothing to give up: {}",
        run.stderr
    );

    let server = SseServer::start(Script {
        statuses: vec![400],
        ..Script::default()
    });
    let run = tail(&t, &server, &[]).code(1);
    assert!(
        run.stderr.contains("queue id 99 does not exist"),
        "{}",
        run.stderr
    );

    // A 404 is a wrong --url, nearly always: say which URL was tried.
    let server = SseServer::start(Script {
        statuses: vec![404],
        ..Script::default()
    });
    let run = tail(&t, &server, &[]).code(1);
    let tried = format!(
        "no event stream at {}/events/sse/chan (404 Not Found",
        server.base()
    );
    assert!(run.stderr.contains(&tried), "{}", run.stderr);
    assert!(run.stderr.contains("is --url right?"), "{}", run.stderr);
}

#[test]
fn a_silent_stream_is_reconnected_after_the_idle_timeout() {
    let server = SseServer::start(Script {
        events: chan_events(5),
        stall_after: Some(2),
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--idle-timeout", "300ms", "--count", "5"]).ok();
    assert_eq!(ids(&run), numbered(5));
    assert_eq!(server.requests()[1].last_event_id.as_deref(), Some("2"));
    assert!(run.stderr.contains("no data for"), "{}", run.stderr);
}

#[test]
fn a_page_instead_of_a_stream_ends_at_once_with_a_hint() {
    let server = SseServer::start(Script {
        drop_after: Some(0),
        content_type: Some("text/html; charset=utf-8"),
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &[]).code(1);
    assert!(
        run.stderr.contains("200 OK with text/html"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--url"), "{}", run.stderr);
    assert_eq!(server.requests().len(), 1, "no retrying a page");
}

#[test]
fn an_event_past_max_event_ends_the_run_after_the_ones_before() {
    let mut events = chan_events(3);
    // Many data lines, each small: it is the event that is too large.
    events[1].2 = vec![r#"{"pad":"x"}"#; 20_000].join("\n");
    let server = SseServer::start(Script {
        events,
        ..Script::default()
    });
    let t = Telev::new();
    let run = tail(&t, &server, &["--max-event", "100KiB"]).code(1);
    assert_eq!(ids(&run), ["1"]);
    assert!(
        run.stderr
            .contains("larger than --max-event (102400 bytes)"),
        "{}",
        run.stderr
    );
    // The default takes it.
    let run = tail(&t, &server, &["--count", "3"]).ok();
    assert_eq!(ids(&run), numbered(3));
}

#[test]
fn record_keeps_everything_while_only_and_filter_narrow_the_output() {
    let server = SseServer::start(Script {
        events: chan_events(6),
        ..Script::default()
    });
    let t = Telev::new();
    let capture = t.path("capture.ndjson");
    let args = [
        "--record",
        capture.to_str().unwrap(),
        "--filter",
        r#".to == "2" or .to == "5""#,
        "--timeout",
        "1s",
    ];
    let run = tail(&t, &server, &args).ok();
    assert_eq!(ids(&run), ["2", "5"]);
    let recorded = std::fs::read_to_string(&capture).unwrap();
    assert_eq!(recorded.lines().count(), 6);
    for line in recorded.lines() {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(e["wire"]["event"], "chan.dial_begin");
    }

    // A filter output that is not a boolean is printed as it is.
    let run = tail(&t, &server, &["--filter", ".call_id", "--count", "2"]).ok();
    assert_eq!(run.stdout, "\"call-1\"\n\"call-2\"\n");
}

#[test]
fn queue_options_reach_the_server() {
    let server = SseServer::start(Script {
        events: chan_events(1),
        ..Script::default()
    });
    let t = Telev::new();
    let args = [
        "tail",
        "cytracom",
        "queue",
        "--url",
        &server.base(),
        "--queue-ids",
        "4,5",
        "--only",
        "caller_join",
        "--timeout",
        "300ms",
    ];
    let run = t.run(&[&args[..], &["-v"]].concat()).ok();
    let target = &server.requests()[0].target;
    assert!(target.contains("/events/sse/queue?"), "{target}");
    assert!(
        target.contains("queue_ids=4%2C5") && target.contains("only_events=caller_join"),
        "{target}"
    );
    // -v shows the request as sent, query included, and the answer.
    let sent = format!(
        "GET {}{target}\nanswered 200 OK",
        server.base().replace("/v1.0", "")
    );
    assert!(run.stderr.contains(&sent), "{}", run.stderr);
}

/// Ctrl-C typed at a terminal while the spinner waits: the terminal echoes `^C` after the
/// spinner, and the screen must end with the summary rather than the spinner's last frame.
/// `script` gives telev a real pty, whose line discipline turns the typed byte into SIGINT
/// and the echo; vt100 shows what a terminal then displays.
#[test]
fn ctrl_c_typed_at_a_terminal_leaves_no_spinner_behind() {
    let server = SseServer::start(Script {
        stall_after: Some(0),
        ..Script::default()
    });
    let t = Telev::new();
    let mut command = t.cmd(&["tail", "cytracom", "--url", &server.base()]);
    command.env("TERM", "xterm");
    let mut terminal = Pty::spawn(command, 100, 30);
    terminal.until_shown("waiting for events from cytracom chan");
    terminal.type_keys(b"\x03");
    terminal.until_shown("0 events in");
    terminal.wait();

    let screen = terminal.screen();
    assert!(!screen.contains("waiting for events"), "{screen}");
    assert!(screen.contains("0 events in"), "{screen}");
}

#[test]
fn usage_errors_exit_2() {
    let t = Telev::new();
    let run = t.run(&["tail", "nosuchprovider"]).code(2);
    assert!(!run.stderr.contains("tip:"), "{}", run.stderr);
    let run = t.run(&["tail", "telphin"]).code(2);
    assert!(
        run.stderr.contains(
            "tip: telphin pushes its events as webhooks: receive them with `telev listen telphin`"
        ),
        "{}",
        run.stderr
    );
    let run = t.run(&["listen", "demo"]).code(2);
    assert!(run.stderr.contains("`telev tail demo`"), "{}", run.stderr);
    t.run(&["tail", "demo", "--bogus"]).code(2);
    t.run(&["tail", "demo", "--filter", ".a |"]).code(2);
    for rate in ["nan", "0", "-5", "inf"] {
        let run = t.run(&["tail", "demo", "--rate", rate]).code(2);
        assert!(run.stderr.contains("is not a rate"), "{}", run.stderr);
    }
    let run = t.run(&["tail", "demo", "--max-event", "0KiB"]).code(2);
    assert!(
        run.stderr.contains("no event fits in 0 bytes"),
        "{}",
        run.stderr
    );
    let run = t.run(&["tail", "cytracom"]).code(2);
    assert!(run.stderr.contains("TELEV_CYTRACOM_TOKEN"));
}

#[test]
fn events_reach_a_pipe_at_once_while_the_stream_is_quiet() {
    let server = SseServer::start(Script {
        events: chan_events(5),
        stall_after: Some(2),
        ..Script::default()
    });
    let t = Telev::new();
    let mut child = util::Running(
        t.cmd(&["tail", "cytracom", "--url", &server.base()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let output = util::Lines::new(child.stdout.take().unwrap());
    // The server now holds the connection open and sends nothing: both events must be out.
    let (first, second) = (output.next("event 1"), output.next("event 2"));
    child.kill().unwrap();
    child.wait().unwrap();
    let id =
        |line: &str| serde_json::from_str::<serde_json::Value>(line).unwrap()["wire"]["id"].clone();
    assert_eq!(id(&first), "1");
    assert_eq!(id(&second), "2");
}

#[test]
fn pretty_lines_fit_the_terminal_and_keep_their_state() {
    let t = Telev::new();
    for columns in [100, 80] {
        let args = [
            "tail", "demo", "--rate", "200", "--count", "12", "--color", "never",
        ];
        let mut terminal = Pty::spawn(t.cmd(&args), columns, 40);
        terminal.until_shown("12 events");
        terminal.wait();
        let screen = terminal.screen();
        let lines: Vec<&str> = screen.lines().filter(|l| l.contains('→')).collect();
        assert_eq!(
            lines.len(),
            12,
            "{columns} columns: every event on one line\n{screen}"
        );
        for line in lines {
            let state = ["ringing", "answered", "no answer", "busy"];
            assert!(
                state.iter().any(|s| line.trim_end().ends_with(s)),
                "{columns}: {line}"
            );
            assert!(
                line.chars().count() <= usize::from(columns),
                "{columns}: {line}"
            );
        }
    }
    // Not a terminal: whole lines, never cut.
    let run = t
        .run(&[
            "tail", "demo", "--rate", "200", "--count", "3", "-o", "pretty",
        ])
        .ok();
    assert!(
        !run.stdout.contains('…') || run.stdout.contains(" …"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.lines().all(|l| l.len() > 80), "{}", run.stdout);
}
