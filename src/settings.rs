//! What a run takes from its surroundings, decided once: the terminal, color, progress and
//! output mode; and credentials, from the flag, the environment or the config file, in that
//! order, with where each came from.

use std::io::IsTerminal;

use anyhow::Result;

use crate::cli::{ColorArg, Global, OutputArg};
use crate::config::{Config, Secret};
use crate::error::UsageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    Pretty,
    Table,
    Ndjson,
    Raw,
    /// The live call board: drawn in place on the terminal.
    Board,
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
    /// The terminal's width, which pretty lines are fitted into; `None` when stdout is not a
    /// terminal (a pipe or a file gets whole lines).
    pub columns: Option<usize>,
    /// How times are shown, in every output a person reads.
    pub clock: crate::print::Clock,
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
            Some(OutputArg::Board) => OutputMode::Board,
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
            // A dumb terminal cannot redraw a line: no spinners there.
            // The board is the progress: nothing else draws on its terminal.
            progress: stderr_is_terminal
                && !dumb
                && verbosity > Verbosity::Quiet
                && output != OutputMode::Board,
            stdout_is_terminal,
            columns: stdout_is_terminal.then(terminal_columns).flatten(),
            clock: crate::print::Clock::new(global.utc, global.time_format.unwrap_or_default()),
            verbosity,
        }
    }
}

/// The width of the terminal stdout is, when it says (a terminal whose rows are not set still
/// has columns).
#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    let size = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    (size.ws_col > 0).then_some(usize::from(size.ws_col))
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    console::Term::stdout()
        .size_checked()
        .map(|(_, columns)| usize::from(columns))
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
    /// A key in the config file: `token` under [cytracom].
    ConfigFile(&'static str, std::path::PathBuf),
    TokenCommand(std::path::PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::Environment(var) => write!(f, "{var}"),
            Origin::ConfigFile(key, path) => write!(f, "{key} in {}", path.display()),
            Origin::TokenCommand(path) => write!(f, "`token_command` in {}", path.display()),
        }
    }
}

/// A secret from `flag`, else the environment variable `env_var` (when not empty), else the
/// config file's `in_file`.
fn secret(
    config: &Config,
    flag: (&'static str, Option<&str>),
    env_var: &'static str,
    in_file: (&'static str, Option<&str>),
) -> Option<Credential> {
    let credential = |secret: &str, origin| {
        Some(Credential {
            secret: Secret::new(secret),
            origin,
        })
    };
    if let (name, Some(value)) = flag {
        return credential(value, Origin::Flag(name));
    }
    if let Ok(value) = std::env::var(env_var)
        && !value.is_empty()
    {
        return credential(&value, Origin::Environment(env_var));
    }
    let (key, value) = (in_file.0, in_file.1?);
    config.warn_if_readable_by_others();
    let path = config.path.clone().unwrap_or_default();
    credential(value, Origin::ConfigFile(key, path))
}

/// A provider's API token: `flag`, then the environment variable `env_var`, then the
/// provider's section of the config file (`token`, then `token_command`).
pub fn token(
    config: &Config,
    provider: &str,
    flag: (&'static str, Option<&str>),
    env_var: &'static str,
) -> Result<Option<Credential>> {
    let section = config.provider(provider);
    let in_file = ("`token`", section.and_then(|s| s.token.as_deref()));
    if let Some(credential) = secret(config, flag, env_var, in_file) {
        return Ok(Some(credential));
    }
    match section.and_then(|s| s.token_command.as_deref()) {
        Some(command) => Ok(Some(Credential {
            secret: crate::config::run_token_command(provider, command)?,
            origin: Origin::TokenCommand(config.path.clone().unwrap_or_default()),
        })),
        None => Ok(None),
    }
}

/// Who telev is to a NATS server when its URL says nothing, and where that came from:
/// `TELEV_NATS_TOKEN`, or `TELEV_NATS_USER` with `TELEV_NATS_PASSWORD`; then the config
/// file's `[nats]`.
pub fn nats_auth(config: &Config) -> Option<(crate::nats::Auth, String)> {
    use crate::nats::{Auth, PASSWORD_ENV, TOKEN_ENV, USER_ENV};
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(token) = env(TOKEN_ENV) {
        return Some((Auth::Token(Secret::new(token)), TOKEN_ENV.to_owned()));
    }
    if let (Some(user), Some(password)) = (env(USER_ENV), env(PASSWORD_ENV)) {
        let password = Secret::new(password);
        let origin = format!("{USER_ENV} and {PASSWORD_ENV}");
        return Some((Auth::UserPassword { user, password }, origin));
    }
    let section = &config.nats;
    let origin = || {
        let file = config.path.as_deref().unwrap_or(std::path::Path::new(""));
        format!("[nats] in {}", file.display())
    };
    if let Some(token) = &section.token {
        config.warn_if_readable_by_others();
        return Some((Auth::Token(Secret::new(token.clone())), origin()));
    }
    let (user, password) = (section.user.clone()?, section.password.clone()?);
    config.warn_if_readable_by_others();
    let password = Secret::new(password);
    Some((Auth::UserPassword { user, password }, origin()))
}

/// What `telev listen` requires of senders, if anything.
#[derive(Debug)]
pub enum Inbound {
    /// `USER:PASS`.
    Basic(Credential),
    Bearer(Credential),
}

pub const LISTEN_BASIC_ENV: &str = "TELEV_LISTEN_BASIC_AUTH";
pub const LISTEN_BEARER_ENV: &str = "TELEV_LISTEN_BEARER";

/// The listener's credentials: from `--basic-auth` or `--bearer`, else the environment
/// (`TELEV_LISTEN_BASIC_AUTH`, `TELEV_LISTEN_BEARER`), else `[listen]` in the config file;
/// of the two kinds, the one from the nearer source. Both from equally near is a mistake.
pub fn inbound(
    config: &Config,
    basic_flag: Option<&str>,
    bearer_flag: Option<&str>,
) -> Result<Option<Inbound>, UsageError> {
    let listen = &config.listen;
    let in_file = ("`basic_auth` under [listen]", listen.basic_auth.as_deref());
    let basic = secret(
        config,
        ("--basic-auth", basic_flag),
        LISTEN_BASIC_ENV,
        in_file,
    );
    let in_file = ("`bearer` under [listen]", listen.bearer.as_deref());
    let bearer = secret(
        config,
        ("--bearer", bearer_flag),
        LISTEN_BEARER_ENV,
        in_file,
    );
    let nearness = |c: &Credential| match c.origin {
        Origin::Flag(_) => 0,
        Origin::Environment(_) => 1,
        _ => 2,
    };
    Ok(match (basic, bearer) {
        (Some(basic), Some(bearer)) if nearness(&basic) == nearness(&bearer) => {
            let (a, b) = (&basic.origin, &bearer.origin);
            return Err(UsageError(format!(
                "both Basic auth ({a}) and a bearer token ({b}) are set: keep one"
            )));
        }
        (Some(basic), Some(bearer)) if nearness(&bearer) < nearness(&basic) => {
            Some(Inbound::Bearer(bearer))
        }
        (Some(basic), _) => Some(Inbound::Basic(basic)),
        (None, Some(bearer)) => Some(Inbound::Bearer(bearer)),
        (None, None) => None,
    })
}
