//! What a run takes from its surroundings, decided once: the terminal, color, progress and
//! output mode; and credentials, from the flag, the environment or the config file, in that
//! order, with where each came from.

use std::io::IsTerminal;

use anyhow::Result;

use crate::cli::{ColorArg, Global, OutputArg};
use crate::config::{Config, Secret};

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
    /// Whether printed events carry their notes (a delivery's or forward's answer) and state
    /// columns; ndjson and raw lines are data only.
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

/// A credential and where it came from, so that a refusal can say which one to fix.
#[derive(Debug, Clone)]
pub struct Credential {
    pub secret: Secret,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag(&'static str),
    Environment(&'static str),
    ConfigFile(std::path::PathBuf),
    TokenCommand(std::path::PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::Environment(var) => write!(f, "{var}"),
            Origin::ConfigFile(path) => write!(f, "`token` in {}", path.display()),
            Origin::TokenCommand(path) => write!(f, "`token_command` in {}", path.display()),
        }
    }
}

/// A provider's API token: `flag`, then the environment variable `env_var`, then the
/// provider's section of the config file (`token`, then `token_command`).
pub fn token(
    config: &Config,
    provider: &str,
    flag: (&'static str, Option<&str>),
    env_var: &'static str,
) -> Result<Option<Credential>> {
    let credential = |secret, origin| Ok(Some(Credential { secret, origin }));
    if let (name, Some(token)) = flag {
        return credential(Secret::new(token), Origin::Flag(name));
    }
    if let Ok(token) = std::env::var(env_var)
        && !token.is_empty()
    {
        return credential(Secret::new(token), Origin::Environment(env_var));
    }
    let file = || config.path.clone().unwrap_or_default();
    let Some(section) = config.provider(provider) else {
        return Ok(None);
    };
    if let Some(token) = &section.token {
        config.warn_if_readable_by_others();
        return credential(Secret::new(token.clone()), Origin::ConfigFile(file()));
    }
    if let Some(command) = &section.token_command {
        let secret = crate::config::run_token_command(provider, command)?;
        return credential(secret, Origin::TokenCommand(file()));
    }
    Ok(None)
}
