//! One printer owns every output decision: mode, color, flushing. Sources hand it envelopes
//! (or filter outputs) and say when they have nothing more at once; it never decides anything
//! else.

mod board;
mod calls;
mod clock;
mod finding;
mod note;
mod notice;
mod palette;
mod pretty;
mod report;
mod screen;
mod summary;
mod table;
mod timeline;
mod visible;

pub use calls::calls as call_table;
pub use clock::{Clock, TimeFormat};
pub use finding::finding;
pub use note::{Delivery, Note};
pub use notice::{Notice, Outage, Request};
pub use report::Report;
pub use screen::{PAUSE, Screen};
pub use summary::{Tally, counted};
pub use timeline::timeline;
pub use visible::{visible, visible_lines};

use std::io::{self, Write};

use crate::envelope::Envelope;
use crate::filter::{self, Value};
use crate::settings::OutputMode;

/// How much a printer's output is gathered before a write: the buffer given to it where
/// each write would be a system call.
pub const BUFFER: usize = 64 * 1024;

/// Writes to `W` as it is: give it a buffer (`io::BufWriter` of [`BUFFER`]) where each write
/// would be a system call. A parallel worker's printer writes into a `Vec` with none between.
pub struct Printer<W: Write> {
    out: W,
    mode: OutputMode,
    /// Someone reads the output as it comes (see [`Printer::idle`]).
    live: bool,
    table: table::StreamTable,
    pretty: pretty::Pretty,
    scratch: Vec<u8>,
}

impl<W: Write> Printer<W> {
    pub fn new(out: W, mode: OutputMode, color: bool, live: bool) -> Printer<W> {
        Printer {
            out,
            mode,
            live,
            table: table::StreamTable::new(color),
            pretty: pretty::Pretty::new(color, None),
            scratch: Vec::new(),
        }
    }

    /// Pretty lines fitted into a terminal this many columns wide (`None`: never cut).
    pub fn fitting(mut self, columns: Option<usize>) -> Printer<W> {
        self.pretty.fit = columns;
        self
    }

    /// Times shown as `clock` shows them, in pretty and table lines.
    pub fn timed(mut self, clock: &Clock) -> Printer<W> {
        self.pretty.clock = clock.clone();
        self.table.clock = clock.clone();
        self
    }

    pub fn mode(&self) -> OutputMode {
        self.mode
    }

    /// Prints one event in the chosen mode.
    pub fn envelope(&mut self, envelope: &Envelope, notes: &[Note]) -> io::Result<()> {
        match self.mode {
            OutputMode::Ndjson => {
                self.scratch.clear();
                envelope.write_line(&mut self.scratch);
                self.out.write_all(&self.scratch)?;
            }
            OutputMode::Raw => {
                self.out.write_all(envelope.raw.text().as_bytes())?;
                self.out.write_all(b"\n")?;
            }
            // The board draws events itself (`board.rs`); a printer shows them as lines.
            OutputMode::Pretty | OutputMode::Board => {
                self.pretty.write(&mut self.out, envelope, notes)?
            }
            OutputMode::Table => self.table.write(&mut self.out, envelope, notes)?,
        }
        Ok(())
    }

    /// Prints a filter output as `style` spells it (compact JSON, a value a line, by default).
    pub fn value(&mut self, value: &Value, style: &filter::Style) -> io::Result<()> {
        style.write(&mut self.out, value)
    }

    /// Prints one filter output that is already compact JSON text (or a bare string, `-r`).
    pub fn json_line(&mut self, text: &[u8]) -> io::Result<()> {
        self.out.write_all(text)?;
        self.out.write_all(b"\n")
    }

    /// Prints what another printer of the same mode printed (a parallel worker's output).
    pub fn printed(&mut self, text: &[u8]) -> io::Result<()> {
        self.out.write_all(text)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The source has nothing more at once. Live output goes out now, so a quiet stream shows
    /// each event as it comes while a busy one is written in blocks, not a line at a time.
    pub fn idle(&mut self) -> io::Result<()> {
        if self.live { self.out.flush() } else { Ok(()) }
    }
}

impl Printer<Vec<u8>> {
    /// What was printed since the last call; `spare` (emptied) takes its place.
    pub fn take_printed(&mut self, mut spare: Vec<u8>) -> Vec<u8> {
        spare.clear();
        std::mem::replace(&mut self.out, spare)
    }
}

impl<W: Write> Drop for Printer<W> {
    fn drop(&mut self) {
        // Errors here (a closed pipe) have nowhere to go; the run already ended.
        let _ = self.out.flush();
    }
}
