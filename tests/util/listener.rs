//! `telev listen` (or any telev server: `replay --serve`) as a child process on an ephemeral
//! port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};

use super::{Run, Telev};

pub struct Listener {
    pub port: u16,
    child: Option<Child>,
    stderr: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// stdout is drained as it comes, as a terminal would, so the listener never blocks on it.
    stdout: Option<std::thread::JoinHandle<String>>,
}

impl Listener {
    /// Starts `telev listen --port 0 ARGS…` and waits for its `listening on` line.
    pub fn start(t: &Telev, args: &[&str]) -> Listener {
        let mut full = vec!["listen", "--port", "0", "-o", "ndjson"];
        full.extend_from_slice(args);
        Listener::start_command(t, &full)
    }

    /// Starts `telev ARGS…` and waits for its `… on http://127.0.0.1:PORT…` line.
    pub fn start_command(t: &Telev, args: &[&str]) -> Listener {
        let mut child = t
            .cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut out = child.stdout.take().unwrap();
        let stdout = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut out, &mut text).unwrap();
            text
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let log = Arc::new(Mutex::new(String::new()));
        let log2 = log.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some((_, rest)) = line.split_once(" on http://127.0.0.1:") {
                    let port: u16 = rest.split('/').next().unwrap().parse().unwrap();
                    let _ = tx.send(port);
                }
                let mut log = log2.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let port = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("telev listen starts");
        Listener {
            port,
            child: Some(child),
            stderr: log,
            reader: Some(reader),
            stdout: Some(stdout),
        }
    }

    /// Ctrl-C, then everything it printed.
    pub fn stop(mut self) -> Run {
        let child = self.child.take().unwrap();
        super::send_signal(&child, "-INT");
        self.finish(child)
    }

    /// Waits for it to end by itself (`--count`, `--timeout`).
    pub fn wait(mut self) -> Run {
        let child = self.child.take().unwrap();
        self.finish(child)
    }

    /// A listener that does not end is a failure, not a hung test run.
    fn finish(&mut self, mut child: Child) -> Run {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = self.stderr.lock().unwrap().clone();
                panic!("telev did not end within 30 s; its stderr:\n{stderr}");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        let stdout = self
            .stdout
            .take()
            .map(|t| t.join().unwrap())
            .unwrap_or_default();
        // The stderr reader ends when the pipe closes.
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr: self.stderr.lock().unwrap().clone(),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
