//! `telev filter`: jq over NDJSON, like `jq -c`, through the `ndjson` engine.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::error::UsageError;
use crate::filter::{Filter, Value};
use crate::ndjson::{self, Position, Run, Setup};
use crate::plan;
use crate::settings::Settings;

pub fn run(plan: plan::Filter, settings: &Settings) -> Result<ExitCode> {
    let (args, vars) = (&plan, &plan.vars);
    let (code, filter, files) = compile(args.expression.as_deref(), args.files.clone(), vars)?;
    let stdin_file = files.is_empty().then(ndjson::stdin_file).flatten();
    let live = files.is_empty() && stdin_file.is_none();
    let setup = Setup {
        code: &code,
        vars,
        only: &args.only,
        mode: settings.output,
        color: settings.color,
        raw_strings: args.raw_output,
        columns: settings.columns,
        clock: &settings.clock,
        live: live || settings.stdout_is_terminal,
        workers: ndjson::workers(),
    };
    let stdout = io::stdout().lock();
    let mut run = Run::new(&setup, filter, stdout);

    if args.null_input {
        run.value(Value::Null, &Position::none())?;
    } else if let Some(file) = stdin_file {
        ndjson::file(file, Path::new("<stdin>"), &setup, &mut run)?;
    } else if files.is_empty() {
        run.input(io::stdin().lock(), Path::new("<stdin>"), 1)?;
    } else {
        for path in &files {
            let file =
                File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            ndjson::file(file, path, &setup, &mut run)?;
        }
    }
    let failed = run.finish()?;
    Ok(ExitCode::from(if failed {
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
) -> Result<(String, Filter, Vec<PathBuf>)> {
    let code = expression.unwrap_or(".");
    match Filter::compile(code, vars) {
        Ok(filter) => Ok((code.to_owned(), filter, files)),
        Err(_) if expression.is_some() && Path::new(code).is_file() => {
            files.insert(0, PathBuf::from(code));
            let filter = Filter::compile(".", vars).map_err(|e| UsageError(e.to_string()))?;
            Ok((".".to_owned(), filter, files))
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
