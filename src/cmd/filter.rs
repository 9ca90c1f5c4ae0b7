//! `telev filter`: a jq expression over NDJSON (any whitespace-separated JSON), streaming.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::FilterArgs;
use crate::error::UsageError;
use crate::filter::{self, Filter, Only, Value, probe};
use crate::messages;
use crate::print::Printer;
use crate::settings::Settings;

pub fn run(args: FilterArgs, settings: &Settings) -> Result<ExitCode> {
    let vars: Vec<(String, String)> = args
        .arg
        .chunks(2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect();
    let (filter, files) = compile(args.expression.as_deref(), args.files, &vars)?;
    let live = files.is_empty() && !is_regular_stdin();
    let stdout = io::stdout().lock();
    let mut run = Run {
        filter,
        only: Only::new(&args.only),
        printer: Printer::new(
            stdout,
            settings.output,
            settings.color,
            live || settings.stdout_is_terminal,
        ),
        raw_strings: args.raw_output,
        failed: false,
    };

    if args.null_input {
        run.value(Value::Null, &Position::none())?;
    } else if files.is_empty() {
        run.input(io::stdin().lock(), Path::new("<stdin>"))?;
    } else {
        for path in &files {
            let file =
                File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            run.input(BufReader::with_capacity(256 * 1024, file), path)?;
        }
    }
    run.printer.flush()?;
    Ok(ExitCode::from(if run.failed {
        crate::error::RUNTIME
    } else {
        0
    }))
}

/// The first positional argument is the expression. Should it not compile but name an
/// existing file (`telev filter --only hangup calls.ndjson`), it is read as input with `.`.
fn compile(
    expression: Option<&str>,
    mut files: Vec<PathBuf>,
    vars: &[(String, String)],
) -> Result<(Filter, Vec<PathBuf>)> {
    let code = expression.unwrap_or(".");
    match Filter::compile(code, vars) {
        Ok(filter) => Ok((filter, files)),
        Err(_) if expression.is_some() && Path::new(code).is_file() => {
            files.insert(0, PathBuf::from(code));
            let filter = Filter::compile(".", vars).map_err(|e| UsageError(e.to_string()))?;
            Ok((filter, files))
        }
        Err(err) if expression.is_some_and(looks_like_a_file) => Err(UsageError(format!(
            "{err}\n(no file named `{code}` either: the first argument is the expression)"
        ))
        .into()),
        Err(err) => Err(err.into()),
    }
}

/// `calls.ndjson`, `logs/day.json.gz`: what a mistyped input file looks like.
fn looks_like_a_file(text: &str) -> bool {
    let exts = [".ndjson", ".json", ".jsonl", ".gz", ".txt", ".log"];
    !text.contains(char::is_whitespace) && exts.iter().any(|e| text.ends_with(e))
}

fn is_regular_stdin() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let meta = std::fs::metadata("/dev/stdin");
        meta.is_ok_and(|m| m.file_type().is_file() || m.file_type().is_block_device())
    }
    #[cfg(not(unix))]
    {
        use std::io::IsTerminal;
        !io::stdin().is_terminal()
    }
}

struct Run {
    filter: Filter,
    only: Only,
    printer: Printer<io::StdoutLock<'static>>,
    raw_strings: bool,
    /// Some input value made the expression fail: reported, and the exit code says so.
    failed: bool,
}

struct Position<'a> {
    path: &'a Path,
    line: u64,
}

impl Position<'_> {
    fn none() -> Position<'static> {
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

impl Run {
    /// Reads one input line by line; a value may span lines (pretty-printed JSON).
    fn input(&mut self, mut reader: impl BufRead, path: &Path) -> Result<()> {
        let mut line = Vec::with_capacity(4096);
        let mut pending: Vec<u8> = Vec::new();
        let mut pending_start = 0;
        let mut number = 0u64;
        loop {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if read == 0 {
                break;
            }
            number += 1;
            if pending.is_empty() {
                if line.trim_ascii().is_empty() || self.skip_unparsed(&line) {
                    continue;
                }
                if self.parse_line(&line, Position { path, line: number })? {
                    continue;
                }
                pending_start = number;
                pending.extend_from_slice(&line);
            } else {
                pending.extend_from_slice(&line);
                let at = Position {
                    path,
                    line: pending_start,
                };
                if self.parse_line(&pending, at)? {
                    pending.clear();
                }
            }
        }
        if !pending.is_empty() {
            let at = Position {
                path,
                line: pending_start,
            };
            let err = filter::parse(&pending).err().unwrap_or_default();
            return Err(invalid_input(&at, &err));
        }
        Ok(())
    }

    /// The fast path: a line that `--only` or a `select(.f == "x")` shape cannot pass, and
    /// that is one valid JSON object, is dropped without building a value.
    fn skip_unparsed(&self, line: &[u8]) -> bool {
        let prefilter = self.filter.prefilter();
        if self.only.is_empty() && prefilter.is_none() {
            return false;
        }
        let field = prefilter.map_or("type", |p| p.field());
        let Some([event_type, kind, selected]) = probe::fields(line, ["type", "kind", field])
        else {
            return false;
        };
        let only_rejects = !self.only.accepts(event_type.as_deref(), kind.as_deref());
        let select_rejects = prefilter.is_some_and(|p| !p.passes(selected.as_deref()));
        only_rejects || select_rejects
    }

    /// Runs every value of `text`. False when the last value is incomplete and the text
    /// should be extended by the next line (and nothing of it was run yet).
    fn parse_line(&mut self, text: &[u8], at: Position) -> Result<bool> {
        let end = text.trim_ascii_end().len();
        let mut ran_any = false;
        for value in filter::parse_many(text) {
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

    fn value(&mut self, value: Value, at: &Position) -> Result<()> {
        if !self.only.is_empty() {
            let field =
                |key| filter::str_field(&value, key).and_then(|s| std::str::from_utf8(s).ok());
            if !self.only.accepts(field("type"), field("kind")) {
                return Ok(());
            }
        }
        let (printer, raw) = (&mut self.printer, self.raw_strings);
        let outcome = self.filter.run(value, |out| printer.value(&out, raw))?;
        if let Err(err) = outcome {
            self.failed = true;
            messages::error_line(&format!("telev: {at}: {err}"));
        }
        Ok(())
    }
}

fn invalid_input(at: &Position, message: &str) -> anyhow::Error {
    anyhow::anyhow!("{at}: invalid JSON input: {message}")
}
