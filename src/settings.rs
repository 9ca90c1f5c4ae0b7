//! The command line resolved once: terminal, color, progress and output mode are decided
//! here, and everything downstream reads decisions, not flags.

use std::io::IsTerminal;

use crate::cli::{ColorArg, Global, OutputArg};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    Pretty,
    Table,
    Ndjson,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
    Trace,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub output: OutputMode,
    /// Colors on stdout.
    pub color: bool,
    /// Colors on stderr.
    pub stderr_color: bool,
    /// Spinners and progress bars: only when stderr is a terminal.
    pub progress: bool,
    pub stdout_is_terminal: bool,
    pub verbosity: Verbosity,
}

impl Settings {
    /// Whether printed events carry their notes (a delivery's or forward's answer); ndjson
    /// and raw lines are data only.
    pub fn shows_notes(&self) -> bool {
        matches!(self.output, OutputMode::Pretty | OutputMode::Table)
    }

    pub fn resolve(global: &Global) -> Settings {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let stderr_is_terminal = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let color_for = |is_terminal: bool| match global.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => is_terminal && !no_color && !dumb,
        };
        let output = match global.output {
            Some(OutputArg::Pretty) => OutputMode::Pretty,
            Some(OutputArg::Table) => OutputMode::Table,
            Some(OutputArg::Ndjson) => OutputMode::Ndjson,
            Some(OutputArg::Raw) => OutputMode::Raw,
            None if stdout_is_terminal => OutputMode::Pretty,
            None => OutputMode::Ndjson,
        };
        let verbosity = match (global.quiet, global.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, 0) => Verbosity::Normal,
            (false, 1) => Verbosity::Verbose,
            (false, _) => Verbosity::Trace,
        };
        Settings {
            output,
            color: color_for(stdout_is_terminal),
            stderr_color: color_for(stderr_is_terminal),
            progress: stderr_is_terminal && verbosity > Verbosity::Quiet,
            stdout_is_terminal,
            verbosity,
        }
    }
}
