//! Where the pipeline's printed lines go. Written as each event is handled (`tail`, `replay`:
//! a slow reader slows the source, and nothing is lost), or handed to a thread of their own
//! (`listen`): a terminal that stops reading (`| less`, paused) must never hold up recording
//! and acknowledging the events a provider sends. That thread falls behind by a bounded
//! number of events at most; beyond it, events are left unshown and counted.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::thread;
use std::time::Duration;

use super::{BUFFER, Note, Printer};
use crate::envelope::Envelope;
use crate::messages::Stdout;
use crate::select::{Decision, Output};
use crate::settings::{OutputMode, Settings};

/// How long a printing thread that has shown all it had pauses before it waits to be woken,
/// when more is likely to follow at once (what it just showed came in a stream). What comes
/// meanwhile is taken together, and its senders wake no one: events arriving one by one
/// (replay --to in order, listen under load) had woken the thread once each, a futex call and
/// a context switch apiece. Lines already shown are flushed first; a line comes out this much
/// later at most.
pub const PAUSE: Duration = Duration::from_millis(1);

pub enum Screen {
    Now(Printer<io::BufWriter<Stdout>>),
    Behind(Behind),
    Board(super::board::Board),
}

pub struct Behind {
    queue: Option<SyncSender<Shown>>,
    /// Events are shown as their JSON lines (`-o ndjson`).
    ndjson: bool,
    thread: Option<thread::JoinHandle<io::Result<()>>>,
    /// The output is gone (a closed pipe).
    gone: Arc<AtomicBool>,
    /// Events left unshown because the screen was too far behind.
    pub skipped: u64,
}

/// One event to show, as its decision says, up to `room` lines.
struct Shown {
    event: Event,
    decision: Decision,
    room: u64,
}

/// What the screen's thread is handed of an event: only its JSON line when that was already
/// written (for the capture) and is what is shown of it, the event otherwise (boxed: the line
/// is the common case under load, and an envelope is 500 bytes to move through the queue).
enum Event {
    Line(Vec<u8>),
    Envelope(Box<Envelope>, Vec<Note>),
}

/// An event as [`show`] writes it: its line, or the envelope and its notes.
enum What<'a> {
    Line(&'a [u8]),
    Envelope(&'a Envelope, &'a [Note]),
}

impl Event {
    fn what(&self) -> What<'_> {
        match self {
            Event::Line(line) => What::Line(line),
            Event::Envelope(envelope, notes) => What::Envelope(envelope, notes),
        }
    }
}

impl Screen {
    pub fn now(settings: &Settings) -> Screen {
        Screen::Now(printer(settings))
    }

    /// The live call board (`-o board`), on a thread of its own that is never waited for.
    pub fn board(settings: &Settings) -> Screen {
        Screen::Board(super::board::Board::start(settings.color, &settings.clock))
    }

    /// A screen on a thread of its own, at most `lag` events behind.
    pub fn behind(settings: &Settings, lag: usize) -> Screen {
        let (queue, shown) = sync_channel::<Shown>(lag);
        let gone = Arc::new(AtomicBool::new(false));
        let ndjson = settings.output == OutputMode::Ndjson;
        let (settings, flag) = (settings.clone(), gone.clone());
        let thread = thread::Builder::new()
            .name("telev-screen".into())
            .spawn(move || {
                let result = show_all(printer(&settings), shown);
                flag.store(true, Ordering::Relaxed);
                result
            })
            .expect("the screen's thread starts");
        Screen::Behind(Behind {
            queue: Some(queue),
            ndjson,
            thread: Some(thread),
            gone,
            skipped: 0,
        })
    }

    /// Whether an event is shown as its JSON line (`-o ndjson`): then [`Screen::show`] can be
    /// handed the line, when it is already written, rather than write it again.
    pub fn shows_lines(&self) -> bool {
        match self {
            Screen::Now(printer) => printer.mode() == OutputMode::Ndjson,
            Screen::Behind(behind) => behind.ndjson,
            Screen::Board(_) => false,
        }
    }

    /// Shows an event as decided, `room` lines at most (`--count`); the lines it will have
    /// shown (none for an event left unshown). `line` is the event's JSON line when it is
    /// already written (it is shown as that when [`Screen::shows_lines`]).
    pub fn show(
        &mut self,
        envelope: Envelope,
        line: Option<&[u8]>,
        decision: Decision,
        notes: Vec<Note>,
        room: u64,
    ) -> io::Result<u64> {
        let lines = lines(&decision).min(room);
        if lines == 0 {
            return Ok(0);
        }
        let line = line.filter(|_| self.shows_lines());
        match self {
            Screen::Now(printer) => {
                let what = match line {
                    Some(line) => What::Line(line),
                    None => What::Envelope(&envelope, &notes),
                };
                show(printer, what, &decision, room)
            }
            Screen::Board(board) => board.show(envelope).map(|()| 1),
            Screen::Behind(behind) => {
                let event = match line {
                    Some(line) => Event::Line(line.to_vec()),
                    None => Event::Envelope(Box::new(envelope), notes),
                };
                let shown = Shown {
                    event,
                    decision,
                    room,
                };
                let queue = behind.queue.as_ref().expect("open until finished");
                match queue.try_send(shown) {
                    Ok(()) => Ok(lines),
                    Err(TrySendError::Full(_)) => {
                        behind.skipped += 1;
                        Ok(0)
                    }
                    Err(TrySendError::Disconnected(_)) => Err(io::ErrorKind::BrokenPipe.into()),
                }
            }
        }
    }

    /// Whether the output is gone, so that nothing more can be shown.
    pub fn gone(&self) -> bool {
        match self {
            Screen::Now(_) | Screen::Board(_) => false,
            Screen::Behind(behind) => behind.gone.load(Ordering::Relaxed),
        }
    }

    /// Nothing more at once: live output goes out now.
    pub fn idle(&mut self) -> io::Result<()> {
        match self {
            Screen::Now(printer) => printer.idle(),
            Screen::Behind(_) | Screen::Board(_) => Ok(()),
        }
    }

    /// Shows everything still on its way and flushes; the events left unshown.
    pub fn finish(&mut self) -> io::Result<u64> {
        match self {
            Screen::Now(printer) => printer.flush().map(|()| 0),
            Screen::Board(board) => board.finish(),
            Screen::Behind(behind) => {
                drop(behind.queue.take());
                if let Some(thread) = behind.thread.take() {
                    thread
                        .join()
                        .map_err(|_| io::Error::other("the screen's thread panicked"))??;
                }
                Ok(behind.skipped)
            }
        }
    }
}

fn printer(settings: &Settings) -> Printer<io::BufWriter<Stdout>> {
    // A spinner on stderr shows on the terminal stdout shows on only when both are one.
    let stdout = Stdout::new(settings.progress && settings.stdout_is_terminal);
    Printer::new(
        io::BufWriter::with_capacity(BUFFER, stdout),
        settings.output,
        settings.color,
        true,
    )
    .fitting(settings.columns)
    .timed(&settings.clock)
}

/// The lines a decision shows.
fn lines(decision: &Decision) -> u64 {
    match decision {
        Decision::Drop => 0,
        Decision::Keep => 1,
        Decision::Print(outputs) => outputs.len() as u64,
    }
}

fn show<W: io::Write>(
    printer: &mut Printer<W>,
    what: What,
    decision: &Decision,
    room: u64,
) -> io::Result<u64> {
    let event = |printer: &mut Printer<W>| match what {
        What::Line(line) => printer.printed(line),
        What::Envelope(e, notes) => printer.envelope(e, notes),
    };
    match decision {
        Decision::Drop => Ok(0),
        Decision::Keep => event(printer).map(|()| 1),
        Decision::Print(outputs) => {
            let mut shown = 0;
            for output in outputs.iter().take(room as usize) {
                match output {
                    Output::Event => event(printer)?,
                    Output::Value(json) => printer.json_line(json.as_bytes())?,
                }
                shown += 1;
            }
            Ok(shown)
        }
    }
}

/// The screen's thread: shows each event as it comes, flushing whenever none is waiting.
fn show_all(mut printer: Printer<io::BufWriter<Stdout>>, shown: Receiver<Shown>) -> io::Result<()> {
    // Something was shown since the thread last waited: pause before waiting again.
    let mut busy = false;
    loop {
        let next = match shown.try_recv() {
            Ok(next) => next,
            Err(TryRecvError::Empty) => {
                printer.idle()?;
                if std::mem::take(&mut busy) {
                    thread::sleep(PAUSE);
                    continue;
                }
                match shown.recv() {
                    Ok(next) => next,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        busy = true;
        show(&mut printer, next.event.what(), &next.decision, next.room)?;
    }
    printer.flush()
}
