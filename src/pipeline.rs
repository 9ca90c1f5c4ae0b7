//! The back half of every command: (decoder →) envelope → capture → `--only` → `--filter` →
//! printer. It runs on its own thread, so decoding, printing and writing never block the
//! async sources.

use std::collections::BTreeMap;
use std::io;
use std::thread;

use anyhow::{Context, Result};
use tokio::sync::{mpsc, oneshot, watch};

use crate::capture::CaptureWriter;
use crate::envelope::Envelope;
use crate::messages;
use crate::print::Printer;
use crate::select::{Decision, Output, Selection, Selector};
use crate::settings::Settings;

/// What the pipeline does with events, decided once.
pub struct Plan {
    pub selection: Selection,
    pub record: Option<CaptureWriter>,
    /// Stop after this many printed events.
    pub count: Option<u64>,
}

/// One event on its way through, with an optional note for its line and an optional
/// acknowledgement once it is safely in the capture (listen answers only after that).
/// The event is an envelope, or what the pipeline's decoder makes into one.
pub struct Job<E = Envelope> {
    pub event: E,
    pub note: Option<String>,
    /// What to show of it, when a source had to choose before passing it on (`replay --to`
    /// delivers only what it shows); the pipeline chooses otherwise.
    pub decision: Option<Decision>,
    pub recorded: Option<oneshot::Sender<()>>,
}

impl<E> Job<E> {
    /// An event with nothing decided or awaited yet.
    pub fn new(event: E) -> Job<E> {
        Job {
            event,
            note: None,
            decision: None,
            recorded: None,
        }
    }

    fn map<F>(self, f: impl FnOnce(E) -> F) -> Job<F> {
        Job {
            event: f(self.event),
            note: self.note,
            decision: self.decision,
            recorded: self.recorded,
        }
    }
}

/// Counts for the summary on stderr.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub received: u64,
    pub printed: u64,
    pub by_type: BTreeMap<String, u64>,
    /// Events `--filter` failed on (each dropped).
    pub filter_failures: u64,
}

impl Tally {
    pub fn summary(&self) -> String {
        let mut text = messages::counted(self.received, "event", "events");
        if !self.by_type.is_empty() {
            let parts: Vec<String> = self
                .by_type
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            text.push_str(&format!(" ({})", parts.join(", ")));
        }
        if self.printed != self.received {
            text.push_str(&format!(", {} shown", self.printed));
        }
        let failures = self.filter_failures;
        messages::add_count(&mut text, failures, "--filter failure", "--filter failures");
        text
    }
}

pub struct Pipeline<E = Envelope> {
    pub jobs: mpsc::Sender<Job<E>>,
    /// Becomes true when `--count` is reached (or output is gone): sources should stop.
    pub done: watch::Receiver<bool>,
    /// How many events had been handled when the queue last ran empty: a source that has
    /// sent that many knows everything it sent is printed (and flushed).
    pub handled: watch::Receiver<u64>,
    thread: thread::JoinHandle<Result<Tally>>,
}

impl Pipeline {
    pub fn spawn(plan: Plan, settings: &Settings) -> Pipeline {
        Pipeline::decoding(plan, settings, |envelope| envelope)
    }
}

impl<E: Send + 'static> Pipeline<E> {
    /// A pipeline whose source hands over events still to be decoded: `decode` runs on the
    /// printing thread, so a busy source's task only reads the network.
    pub fn decoding(
        plan: Plan,
        settings: &Settings,
        decode: impl FnMut(E) -> Envelope + Send + 'static,
    ) -> Pipeline<E> {
        let (jobs, rx) = mpsc::channel::<Job<E>>(1024);
        let (done_tx, done) = watch::channel(false);
        let (handled_tx, handled) = watch::channel(0);
        let settings = settings.clone();
        let thread = thread::Builder::new()
            .name("telev-print".into())
            .spawn(move || {
                let stdout = io::stdout().lock();
                let printer = Printer::new(stdout, settings.output, settings.color, true);
                let mut worker = Worker {
                    selector: plan.selection.selector(),
                    plan,
                    printer,
                    tally: Tally::default(),
                    handled: handled_tx,
                    decode,
                };
                let result = worker.drain(rx, &done_tx);
                let _ = done_tx.send(true);
                worker.tally.filter_failures = worker.plan.selection.failures();
                worker.plan.selection.tell_total();
                result.map(|()| worker.tally)
            })
            .expect("the printing thread starts");
        Pipeline {
            jobs,
            done,
            handled,
            thread,
        }
    }

    /// Closes the queue, waits for every queued event to be handled, returns the counts.
    pub async fn finish(self) -> Result<Tally> {
        drop(self.jobs);
        tokio::task::spawn_blocking(move || self.thread.join())
            .await
            .context("the printing thread vanished")?
            .map_err(|_| anyhow::anyhow!("the printing thread panicked"))?
    }
}

struct Worker<D> {
    plan: Plan,
    selector: Selector,
    printer: Printer<io::StdoutLock<'static>>,
    tally: Tally,
    handled: watch::Sender<u64>,
    decode: D,
}

impl<D> Worker<D> {
    fn drain<E>(&mut self, rx: mpsc::Receiver<Job<E>>, done: &watch::Sender<bool>) -> Result<()>
    where
        D: FnMut(E) -> Envelope,
    {
        let mut queue = Queue::new(rx);
        loop {
            let handled = match self.next(&mut queue) {
                Ok(None) => break,
                Ok(Some(job)) => {
                    let job = job.map(&mut self.decode);
                    self.handle(job)
                }
                Err(err) => Err(err),
            };
            let finished = match handled {
                Ok(finished) => finished,
                Err(err) if crate::error::is_broken_pipe(&err) => true,
                Err(err) => return Err(err),
            };
            if finished {
                let _ = done.send(true);
                // Later events are still recorded (so decoded only then) and acknowledged as
                // kept, never printed; without a capture they are not kept, and not acknowledged.
                while let Some(job) = queue.next() {
                    if self.plan.record.is_some() {
                        let envelope = (self.decode)(job.event);
                        self.record(&envelope)?;
                        if let Some(ack) = job.recorded {
                            let _ = ack.send(());
                        }
                    }
                }
                break;
            }
        }
        self.printer.flush().or_else(ignore_broken_pipe)?;
        Ok(())
    }

    /// The next event; when none is waiting yet, the printer hears that it is idle.
    fn next<E>(&mut self, queue: &mut Queue<Job<E>>) -> Result<Option<Job<E>>> {
        if let Some(job) = queue.next_ready() {
            return Ok(Some(job));
        }
        self.printer.idle()?;
        self.handled.send_replace(self.tally.received);
        Ok(queue.next())
    }

    fn record(&mut self, envelope: &Envelope) -> Result<()> {
        if let Some(capture) = &mut self.plan.record {
            // The cause is told as text, not chained: a capture piped to a reader that left is
            // a failure, not the quiet end that a closed stdout (`| head`) is.
            capture.write_envelope(envelope).map_err(|err| {
                anyhow::anyhow!("cannot write to {}: {err}", capture.path().display())
            })?;
        }
        Ok(())
    }

    /// Handles one event; true once `--count` is reached.
    fn handle(&mut self, mut job: Job) -> Result<bool> {
        let e = &job.event;
        self.tally.received += 1;
        // Counted without allocating once a type has been seen.
        match self.tally.by_type.get_mut(&e.event_type) {
            Some(n) => *n += 1,
            None => {
                self.tally.by_type.insert(e.event_type.clone(), 1);
            }
        }
        self.record(e)?;
        if let Some(ack) = job.recorded.take() {
            let _ = ack.send(());
        }
        let decision = match job.decision.take() {
            Some(decision) => decision,
            None => self.selector.decide(e),
        };
        let note = job.note.as_deref();
        match decision {
            Decision::Drop => Ok(false),
            Decision::Keep => {
                self.printer.envelope(e, note)?;
                Ok(self.printed())
            }
            Decision::Print(outputs) => {
                for output in &outputs {
                    match output {
                        Output::Event => self.printer.envelope(e, note)?,
                        Output::Value(json) => self.printer.json_line(json.as_bytes())?,
                    }
                    if self.printed() {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }

    /// Counts one printed line; true once `--count` is reached.
    fn printed(&mut self) -> bool {
        self.tally.printed += 1;
        self.plan.count.is_some_and(|n| self.tally.printed >= n)
    }
}

/// The printing thread's end of the queue, taking everything waiting at once: that frees as
/// many places together, so a source held up by a full queue is woken once per batch rather
/// than once per event (those wake-ups were 7% of a fast tail's time).
struct Queue<T> {
    rx: mpsc::Receiver<T>,
    /// The batch taken, last item first, so that each is popped off the end; reused.
    taken: Vec<T>,
}

impl<T> Queue<T> {
    const BATCH: usize = 256;

    fn new(rx: mpsc::Receiver<T>) -> Queue<T> {
        Queue {
            rx,
            taken: Vec::new(),
        }
    }

    /// The next item if one is already here.
    fn next_ready(&mut self) -> Option<T> {
        if self.taken.is_empty() && !self.rx.is_empty() {
            self.take();
        }
        self.taken.pop()
    }

    /// The next item, waiting for it; None once every sender is gone.
    fn next(&mut self) -> Option<T> {
        if self.taken.is_empty() {
            self.take();
        }
        self.taken.pop()
    }

    fn take(&mut self) {
        self.rx.blocking_recv_many(&mut self.taken, Self::BATCH);
        self.taken.reverse();
    }
}

fn ignore_broken_pipe(err: io::Error) -> io::Result<()> {
    if err.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(err)
    }
}

/// Builds the plan every event command shares from its flags.
pub fn plan(
    selection: &crate::cli::Selection,
    record: Option<&std::path::Path>,
    count: Option<u64>,
) -> Result<Plan> {
    let selection = Selection::new(&selection.only, selection.filter.as_deref())?;
    let record = record.map(CaptureWriter::append).transpose()?;
    Ok(Plan {
        selection,
        record,
        count,
    })
}
