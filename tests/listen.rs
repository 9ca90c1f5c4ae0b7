//! `telev listen` with real HTTP requests on 127.0.0.1.

mod util;

use std::collections::HashSet;

use serde_json::Value;
use util::Telev;
use util::http::{post_json, request};
use util::listener::Listener;
use util::sink::Sink;

const TELPHIN_FORM: &str = "EventType=hangup&CallID=tp-1&CallerIDNum=%2B79817654321&CalledNumber=00010005\
&CallStatus=ANSWER&CallFlow=in&EventTime=1548318101509123";
const TELTEL: &str = r#"{"event":"COMPLETED","id":"e1","timestamp":"2023-11-07 10:00:00","accountcode":"a","session_id":"s","call_id":"tt-1","direction":"inbound","type":"standard","hanged_by":"phone","is_answered":true}"#;
const CALLCENTER: &str = r#"{"event":"call:answer","id":"l2","call_id":"cc-1","ts":1700000000,"type":"outbound","cid_num":"1001","dst_num":"+15551234"}"#;
const RINGCENTRAL: &str = r#"{"uuid":"u1","subscriptionId":"s","ownerId":"400144455008","body":{"telephonySessionId":"rc-1","eventTime":"2018-06-05T00:14:50.147Z","parties":[{"extensionId":"400144455008","direction":"Inbound","from":{"phoneNumber":"103"},"to":{"phoneNumber":"102"},"status":{"code":"Answered"}}]}}"#;

#[test]
fn each_provider_is_recognised_from_real_requests() {
    let t = Telev::new();
    let capture = t.path("hooks.ndjson");
    let listener = Listener::start(&t, &["--record", capture.to_str().unwrap()]);
    let port = listener.port;
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    assert_eq!(
        request(
            port,
            "POST",
            "/telphin?myid=175",
            &form,
            TELPHIN_FORM.as_bytes()
        )
        .status,
        200
    );
    let query = format!("/show.php?{}", TELPHIN_FORM.replace("hangup", "dial-in"));
    assert_eq!(request(port, "GET", &query, &[], b"").status, 200);
    let headers = [
        ("EventType", "answer"),
        ("CallID", "tp-1"),
        ("CallFlow", "IN"),
    ];
    assert_eq!(request(port, "GET", "/", &headers, b"").status, 200);
    assert_eq!(post_json(port, "/cc", CALLCENTER).status, 200);
    assert_eq!(post_json(port, "/teltel", TELTEL).status, 200);
    assert_eq!(post_json(port, "/rc", RINGCENTRAL).status, 200);
    assert_eq!(
        post_json(port, "/other", r#"{"hello":"world"}"#).status,
        200
    );
    let run = listener.stop().ok();

    let events = run.json_lines();
    let seen: Vec<(String, String, String)> = events
        .iter()
        .map(|e| {
            (
                e["provider"].as_str().unwrap().into(),
                e["type"].as_str().unwrap().into(),
                e["call_id"].to_string(),
            )
        })
        .collect();
    let expected = [
        ("telphin", "hangup", "\"tp-1\""),
        ("telphin", "dial-in", "\"tp-1\""),
        ("telphin", "answer", "\"tp-1\""),
        ("callcenter", "call:answer", "\"cc-1\""),
        ("teltel", "COMPLETED", "\"tt-1\""),
        ("ringcentral", "Answered", "\"rc-1\""),
        ("unknown", "unknown", "null"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(events[0]["wire"]["query"], "myid=175");
    assert_eq!(events[0]["raw"]["CallerIDNum"], "+79817654321");
    assert_eq!(events[0]["time"], "2019-01-24T08:21:41.509Z");
    let recorded = std::fs::read_to_string(&capture).unwrap();
    assert_eq!(recorded.lines().count(), 7);
    assert!(run.stderr.contains("7 events"), "{}", run.stderr);
}

#[test]
fn ringcentral_handshake_and_verification_token() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["ringcentral", "--verification-token", "vt-123"]);
    let port = listener.port;
    let reply = request(port, "POST", "/rc", &[("Validation-Token", "abc-123")], b"");
    assert_eq!(
        (reply.status, reply.header("validation-token")),
        (200, Some("abc-123"))
    );
    let json = [
        ("Content-Type", "application/json"),
        ("Verification-Token", "wrong"),
    ];
    assert_eq!(
        request(port, "POST", "/rc", &json, RINGCENTRAL.as_bytes()).status,
        401
    );
    let json = [
        ("Content-Type", "application/json"),
        ("Verification-Token", "vt-123"),
    ];
    assert_eq!(
        request(port, "POST", "/rc", &json, RINGCENTRAL.as_bytes()).status,
        200
    );
    let run = listener.stop().ok();
    assert_eq!(
        run.json_lines().len(),
        1,
        "the handshake and the refused request are not events"
    );
    assert!(run.stderr.contains("handshake"));
}

#[test]
fn inbound_auth_is_enforced() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["--basic-auth", "hook:pw"]);
    assert_eq!(post_json(listener.port, "/", TELTEL).status, 401);
    // base64("hook:pw") = aG9vazpwdw==
    let auth = [
        ("Authorization", "Basic aG9vazpwdw=="),
        ("Content-Type", "application/json"),
    ];
    assert_eq!(
        request(listener.port, "POST", "/", &auth, TELTEL.as_bytes()).status,
        200
    );
    drop(listener);

    let listener = Listener::start(&t, &["--bearer", "tok"]);
    let auth = [
        ("Authorization", "Bearer tok"),
        ("Content-Type", "application/json"),
    ];
    assert_eq!(
        request(listener.port, "POST", "/", &auth, TELTEL.as_bytes()).status,
        200
    );
    let auth = [("Authorization", "Bearer nope")];
    assert_eq!(
        request(listener.port, "POST", "/", &auth, TELTEL.as_bytes()).status,
        401
    );
}

#[test]
fn bad_requests_get_a_reason_and_the_server_keeps_serving() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["--max-body", "1KiB"]);
    let port = listener.port;
    let reply = post_json(port, "/", "{\"event\": ");
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("not valid JSON"), "{}", reply.body);
    assert!(reply.body.ends_with('\n'), "a line: {:?}", reply.body);
    let big = format!("{{\"event\":\"START\",\"pad\":\"{}\"}}", "x".repeat(4096));
    assert_eq!(post_json(port, "/", &big).status, 413);
    assert_eq!(
        request(port, "GET", "/", &[], b"").status,
        400,
        "a request with nothing in it"
    );
    assert_eq!(post_json(port, "/", TELTEL).status, 200);
    let run = listener.stop().ok();
    assert_eq!(run.json_lines().len(), 1);
    assert!(
        run.stderr.contains("400") && run.stderr.contains("413"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 event (COMPLETED 1), 3 requests refused in"),
        "{}",
        run.stderr
    );
}

#[test]
fn forward_to_relays_exactly_and_answers_with_the_apps_reply() {
    let sink = Sink::start(vec![201]);
    let t = Telev::new();
    let listener = Listener::start(&t, &["--forward-to", &sink.url("/app/hooks")]);
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Custom", "kept"),
    ];
    let reply = request(
        listener.port,
        "POST",
        "/telphin?myid=175",
        &headers,
        TELPHIN_FORM.as_bytes(),
    );
    assert_eq!(reply.status, 201);
    assert_eq!(reply.body, "sink says 201");
    assert_eq!(reply.header("x-sink"), Some("yes"));
    let got = &sink.received()[0];
    assert_eq!(
        (got.method.as_str(), got.target.as_str()),
        ("POST", "/app/hooks/telphin?myid=175")
    );
    assert_eq!(got.body, TELPHIN_FORM.as_bytes());
    assert_eq!(got.header("x-custom"), Some("kept"));
    assert_eq!(
        got.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let run = listener.stop().ok();
    assert_eq!(run.json_lines().len(), 1);
}

#[test]
fn forward_to_a_dead_app_answers_502_and_still_records() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/", dead.local_addr().unwrap().port());
    drop(dead);
    let t = Telev::new();
    let capture = t.path("c.ndjson");
    let listener = Listener::start(
        &t,
        &["--forward-to", &url, "--record", capture.to_str().unwrap()],
    );
    assert_eq!(post_json(listener.port, "/", TELTEL).status, 502);
    let run = listener.stop().ok();
    assert_eq!(run.json_lines().len(), 1);
    assert_eq!(
        std::fs::read_to_string(&capture).unwrap().lines().count(),
        1
    );
    // NDJSON lines carry no note of the failed forward: stderr tells it.
    assert!(
        run.stderr.contains("not forwarded (cannot connect"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(", 1 not forwarded in"),
        "{}",
        run.stderr
    );
}

#[test]
fn many_concurrent_requests_are_each_recorded_once() {
    let t = Telev::new();
    let capture = t.path("burst.ndjson");
    let listener = Listener::start(&t, &["--record", capture.to_str().unwrap()]);
    let port = listener.port;
    let threads: Vec<_> = (0..20)
        .map(|thread| {
            std::thread::spawn(move || {
                for i in 0..25 {
                    let body = TELTEL.replace("tt-1", &format!("burst-{thread}-{i}"));
                    assert_eq!(post_json(port, "/", &body).status, 200);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    // Every 200 was sent after its event was recorded: the capture is complete right now.
    let ids = call_ids(&capture);
    assert_eq!(ids.len(), 500);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 500);
    listener.stop().ok();
}

/// Requests still in flight when `--count` is reached are recorded, never printed; each one
/// answered 2xx must be in the capture and each one in the capture answered 2xx, or the
/// provider would deliver again what telev kept.
#[test]
fn after_count_what_is_recorded_is_acknowledged() {
    let t = Telev::new();
    let capture = t.path("count.ndjson");
    let listener = Listener::start(&t, &["--count", "1", "--record", capture.to_str().unwrap()]);
    let answered = post_teltel_events_at_once(listener.port, 32);
    listener.wait().ok();
    let recorded: HashSet<String> = call_ids(&capture).into_iter().collect();
    for (call, status) in &answered {
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        assert_eq!(ok, recorded.contains(call), "{call} answered {status:?}");
    }
}

/// Without `--record` an answer need not wait for the printing thread, but with `--count` it
/// still does: an event that came after the count was reached is answered 503, never 200, so
/// that the provider sends it again rather than lose it.
#[test]
fn after_count_without_a_capture_only_what_is_printed_is_acknowledged() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["--count", "1"]);
    let answered = post_teltel_events_at_once(listener.port, 32);
    let run = listener.wait().ok();
    let ok = answered
        .iter()
        .filter(|(_, status)| status.is_some_and(|s| (200..300).contains(&s)))
        .count();
    assert_eq!(ok, 1, "{answered:?}");
    assert_eq!(run.json_lines().len(), 1);
}

/// `n` TelTel events posted at once, each on its own connection (call ids `tt-0`…): each
/// call id with the status it was answered, if any.
fn post_teltel_events_at_once(port: u16, n: usize) -> Vec<(String, Option<u16>)> {
    let senders: Vec<_> = (0..n)
        .map(|n| {
            std::thread::spawn(move || {
                let body = TELTEL.replace("tt-1", &format!("tt-{n}"));
                let json = [("Content-Type", "application/json")];
                let reply = util::http::try_request(port, "POST", "/", &json, body.as_bytes());
                (format!("tt-{n}"), reply.map(|r| r.status).ok())
            })
        })
        .collect();
    senders.into_iter().map(|s| s.join().unwrap()).collect()
}

#[test]
fn count_ends_the_listener_and_a_busy_port_is_a_runtime_error() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["--count", "2", "--only", "COMPLETED"]);
    assert_eq!(post_json(listener.port, "/", CALLCENTER).status, 200);
    assert_eq!(post_json(listener.port, "/", TELTEL).status, 200);
    assert_eq!(post_json(listener.port, "/", TELTEL).status, 200);
    let run = listener.wait().ok();
    assert_eq!(run.json_lines().len(), 2);

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port_text = busy.local_addr().unwrap().port().to_string();
    let run = t.run(&["listen", "--port", &port_text]).code(1);
    assert!(
        run.stderr
            .contains("the port is already in use; choose another with --port"),
        "{}",
        run.stderr
    );
    let address = format!("127.0.0.1:{port_text}");
    let capture = t.demo_capture("demo.ndjson", 1);
    let run = t
        .run(&["replay", capture.to_str().unwrap(), "--serve", &address])
        .code(1);
    assert!(
        run.stderr.contains("choose another with --serve"),
        "{}",
        run.stderr
    );
    t.run(&["listen", "nosuch"]).code(2);
}

/// The `call_id` of each envelope in a capture, in order.
fn call_ids(capture: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(capture)
        .unwrap()
        .lines()
        .map(|l| {
            let envelope: Value = serde_json::from_str(l).unwrap();
            envelope["call_id"].as_str().expect("a call id").to_owned()
        })
        .collect()
}

/// A webhook that cannot be recorded is not acknowledged: the provider keeps it and sends it
/// again, and the listener stops rather than go on with a capture that is short.
#[test]
fn a_capture_that_cannot_be_written_is_not_acknowledged() {
    let t = Telev::new();
    let listener = Listener::start(&t, &["--record", "/dev/full"]);
    let reply = post_json(listener.port, "/", r#"{"event":"RING","call_id":"c1"}"#);
    assert_eq!(reply.status, 503, "{}", reply.body);
    let run = listener.wait();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("cannot write to /dev/full: No space left on device"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "nothing printed that was not recorded");
}

#[test]
fn with_v_each_answer_is_told_with_how_long_it_took_and_only_then() {
    let t = Telev::new();
    for (args, told) in [(&["-v"][..], true), (&[][..], false)] {
        let listener = Listener::start(&t, args);
        assert_eq!(post_json(listener.port, "/teltel", TELTEL).status, 200);
        let run = listener.stop();
        let answered = run
            .stderr
            .lines()
            .any(|line| line.starts_with("POST /teltel from 127.0.0.1:") && line.contains(" in "));
        assert_eq!(answered, told, "{args:?}:\n{}", run.stderr);
    }
}

/// With `--record`, `-o ndjson` prints each event it shows as the line the capture holds for
/// it (written once for both), an event left out leaving nothing behind; with `--mask`, the
/// line printed is the masked event's and the capture keeps what came.
#[test]
fn ndjson_prints_the_captures_lines_unless_masked() {
    for mask in [false, true] {
        let t = Telev::new();
        let capture = t.path("lines.ndjson");
        let mut args = vec!["teltel", "--record", capture.to_str().unwrap()];
        args.extend(["--filter", r#"select(.call_id != "tt-2")"#]);
        if mask {
            args.push("--mask");
        }
        let listener = Listener::start(&t, &args);
        let teltel = TELTEL.replace(r#""type""#, r#""from":"+15551230002","type""#);
        for call in ["tt-1", "tt-2", "tt-3"] {
            let body = teltel.replace("tt-1", call);
            assert_eq!(post_json(listener.port, "/", &body).status, 200);
        }
        let printed = listener.stop().stdout;
        let printed: Vec<&str> = printed.lines().collect();
        let recorded = std::fs::read_to_string(&capture).unwrap();
        let recorded: Vec<&str> = recorded.lines().collect();
        assert_eq!(recorded.len(), 3);
        assert!(recorded.iter().all(|l| l.contains("+15551230002")));
        assert_eq!(printed.len(), 2, "{printed:?}");
        for (printed, recorded) in printed.iter().zip([recorded[0], recorded[2]]) {
            if mask {
                assert!(!printed.contains("+15551230002"), "{printed}");
                let [p, r]: [Value; 2] =
                    [printed, &recorded].map(|l| serde_json::from_str(l).unwrap());
                assert_eq!(p["call_id"], r["call_id"]);
            } else {
                assert_eq!(*printed, recorded);
            }
        }
    }
}
