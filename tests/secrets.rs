//! Credentials never show: not on stdout, not on stderr (even with -v), not in a capture,
//! whichever way they were given and whether they were accepted or refused.

mod util;

use util::http::request;
use util::listener::Listener;
use util::sse_server::{Script, SseServer, chan_events};
use util::{Run, Telev, base64, basic};

const TOKEN: &str = "s3cr3t-T0KEN-9f8e7d";

/// Neither the token nor any Base64 form of a credential built from it appears anywhere.
fn assert_hidden(run: &Run, extra: &[&str]) {
    let forms = [
        TOKEN.to_owned(),
        base64(&format!("token:{TOKEN}")),
        base64(&format!("user:{TOKEN}")),
    ];
    let texts = [run.stdout.as_str(), run.stderr.as_str()]
        .into_iter()
        .chain(extra.iter().copied());
    for text in texts {
        for form in &forms {
            assert!(!text.contains(form.as_str()), "{form} leaked into:\n{text}");
        }
    }
}

fn server(accepted: &str) -> SseServer {
    SseServer::start(Script {
        events: chan_events(2),
        auth: Some(basic(accepted)),
        ..Script::default()
    })
}

#[test]
fn the_cytracom_token_from_every_source_stays_hidden() {
    let t = Telev::new();
    for accepted in [TOKEN, "another-token"] {
        let code = if accepted == TOKEN { 0 } else { 3 };
        let server = server(accepted);
        let url = server.base();
        let tail = [
            "-v",
            "tail",
            "cytracom",
            "--url",
            &url,
            "--count",
            "2",
            "--timeout",
            "20s",
        ];
        let record = t.path("capture.ndjson");
        let recorded =
            |t: &Telev| std::fs::read_to_string(t.path("capture.ndjson")).unwrap_or_default();

        // --token
        let mut args = tail.to_vec();
        args.extend(["--token", TOKEN, "--record", record.to_str().unwrap()]);
        assert_hidden(&t.run(&args).code(code), &[&recorded(&t)]);

        // The environment.
        let mut cmd = t.cmd(&tail);
        cmd.env("TELEV_CYTRACOM_TOKEN", TOKEN);
        assert_hidden(&Run::from(cmd.output().unwrap()).code(code), &[]);

        // The config file: `token`, then `token_command`.
        for section in [
            format!("[cytracom]\ntoken = \"{TOKEN}\"\n"),
            format!("[cytracom]\ntoken_command = \"echo {TOKEN}\"\n"),
        ] {
            let config = t.write("config.toml", &section);
            let mut args = vec!["--config", config.to_str().unwrap()];
            args.extend(tail);
            assert_hidden(&t.run(&args).code(code), &[]);
        }
    }
}

#[test]
fn credentials_in_a_url_are_not_echoed() {
    let server = server(TOKEN);
    let url = server
        .base()
        .replace("http://", &format!("http://token:{TOKEN}@"));
    let t = Telev::new();
    let run = t
        .run(&["-v", "tail", "cytracom", "--url", &url, "--count", "2"])
        .ok();
    assert_hidden(&run, &[]);
}

#[test]
fn the_credential_listen_checks_is_redacted_from_output_and_capture() {
    let t = Telev::new();
    let record = t.path("hooks.ndjson");
    let record = record.to_str().unwrap();
    let body = br#"{"event":"START","call_id":"c1","from":"201","to":"202"}"#;
    let cases = [
        (
            vec!["--bearer", TOKEN],
            ("authorization", format!("Bearer {TOKEN}")),
        ),
        (
            vec!["--basic-auth", &*format!("user:{TOKEN}").leak()],
            (
                "authorization",
                format!("Basic {}", base64(&format!("user:{TOKEN}"))),
            ),
        ),
        (
            vec!["--verification-token", TOKEN],
            ("verification-token", TOKEN.to_owned()),
        ),
    ];
    for (flags, (header, value)) in cases {
        let _ = std::fs::remove_file(record);
        let mut args = vec!["-v", "--record", record];
        args.extend(flags);
        let listener = Listener::start(&t, &args);
        let headers = [
            (header, value.as_str()),
            ("Content-Type", "application/json"),
        ];
        let accepted = request(listener.port, "POST", "/hook", &headers, body);
        assert_eq!(accepted.status, 200, "{}", accepted.body);
        let wrong = [(header, "wrong"), ("Content-Type", "application/json")];
        assert_eq!(
            request(listener.port, "POST", "/hook", &wrong, body).status,
            401
        );
        let run = listener.stop();
        let capture = std::fs::read_to_string(record).unwrap();
        assert!(capture.contains("[redacted]"), "{capture}");
        assert_eq!(run.json_lines().len(), 1);
        assert_hidden(&run, &[&capture]);
    }
}

#[test]
fn the_serve_token_stays_hidden_on_both_ends() {
    let t = Telev::new();
    let capture = t.demo_capture("day.ndjson", 3);
    let serve = Listener::start_command(
        &t,
        &[
            "-v",
            "replay",
            capture.to_str().unwrap(),
            "--serve",
            "127.0.0.1:0",
            "--token",
            TOKEN,
            "--speed",
            "max",
        ],
    );
    let url = format!("http://127.0.0.1:{}/v1.0", serve.port);
    let run = t
        .run(&[
            "-v",
            "tail",
            "cytracom",
            "--url",
            &url,
            "--token",
            TOKEN,
            "--count",
            "1",
            "--timeout",
            "20s",
        ])
        .ok();
    assert_eq!(run.json_lines().len(), 1);
    assert_hidden(&run, &[]);
    let wrong = t
        .run(&["tail", "cytracom", "--url", &url, "--token", "nope"])
        .code(3);
    assert_hidden(&wrong, &[]);
    assert_hidden(&serve.stop(), &[]);
}

#[test]
fn config_shows_what_is_in_force_and_where_it_came_from_never_a_token() {
    let t = Telev::new();
    let config = t.write(
        "config.toml",
        &format!(
            "[cytracom]\ntoken = \"{TOKEN}\"\n\n[listen]\nbearer = \"{TOKEN}\"\n\n[nats]\nuser = \"ann\"\npassword = \"{TOKEN}\"\n"
        ),
    );
    let run = t
        .run(&["config", "--config", config.to_str().unwrap()])
        .ok();
    assert!(
        run.stdout
            .contains("cytracom token    set (from `token` in"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("(from `bearer` under [listen] in"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("nats credentials  a user and password, set (from [nats] in"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
    let mut cmd = t.cmd(&["config", "--config", config.to_str().unwrap()]);
    let run = util::Run::from(cmd.env("TELEV_CYTRACOM_TOKEN", "other").output().unwrap()).ok();
    assert!(
        run.stdout.contains("set (from TELEV_CYTRACOM_TOKEN)"),
        "{}",
        run.stdout
    );
    let run = t.run(&["config"]).ok();
    assert!(
        run.stdout.contains("not there: defaults in force"),
        "{}",
        run.stdout
    );
}

#[test]
fn nats_credentials_stay_hidden_while_the_server_is_unreachable() {
    let t = Telev::new();
    // Nothing listens on this port: every publish fails, and says why.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let url = format!("nats://ann:{TOKEN}@127.0.0.1:{port}/telev.{{provider}}");
    let listener = Listener::start(&t, &["--publish", &url, "-v"]);
    let json = [("Content-Type", "application/json")];
    let reply = request(
        listener.port,
        "POST",
        "/",
        &json,
        br#"{"id":"1","event":"RING"}"#,
    );
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(
        reply.body.contains(&format!("nats://127.0.0.1:{port}")),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains(TOKEN), "{}", reply.body);
    let run = listener.stop();
    assert_hidden(&run, &[&reply.body]);
    // A credential in a URL of the wrong scheme is refused without being echoed.
    let bad = format!("http://{TOKEN}@127.0.0.1:{port}");
    let refused = t.run(&["replay", "-", "--publish", &bad]).code(2);
    assert_hidden(&refused, &[]);
}
