//! `telev filter`: jq over NDJSON, like `jq -c`, through the `ndjson` engine.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::error::UsageError;
use crate::filter::{self, Bindings, Filter, Value};
use crate::ndjson::{self, Out, Position, Run, Setup};
use crate::plan;
use crate::settings::Settings;

/// `-e`'s exit code when the expression printed nothing, as jq's.
const NO_OUTPUT: u8 = 4;

pub fn run(plan: plan::Filter, settings: &Settings) -> Result<ExitCode> {
    let bindings = &plan.bindings;
    let expression = plan.expression.as_deref();
    let (code, filter, files) = compile(expression, plan.from_file, plan.files.clone(), bindings)?;
    // These read every input before the expression runs, or need the outputs in order.
    // A program that may halt stops where it is, which workers running ahead would pass.
    let whole = plan.slurp || plan.raw_input || plan.exit_status || Filter::may_halt(&code);
    let stdin_file = (files.is_empty() && !whole)
        .then(ndjson::stdin_file)
        .flatten();
    let live = files.is_empty() && stdin_file.is_none();
    let setup = Setup {
        code: &code,
        bindings,
        only: &plan.only,
        mode: settings.output,
        color: settings.color,
        style: plan.style.clone(),
        columns: settings.columns,
        clock: &settings.clock,
        live: live || settings.stdout_is_terminal,
        workers: if whole { 1 } else { ndjson::workers() },
        exit_status: plan.exit_status,
    };
    let mut run = Run::new(&setup, filter, ndjson::stdout());

    let read = read_inputs(&plan, &files, stdin_file, &setup, &mut run);
    // `halt` and `halt_error` end the run where they are, with their exit code.
    let halted = match read {
        Err(err) => match err.downcast_ref::<filter::Halted>() {
            Some(filter::Halted(code)) => Some(*code),
            None => return Err(err),
        },
        Ok(()) => None,
    };
    let last = run.last_truthy();
    let failed = run.finish()?;
    if let Some(code) = halted {
        return Ok(ExitCode::from(
            u8::try_from(code.clamp(0, 255)).unwrap_or(255),
        ));
    }
    let code = match (failed, plan.exit_status, last) {
        (true, _, _) => crate::error::RUNTIME,
        (false, true, None) => NO_OUTPUT,
        (false, true, Some(false)) => 1,
        _ => 0,
    };
    Ok(ExitCode::from(code))
}

/// Runs every input: `null` once (`-n`), all of them whole (`-s`, `-R`), standard input, or
/// the files in order.
fn read_inputs(
    plan: &plan::Filter,
    files: &[PathBuf],
    stdin_file: Option<File>,
    setup: &Setup,
    run: &mut Run<Out>,
) -> Result<()> {
    if Filter::reads_inputs(setup.code) && !plan.slurp {
        read_pulled(files, plan.null_input, plan.raw_input, run)
    } else if plan.null_input {
        run.value(Value::Null, &Position::none())
    } else if plan.slurp || plan.raw_input {
        read_whole(files, plan.slurp, plan.raw_input, run)
    } else if let Some(file) = stdin_file {
        ndjson::file(file, Path::new("<stdin>"), setup, run)
    } else if files.is_empty() {
        run.input(io::stdin().lock(), Path::new("<stdin>"), 1)
            .map(drop)
    } else {
        for path in files {
            let file =
                File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            ndjson::file(file, path, setup, run)?;
        }
        Ok(())
    }
}

/// As jq runs: the expression on each input in turn (or once on `null` with `-n`), where its
/// `input` and `inputs` take the next ones from the same sequence. The inputs are read whole
/// first (their text, not their values).
fn read_pulled(files: &[PathBuf], null_input: bool, raw: bool, run: &mut Run<Out>) -> Result<()> {
    let sources = read_sources(files)?;
    let values = sources.iter().flat_map(
        |(path, bytes)| -> Box<dyn Iterator<Item = Result<Value, String>>> {
            if raw {
                Box::new(raw_lines(bytes).map(Ok))
            } else {
                Box::new(filter::parse_many(bytes).map(move |value| {
                    value.map_err(|(_, m)| format!("{}: invalid JSON input: {m}", path.display()))
                }))
            }
        },
    );
    let inputs = filter::RcIter::new(values);
    if null_input {
        return run.value_reading(Value::Null, &inputs);
    }
    while let Some(next) = (&inputs).next() {
        let value = next.map_err(|message| anyhow::anyhow!(message))?;
        run.value_reading(value, &inputs)?;
    }
    Ok(())
}

/// `-R`: each line of a text as a string, without its newline.
fn raw_lines(bytes: &[u8]) -> impl Iterator<Item = Value> + '_ {
    bytes.split_inclusive(|&b| b == b'\n').map(|line| {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        Value::from(String::from_utf8_lossy(line).into_owned())
    })
}

/// Every input's text, as UTF-8 ([`filter::utf8`]): the files in order, else standard input.
fn read_sources(files: &[PathBuf]) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    if files.is_empty() {
        let mut text = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut text)
            .context("cannot read <stdin>")?;
        return Ok(vec![(PathBuf::from("<stdin>"), filter::into_utf8(text))]);
    }
    let read = |path: &PathBuf| {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok((path.clone(), filter::into_utf8(bytes)))
    };
    files.iter().map(read).collect()
}

/// `-s` and `-R`: every input read whole (files in order, else standard input). `-R` runs on
/// each line as a string, `-R -s` on all the text as one string, `-s` on an array of every
/// value. `-s` holds all its input in memory, as jq does.
fn read_whole(files: &[PathBuf], slurp: bool, raw: bool, run: &mut Run<Out>) -> Result<()> {
    let sources = read_sources(files)?;
    let nowhere = Position::none();
    match (slurp, raw) {
        (true, true) => {
            let all: Vec<u8> = sources.into_iter().flat_map(|(_, bytes)| bytes).collect();
            run.value(
                Value::from(String::from_utf8_lossy(&all).into_owned()),
                &nowhere,
            )
        }
        (false, true) => {
            let mut lines = sources.iter().flat_map(|(_, bytes)| raw_lines(bytes));
            lines.try_for_each(|line| run.value(line, &nowhere))
        }
        _ => {
            let mut values = Vec::new();
            for (path, bytes) in &sources {
                for value in filter::parse_many(bytes) {
                    let value = value.map_err(|(_, message)| {
                        anyhow::anyhow!("{}: invalid JSON input: {message}", path.display())
                    })?;
                    if run.accepts(&value) {
                        values.push(value);
                    }
                }
            }
            run.value(Value::Arr(values.into()), &nowhere)
        }
    }
}

/// The first positional argument is the expression (unless `-f` gave it). Should it not
/// compile but name an existing file (`telev filter --only hangup calls.ndjson`), it is read
/// as input with `.`.
fn compile(
    expression: Option<&str>,
    from_file: bool,
    mut files: Vec<PathBuf>,
    bindings: &Bindings,
) -> Result<(String, Filter, Vec<PathBuf>)> {
    let code = expression.unwrap_or(".");
    match Filter::compile_with(code, bindings) {
        Ok(filter) => Ok((code.to_owned(), filter, files)),
        Err(_) if !from_file && expression.is_some() && Path::new(code).is_file() => {
            files.insert(0, PathBuf::from(code));
            let filter =
                Filter::compile_with(".", bindings).map_err(|e| UsageError(e.to_string()))?;
            Ok((".".to_owned(), filter, files))
        }
        Err(err) if !from_file && expression.is_some_and(looks_like_a_file) => Err(UsageError(
            format!("{err}\n(no file named `{code}` either: the first argument is the expression)"),
        )
        .into()),
        Err(err) => Err(err.into()),
    }
}

/// `calls.ndjson`, `logs/day.json.gz`: what a mistyped input file looks like.
fn looks_like_a_file(text: &str) -> bool {
    let exts = [".ndjson", ".json", ".jsonl", ".gz", ".txt", ".log"];
    !text.contains(char::is_whitespace) && exts.iter().any(|e| text.ends_with(e))
}
