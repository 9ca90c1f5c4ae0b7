//! `telev filter` over a large file on every core. A reader cuts the file into chunks of
//! whole lines; workers, each with its own compiled filter, run them; this thread prints
//! their outputs in the file's order. Memory stays bounded: a worker has at most one chunk
//! in hand, one waiting and one finished, and a fixed set of buffers goes round (the reader
//! waits for one to come back) instead of being freed by one thread and made anew by another.
//!
//! A chunk a worker cannot finish alone (a value that continues into the next chunk, as in
//! pretty-printed JSON, or a line that is not JSON) ends the parallel run there: the rest of
//! the file, from that chunk's first byte, goes through the one-thread path, which prints
//! what it can and reports the error as it always does.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread;

use anyhow::{Context, Result};

use super::{Run, Setup};
use crate::filter::Filter;
use crate::messages;
use crate::settings::OutputMode;

/// How much of the file a worker takes at a time (more when a line is longer).
const CHUNK: usize = 128 << 10;

/// Below this much input one thread does the work: starting workers would cost more.
const SMALL: u64 = 4 * CHUNK as u64;

/// Buffers in circulation for each worker: a chunk's bytes and its output buffer, for the
/// chunk in hand, the one waiting and the one finished.
const BUFFERS_PER_WORKER: usize = 6;

/// The environment variable that sets how many workers run (`1`: none).
pub const THREADS_VAR: &str = "TELEV_THREADS";

struct Chunk {
    bytes: Vec<u8>,
    /// A buffer for the worker's next output.
    spare: Vec<u8>,
    /// Where the chunk starts in the file, in bytes and in lines (from 1).
    offset: u64,
    first_line: u64,
}

struct Done {
    printed: Vec<u8>,
    /// The chunk's bytes, for the reader to fill again.
    bytes: Vec<u8>,
    reports: Vec<String>,
    failed: bool,
    /// False when the chunk needs the one-thread path (and `printed` is to be dropped).
    complete: bool,
    offset: u64,
    first_line: u64,
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
pub fn input(
    mut file: File,
    path: &Path,
    setup: &Setup,
    run: &mut Run<io::StdoutLock<'static>>,
) -> Result<()> {
    let cannot_read = || format!("cannot read {}", path.display());
    let start = file.stream_position().with_context(cannot_read)?;
    let size = file.metadata().with_context(cannot_read)?.len();
    let workers = setup.workers;
    let stateless = matches!(setup.mode, OutputMode::Ndjson | OutputMode::Raw);
    let worth_it = workers > 1 && stateless && !setup.live && size >= start + SMALL;
    let (offset, first_line) = if worth_it {
        match in_parallel(&file, start, path, setup, run, workers)? {
            Some(rest) => rest,
            None => return Ok(()),
        }
    } else {
        (start, 1)
    };
    file.seek(SeekFrom::Start(offset))
        .with_context(cannot_read)?;
    run.input(BufReader::with_capacity(256 * 1024, file), path, first_line)
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

/// Prints every chunk the workers finish, in order. `Some((offset, line))`: from there on,
/// the one-thread path must take over.
fn in_parallel(
    file: &File,
    start: u64,
    path: &Path,
    setup: &Setup,
    run: &mut Run<io::StdoutLock<'static>>,
    workers: usize,
) -> Result<Option<(u64, u64)>> {
    thread::scope(|scope| {
        let mut to_workers = Vec::with_capacity(workers);
        let mut from_workers = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (chunks, inbox) = sync_channel(1);
            let (outbox, done) = sync_channel(1);
            scope.spawn(move || work(setup, path, inbox, outbox));
            to_workers.push(chunks);
            from_workers.push(done);
        }
        // A fixed set of buffers goes round (the workers' printers add one each): returning
        // one never waits; the reader, taking one, waits until the printing thread is done.
        let (recycle, pool) = channel();
        for _ in 0..BUFFERS_PER_WORKER * workers {
            recycle
                .send(Vec::new())
                .expect("the reader has not started");
        }
        let reader = scope.spawn(move || cut(file, start, to_workers, pool));
        let mut rest = None;
        // Chunk k went to worker k mod n, and each worker finishes its chunks in order.
        for k in 0.. {
            let Ok(done) = from_workers[k % workers].recv() else {
                break;
            };
            if !done.complete {
                rest = Some((done.offset, done.first_line));
                break;
            }
            run.printer.printed(&done.printed)?;
            done.reports.iter().for_each(|r| messages::error_line(r));
            run.failed |= done.failed;
            for buffer in [done.printed, done.bytes] {
                // Fails only when the reader has ended, and then nothing needs it.
                let _ = recycle.send(buffer);
            }
        }
        // Workers still busy stop at their next hand-over, the reader at its next chunk.
        drop(from_workers);
        drop(recycle);
        let read = reader.join().expect("the reader does not panic");
        read.with_context(|| format!("cannot read {}", path.display()))?;
        Ok(rest)
    })
}

/// A worker: its own filter and printer, one chunk at a time.
fn work(setup: &Setup, path: &Path, inbox: Receiver<Chunk>, outbox: SyncSender<Done>) {
    let filter =
        Filter::compile_with(setup.code, setup.bindings).expect("the expression compiled before");
    let mut run = Run::new(setup, filter, Vec::new());
    run.kept_reports = Some(Vec::new());
    for chunk in inbox {
        let complete = run.input(&chunk.bytes[..], path, chunk.first_line).is_ok();
        let done = Done {
            printed: run.printer.take_printed(chunk.spare),
            bytes: chunk.bytes,
            reports: run.kept_reports.replace(Vec::new()).unwrap_or_default(),
            failed: std::mem::take(&mut run.failed),
            complete,
            offset: chunk.offset,
            first_line: chunk.first_line,
        };
        if outbox.send(done).is_err() {
            return;
        }
    }
}

/// The reader: cuts the file into chunks ending at a line's end and deals them out in turn.
fn cut(
    file: &File,
    start: u64,
    workers: Vec<SyncSender<Chunk>>,
    pool: Receiver<Vec<u8>>,
) -> io::Result<()> {
    let (mut offset, mut first_line) = (start, 1);
    let mut carry = Vec::new();
    // Waits for a buffer the printing thread is done with; `None` once it has stopped.
    let buffer = || {
        let mut buffer = pool.recv().ok()?;
        buffer.clear();
        Some(buffer)
    };
    for k in 0.. {
        let (Some(next_carry), Some(spare)) = (buffer(), buffer()) else {
            return Ok(());
        };
        let mut bytes = std::mem::replace(&mut carry, next_carry);
        bytes.reserve(CHUNK);
        let at_end = loop {
            let read = Read::take(file, CHUNK as u64).read_to_end(&mut bytes)? as usize;
            if read < CHUNK {
                break true;
            }
            if memchr::memrchr(b'\n', &bytes[bytes.len() - read..]).is_some() {
                break false;
            }
        };
        let end = match memchr::memrchr(b'\n', &bytes) {
            Some(newline) if !at_end => newline + 1,
            _ => bytes.len(),
        };
        carry.extend_from_slice(&bytes[end..]);
        bytes.truncate(end);
        if bytes.is_empty() {
            return Ok(());
        }
        let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
        let chunk = Chunk {
            bytes,
            spare,
            offset,
            first_line,
        };
        offset += end as u64;
        first_line += lines;
        if workers[k % workers.len()].send(chunk).is_err() || at_end {
            return Ok(());
        }
    }
    Ok(())
}
