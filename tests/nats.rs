//! `--publish` and `tail nats` against a real `nats-server -js`, started here on a free port in
//! a temporary directory and stopped here. Opt-in (`test = false` in Cargo.toml): it needs
//! nats-server, which `.ci/run` installs and then runs `cargo test --locked --test nats`.
//!
//! Every webhook acknowledged is in the stream exactly once, a provider's retry included;
//! with the server stopped, requests get 503 and the listener carries on, and publishing
//! resumes once the server is back; a too large event gets 413, never an endless 503; a tail
//! stopped and started again neither loses nor repeats events.

mod util;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::Telev;
use util::http::{Reply, post_json, try_request};
use util::listener::Listener;

/// A JetStream server of the test's own; stopped when dropped.
struct Nats {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
    config: String,
}

impl Nats {
    fn start(config: &str) -> Nats {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut nats = Nats {
            child: None,
            port,
            dir,
            config: config.to_owned(),
        };
        nats.run();
        nats
    }

    /// Starts the server (again), on its port, with its storage: what it stored is kept.
    fn run(&mut self) {
        let file = self.dir.path().join("nats.conf");
        let store = self.dir.path().join("js");
        let conf = format!(
            "listen: 127.0.0.1:{}\njetstream {{ store_dir: {:?} }}\n{}\n",
            self.port, store, self.config
        );
        std::fs::write(&file, conf).unwrap();
        let child = Command::new("nats-server")
            .arg("-c")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server is installed (apt-get install nats-server); .ci/run installs it");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self, subject: &str) -> String {
        format!("nats://127.0.0.1:{}/{subject}", self.port)
    }

    /// How many messages the stream `name` holds.
    fn messages(&self, name: &str) -> u64 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let client = async_nats::connect(format!("127.0.0.1:{}", self.port))
                .await
                .unwrap();
            let jetstream = async_nats::jetstream::new(client);
            let mut stream = jetstream.get_stream(name).await.unwrap();
            stream.info().await.unwrap().state.messages
        })
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

/// A TelTel event with its own id (TelTel's retries carry the same one).
fn teltel(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","event":"RING","call_id":"c-{id}","direction":"inbound","timestamp":"2026-11-20 09:00:00"}}"#
    )
}

fn post(port: u16, json: &str) -> Reply {
    post_json(port, "/", json)
}

#[test]
fn every_acknowledged_webhook_is_in_the_stream_exactly_once() {
    let nats = Nats::start("");
    let t = Telev::new();
    let url = nats.url("hooks.{provider}.{kind}");
    let listener = Listener::start(&t, &["--publish", &url, "--publish-stream", "HOOKS"]);
    for n in 0..10 {
        assert_eq!(post(listener.port, &teltel(&format!("e{n}"))).status, 200);
    }
    // The provider did not hear our answer and sends e3 again.
    assert_eq!(post(listener.port, &teltel("e3")).status, 200);
    let run = listener.stop();
    assert_eq!(nats.messages("HOOKS"), 10, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("created the JetStream stream HOOKS on hooks.*.*"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("11 published to NATS"),
        "{}",
        run.stderr
    );
}

#[test]
fn with_the_server_down_requests_get_503_and_publishing_resumes_when_it_is_back() {
    let mut nats = Nats::start("");
    let t = Telev::new();
    let capture = t.path("hooks.ndjson");
    let url = nats.url("");
    let capture_arg = capture.to_str().unwrap();
    let listener = Listener::start(&t, &["--publish", &url, "--record", capture_arg]);
    assert_eq!(post(listener.port, &teltel("a1")).status, 200);
    nats.stop();
    let down = post(listener.port, &teltel("a2"));
    assert_eq!(down.status, 503, "{}", down.body);
    // Not stored in the stream, but recorded here.
    let recorded = std::fs::read_to_string(&capture).unwrap();
    assert!(recorded.contains("\"a2\""), "{recorded}");
    nats.run();
    // The client reconnects by itself; the provider retries a2 until it is stored.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let reply = try_request(
            listener.port,
            "POST",
            "/",
            &[("Content-Type", "application/json")],
            teltel("a2").as_bytes(),
        );
        if reply.as_ref().is_ok_and(|r| r.status == 200) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "publishing never resumed: {reply:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(post(listener.port, &teltel("a3")).status, 200);
    let run = listener.stop();
    // a2 was told 503 while the server was down, and stored once when the retry came.
    assert_eq!(nats.messages("TELEV"), 3, "{}", run.stderr);
}

#[test]
fn an_event_larger_than_the_server_takes_gets_413_not_an_endless_503() {
    let nats = Nats::start("max_payload: 2048");
    let t = Telev::new();
    let listener = Listener::start(&t, &["--publish", &nats.url("")]);
    let big = format!(
        r#"{{"id":"big","event":"RING","call_id":"c","pad":"{}"}}"#,
        "x".repeat(4000)
    );
    let reply = post(listener.port, &big);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.body.contains("max_payload"), "{}", reply.body);
    assert_eq!(post(listener.port, &teltel("small")).status, 200);
    listener.stop();
    assert_eq!(nats.messages("TELEV"), 1);
}

/// The events `tail nats` prints, as (type, call id, time).
fn tailed(t: &Telev, nats: &Nats, args: &[&str]) -> Vec<(String, String, String)> {
    let url = nats.url("");
    let mut all = vec![
        "tail",
        "nats",
        "--url",
        url.trim_end_matches('/'),
        "--durable",
        "d",
        "-o",
        "ndjson",
    ];
    all.extend_from_slice(args);
    let run = t.run(&all).ok();
    let key = |e: &Value| {
        let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
        (text("type"), text("call_id"), text("time"))
    };
    run.json_lines().iter().map(key).collect()
}

#[test]
fn a_tail_stopped_and_started_again_neither_loses_nor_repeats_events() {
    let nats = Nats::start("");
    let t = Telev::new();
    let example = util::repo_root().join("examples/calls.ndjson");
    let example = example.to_str().unwrap();
    let args = [
        "replay",
        example,
        "--speed",
        "max",
        "--publish",
        &nats.url(""),
        "-o",
        "ndjson",
    ];
    let published = t.run(&args).ok();
    let lines = published.json_lines();
    assert_eq!(nats.messages("TELEV"), lines.len() as u64);

    let mut read = tailed(&t, &nats, &["--from-start", "--count", "7"]);
    assert_eq!(read.len(), 7);
    read.extend(tailed(&t, &nats, &["--count", "10"]));
    read.extend(tailed(&t, &nats, &["--timeout", "2s"]));
    let all: Vec<(String, String, String)> = (lines.iter())
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (text("type"), text("call_id"), text("time"))
        })
        .collect();
    assert_eq!(read, all, "every event once, in the order stored");
    // Nothing is left for a fourth run.
    assert!(tailed(&t, &nats, &["--timeout", "1s"]).is_empty());

    // A new durable starts where it is told: at a time before everything, or after it.
    let since = |durable: &str, time: &str| {
        let url = nats.url("");
        let args = [
            "tail",
            "nats",
            "--url",
            url.trim_end_matches('/'),
            "--durable",
            durable,
        ];
        let mut args = args.to_vec();
        args.extend(["--since", time, "--timeout", "2s", "-o", "ndjson"]);
        t.run(&args).ok().json_lines().len()
    };
    assert_eq!(since("early", "2000-01-01T00:00:00Z"), all.len());
    assert_eq!(since("late", "2100-01-01T00:00:00Z"), 0);
}
