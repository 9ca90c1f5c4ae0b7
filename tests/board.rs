//! `-o board` on a real pty, read back through a terminal emulator: rows appear, durations
//! tick, the filter, the timeline and the pause work, recording goes on while the view is
//! paused, `q` quits with the run's summary, and a fast demo never leaves the board behind.

mod util;

use std::time::{Duration, Instant};

use util::Telev;
use util::pty::Pty;

/// Waits (20 s at most) until the screen shows something `wanted` accepts; returns that screen.
#[track_caller]
fn until(terminal: &Pty, what: &str, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let screen = terminal.screen();
        if wanted(&screen) {
            return screen;
        }
        assert!(Instant::now() < deadline, "never showed {what}:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn board(t: &Telev, args: &[&str]) -> Pty {
    let mut command = t.cmd(args);
    command.args(["-o", "board"]).env("TERM", "xterm");
    Pty::spawn(command, 140, 40)
}

/// The number of events the header counts: `· 123 events ·`.
fn events_counted(screen: &str) -> u64 {
    let header = screen.lines().next().unwrap_or_default();
    let before = header.split(" events").next().unwrap_or_default();
    before
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or(0)
}

#[test]
fn the_board_shows_calls_as_they_happen_and_q_quits_with_the_summary() {
    let t = Telev::new();
    let capture = t.path("board.ndjson");
    let capture = capture.to_str().unwrap();
    let args = ["tail", "demo", "--rate", "5", "--record", capture];
    let mut terminal = board(&t, &args);

    // Rows appear: a call ringing in progress, then ended calls with an outcome.
    until(&terminal, "a call in progress", |s| s.contains("ringing"));
    until(&terminal, "an ended call", |s| {
        s.contains("answered") || s.contains("missed") || s.contains("busy")
    });
    // Durations tick: some call in progress shows a second gone.
    until(&terminal, "a ticking duration", |s| {
        s.lines()
            .any(|l| l.contains("ringing") || l.contains("answered"))
            && s.contains("0:01")
    });

    // A filter nothing matches leaves no row in progress; Esc clears it.
    terminal.type_keys(b"/zzz-no-such-call\r");
    until(&terminal, "the filter applied", |s| {
        s.contains("in progress: 0") && s.contains("filter: zzz-no-such-call")
    });
    terminal.type_keys(b"\x1b");
    until(&terminal, "the filter cleared", |s| {
        !s.contains("filter: zzz")
    });

    // Paused, the view stands still while events are still recorded.
    terminal.type_keys(b"p");
    let paused = until(&terminal, "the pause", |s| s.contains("PAUSED"));
    let shown = events_counted(&paused);
    let recorded = || {
        std::fs::read_to_string(capture)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let before = recorded();
    let later = until(&terminal, "events coming while paused", |s| {
        s.contains("PAUSED (") && !s.contains("PAUSED (0 events")
    });
    assert_eq!(events_counted(&later), shown, "a paused view stands still");
    let deadline = Instant::now() + Duration::from_secs(10);
    while recorded() <= before {
        assert!(Instant::now() < deadline, "nothing recorded while paused");
        std::thread::sleep(Duration::from_millis(50));
    }
    terminal.type_keys(b"p");
    until(&terminal, "the view resumed", |s| !s.contains("PAUSED"));

    // Enter opens the selected call's timeline; Esc closes it.
    terminal.type_keys(b"\r");
    until(&terminal, "a timeline", |s| {
        s.contains("Esc closes") && s.contains("+0.000")
    });
    terminal.type_keys(b"\x1b");
    until(&terminal, "the board again", |s| !s.contains("Esc closes"));

    terminal.type_keys(b"q");
    assert!(terminal.wait().success(), "{}", terminal.screen());
    // The terminal is given back, and the run's summary is on it.
    let screen = terminal.screen();
    assert!(!screen.contains("in progress:"), "{screen}");
    assert!(screen.contains("events (chan.dial_begin"), "{screen}");
}

#[test]
fn the_board_keeps_up_with_a_fast_demo() {
    let t = Telev::new();
    let args = ["tail", "demo", "--rate", "2000", "--timeout", "4s"];
    let mut terminal = board(&t, &args);
    assert!(terminal.wait().success(), "{}", terminal.screen());
    let screen = terminal.screen();
    assert!(screen.contains("events (chan.dial_begin"), "{screen}");
    assert!(
        !screen.contains("not shown"),
        "the board fell behind:\n{screen}"
    );
}

#[test]
fn the_board_needs_a_terminal() {
    let t = Telev::new();
    let run = t
        .run(&["tail", "demo", "-o", "board", "--count", "1"])
        .code(2);
    assert!(
        run.stderr.contains("-o board draws on a terminal"),
        "{}",
        run.stderr
    );
    let run = t.run(&["filter", "-o", "board", "-n", "1"]).code(2);
    assert!(run.stderr.contains("-o board is for"), "{}", run.stderr);
}
