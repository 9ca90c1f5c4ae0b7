//! Everything telev says on stderr goes through here, one whole line at a time, so
//! diagnostics never tear and progress bars are suspended while a line prints.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use owo_colors::OwoColorize;

use crate::print::visible_lines;
use crate::settings::{Settings, Verbosity};

static VERBOSITY: AtomicU8 = AtomicU8::new(1);
static COLOR: OnceLock<bool> = OnceLock::new();
static BARS: OnceLock<indicatif::MultiProgress> = OnceLock::new();
/// Lines held back while the board has the terminal, told when it gives it back.
static HELD: std::sync::Mutex<Option<Held>> = std::sync::Mutex::new(None);

/// What was said while the board was up: the latest lines, and how many more.
#[derive(Default)]
struct Held {
    lines: std::collections::VecDeque<String>,
    more: u64,
}

/// Lines said at most while held; older ones are counted.
const MOST_HELD: usize = 50;

/// From now on, lines are held back instead of written (the board draws on the terminal).
pub fn hold() {
    *HELD.lock().unwrap_or_else(|e| e.into_inner()) = Some(Held::default());
}

/// The latest line held back, for the board to show.
pub fn latest_held() -> Option<String> {
    let held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    held.as_ref()?.lines.back().cloned()
}

/// Writes the lines held back, and stops holding them.
pub fn release() {
    let held = HELD.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(held) = held {
        if held.more > 0 {
            styled(&format!("({} earlier messages not kept)", held.more));
        }
        held.lines.iter().for_each(|line| styled(line));
    }
}

pub fn init(settings: &Settings) {
    VERBOSITY.store(settings.verbosity as u8, Ordering::Relaxed);
    let _ = COLOR.set(settings.stderr_color);
}

fn enabled(level: Verbosity) -> bool {
    VERBOSITY.load(Ordering::Relaxed) >= level as u8
}

fn color() -> bool {
    COLOR.get().copied().unwrap_or(false)
}

/// Spinners and bars register here so lines printed meanwhile appear above them.
pub fn bars() -> &'static indicatif::MultiProgress {
    BARS.get_or_init(|| {
        let stderr = console::Term::buffered_stderr();
        let target = if stderr.is_term() {
            indicatif::ProgressDrawTarget::term_like_with_hz(Box::new(ClearOfEcho(stderr)), 20)
        } else {
            indicatif::ProgressDrawTarget::hidden()
        };
        indicatif::MultiProgress::with_draw_target(target)
    })
}

/// A spinner saying what the run waits for, until it is cleared.
pub fn spinner(message: &str) -> indicatif::ProgressBar {
    let bar = bars().add(indicatif::ProgressBar::new_spinner());
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// A spinner with a count and a rate, in indicatif's template: `{pos} events replayed
/// ({rate})`, where `{rate}` is whole events a second.
pub fn counter(template: &str) -> indicatif::ProgressBar {
    let bar = bars().add(indicatif::ProgressBar::new_spinner());
    let style = indicatif::ProgressStyle::with_template(template)
        .expect("a valid template")
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", state.per_sec());
            },
        );
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// stdout, written clear of the progress bars when both show on one terminal: a bar is taken
/// off the screen while a line is written, and drawn again below it, so that no line is glued
/// to a spinner's frame.
pub struct Stdout {
    out: std::io::StdoutLock<'static>,
    clear_of_bars: bool,
}

impl Stdout {
    pub fn new(clear_of_bars: bool) -> Stdout {
        Stdout {
            out: std::io::stdout().lock(),
            clear_of_bars,
        }
    }

    fn clear<T>(&mut self, write: impl FnOnce(&mut std::io::StdoutLock<'static>) -> T) -> T {
        match BARS.get().filter(|_| self.clear_of_bars) {
            Some(bars) => bars.suspend(|| write(&mut self.out)),
            None => write(&mut self.out),
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.clear(|out| out.write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.clear(|out| out.write_all(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.clear(|out| out.flush())
    }
}

/// stderr as indicatif sees it, two columns narrower than it is. indicatif pads a bar's line
/// to the terminal's width, so the `^C` a terminal echoes would wrap onto a new line, and
/// clearing the bar at Ctrl-C would clear that line instead, leaving the bar's last frame on
/// the screen. Two spare columns take the echo.
#[derive(Debug)]
struct ClearOfEcho(console::Term);

impl indicatif::TermLike for ClearOfEcho {
    fn width(&self) -> u16 {
        self.0.size().1.saturating_sub(2).max(1)
    }
    fn height(&self) -> u16 {
        self.0.size().0
    }
    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_up(n)
    }
    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_down(n)
    }
    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_right(n)
    }
    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_left(n)
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.0.write_line(s)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.0.write_str(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.0.clear_line()
    }
    fn flush(&self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Writes one message, its text shown safely: a message can carry what a sender sent (a path,
/// a reason, an event name), and a terminal must not act on it.
fn line(text: &str) {
    styled(&visible_lines(text));
}

/// Writes text already made safe, with the styling telev added to it.
fn styled(text: &str) {
    if let Some(held) = HELD.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        if held.lines.len() == MOST_HELD {
            held.lines.pop_front();
            held.more += 1;
        }
        held.lines.push_back(text.to_owned());
        return;
    }
    let print = || {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{text}");
    };
    match BARS.get() {
        Some(bars) => bars.suspend(print),
        None => print(),
    }
}

/// A status line (`listening on …`), hidden by `--quiet`.
pub fn status(text: &str) {
    if enabled(Verbosity::Normal) {
        line(text);
    }
}

/// A problem the run survives (a bad request, a dropped connection).
pub fn warn(text: &str) {
    if enabled(Verbosity::Normal) {
        let text = visible_lines(text);
        if color() {
            styled(&format!("{} {text}", "warning:".yellow().bold()));
        } else {
            styled(&format!("warning: {text}"));
        }
    }
}

/// A table the printer rendered (its cells made safe, its colors its own), as a status.
pub fn rendered(table: &str) {
    if enabled(Verbosity::Normal) {
        styled(table);
    }
}

/// A warning that can come once per event (a `--filter` that fails on every one): each
/// distinct text is told once, up to a handful, so that a fast stream cannot bury stderr.
/// Every occurrence is counted.
#[derive(Debug)]
pub struct Repeating {
    /// What the warnings are about, plural: "--filter failures".
    what: &'static str,
    told: Vec<String>,
    /// Set once a text beyond the handful came: from then on nothing is told.
    hushed: bool,
    pub count: u64,
}

impl Repeating {
    /// Distinct texts told before the rest are only counted.
    const DISTINCT: usize = 5;

    pub fn new(what: &'static str) -> Repeating {
        Repeating {
            what,
            told: Vec::new(),
            hushed: false,
            count: 0,
        }
    }

    /// Takes `format_args!`, formatted only while still telling.
    pub fn warn(&mut self, text: std::fmt::Arguments) {
        self.count += 1;
        if self.hushed {
            return;
        }
        let text = text.to_string();
        if self.told.contains(&text) {
            return;
        }
        if self.told.len() < Self::DISTINCT {
            warn(&text);
            self.told.push(text);
        } else {
            warn(&format!("further {} are not shown", self.what));
            self.hushed = true;
        }
    }

    /// For a run with no summary to carry the count: once some were not shown, a status line
    /// of how many there were in all.
    pub fn tell_total(&self) {
        if self.hushed {
            status(&format!("{} {} in all", self.count, self.what));
        }
    }
}

/// Whether `-v` detail is shown: what only it would say need not be made.
pub fn is_verbose() -> bool {
    enabled(Verbosity::Verbose)
}

/// Detail for `-v`: formatted only when shown (`format_args!`), since it can be per request.
pub fn verbose(text: impl std::fmt::Display) {
    if is_verbose() {
        line(&text.to_string());
    }
}

/// What a filter expression writes to stderr itself (`stderr`, `halt_error`, `debug`): its
/// bytes as they are into a file or a pipe, as jq writes them; on a terminal through
/// `visible_lines`, so that text from the input cannot act on it. No newline is added.
pub fn expression_output(bytes: &[u8]) {
    let mut err = std::io::stderr().lock();
    let _ = if err.is_terminal() {
        err.write_all(visible_lines(&String::from_utf8_lossy(bytes)).as_bytes())
    } else {
        err.write_all(bytes)
    };
}

/// The final error of a run; always shown.
pub fn error_line(text: &str) {
    let text = visible_lines(text);
    if color() {
        styled(&text.red().to_string());
    } else {
        styled(&text);
    }
}
