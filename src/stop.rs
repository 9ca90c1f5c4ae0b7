//! When to stop: Ctrl-C, or SIGTERM from a service manager, `timeout` or `kill`, a
//! `--timeout`, or `--count` reached. Any of them ends a run the same way, with its summary
//! printed and its capture flushed.
//!
//! The signal handlers are installed once, when the runtime starts: a signal that came
//! before a run first waited for one would otherwise find the default handler and end the
//! process on the spot (a Ctrl-C typed as the first event printed).

use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

static REQUESTED: OnceLock<(std::sync::Arc<watch::Sender<bool>>, watch::Receiver<bool>)> =
    OnceLock::new();
static OUTPUT_GONE: OnceLock<watch::Receiver<bool>> = OnceLock::new();

/// Installs the handlers for Ctrl-C and SIGTERM; from then on either only asks the run to
/// stop. Must be called on the runtime; a second call does nothing.
pub fn install() {
    REQUESTED.get_or_init(|| {
        let (tx, rx) = watch::channel(false);
        let tx = std::sync::Arc::new(tx);
        let (signal, asked) = (signal(), tx.clone());
        tokio::spawn(async move {
            signal.await;
            let _ = asked.send(true);
        });
        (tx, rx)
    });
}

/// Asks the run to stop, as Ctrl-C does (the board's `q`, typed while the terminal is raw and
/// a typed ^C is a key, not a signal).
pub fn ask() {
    if let Some((tx, _)) = REQUESTED.get() {
        let _ = tx.send(true);
    }
}

/// Resolves once the reader of stdout has gone (a pipe's, `| head -1`; a terminal closed),
/// told by the system at once, not at the next write: a replay waiting out an hour-long gap
/// or a quiet stream ends then, not an hour later. Never for a file.
pub async fn output_gone() {
    let mut gone = OUTPUT_GONE
        .get_or_init(|| {
            let (tx, rx) = watch::channel(false);
            #[cfg(unix)]
            std::thread::Builder::new()
                .name("telev-stdout".into())
                .spawn(move || {
                    if wait_for_reader_to_go() {
                        let _ = tx.send(true);
                    }
                })
                .expect("a thread to watch stdout starts");
            #[cfg(not(unix))]
            drop(tx);
            rx
        })
        .clone();
    // A watcher that gave up (a file, which never loses its reader) never says gone.
    if gone.wait_for(|gone| *gone).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Blocks until stdout reports an error or a hang-up (its reader gone); false where it never
/// can (a file) or cannot be asked.
#[cfg(unix)]
fn wait_for_reader_to_go() -> bool {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdout = std::io::stdout();
    let is_file = rustix::fs::fstat(&stdout).is_ok_and(|stat| {
        rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::RegularFile
    });
    if is_file {
        return false;
    }
    loop {
        // Asking for no events: poll returns only for an error or a hang-up.
        let mut fds = [PollFd::new(&stdout, PollFlags::empty())];
        match poll(&mut fds, None) {
            Ok(_) => {
                let events = fds[0].revents();
                if events.intersects(PollFlags::ERR | PollFlags::HUP) {
                    return true;
                }
                if events.contains(PollFlags::NVAL) {
                    return false;
                }
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return false,
        }
    }
}

/// The first Ctrl-C or SIGTERM, with the handlers already in place when this returns.
#[cfg(unix)]
fn signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async move {
        match (interrupt, terminate) {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            }
            (Ok(mut interrupt), Err(_)) => {
                interrupt.recv().await;
            }
            (Err(_), _) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

#[cfg(not(unix))]
fn signal() -> impl Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Resolves once Ctrl-C or SIGTERM came (at once if one already has).
pub async fn requested() {
    install();
    let mut requested = REQUESTED.get().expect("installed above").1.clone();
    let _ = requested.wait_for(|asked| *asked).await;
}

/// When a run ends by itself: `--timeout`, from now.
pub fn deadline(timeout: Option<Duration>) -> Option<Instant> {
    timeout.and_then(|t| Instant::now().checked_add(t))
}

/// Resolves when a run should end: Ctrl-C or SIGTERM, the `deadline`, `done` turning true
/// (`--count` reached, or a write found the output gone), or stdout's reader gone.
pub async fn until(deadline: Option<Instant>, done: &mut watch::Receiver<bool>) {
    let timeout = async {
        match deadline {
            Some(deadline) => tokio::time::sleep_until(deadline).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        () = requested() => {}
        () = output_gone() => {}
        () = timeout => {}
        _ = done.wait_for(|done| *done) => {}
    }
}
