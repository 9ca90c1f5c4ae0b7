//! A jq expression over NDJSON (any whitespace-separated JSON), streaming: `telev filter`'s
//! engine. Fast paths read only the fields an expression needs; a large file runs on every
//! core (`parallel.rs`).

use std::io::{self, BufRead, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::filter::{self, Filter, Shape, Value, probe};
use crate::messages;
use crate::print::{self, Printer};
use crate::select::Only;
use crate::settings::OutputMode;

mod parallel;

pub use parallel::{input as file, stdin_file, workers};

/// What every [`Run`] of one invocation shares; a parallel worker builds its own from it.
pub struct Setup<'a> {
    pub code: &'a str,
    pub bindings: &'a filter::Bindings,
    pub only: &'a [String],
    pub mode: OutputMode,
    pub color: bool,
    /// How outputs that are not events are spelled: jq's output flags.
    pub style: filter::Style,
    /// The terminal's width, for pretty lines (`None`: never cut).
    pub columns: Option<usize>,
    pub clock: &'a crate::print::Clock,
    /// Someone reads the output as it comes: it goes out whenever the input has nothing more
    /// to hand over at once, and is never held back for a parallel run.
    pub live: bool,
    /// Threads to run a large file on.
    pub workers: usize,
    /// `-e`: the exit code tells whether the last output was true, which only outputs built as
    /// values are looked at for.
    pub exit_status: bool,
}

/// The fields read before deciding on a fast path (the first [`PROBED`] always).
const PROBED: usize = 3;

fn probe_keys(filter: &Filter, only: &Only) -> Option<Vec<String>> {
    let prefilter = filter.prefilter();
    let projection = filter.projection();
    if only.is_empty() && prefilter.is_none() && projection.is_none() {
        return None;
    }
    let selected = prefilter.map_or("type", |p| p.field());
    let probed = ["type", "kind", selected].map(str::to_owned);
    let keys: Vec<String> = probed
        .into_iter()
        .chain(projection.unwrap_or_default().iter().cloned())
        .collect();
    (keys.len() <= probe::MAX_KEYS).then_some(keys)
}

/// Where `telev filter` prints: stdout, gathered into writes of [`print::BUFFER`].
pub type Out = io::BufWriter<io::StdoutLock<'static>>;

/// stdout as [`Out`].
pub fn stdout() -> Out {
    io::BufWriter::with_capacity(print::BUFFER, io::stdout().lock())
}

pub struct Run<W: Write> {
    filter: Filter,
    only: Only,
    printer: Printer<W>,
    /// The fields the fast path reads ([`probe_keys`]), as the direct path reads them;
    /// `None` when no fast path applies.
    wanted: Option<probe::Wanted>,
    direct: Option<Direct>,
    style: filter::Style,
    /// Some input value made the expression fail: reported, and the exit code says so.
    failed: bool,
    /// Where those reports go: `None` prints each at once; a parallel worker keeps them for
    /// the thread that prints its output in order.
    /// Each keeps the line's number and the error; the printing thread names the line.
    kept_reports: Option<Vec<(u64, String)>>,
    /// Whether the last output was neither `false` nor `null` (`-e`); `None` before any.
    last_truthy: Option<bool>,
    /// The file inputs come from, and its name as `input_filename` gives it.
    filename: (std::path::PathBuf, Value),
}

impl<W: Write> Run<W> {
    /// Flushes what is printed; true when the expression failed on some input.
    pub fn finish(mut self) -> Result<bool> {
        self.printer.flush()?;
        Ok(self.failed)
    }

    /// Whether the last output was neither `false` nor `null`; `None` when there was none.
    pub fn last_truthy(&self) -> Option<bool> {
        self.last_truthy
    }

    pub fn new(setup: &Setup, filter: Filter, out: W) -> Run<W> {
        let only = Only::new(setup.only);
        let probe_keys = probe_keys(&filter, &only);
        let printer = Printer::new(out, setup.mode, setup.color, setup.live)
            .fitting(setup.columns)
            .timed(setup.clock);
        let plain = setup.style.is_plain() && !setup.exit_status;
        let direct = Direct::new(&filter, probe_keys.as_deref(), printer.mode()).filter(|_| plain);
        let reads = direct.as_ref().map_or_else(Vec::new, Direct::reads);
        let wanted = probe_keys.map(|keys| probe::Wanted::new(&keys, &reads));
        Run {
            filter,
            only,
            printer,
            wanted,
            direct,
            style: setup.style.clone(),
            failed: false,
            kept_reports: None,
            last_truthy: None,
            filename: (std::path::PathBuf::new(), Value::Null),
        }
    }
}

/// The direct path: an expression whose output is a [`Shape`] of probed fields, printed as
/// NDJSON, is written from those fields' text without running jq.
struct Direct {
    shape: Shape,
    /// Where each of the shape's fields is among the probe keys.
    slots: Vec<usize>,
    output: Vec<u8>,
}

impl Direct {
    fn new(filter: &Filter, probe_keys: Option<&[String]>, mode: OutputMode) -> Option<Direct> {
        let shape = filter.shape()?;
        if mode != OutputMode::Ndjson {
            return None;
        }
        let fields = shape.fields();
        // `.` reads no field: it needs no probe unless `--only` or a prefilter asks for one.
        let keys = match probe_keys {
            Some(keys) => keys,
            None if fields.is_empty() => &[],
            None => return None,
        };
        let slots: Vec<usize> = fields
            .into_iter()
            .map(|field| keys.iter().position(|k| k == field))
            .collect::<Option<_>>()?;
        Some(Direct {
            shape: shape.clone(),
            slots,
            output: Vec::with_capacity(256),
        })
    }

    /// How each probe key's value is read for the shape ([`Shape::reads`]), by the key's
    /// number ([`probe::Read::Text`] past the end, as [`probe::Wanted::new`] takes it).
    fn reads(&self) -> Vec<probe::Read> {
        let count = self.slots.iter().max().map_or(0, |last| last + 1);
        let mut reads = vec![probe::Read::Text; count];
        for &slot in &self.slots {
            reads[slot] = self.shape.reads();
        }
        reads
    }
}

/// Where an input value starts: file and line.
#[derive(Clone, Copy)]
pub struct Position<'a> {
    path: &'a Path,
    line: u64,
}

impl Position<'_> {
    pub fn none() -> Position<'static> {
        Position {
            path: Path::new(""),
            line: 0,
        }
    }
}

impl std::fmt::Display for Position<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)
    }
}

impl<W: Write> Run<W> {
    /// Reads one input line by line, numbering from `first_line`; a value may span lines
    /// (pretty-printed JSON). The printer is told when the input may have to be waited for.
    /// Returns the last line's number.
    pub fn input(&mut self, reader: impl BufRead, path: &Path, first_line: u64) -> Result<u64> {
        let mut pending = Pending::default();
        let mut number = first_line - 1;
        for_each_line(reader, |line, last_of_read| -> Result<()> {
            number += 1;
            // A byte-order mark before the first value is not part of it (jq skips it too).
            let line = match number {
                1 => line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line),
                _ => line,
            };
            self.line(line, Position { path, line: number }, &mut pending)?;
            if last_of_read {
                self.printer.idle()?;
            }
            Ok(())
        })
        .with_context(|| format!("cannot read {}", path.display()))??;
        if !pending.text.is_empty() {
            let at = Position {
                path,
                line: pending.start,
            };
            let err = filter::parse(&pending.text).err().unwrap_or_default();
            return Err(invalid_input(&at, &err));
        }
        Ok(number)
    }

    /// One line: a whole value, or part of one that `pending` collects.
    fn line(&mut self, line: &[u8], at: Position, pending: &mut Pending) -> Result<()> {
        if pending.text.is_empty() {
            if line.trim_ascii().is_empty() || self.fast_path(line, &at)? {
                return Ok(());
            }
            if self.parse_line(line, at)? {
                return Ok(());
            }
            pending.start = at.line;
            pending.text.extend_from_slice(line);
        } else {
            pending.text.extend_from_slice(line);
            let at = Position {
                path: at.path,
                line: pending.start,
            };
            if self.parse_line(&pending.text, at)? {
                pending.text.clear();
            }
        }
        Ok(())
    }

    /// The fast path for a line that is one valid JSON object: `--only` and a
    /// `select(.f == "x")` shape drop it without building a value, and an expression that
    /// reads only named fields runs on an object of just those. True when the line is done.
    fn fast_path(&mut self, line: &[u8], at: &Position) -> Result<bool> {
        // The probed fields, read as the direct path's shape reads them; `None` when nothing
        // is probed (then only `.` is fast).
        let found = match &self.wanted {
            Some(wanted) => match wanted.read(line) {
                Some(found) => Some(found),
                None => return Ok(false),
            },
            None if self.direct.is_some() => None,
            None => return Ok(false),
        };
        if let Some(found) = &found {
            // Read as strings only when asked: most runs have neither `--only` nor a prefilter,
            // and reading three strings a line took 3.5% of a fast path.
            let string = |i: usize| probe::string(found[i].map(|f| f.text));
            let only = &self.only;
            let only_rejects =
                !only.is_empty() && !only.accepts(string(0).as_deref(), string(1).as_deref());
            let prefilter = self.filter.prefilter();
            let select_rejects = prefilter.is_some_and(|p| !p.passes(string(2).as_deref()));
            if only_rejects || select_rejects {
                return Ok(true);
            }
        }
        let found = found.unwrap_or_default();
        if let Some(direct) = &mut self.direct {
            direct.output.clear();
            let fields = direct.slots.iter().map(|&slot| found[slot]);
            if direct
                .shape
                .write(&mut direct.output, line, fields, self.style.raw)?
            {
                self.printer.json_line(&direct.output)?;
                return Ok(true);
            }
        }
        let projected = self.filter.projection().and_then(|names| {
            let texts = found.get(PROBED..)?.iter().map(|f| f.map(|f| f.text));
            filter::project(names.iter().map(String::as_str).zip(texts))
        });
        match projected {
            Some(value) => self.run(value, at).map(|()| true),
            None => Ok(false),
        }
    }

    /// Runs every value of `text`. False when the last value is incomplete and the text
    /// should be extended by the next line (and nothing of it was run yet).
    fn parse_line(&mut self, text: &[u8], at: Position) -> Result<bool> {
        let text = filter::utf8(text);
        let end = text.trim_ascii_end().len();
        let mut ran_any = false;
        for value in filter::parse_many(&text) {
            match value {
                Ok(value) => {
                    ran_any = true;
                    self.value(value, &at)?;
                }
                Err((offset, _)) if !ran_any && offset >= end => return Ok(false),
                Err((_, message)) => return Err(invalid_input(&at, &message)),
            }
        }
        Ok(true)
    }

    pub fn value(&mut self, value: Value, at: &Position) -> Result<()> {
        if !self.accepts(&value) {
            return Ok(());
        }
        self.run(value, at)
    }

    /// [`Run::value`], where the expression's `input` and `inputs` read from `inputs`.
    pub fn value_reading(&mut self, value: Value, inputs: filter::Inputs) -> Result<()> {
        if !self.accepts(&value) {
            return Ok(());
        }
        self.run_reading(value, &Position::none(), Some(inputs))
    }

    /// Whether `--only` passes a value.
    pub fn accepts(&self, value: &Value) -> bool {
        if self.only.is_empty() {
            return true;
        }
        let field = |key| filter::str_field(value, key).and_then(|s| std::str::from_utf8(s).ok());
        self.only.accepts(field("type"), field("kind"))
    }

    /// Runs the expression on a value `--only` has passed.
    fn run(&mut self, value: Value, at: &Position) -> Result<()> {
        self.run_reading(value, at, None)
    }

    fn run_reading(
        &mut self,
        value: Value,
        at: &Position,
        inputs: Option<filter::Inputs>,
    ) -> Result<()> {
        if self.filename.0 != at.path {
            let name = at.path.to_string_lossy();
            let named = !name.is_empty() && name != "<stdin>";
            let value = if named {
                Value::from(name.into_owned())
            } else {
                Value::Null
            };
            self.filename = (at.path.to_owned(), value);
        }
        let (printer, style, last) = (&mut self.printer, &self.style, &mut self.last_truthy);
        let none = filter::RcIter::new(std::iter::empty());
        let source = filter::Source {
            inputs: inputs.unwrap_or(&none),
            filename: &self.filename.1,
            line: at.line,
        };
        let outcome = self.filter.run_reading(value, source, |out| {
            *last = Some(!matches!(out, Value::Null | Value::Bool(false)));
            // An envelope keeps the event layout in pretty, table and raw output.
            let event = match printer.mode() {
                OutputMode::Ndjson => None,
                OutputMode::Pretty | OutputMode::Table | OutputMode::Raw | OutputMode::Board => {
                    as_envelope(&out)
                }
            };
            match event {
                Some(envelope) => printer.envelope(&envelope, &[]),
                None => printer.value(&out, style),
            }
        })?;
        if let Err(err) = outcome {
            if let Some(code) = err.halt {
                return Err(filter::Halted(code).into());
            }
            self.failed = true;
            match &mut self.kept_reports {
                Some(kept) => kept.push((at.line, err.to_string())),
                // Under `-n` there is no input to name.
                None if at.line == 0 => messages::error_line(&format!("telev: {err}")),
                None => messages::error_line(&format!("telev: {at}: {err}")),
            }
        }
        Ok(())
    }
}

/// A value spread over several lines, from the line it started on.
#[derive(Default)]
struct Pending {
    text: Vec<u8>,
    start: u64,
}

/// Hands each line of `reader` (with its `\n`, if any) to `each`, in place in the reader's
/// buffer: only a line that straddles two reads is copied. `each` also learns whether the
/// line is the last whole one the read brought (the next may wait for more input). Stops at
/// the first error of `each`, returned inside; the outer error is reading's.
fn for_each_line<E>(
    mut reader: impl BufRead,
    mut each: impl FnMut(&[u8], bool) -> Result<(), E>,
) -> io::Result<Result<(), E>> {
    let mut straddling = Vec::new();
    loop {
        let buffer = match reader.fill_buf() {
            Ok([]) => break,
            Ok(buffer) => buffer,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let mut start = 0;
        let mut ends = memchr::memchr_iter(b'\n', buffer).peekable();
        while let Some(end) = ends.next() {
            let line = &buffer[start..=end];
            start = end + 1;
            let last = ends.peek().is_none();
            let outcome = if straddling.is_empty() {
                each(line, last)
            } else {
                straddling.extend_from_slice(line);
                let outcome = each(&straddling, last);
                straddling.clear();
                outcome
            };
            if outcome.is_err() {
                return Ok(outcome);
            }
        }
        straddling.extend_from_slice(&buffer[start..]);
        let read = buffer.len();
        reader.consume(read);
    }
    if straddling.is_empty() {
        Ok(Ok(()))
    } else {
        Ok(each(&straddling, true))
    }
}

/// An output that is an envelope (a capture line passed through, or changed and still one),
/// read as one so that it prints as an event.
fn as_envelope(value: &Value) -> Option<crate::envelope::Envelope> {
    if !matches!(value, Value::Obj(_)) {
        return None;
    }
    let json = filter::compact_string(value);
    let mut envelope: crate::envelope::Envelope = serde_json::from_str(&json).ok()?;
    envelope.state = crate::provider::state(&envelope);
    Some(envelope)
}

fn invalid_input(at: &Position, message: &str) -> anyhow::Error {
    anyhow::anyhow!("{at}: invalid JSON input: {message}")
}
