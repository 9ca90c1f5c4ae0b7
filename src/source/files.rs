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
                let envelope = match next {
                    Ok(envelope) => envelope,
                    Err(err) if self.skip_invalid && err.is::<BadLine>() => {
                        messages::warn(&format!("skipped {err}"));
                        continue;
                    }
                    Err(err) => return Err(err),
                };
                let at = self.clock(&envelope);
                if self.since.is_some_and(|s| at < s) || self.until.is_some_and(|u| at >= u) {
                    continue;
                }
                let decision = selector.decide(&envelope);
                if !emit(envelope, decision) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}
