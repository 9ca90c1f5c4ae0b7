//! The back half of every command: (decoder →) envelope → capture → selection → printer.
//! It runs on its own thread, so decoding, printing and writing never block the async
//! sources. Notices about a source (a dropped connection) come down the same queue as its
//! events, so each is told after the events that came before it.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot, watch};

use crate::capture::CaptureWriter;
use crate::envelope::Envelope;
use crate::messages::Repeating;
use crate::print::{Note, Notice, PAUSE, Screen, Tally};
use crate::publish::Publisher;
use crate::select::{Decision, Selection, Selector};
use crate::settings::Settings;

/// What every command that handles events asks of the pipeline.
pub struct Events {
    pub selection: Selection,
    /// Every event received is appended here, before selection.
    pub record: Option<PathBuf>,
    pub stop: Stop,
    /// Show events on a thread of their own, this many events behind at most, so that a
    /// terminal that stops reading never holds up recording (`listen`); `None` shows each as
    /// it is handled, and a slow reader slows the source.
    pub lag: Option<usize>,
    /// Show phone numbers, names and e-mail addresses as stand-ins (`--mask`); the capture
    /// keeps what arrived.
    pub mask: bool,
    /// Publish every event received to NATS JetStream (`--publish`).
    pub publish: Option<crate::publish::Target>,
}

/// When a run ends by itself (Ctrl-C and SIGTERM always end it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Stop {
    /// After this many printed lines.
    pub count: Option<u64>,
    pub timeout: Option<Duration>,
}

/// One event on its way through, with notes for its line and an optional
/// acknowledgement once it is safely in the capture (listen answers only after that).
/// The event is an envelope, or what the pipeline's decoder makes into one.
pub struct Job<E = Envelope> {
    pub event: E,
    /// What the line says beside the event: a forward's or delivery's answer, a repeat.
    pub notes: Vec<Note>,
    /// What to show of it, when a source had to choose before passing it on (`replay --to`
    /// delivers only what it shows); the pipeline chooses otherwise.
    pub decision: Option<Decision>,
    pub recorded: Option<oneshot::Sender<()>>,
    /// Told once the event is handled: true when it was recorded and shown (or chosen not to
    /// be), false when it came after `--count` was reached (`tail nats` acknowledges the one,
    /// gives back the other).
    pub handled: Option<oneshot::Sender<bool>>,
}

impl<E> Job<E> {
    /// An event with nothing decided or awaited yet.
    pub fn new(event: E) -> Job<E> {
        Job {
            event,
            notes: Vec::new(),
            decision: None,
            recorded: None,
            handled: None,
        }
    }

    fn map<F>(self, f: impl FnOnce(E) -> F) -> Job<F> {
        Job {
            event: f(self.event),
            notes: self.notes,
            decision: self.decision,
            recorded: self.recorded,
            handled: self.handled,
        }
    }
}

/// What a source sends down the queue.
enum Item<E> {
    Event(Job<E>),
    /// Events made ready together, handed over with one wake-up of the printing thread; the
    /// room they take in the queue is given back once the last of them is taken.
    Events(Vec<Job<E>>, OwnedSemaphorePermit),
    Notice(Notice),
}

/// What the printing thread takes off the queue: a batch is given out event by event.
enum Next<E> {
    Event(Job<E>),
    Notice(Notice),
}

/// A source's end of the queue. Sending fails once the pipeline has finished (`--count`
/// reached, or the output gone): the source should stop.
pub struct Sender<E = Envelope>(mpsc::Sender<Item<E>>);

impl<E> Clone for Sender<E> {
    fn clone(&self) -> Self {
        Sender(self.0.clone())
    }
}

/// The pipeline has finished and takes nothing more.
#[derive(Debug)]
pub struct Finished;

impl<E> Sender<E> {
    /// Hands an event over once there is room. Room is reserved first, then the item made:
    /// what `mpsc::Sender::send` does, but its future would hold a second copy of the event
    /// (and every caller's future with it) while it waits.
    pub async fn event(&self, job: Job<E>) -> Result<(), Finished> {
        let room = self.0.reserve().await.map_err(|_| Finished)?;
        room.send(Item::Event(job));
        Ok(())
    }

    pub async fn notice(&self, notice: Notice) -> Result<(), Finished> {
        let room = self.0.reserve().await.map_err(|_| Finished)?;
        room.send(Item::Notice(notice));
        Ok(())
    }
}

impl<E: Send + 'static> Sender<E> {
    /// A sender for many events made ready at once on one runtime thread (replay's
    /// deliveries, answered together): what is sent on it between two turns of the runtime
    /// reaches the printing thread as one batch, which wakes it once rather than once an
    /// event. The events keep their order; a notice must not be sent beside them, as it could
    /// overtake them. Batches waiting for the printing thread hold [`Gathering::QUEUED`]
    /// events at most, as many as the queue holds one by one. The relay ends once every
    /// clone of the sender is gone; await it before the pipeline's `finish`.
    pub fn gathering(&self) -> (Gathering<E>, tokio::task::JoinHandle<()>) {
        const BATCH: usize = Gathering::<()>::BATCH;
        let (tx, mut rx) = mpsc::channel::<Job<E>>(BATCH);
        let to = self.0.clone();
        let room = Arc::new(Semaphore::new(Gathering::<()>::QUEUED));
        let relay = tokio::spawn(async move {
            // Each batch's Vec grows to what it holds: one event alone (deliveries in order)
            // takes a small allocation, not room for a whole batch.
            let mut batch = Vec::new();
            while rx.recv_many(&mut batch, BATCH).await > 0 {
                let n = u32::try_from(batch.len()).expect("a batch is small");
                let Ok(held) = room.clone().acquire_many_owned(n).await else {
                    return;
                };
                let jobs = std::mem::take(&mut batch);
                if to.send(Item::Events(jobs, held)).await.is_err() {
                    return;
                }
            }
        });
        (Gathering(Route::Relay(tx)), relay)
    }

    /// A [`Gathering`] that hands each event straight to the queue, for a source that makes
    /// one ready at a time (deliveries awaited one by one), which a relay would only delay.
    pub fn one_by_one(&self) -> Gathering<E> {
        Gathering(Route::Direct(self.clone()))
    }
}

/// A source's end of the queue that hands events over in batches ([`Sender::gathering`]), or
/// one by one ([`Sender::one_by_one`]).
pub struct Gathering<E = Envelope>(Route<E>);

enum Route<E> {
    Relay(mpsc::Sender<Job<E>>),
    Direct(Sender<E>),
}

impl<E> Clone for Gathering<E> {
    fn clone(&self) -> Self {
        Gathering(match &self.0 {
            Route::Relay(tx) => Route::Relay(tx.clone()),
            Route::Direct(sender) => Route::Direct(sender.clone()),
        })
    }
}

impl<E> Gathering<E> {
    /// The most events handed over at once.
    const BATCH: usize = 256;
    /// The most events in batches waiting for the printing thread.
    const QUEUED: usize = 1024;

    pub async fn event(&self, job: Job<E>) -> Result<(), Finished> {
        match &self.0 {
            Route::Relay(tx) => {
                tx.reserve().await.map_err(|_| Finished)?.send(job);
                Ok(())
            }
            Route::Direct(sender) => sender.event(job).await,
        }
    }
}

pub struct Pipeline<E = Envelope> {
    pub sender: Sender<E>,
    /// Becomes true when `--count` is reached (or output is gone): sources should stop.
    pub done: watch::Receiver<bool>,
    thread: thread::JoinHandle<Result<Tally>>,
    /// `--publish`: the task that publishes what the thread hands it.
    publishing: Option<crate::publish::Publishing>,
}

impl Pipeline {
    pub async fn spawn(events: &Events, settings: &Settings) -> Result<Pipeline> {
        Pipeline::decoding(events, settings, |envelope| envelope).await
    }
}

impl<E: Send + 'static> Pipeline<E> {
    /// A pipeline whose source hands over events still to be decoded: `decode` runs on the
    /// printing thread, so a busy source's task only reads the network. Opens the capture.
    pub async fn decoding(
        events: &Events,
        settings: &Settings,
        decode: impl FnMut(E) -> Envelope + Send + 'static,
    ) -> Result<Pipeline<E>> {
        let record = events
            .record
            .as_deref()
            .map(CaptureWriter::append)
            .transpose()?;
        let (publish, publishing) = match &events.publish {
            Some(target) => {
                let (queue, publishing) = crate::publish::start(Publisher::connect(target).await?);
                (Some(queue), Some(publishing))
            }
            None => (None, None),
        };
        let (tx, rx) = mpsc::channel::<Item<E>>(1024);
        let (done_tx, done) = watch::channel(false);
        let (settings, selection, count) = (
            settings.clone(),
            events.selection.clone(),
            events.stop.count,
        );
        let lag = events.lag;
        let mask = events.mask.then(crate::mask::Mask::new);
        let thread = thread::Builder::new()
            .name("telev-print".into())
            .spawn(move || {
                let screen = match lag {
                    _ if settings.output == crate::settings::OutputMode::Board => {
                        Screen::board(&settings)
                    }
                    Some(lag) => Screen::behind(&settings, lag),
                    None => Screen::now(&settings),
                };
                let mut worker = Worker {
                    selector: selection.selector(),
                    record,
                    publish,
                    mask,
                    count,
                    screen,
                    tally: Tally::default(),
                    not_json: Repeating::new("warnings about data that is not JSON"),
                    decode,
                };
                let result = worker.drain(rx, &done_tx);
                let _ = done_tx.send(true);
                let result = result.and_then(|()| worker.finish_screen());
                worker.tally.filter_failures = selection.failures();
                selection.tell_total();
                result.map(|()| worker.tally)
            })
            .expect("the printing thread starts");
        Ok(Pipeline {
            sender: Sender(tx),
            done,
            thread,
            publishing,
        })
    }

    /// Closes the queue, waits for every queued event to be handled, returns the counts.
    pub async fn finish(self) -> Result<Tally> {
        drop(self.sender);
        let thread = self.thread;
        let mut tally = tokio::task::spawn_blocking(move || thread.join())
            .await
            .context("the printing thread vanished")?
            .map_err(|_| anyhow::anyhow!("the printing thread panicked"))??;
        if let Some(publishing) = self.publishing {
            tally.published = Some(publishing.finish().await);
        }
        Ok(tally)
    }
}

struct Worker<D> {
    selector: Selector,
    record: Option<CaptureWriter>,
    publish: Option<crate::publish::Queue>,
    mask: Option<crate::mask::Mask>,
    /// Stop after this many printed lines.
    count: Option<u64>,
    screen: Screen,
    tally: Tally,
    not_json: Repeating,
    decode: D,
}

impl<D> Worker<D> {
    fn drain<E>(&mut self, rx: mpsc::Receiver<Item<E>>, done: &watch::Sender<bool>) -> Result<()>
    where
        D: FnMut(E) -> Envelope,
    {
        let mut queue = Queue::new(rx);
        loop {
            let handled = match self.next(&mut queue) {
                Ok(None) => break,
                Ok(Some(Next::Event(job))) => {
                    let job = job.map(&mut self.decode);
                    self.handle(job)
                }
                Ok(Some(Next::Notice(notice))) => self.tell(&notice).map(|()| false),
                Err(err) => Err(err),
            };
            let finished = match handled {
                Ok(finished) => finished,
                Err(err) if crate::error::is_broken_pipe(&err) => true,
                Err(err) => return Err(err),
            };
            if finished {
                let _ = done.send(true);
                return self.record_the_rest(queue);
            }
        }
        Ok(())
    }

    /// Shows what is still on its way to the screen, and says what it had to leave out.
    fn finish_screen(&mut self) -> Result<()> {
        let skipped = self
            .screen
            .finish()
            .or_else(|err| ignore_broken_pipe(err).map(|()| 0))?;
        if skipped > 0 {
            let kept = match self.record {
                Some(_) => "all are in the capture",
                None => "they are not kept anywhere (--record keeps them)",
            };
            let events = crate::print::counted(skipped, "event", "events");
            crate::messages::warn(&format!(
                "{events} not shown: the terminal fell behind; {kept}"
            ));
        }
        Ok(())
    }

    /// Once the run has shown all it will, later events are still recorded (so decoded only
    /// then) and acknowledged as kept, never printed; without a capture they are not kept,
    /// and not acknowledged.
    fn record_the_rest<E>(&mut self, mut queue: Queue<E>) -> Result<()>
    where
        D: FnMut(E) -> Envelope,
    {
        while let Some(item) = queue.next() {
            if let (Next::Event(job), Some(_)) = (item, &self.record) {
                let envelope = (self.decode)(job.event);
                // Recorded and acknowledged: received, as the summary counts.
                self.count(&envelope);
                self.record(&envelope)?;
                if let Some(ack) = job.recorded {
                    let _ = ack.send(());
                }
            }
        }
        Ok(())
    }

    /// The next item; when none is waiting yet, the printer hears that it is idle.
    fn next<E>(&mut self, queue: &mut Queue<E>) -> Result<Option<Next<E>>> {
        if let Some(item) = queue.next_ready() {
            return Ok(Some(item));
        }
        self.screen.idle()?;
        Ok(queue.next())
    }

    /// Tells a notice on stderr once the events before it are out on stdout.
    fn tell(&mut self, notice: &Notice) -> Result<()> {
        self.screen.idle()?;
        if let Notice::Outage(outage) = notice {
            match outage.was_connected {
                true => self.tally.reconnects += 1,
                false => self.tally.retries += 1,
            }
        }
        notice.tell();
        Ok(())
    }

    fn record(&mut self, envelope: &Envelope) -> Result<()> {
        if let Some(capture) = &mut self.record {
            // The cause is told as text, not chained: a capture piped to a reader that left is
            // a failure, not the quiet end that a closed stdout (`| head`) is.
            capture.write_envelope(envelope).map_err(|err| {
                anyhow::anyhow!("cannot write to {}: {err}", capture.path().display())
            })?;
        }
        Ok(())
    }

    /// Handles one event; true once `--count` is reached (or the output is gone).
    fn handle(&mut self, mut job: Job) -> Result<bool> {
        self.count(&job.event);
        self.record(&job.event)?;
        if let Some(ack) = job.recorded.take() {
            let _ = ack.send(());
        }
        if let Some(publish) = &self.publish {
            publish.blocking_send(&job.event);
        }
        if let Some(mask) = &self.mask {
            mask.envelope(&mut job.event);
        }
        let decision = match job.decision.take() {
            // What a filter prints of a masked event is computed from the masked event.
            Some(Decision::Print(_)) if self.mask.is_some() => self.selector.decide(&job.event),
            Some(decision) => decision,
            None => self.selector.decide(&job.event),
        };
        let room = self.count.map_or(u64::MAX, |n| n - self.tally.printed);
        // The capture's line is what `-o ndjson` shows, unless the event shown is masked.
        let line = match (&self.record, &self.mask) {
            (Some(capture), None) => Some(capture.last_line()),
            _ => None,
        };
        let shown = self
            .screen
            .show(job.event, line, decision, job.notes, room)?;
        self.tally.printed += shown;
        if let Some(handled) = job.handled.take() {
            let _ = handled.send(true);
        }
        let reached = self.count.is_some_and(|n| self.tally.printed >= n);
        Ok(reached || self.screen.gone())
    }

    fn count(&mut self, e: &Envelope) {
        self.tally.event(&e.event_type);
        if e.raw.is_string() {
            self.tally.not_json += 1;
            let kind = &e.event_type;
            self.not_json.warn(format_args!(
                "a {kind} event's data is not JSON; kept as text"
            ));
        }
    }
}

/// The printing thread's end of the queue, taking everything waiting at once: that frees as
/// many places together, so a source held up by a full queue is woken once per batch rather
/// than once per event (those wake-ups were 7% of a fast tail's time). A batch of events
/// sent as one item is given out event by event.
struct Queue<E> {
    rx: mpsc::Receiver<Item<E>>,
    /// The items taken, last first, so that each is popped off the end; reused.
    taken: Vec<Item<E>>,
    /// What is left of the batch being given out, and the room it holds.
    batch: std::vec::IntoIter<Job<E>>,
    held: Option<OwnedSemaphorePermit>,
    /// How long to pause before waiting, after taking something: more may follow at once.
    pause: Option<Duration>,
}

/// The pause after events a source awaits (listen's sender waiting for its answer, a NATS
/// message for its acknowledgement), instead of [`PAUSE`]: under load the next request comes
/// meanwhile (at 60,000 a second, one every 17 µs) and its sender wakes no one, and no answer
/// is held up by more than this. Measured under wrk: 1-8% more requests a second than waiting
/// at once (most pairs 6-8%), with a lower p99 (bench/RESULTS.md).
const AWAITED_PAUSE: Duration = Duration::from_micros(50);

impl<E> Item<E> {
    /// A source waits for this event to be handled.
    fn awaited(&self) -> bool {
        let awaited = |job: &Job<E>| job.recorded.is_some() || job.handled.is_some();
        match self {
            Item::Event(job) => awaited(job),
            Item::Events(jobs, _) => jobs.iter().any(awaited),
            Item::Notice(_) => false,
        }
    }
}

impl<E> Queue<E> {
    const BATCH: usize = 256;

    fn new(rx: mpsc::Receiver<Item<E>>) -> Queue<E> {
        Queue {
            rx,
            taken: Vec::new(),
            batch: Vec::new().into_iter(),
            held: None,
            pause: None,
        }
    }

    /// The next item if one is already here.
    fn next_ready(&mut self) -> Option<Next<E>> {
        loop {
            if let Some(item) = self.pop() {
                return Some(item);
            }
            if self.rx.is_empty() || !self.take() {
                return None;
            }
        }
    }

    /// The next item, waiting for it; None once every sender is gone.
    fn next(&mut self) -> Option<Next<E>> {
        loop {
            if let Some(item) = self.pop() {
                return Some(item);
            }
            if !self.take() {
                return None;
            }
        }
    }

    /// The next item of those already taken.
    fn pop(&mut self) -> Option<Next<E>> {
        loop {
            if let Some(job) = self.batch.next() {
                return Some(Next::Event(job));
            }
            self.held = None;
            match self.taken.pop()? {
                Item::Event(job) => return Some(Next::Event(job)),
                Item::Events(jobs, held) => {
                    (self.batch, self.held) = (jobs.into_iter(), Some(held))
                }
                Item::Notice(notice) => return Some(Next::Notice(notice)),
            }
        }
    }

    /// Takes what is waiting, waiting for something (after a pause, when something was just
    /// taken); false once every sender is gone.
    fn take(&mut self) -> bool {
        if let Some(pause) = self.pause
            && self.rx.is_empty()
        {
            thread::sleep(pause);
        }
        let taken = self.rx.blocking_recv_many(&mut self.taken, Self::BATCH);
        self.pause = match taken {
            0 => None,
            _ if self.taken.iter().any(Item::awaited) => Some(AWAITED_PAUSE),
            _ => Some(PAUSE),
        };
        self.taken.reverse();
        taken > 0
    }
}

fn ignore_broken_pipe(err: io::Error) -> io::Result<()> {
    if err.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printing_thread_pauses_briefly_after_events_a_source_awaits() {
        let (tx, rx) = mpsc::channel::<Item<u32>>(16);
        let mut queue = Queue::new(rx);
        let send = |item| tx.try_send(item).map_err(|_| "room in the queue").unwrap();
        send(Item::Event(Job::new(1)));
        send(Item::Event(Job::new(2)));
        assert!(queue.take());
        assert_eq!(
            queue.pause,
            Some(PAUSE),
            "a stream of events: more may follow"
        );
        let (recorded, _answer) = oneshot::channel();
        send(Item::Event(Job::new(3)));
        send(Item::Event(Job {
            recorded: Some(recorded),
            ..Job::new(4)
        }));
        assert!(queue.take());
        assert_eq!(
            queue.pause,
            Some(AWAITED_PAUSE),
            "a sender awaits its answer"
        );
        let (handled, _ack) = oneshot::channel();
        send(Item::Event(Job {
            handled: Some(handled),
            ..Job::new(5)
        }));
        assert!(queue.take());
        assert_eq!(
            queue.pause,
            Some(AWAITED_PAUSE),
            "a NATS message awaits its acknowledgement"
        );
        assert!(AWAITED_PAUSE < PAUSE);
    }

    #[tokio::test]
    async fn gathered_events_keep_their_order_and_wait_in_bounded_room() {
        const EVENTS: u32 = 10_000;
        let (tx, mut rx) = mpsc::channel::<Item<u32>>(1024);
        let (gathering, relay) = Sender(tx).gathering();
        let sending = tokio::spawn(async move {
            for n in 0..EVENTS {
                gathering
                    .event(Job::new(n))
                    .await
                    .expect("the queue is open");
            }
        });
        // Nothing takes from the queue: the relay is held up once the room is taken.
        for _ in 0..1000 {
            tokio::task::yield_now().await;
        }
        let mut taken = Vec::new();
        while let Ok(item) = rx.try_recv() {
            taken.push(item);
        }
        let waiting: usize = taken
            .iter()
            .map(|item| match item {
                Item::Events(jobs, _) => jobs.len(),
                _ => 1,
            })
            .sum();
        assert!(
            waiting > 0 && waiting <= Gathering::<()>::QUEUED,
            "{waiting}"
        );
        assert!(!sending.is_finished());
        // Taken and let go, the batches give their room back, and the rest follow in order.
        let record = |events: &mut Vec<u32>, item| {
            if let Item::Events(jobs, _) = item {
                events.extend(jobs.into_iter().map(|job: Job<u32>| job.event));
            }
        };
        let mut events = Vec::new();
        taken.into_iter().for_each(|item| record(&mut events, item));
        while events.len() < EVENTS as usize {
            let item = rx.recv().await.expect("the relay is still sending");
            record(&mut events, item);
        }
        assert!(events.iter().copied().eq(0..EVENTS));
        sending.await.unwrap();
        relay.await.unwrap();
    }
}
