//! `telev filter` over a large file on every core. The file's whole lines are cut into
//! ranges of [`CHUNK`] bytes; each worker, with its own compiled filter, reads the ranges
//! dealt to it straight from the file, a little at a time, and this thread, one of the
//! workers, prints their outputs in the file's order. A range holds the lines that start in it: a worker looks at
//! the byte before the range to find the first, and past the range for the end of the last.
//!
//! No thread reads for the workers: one did, and handing each chunk from it to a worker and
//! back cost more than reading (the bytes went from one core's cache to another's), while
//! reading through a small buffer keeps what a worker reads in its own cache. Memory stays
//! bounded: a worker holds one read's bytes and its output for a range, and at most one
//! finished output of its own waits for this thread.
//!
//! A range a worker cannot finish alone (a value that continues into the next range, as in
//! pretty-printed JSON, or a line that is not JSON) ends the parallel run there: the rest of
//! the file, from that range's first line, goes through the one-thread path, which prints
//! what it can and reports the error as it always does. So does whatever follows the last
//! whole line when the run started (a last line without its newline, or lines written since).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc::{channel, sync_channel};
use std::thread;

use anyhow::{Context, Result};

use super::{Out, Run, Setup};
use crate::filter::Filter;
use crate::messages;
use crate::settings::OutputMode;

/// How much of the file a worker takes at a time (more when a line is longer).
const CHUNK: u64 = 256 << 10;

/// How much a worker reads at a time.
const READ: usize = 64 << 10;

/// How much a worker reads at a time to find where its range's lines start and end.
const PIECE: usize = 4 << 10;

/// Below this much input one thread does the work: starting workers would cost more.
const SMALL: u64 = 4 * CHUNK;

/// The environment variable that sets how many workers run (`1`: none).
pub const THREADS_VAR: &str = "TELEV_THREADS";

/// What a worker made of one range.
struct Done {
    printed: Vec<u8>,
    /// Each failure of the expression: the line it failed on, as the worker numbered the
    /// range's lines (from `numbered_from`), and what went wrong.
    reports: Vec<(u64, String)>,
    numbered_from: u64,
    failed: bool,
    /// How many lines the range held, and where in the file the last one ends (`None` when
    /// it held none: a long line from an earlier range runs through it).
    lines: u64,
    end: Option<u64>,
    /// False when the range needs the one-thread path (and `printed` is to be dropped).
    complete: bool,
}

/// Standard input, when it is a file rather than a pipe or a terminal (`telev filter … <
/// capture.ndjson`): then it is read like a named file, and not as a live stream.
pub fn stdin_file() -> Option<File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let file = File::from(io::stdin().as_fd().try_clone_to_owned().ok()?);
        let kind = file.metadata().ok()?.file_type();
        (kind.is_file() || kind.is_block_device()).then_some(file)
    }
    #[cfg(not(unix))]
    None
}

/// Runs the whole of `file` (from where it stands) through `run`, on every core when the
/// file is large, its output is not read live, and the output mode keeps no state between
/// values (NDJSON, raw).
pub fn input(mut file: File, path: &Path, setup: &Setup, run: &mut Run<Out>) -> Result<()> {
    let cannot_read = || format!("cannot read {}", path.display());
    let start = file.stream_position().with_context(cannot_read)?;
    let size = file.metadata().with_context(cannot_read)?.len();
    let workers = setup.workers;
    let stateless = matches!(setup.mode, OutputMode::Ndjson | OutputMode::Raw);
    let worth_it = workers > 1 && stateless && !setup.live && size >= start + SMALL;
    let (offset, first_line) = if worth_it {
        let end = whole_lines_end(&file, start, size).with_context(cannot_read)?;
        in_parallel(&file, start..end, path, setup, run, workers)?
    } else {
        (start, 1)
    };
    file.seek(SeekFrom::Start(offset))
        .with_context(cannot_read)?;
    let rest = BufReader::with_capacity(256 * 1024, file);
    run.input(rest, path, first_line).map(drop)
}

/// `TELEV_THREADS`, else one worker per core.
pub fn workers() -> usize {
    let per_core = || thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let Ok(value) = std::env::var(THREADS_VAR) else {
        return per_core();
    };
    match value.trim().parse::<NonZeroUsize>() {
        Ok(n) => n.get(),
        Err(_) => {
            messages::warn(&format!(
                "{THREADS_VAR}={value:?} is not a number of threads; using one per core"
            ));
            per_core()
        }
    }
}

/// Prints every range the workers finish, in order. Returns where the one-thread path takes
/// over, and that line's number: the end of `lines`, or the first line of a range a worker
/// could not finish.
fn in_parallel(
    file: &File,
    lines: Range<u64>,
    path: &Path,
    setup: &Setup,
    run: &mut Run<Out>,
    workers: usize,
) -> Result<(u64, u64)> {
    let ranges = (lines.end - lines.start).div_ceil(CHUNK);
    thread::scope(|scope| {
        // This thread takes ranges 0, n, 2n, … itself, between printing the others': a
        // thread of its own only to print woke for every range and took a core's time
        // from a worker.
        let mut own = Worker::new(setup, file, path, lines.clone());
        let mut from_workers = Vec::with_capacity(workers);
        let mut to_workers = Vec::with_capacity(workers);
        for first in 1..workers as u64 {
            let (outbox, done) = sync_channel(1);
            let (give_back, spares) = channel();
            let (lines, mine) = (lines.clone(), (first..ranges).step_by(workers));
            scope.spawn(move || {
                let mut worker = Worker::new(setup, file, path, lines);
                for k in mine {
                    let done = worker.range(k, spares.try_recv().unwrap_or_default());
                    if outbox.send(done).is_err() {
                        return;
                    }
                }
            });
            from_workers.push(done);
            to_workers.push(give_back);
        }
        let (mut offset, mut line) = (lines.start, 1);
        let mut spare = Vec::new();
        // Range k is worker k mod n's (this thread's for 0), and each worker finishes its
        // ranges in order.
        for k in 0..ranges {
            let worker = (k % workers as u64) as usize;
            let done = match worker {
                0 => own.range(k, std::mem::take(&mut spare)),
                _ => match from_workers[worker - 1].recv() {
                    Ok(done) => done,
                    Err(_) => break,
                },
            };
            if !done.complete {
                break;
            }
            run.printer.printed(&done.printed)?;
            for (at, report) in &done.reports {
                let at = line + at - done.numbered_from;
                messages::error_line(&format!("telev: {}:{at}: {report}", path.display()));
            }
            run.failed |= done.failed;
            line += done.lines;
            offset = done.end.unwrap_or(offset);
            match worker {
                0 => spare = done.printed,
                // Fails only when the worker has ended, and then nothing needs the buffer.
                _ => drop(to_workers[worker - 1].send(done.printed)),
            }
        }
        // Workers still busy stop at their next hand-over.
        Ok((offset, line))
    })
}

/// What runs the ranges of one thread: its own filter and printer, one range at a time.
struct Worker<'a> {
    run: Run<Vec<u8>>,
    /// Reads every range, through one buffer: a buffer made for each range was first
    /// filled with zeros, 64 KiB of writes for 256 KiB read.
    reader: BufReader<Part<'a>>,
    path: &'a Path,
    lines: Range<u64>,
}

impl<'a> Worker<'a> {
    fn new(setup: &Setup, file: &'a File, path: &'a Path, lines: Range<u64>) -> Self {
        let filter = Filter::compile_with(setup.code, setup.bindings)
            .expect("the expression compiled before");
        let mut run = Run::new(setup, filter, Vec::new());
        run.kept_reports = Some(Vec::new());
        Worker {
            run,
            reader: BufReader::with_capacity(READ, Part::of(file, 0..0)),
            path,
            lines,
        }
    }

    /// Range `k`, its output written into `printed` (a buffer to reuse).
    fn range(&mut self, k: u64, printed: Vec<u8>) -> Done {
        let (file, run) = (self.reader.get_ref().file, &mut self.run);
        let start = self.lines.start + k * CHUNK;
        let range = start..self.lines.end.min(start + CHUNK);
        // Only the first range holds the input's first line (whose byte-order mark is
        // dropped), so the others are numbered from 2.
        let numbered_from = if k == 0 { 1 } else { 2 };
        let (complete, read, end) = match range_lines(file, range, k == 0, self.lines.end) {
            Ok(Some(owned)) => {
                // What a range left unread (it ended the parallel run) is not this one's.
                let reader = &mut self.reader;
                reader.consume(reader.buffer().len());
                *reader.get_mut() = Part::of(file, owned.clone());
                match run.input(reader, self.path, numbered_from) {
                    Ok(last) => (true, last + 1 - numbered_from, Some(owned.end)),
                    Err(_) => (false, 0, None),
                }
            }
            Ok(None) => (true, 0, None),
            // Read again, and reported, by the one-thread path.
            Err(_) => (false, 0, None),
        };
        Done {
            printed: run.printer.take_printed(printed),
            reports: run.kept_reports.replace(Vec::new()).unwrap_or_default(),
            numbered_from,
            failed: std::mem::take(&mut run.failed),
            lines: read,
            end,
            complete,
        }
    }
}

/// Where in the file the lines that start in `range` begin and end (`first`: the range
/// starts at a line's start; the file holds whole lines up to `whole`); `None` when none
/// starts there.
fn range_lines(
    file: &File,
    range: Range<u64>,
    first: bool,
    whole: u64,
) -> io::Result<Option<Range<u64>>> {
    // A line starts at another range's first byte when the byte before it ends a line.
    let start = match first {
        true => range.start,
        false => match line_end(file, range.start - 1..range.end)? {
            Some(start) if start < range.end => start,
            _ => return Ok(None),
        },
    };
    // The last line ends at the first newline from the range's last byte on.
    match line_end(file, range.end - 1..whole)? {
        Some(end) => Ok(Some(start..end)),
        // The file changed under the run: the one-thread path reads what it holds now.
        None => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

/// Just after the first newline in `within`, if there is one.
fn line_end(file: &File, within: Range<u64>) -> io::Result<Option<u64>> {
    let mut piece = [0; PIECE];
    let mut part = Part::of(file, within);
    loop {
        let at = part.at;
        let len = part.read(&mut piece)?;
        if len == 0 {
            return Ok(None);
        }
        if let Some(newline) = memchr::memchr(b'\n', &piece[..len]) {
            return Ok(Some(at + newline as u64 + 1));
        }
    }
}

/// Where the whole lines of `file` between `start` and `size` end: after the last newline
/// (`start` when there is none).
fn whole_lines_end(file: &File, start: u64, size: u64) -> io::Result<u64> {
    let mut piece = [0; PIECE];
    let mut end = size;
    while end > start {
        let from = end.saturating_sub(PIECE as u64).max(start);
        let piece = &mut piece[..(end - from) as usize];
        Part::of(file, from..end).read_exact(piece)?;
        if let Some(newline) = memchr::memrchr(b'\n', piece) {
            return Ok(from + newline as u64 + 1);
        }
        end = from;
    }
    Ok(start)
}

/// A part of a file, read without moving the file's own position: the workers read the one
/// file at once.
struct Part<'a> {
    file: &'a File,
    at: u64,
    end: u64,
}

impl<'a> Part<'a> {
    fn of(file: &'a File, bytes: Range<u64>) -> Self {
        Part {
            file,
            at: bytes.start,
            end: bytes.end,
        }
    }
}

impl Read for Part<'_> {
    fn read(&mut self, into: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end - self.at).unwrap_or(usize::MAX);
        let len = into.len().min(left);
        if len == 0 {
            return Ok(0);
        }
        let into = &mut into[..len];
        #[cfg(unix)]
        let read = std::os::unix::fs::FileExt::read_at(self.file, into, self.at)?;
        #[cfg(windows)]
        let read = std::os::windows::fs::FileExt::seek_read(self.file, into, self.at)?;
        if read == 0 {
            // The file is shorter than it was.
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.at += read as u64;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    proptest! {
        /// However a file is cut into ranges, the lines the ranges hold are its whole lines,
        /// each once and in order: each range's start where one ends, the first at the
        /// file's start, the last at the last newline.
        #[test]
        fn ranges_hold_every_whole_line_once(
            text in prop::collection::vec(prop::sample::select(b"ab\n".to_vec()), 0..60),
            size in 1..12u64,
        ) {
            let mut file = tempfile::tempfile().unwrap();
            file.write_all(&text).unwrap();
            let whole = whole_lines_end(&file, 0, text.len() as u64).unwrap();
            let last_newline = text.iter().rposition(|&b| b == b'\n');
            prop_assert_eq!(whole, last_newline.map_or(0, |at| at as u64 + 1));
            let mut next = 0;
            for k in 0..whole.div_ceil(size) {
                let range = k * size..whole.min((k + 1) * size);
                let Some(lines) = range_lines(&file, range.clone(), k == 0, whole).unwrap() else {
                    continue;
                };
                prop_assert_eq!(lines.start, next, "{:?}", range);
                prop_assert!(range.contains(&lines.start));
                // The last line held ends at the first newline from the range's last byte on.
                let (last, end) = (range.end as usize - 1, lines.end as usize - 1);
                prop_assert!(last <= end && text[end] == b'\n');
                prop_assert!(!text[last..end].contains(&b'\n'));
                next = lines.end;
            }
            prop_assert_eq!(next, whole);
        }
    }
}
