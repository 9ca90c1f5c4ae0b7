//! Helpers shared by the integration tests: the real binary in a clean environment, and
//! fixture servers on 127.0.0.1 with ephemeral ports.
#![allow(dead_code)]

pub mod http;
pub mod listener;
pub mod pty;
pub mod sink;
pub mod sse_server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `telev` with a scrubbed environment: no config, no color switches, no tokens.
pub struct Telev {
    pub dir: tempfile::TempDir,
}

impl Telev {
    pub fn new() -> Telev {
        Telev {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.clean(Command::new(assert_cmd::cargo::cargo_bin!("telev")));
        cmd.args(args);
        cmd
    }

    /// `sh -c SCRIPT`, in the same clean environment, with `$TELEV` naming the binary: for
    /// limits only a shell sets (`ulimit -n 32 && exec $TELEV listen`).
    pub fn shell(&self, script: &str) -> Command {
        let mut cmd = self.clean(Command::new("sh"));
        cmd.env("TELEV", assert_cmd::cargo::cargo_bin!("telev"))
            .args(["-c", script]);
        cmd
    }

    fn clean(&self, mut cmd: Command) -> Command {
        cmd.current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("TZ", "UTC")
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// `telev ARGS…` fed through a pipe, its stdout read line by line as it comes (stderr
    /// dropped): for what must answer each line before the next is written (`… | telev
    /// filter`, `tail -f capture | telev replay -`).
    pub fn fed(&self, args: &[&str]) -> Fed {
        use std::process::Stdio;
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = Lines::new(child.stdout.take().unwrap());
        Fed {
            child: Running(child),
            input: Some(input),
            output,
        }
    }

    /// Runs to the end; a run that would hang is killed after a minute (and fails on its
    /// exit code) rather than hanging the test suite.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = assert_cmd::Command::from_std(self.cmd(args))
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("telev runs");
        Run::from(output)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("a fixture file");
        path
    }

    /// A capture of at least `count` Cytracom events, recorded from `telev tail demo` as a
    /// user would make one (events in flight when the count is reached are recorded too).
    pub fn demo_capture(&self, name: &str, count: usize) -> PathBuf {
        let path = self.path(name);
        let count = count.to_string();
        let record = path.to_str().expect("a UTF-8 temp path");
        self.run(&[
            "tail", "demo", "--rate", "500", "--count", &count, "--record", record,
        ])
        .ok();
        path
    }
}

/// The first line a running telev writes on `pipe` (its stdout or stderr).
pub fn first_line(pipe: impl std::io::Read) -> String {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(pipe)
        .read_line(&mut line)
        .expect("a line from telev");
    line
}

/// The port in a line that names where telev listens: `listening on http://127.0.0.1:PORT/…`.
pub fn port_in(line: &str) -> u16 {
    line.split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"))
}

/// Sends `signal` (`-INT`, `-TERM`) to a running telev, as Ctrl-C or a service manager would.
pub fn send_signal(child: &std::process::Child, signal: &str) {
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill(1) runs");
}

/// A finished run, with its output as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// stdout as JSON values, one per line.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }
}

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Polls until `ready` holds, for at most five seconds; never sleeps blindly.
#[track_caller]
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Base64, as HTTP Basic auth encodes `user:password`.
pub fn base64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The `Authorization` value for Cytracom's Basic auth: user `token`, the token as password.
pub fn basic(token: &str) -> String {
    format!("Basic {}", base64(&format!("token:{token}")))
}

/// A running telev with a pipe to its stdin ([`Telev::fed`]); killed when dropped, so that
/// a test that fails midway leaves no telev waiting on its input.
pub struct Fed {
    pub child: Running,
    /// `None` once closed.
    input: Option<std::process::ChildStdin>,
    pub output: Lines,
}

impl Fed {
    /// Writes `line` and its newline, and flushes them to telev.
    pub fn line(&mut self, line: &str) {
        use std::io::Write;
        let input = self.input.as_mut().expect("telev's stdin is open");
        writeln!(input, "{line}").unwrap();
        input.flush().unwrap();
    }

    /// Closes telev's stdin and waits for it to end.
    pub fn finish(mut self) -> std::process::ExitStatus {
        self.input = None;
        self.child.wait().unwrap()
    }
}

/// A telev the test started (a server, a tail, one fed through a pipe), killed when
/// dropped: a test that fails midway leaves nothing running (a server left behind holds the
/// test run's output open).
pub struct Running(pub std::process::Child);

impl std::ops::Deref for Running {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // When the test ended it already, this does nothing.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A child's output, line by line as it comes; `next` waits for a line at most 20 seconds,
/// so output held back fails the test instead of hanging it.
pub struct Lines(std::sync::mpsc::Receiver<String>);

impl Lines {
    pub fn new(out: impl std::io::Read + Send + 'static) -> Lines {
        use std::io::BufRead;
        let (lines, arriving) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        Lines(arriving)
    }

    /// Every line still to come, until the output ends.
    pub fn rest(&self) -> String {
        self.0.iter().collect::<Vec<_>>().join("\n")
    }

    #[track_caller]
    pub fn next(&self, what: &str) -> String {
        let patience = std::time::Duration::from_secs(20);
        match self.0.recv_timeout(patience) {
            Ok(line) => line,
            Err(_) => panic!("no line on stdout for {what}"),
        }
    }
}

/// A request's first line and headers, as the fixture servers read them.
pub struct Head {
    pub method: String,
    pub target: String,
    /// Names as sent.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// Reads one request head; `None` when the client closed the connection first.
    pub fn read(reader: &mut impl std::io::BufRead) -> std::io::Result<Option<Head>> {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(None);
        }
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            if line.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        Ok(Some(Head {
            method,
            target,
            headers,
        }))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        header(&self.headers, name).map(str::to_owned)
    }
}

/// The value of header `name` (any case) among `headers`, as the fixtures keep them.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
