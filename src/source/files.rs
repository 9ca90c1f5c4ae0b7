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

    /// Reads every file on a thread of its own, sending each event with what `selection`
    /// decides of it through a bounded channel, so memory stays constant and the runtime
    /// never waits on disk.
    pub fn spawn(&self, selection: Selection) -> mpsc::Receiver<Result<(Envelope, Decision)>> {
        let (tx, rx) = mpsc::channel(256);
        let files = self.clone();
        std::thread::spawn(move || {
            let mut selector = selection.selector();
            let read = files.read(&mut selector, |e, decision| {
                tx.blocking_send(Ok((e, decision))).is_ok()
            });
            if let Err(err) = read {
                let _ = tx.blocking_send(Err(err));
            }
        });
        rx
    }

    /// Hands each event with its decision to `emit`, in order, until the input ends or `emit`
    /// says stop (then false).
    pub fn read(
        &self,
        selector: &mut Selector,
        mut emit: impl FnMut(Envelope, Decision) -> bool,
    ) -> Result<bool> {
        for path in &self.paths {
            let mut reader = CaptureReader::open(path, self.provider)?.states(self.states);
            while let Some(next) = reader.next_event() {
                let Some(envelope) = self.admit(next)? else {
                    continue;
                };
                let decision = selector.decide(&envelope);
                if !emit(envelope, decision) {
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
