//! Capture and payload files as a source of events (`replay`): read on a thread of its own,
//! each event sent on with what the selection decides of it.

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;
use tokio::sync::mpsc;

use crate::capture::{BadLine, CaptureReader};
use crate::envelope::{Envelope, Provider};
use crate::messages;
use crate::pace::Clock;
use crate::select::{Decision, Selection, Selector};

/// Events read on [`Files::spawn`]'s thread, in batches, each boxed with its decision: an
/// event goes on from the runtime into a delivery's future and to the printing thread, and
/// moving its 456 bytes at each step cost more than the allocation (3% of `replay --to`'s
/// CPU at 32 at once, measured side by side).
pub type Arriving = mpsc::Receiver<Vec<Result<(Box<Envelope>, Decision)>>>;

/// Files to read, and which of their events count.
#[derive(Debug, Clone)]
pub struct Files {
    /// Capture or payload files; `-` is stdin.
    pub paths: Vec<PathBuf>,
    /// Whose payloads plain payload files hold; `None` recognises each line.
    pub provider: Option<Provider>,
    /// Report and skip a line that is not an event, instead of stopping there.
    pub skip_invalid: bool,
    /// Which time `since` and `until` (and pacing) go by.
    pub clock: Clock,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Read each event's state column again: for output that shows it.
    pub states: bool,
}

impl Files {
    /// The time that paces an event and places it against `since` and `until`.
    pub fn clock(&self, e: &Envelope) -> Timestamp {
        self.clock.of(e)
    }

    /// What was read, if it is to be taken: a bad line is an error unless skipped (and told),
    /// an event outside `since` and `until` is passed over.
    fn admit(&self, next: Result<Envelope>) -> Result<Option<Envelope>> {
        let envelope = match next {
            Ok(envelope) => envelope,
            Err(err) if self.skip_invalid && err.is::<BadLine>() => {
                messages::warn(&format!("skipped {err}"));
                return Ok(None);
            }
            Err(err) => return Err(err),
        };
        let at = self.clock(&envelope);
        let outside = self.since.is_some_and(|s| at < s) || self.until.is_some_and(|u| at >= u);
        Ok((!outside).then_some(envelope))
    }

    /// Reads every file on a thread of its own, sending the events with what `selection`
    /// decides of each through a bounded channel, so memory stays constant and the runtime
    /// never waits on disk. Events from regular files go in batches (a batch's wake-up of
    /// the runtime instead of an event's): a batch is sent once full, or once its first
    /// event has waited a millisecond (looked at as each line is read, passed over or not:
    /// the last events before `--until` are not held while the rest of the file is read).
    /// Anything else (stdin, a pipe) may be written as it is read, so each of its events is
    /// sent at once.
    pub fn spawn(&self, selection: Selection) -> Arriving {
        const BATCH: usize = 64;
        const WAIT: std::time::Duration = std::time::Duration::from_millis(1);
        let (tx, rx) = mpsc::channel(4);
        let files = self.clone();
        let size = match self.paths.iter().all(|path| is_regular_file(path)) {
            true => BATCH,
            false => 1,
        };
        std::thread::spawn(move || {
            let mut selector = selection.selector();
            let mut batch = Vec::with_capacity(size);
            let mut first = std::time::Instant::now();
            let read = files.read(&mut selector, |read| {
                if let Some((envelope, decision)) = read {
                    if batch.is_empty() {
                        first = std::time::Instant::now();
                    }
                    batch.push(Ok((Box::new(envelope), decision)));
                }
                if batch.is_empty() || (batch.len() < size && first.elapsed() < WAIT) {
                    return true;
                }
                let full = std::mem::replace(&mut batch, Vec::with_capacity(size));
                tx.blocking_send(full).is_ok()
            });
            if let Err(err) = read {
                batch.push(Err(err));
            }
            if !batch.is_empty() {
                let _ = tx.blocking_send(batch);
            }
        });
        rx
    }

    /// Hands each event with its decision to `emit`, in order, and `None` for each line passed
    /// over (outside `since` and `until`, or skipped), until the input ends or `emit` says stop
    /// (then false).
    pub fn read(
        &self,
        selector: &mut Selector,
        mut emit: impl FnMut(Option<(Envelope, Decision)>) -> bool,
    ) -> Result<bool> {
        for path in &self.paths {
            let mut reader = CaptureReader::open(path, self.provider)?.states(self.states);
            while let Some(next) = reader.next_event() {
                let read = self.admit(next)?.map(|envelope| {
                    let decision = selector.decide(&envelope);
                    (envelope, decision)
                });
                if !emit(read) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}

/// One event of a merged read, with where it is: which file (an index into
/// [`Merged::names`]) and which line.
pub struct Located {
    pub envelope: Envelope,
    pub file: usize,
    pub line: u64,
}

/// Every file's events as one sequence: each file is read in its own order, and the next event
/// is the earliest (by the clock) of the files' next ones, so the captures of one run (two
/// listeners behind a balancer, a tail beside a listen) read as one. One event a file is held.
pub struct Merged {
    files: Files,
    readers: Vec<CaptureReader>,
    heads: Vec<Option<Located>>,
    names: Vec<String>,
}

impl Files {
    /// Opens every file for a merged read (`since` and `until` apply; the selection does not).
    pub fn merged(&self) -> Result<Merged> {
        let mut readers = Vec::with_capacity(self.paths.len());
        for path in &self.paths {
            readers.push(CaptureReader::open(path, self.provider)?.states(self.states));
        }
        let names = readers.iter().map(|r| r.name().to_owned()).collect();
        let mut merged = Merged {
            files: self.clone(),
            heads: (0..readers.len()).map(|_| None).collect(),
            readers,
            names,
        };
        for file in 0..merged.readers.len() {
            merged.heads[file] = merged.pull(file)?;
        }
        Ok(merged)
    }
}

impl Merged {
    /// The files' names, as errors and findings show them.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The next event of one file within `since` and `until`.
    fn pull(&mut self, file: usize) -> Result<Option<Located>> {
        let reader = &mut self.readers[file];
        while let Some(next) = reader.next_event() {
            let Some(envelope) = self.files.admit(next)? else {
                continue;
            };
            let line = reader.line();
            return Ok(Some(Located {
                envelope,
                file,
                line,
            }));
        }
        Ok(None)
    }

    /// The earliest of the files' next events (the first file's on a tie).
    pub fn next_event(&mut self) -> Result<Option<Located>> {
        let clock = |l: &Located| self.files.clock(&l.envelope);
        let earliest = (self.heads.iter().enumerate())
            .filter_map(|(file, head)| Some((file, clock(head.as_ref()?))))
            .min_by_key(|&(file, at)| (at, file));
        let Some((file, _)) = earliest else {
            return Ok(None);
        };
        let next = self.pull(file)?;
        Ok(std::mem::replace(&mut self.heads[file], next))
    }
}

/// A file read to its end without waiting for a writer: not stdin, a pipe or a device.
fn is_regular_file(path: &std::path::Path) -> bool {
    path.as_os_str() != "-" && std::fs::metadata(path).is_ok_and(|m| m.is_file())
}
