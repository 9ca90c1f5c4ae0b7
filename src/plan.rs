//! The command line resolved once: clap's structs (`cli`) become one typed plan per command,
//! saying what to read, what to select, where events go, when to stop and how to print.
//! Commands read plans, never flags (ripgrep's low args → high args).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use reqwest::{Method, Url};

use crate::cli::{self, Command, EventOptions, MethodArg, TailSource};
use crate::config::{Config, Secret};
use crate::envelope::Stream;
use crate::error::UsageError;
use crate::pace::Speed;
use crate::pipeline::{Events, Stop};
use crate::select::Selection;
use crate::settings::{self, Credential, Inbound, Settings};
use crate::source::files::Files;
use crate::source::sse::{Resume, SseSource};
use crate::source::webhook::{InboundAuth, Options as ReceiverOptions};

pub enum Plan {
    Tail(Tail),
    TailNats(TailNats),
    Listen(Listen),
    Replay(Replay),
    Filter(Filter),
    Calls(Calls),
    Check(Check),
    Mask(Files),
    Completions(clap_complete::Shell),
    Config(Option<std::path::PathBuf>),
    Man(Option<String>),
}

pub struct Tail {
    /// The demo's simulated calls per second, served on loopback, instead of a provider.
    pub demo: Option<f64>,
    /// The connection; for the demo, its URL is the path under the demo server.
    pub connection: SseSource,
    pub stream: Stream,
    /// What the run is watching, for the spinner: `cytracom chan`.
    pub label: String,
    pub events: Events,
}

/// `telev tail nats`: envelopes read back from JetStream as a durable consumer.
pub struct TailNats {
    pub server: crate::nats::Server,
    /// What to read (wildcards allowed).
    pub subject: String,
    pub durable: String,
    /// Where a new durable starts.
    pub start: crate::source::nats::Start,
    pub events: Events,
}

pub struct Listen {
    pub address: SocketAddr,
    pub receiver: ReceiverOptions,
    pub forward_to: Option<Url>,
    /// Leave repeats out of the output and the forwards.
    pub dedup: bool,
    pub events: Events,
}

pub struct Replay {
    pub input: Files,
    pub speed: Speed,
    pub max_gap: Option<Duration>,
    pub action: ReplayAction,
    pub events: Events,
}

/// `telev calls` and `replay --calls`: the calls in captures.
pub struct Calls {
    pub input: Files,
    pub selection: Selection,
    /// `--call`: one call's story instead of a row per call.
    pub call: Option<String>,
    /// `--mask`: numbers, names and e-mail addresses as stand-ins.
    pub mask: bool,
}

/// `telev check`: the lifecycle rules over captures.
pub struct Check {
    pub input: Files,
    pub ignore: Vec<crate::calls::check::Rule>,
    /// How long a call may go quiet before the capture's end and still be `open`.
    pub open_for: Duration,
}

pub enum ReplayAction {
    Print,
    Deliver {
        target: Url,
        concurrency: usize,
        retries: u32,
    },
    Serve(Serving),
}

/// `replay --serve`: where, what a client must present, and whether to start over.
pub struct Serving {
    pub address: String,
    pub token: Option<Secret>,
    /// `--loop`.
    pub repeat: bool,
    /// How often a stream past the capture's end hears that it is still open.
    pub heartbeat: Duration,
}

/// `telev filter`: jq over NDJSON.
pub struct Filter {
    pub expression: Option<String>,
    /// `-f FILE`: the expression came from a file, so every positional argument is an input.
    pub from_file: bool,
    pub files: Vec<PathBuf>,
    pub only: Vec<String>,
    pub bindings: crate::filter::Bindings,
    pub style: crate::filter::Style,
    pub null_input: bool,
    pub slurp: bool,
    pub raw_input: bool,
    pub exit_status: bool,
}

pub const CYTRACOM_BASE: &str = "https://api.cytracom.net/v1.0";
pub const CYTRACOM_TOKEN_ENV: &str = "TELEV_CYTRACOM_TOKEN";

/// Resolves the command line. Reading the config file and running `token_command` happen
/// here, before anything connects.
pub fn resolve(
    command: Command,
    settings: &Settings,
    config_file: Option<&std::path::Path>,
) -> Result<Plan> {
    if settings.output == settings::OutputMode::Board {
        board(&command, settings)?;
    }
    Ok(match command {
        Command::Tail(args) if args.provider == TailSource::Nats => {
            Plan::TailNats(tail_nats(args, &Config::load(config_file)?)?)
        }
        Command::Tail(args) => Plan::Tail(tail(args, &Config::load(config_file)?)?),
        Command::Listen(args) => Plan::Listen(listen(args, &Config::load(config_file)?)?),
        Command::Replay(args) => {
            // The config file matters to a replay only for --publish's credentials.
            let config = match args.events.publish {
                Some(_) => Config::load(config_file)?,
                None => Config::default(),
            };
            replay(args, settings, &config)?
        }
        Command::Calls(args) => {
            if args.call.as_deref().is_some_and(|id| id.trim().is_empty()) {
                return Err(UsageError("--call needs a call id, or its start".into()).into());
            }
            warn_unknown_only(&args.only);
            Plan::Calls(Calls {
                input: captures(args.capture),
                selection: Selection::new(&args.only, None)?,
                call: args.call,
                mask: args.mask,
            })
        }
        Command::Mask(args) => Plan::Mask(captures(args.capture)),
        Command::Check(args) => Plan::Check(Check {
            input: captures(args.capture),
            ignore: args.ignore,
            open_for: args.open_for.0,
        }),
        Command::Completions { shell } => Plan::Completions(shell),
        Command::Config => Plan::Config(config_file.map(std::path::Path::to_path_buf)),
        Command::Man { command } => Plan::Man(command),
        Command::Filter(args) => Plan::Filter(filter(args, settings)?),
    })
}

/// Warns of each `--only` name no provider sends, with the nearest names it knows: a typo
/// would otherwise select nothing, in silence.
fn warn_unknown_only(only: &[String]) {
    let known = crate::provider::known_names();
    for (name, near) in crate::select::Only::new(only).unknown(&known) {
        let hint = match near.as_slice() {
            [] => "(`man telev` lists every name, under KINDS)".to_owned(),
            near => format!("did you mean {}?", near.join(", ")),
        };
        crate::messages::warn(&format!(
            "--only {name}: no provider sends an event or kind of that name; {hint}"
        ));
    }
}

/// `telev filter`'s command line as jq reads its own: the expression from the first
/// argument or `-f FILE`, the `$NAME`s of `--arg`, `--argjson`, `--slurpfile`, `--rawfile`
/// and `$ARGS`, and the output flags.
fn filter(args: cli::FilterArgs, settings: &Settings) -> Result<Filter> {
    warn_unknown_only(&args.only);
    let mut positional: Vec<String> = args
        .files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    let (expression, from_file) = match &args.from_file {
        Some(path) => {
            let code = String::from_utf8_lossy(&read(&path.to_string_lossy())?).into_owned();
            // What clap took for the expression is an input (or an argument).
            positional.splice(0..0, args.expression.clone());
            (Some(code), true)
        }
        None => (args.expression.clone(), false),
    };
    let (named, mut vars) = named_vars(&args)?;
    // `--args`/`--jsonargs`: the arguments after the expression are $ARGS.positional.
    let arguments = match args.args || args.jsonargs {
        true => positional_args(std::mem::take(&mut positional), args.jsonargs)?,
        false => Vec::new(),
    };
    let args_value = serde_json::json!({"positional": arguments, "named": named});
    vars.push(("ARGS".to_owned(), args_value.to_string()));
    let style = crate::filter::Style {
        raw: args.raw_output,
        join: args.join_output,
        indent: crate::filter::Style::indent_of(args.indent, args.tab),
        sort_keys: args.sort_keys,
        ascii: args.ascii_output,
        seq: args.seq,
        // As jq: colors on a terminal (`settings.color`), `-C` always, `-M` never.
        color: (settings.color || args.color_output) && !args.monochrome_output,
    };
    Ok(Filter {
        expression,
        from_file,
        files: positional.into_iter().map(PathBuf::from).collect(),
        only: args.only,
        bindings: crate::filter::Bindings {
            vars,
            library: args.library,
        },
        style,
        null_input: args.null_input,
        slurp: args.slurp,
        raw_input: args.raw_input,
        exit_status: args.exit_status,
    })
}

fn read(path: &str) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {path}"))
}

/// The `$NAME`s of `--arg`, `--argjson`, `--slurpfile` and `--rawfile`, in that order: as
/// `$ARGS.named` has them, and as the expression's variables (JSON text).
type Named = (
    serde_json::Map<String, serde_json::Value>,
    Vec<(String, String)>,
);

fn named_vars(args: &cli::FilterArgs) -> Result<Named> {
    let pairs = |list: &[String]| -> Vec<(String, String)> {
        let pair = |p: &[String]| (p[0].clone(), p[1].clone());
        list.chunks(2).map(pair).collect()
    };
    let mut values = Vec::new();
    for (name, value) in pairs(&args.arg) {
        values.push((name, serde_json::Value::String(value)));
    }
    for (name, text) in pairs(&args.argjson) {
        let value = serde_json::from_str(&text)
            .map_err(|e| UsageError(format!("--argjson {name}: not JSON: {e}")))?;
        values.push((name, value));
    }
    for (name, path) in pairs(&args.slurpfile) {
        let text = crate::filter::into_utf8(read(&path)?);
        let all: Result<Vec<serde_json::Value>, _> = serde_json::Deserializer::from_slice(&text)
            .into_iter()
            .collect();
        let all = all.map_err(|e| UsageError(format!("--slurpfile {name}: {path}: {e}")))?;
        values.push((name, serde_json::Value::Array(all)));
    }
    for (name, path) in pairs(&args.rawfile) {
        let text = String::from_utf8_lossy(&read(&path)?).into_owned();
        values.push((name, serde_json::Value::String(text)));
    }
    let vars = values
        .iter()
        .map(|(n, v)| (n.clone(), v.to_string()))
        .collect();
    Ok((values.into_iter().collect(), vars))
}

/// `$ARGS.positional`: the arguments as strings (`--args`) or JSON values (`--jsonargs`).
fn positional_args(arguments: Vec<String>, json: bool) -> Result<Vec<serde_json::Value>> {
    let value = |arg: String| match json {
        true => serde_json::from_str(&arg)
            .map_err(|e| UsageError(format!("--jsonargs {arg}: not JSON: {e}")).into()),
        false => Ok(serde_json::Value::String(arg)),
    };
    arguments.into_iter().map(value).collect()
}

fn events(options: EventOptions, config: &Config) -> Result<Events> {
    warn_unknown_only(&options.only);
    let publish = match &options.publish {
        Some(url) => {
            let fallback = settings::nats_auth(config).map(|(auth, _)| auth);
            let (server, subject) = crate::nats::Server::parse(url, "--publish", fallback)?;
            Some(crate::publish::Target {
                server,
                subject: crate::nats::Subject::parse(&subject)?,
                stream: options.publish_stream.clone(),
            })
        }
        None => None,
    };
    Ok(Events {
        publish,
        selection: Selection::new(&options.only, options.filter.as_deref())?,
        record: options.record,
        lag: None,
        mask: options.mask,
        stop: Stop {
            count: options.count,
            timeout: options.timeout.map(|d| d.0),
        },
    })
}

fn tail_nats(args: cli::TailArgs, config: &Config) -> Result<TailNats> {
    use crate::source::nats::Start;
    let cytracom_only = [
        ("--token", args.token.is_some()),
        ("--resume", args.resume.is_some()),
        ("--last-event-id", args.last_event_id.is_some()),
        ("--queue-ids", args.queue_ids.is_some()),
        ("--publish", args.events.publish.is_some()),
    ];
    if let Some((flag, _)) = cytracom_only.iter().find(|(_, given)| *given) {
        let why = "tail nats reads what is stored in JetStream (its credentials go in the URL, TELEV_NATS_*, or [nats] in the config file)";
        return Err(UsageError(format!("{flag} does not go with nats: {why}")).into());
    }
    let Some(url) = &args.url else {
        return Err(UsageError("tail nats needs --url nats://HOST:PORT".into()).into());
    };
    let (server, path) = crate::nats::Server::parse(
        url,
        "--url",
        settings::nats_auth(config).map(|(auth, _)| auth),
    )?;
    if !path.is_empty() {
        return Err(UsageError(
            "tail nats takes its subject from --subject, not the URL's path".into(),
        )
        .into());
    }
    let subject = args.subject.trim().to_owned();
    let valid = !subject.is_empty()
        && subject
            .split('.')
            .all(|t| !t.is_empty() && !t.contains(char::is_whitespace));
    if !valid {
        return Err(UsageError(format!(
            "--subject `{subject}` is not a subject (tokens joined by `.`)"
        ))
        .into());
    }
    let start = match (args.from_start, args.since) {
        (true, _) => Start::First,
        (false, Some(since)) => Start::Since(since),
        (false, None) => Start::New,
    };
    Ok(TailNats {
        durable: args
            .durable
            .unwrap_or_else(|| crate::nats::durable_for(&subject)),
        server,
        subject,
        start,
        events: events(args.events, config)?,
    })
}

fn tail(args: cli::TailArgs, config: &Config) -> Result<Tail> {
    let stream = args.stream;
    let (demo, base, token) = match args.provider {
        TailSource::Demo => (Some(args.rate), String::new(), None),
        TailSource::Cytracom | TailSource::Nats => {
            let section = config.provider("cytracom");
            let base = args
                .url
                .clone()
                .or_else(|| section.and_then(|s| s.url.clone()))
                .unwrap_or_else(|| CYTRACOM_BASE.to_owned());
            reqwest::Url::parse(&base)
                .map_err(|e| UsageError(format!("--url is not a URL: {e}")))?;
            let flag = ("--token", args.token.as_deref());
            let token = settings::token(config, "cytracom", flag, CYTRACOM_TOKEN_ENV)?;
            if token.is_none() && args.url.is_none() {
                let hint = token_hint(config);
                return Err(UsageError(format!("cytracom needs an API token: {hint}")).into());
            }
            (None, base, token)
        }
    };
    let query = match stream {
        Stream::Queue => queue_query(args.queue_ids.as_deref(), &args.events.only),
        _ => Vec::new(),
    };
    let auth_hint = match (&token, demo) {
        (_, Some(_)) => "the demo's own token was refused".to_owned(),
        (Some(Credential { origin, .. }), None) => {
            format!("it came from {origin}; {}", token_hint(config))
        }
        (None, None) => token_hint(config),
    };
    let label = match args.provider {
        TailSource::Demo => format!("demo {stream}"),
        TailSource::Cytracom | TailSource::Nats => format!("cytracom {stream}"),
    };
    let connection = SseSource {
        url: format!("{}/events/sse/{stream}", base.trim_end_matches('/')),
        token: token.map(|c| c.secret),
        method: args.method.map(|m| match m {
            MethodArg::Get => Method::GET,
            MethodArg::Post => Method::POST,
        }),
        query,
        idle_timeout: args.idle_timeout.0,
        max_event: args.max_event,
        max_retries: args.max_retries,
        auth_hint,
        resume: match (&args.last_event_id, &args.resume) {
            (Some(id), _) => Some(Resume {
                id: id.clone(),
                fingerprint: None,
            }),
            (None, Some(capture)) => resume_from(capture)?,
            (None, None) => None,
        },
    };
    Ok(Tail {
        demo,
        connection,
        stream,
        label,
        events: events(args.events, config)?,
    })
}

/// The queue stream's own filters, which its server applies: `queue_ids`, and the event names
/// of `--only` as `only_events`.
fn queue_query(queue_ids: Option<&str>, only: &[String]) -> Vec<(String, String)> {
    let mut query = Vec::new();
    if let Some(ids) = queue_ids {
        query.push(("queue_ids".to_owned(), ids.to_owned()));
    }
    let only = crate::select::Only::new(only);
    if !only.is_empty() {
        query.push(("only_events".to_owned(), only.names().join(",")));
    }
    query
}

/// Where `--resume CAPTURE` starts: after the last event the capture holds, when it holds one
/// from a stream.
fn resume_from(capture: &std::path::Path) -> Result<Option<Resume>> {
    let shown = capture.display();
    let Some(last) = crate::capture::last_event(capture)? else {
        crate::messages::status(&format!(
            "no events in {shown} yet: starting from the present"
        ));
        return Ok(None);
    };
    let crate::envelope::Wire::Sse(wire) = &last.wire else {
        let why = format!("the last event in {shown} came from a webhook, not a stream");
        return Err(UsageError(why).into());
    };
    let Some(id) = wire.id.clone() else {
        let why = format!("the last event in {shown} has no id to resume after");
        return Err(UsageError(why).into());
    };
    crate::messages::verbose(format_args!("resuming after event {id} of {shown}"));
    let fingerprint = Some(crate::source::sse::fingerprint(wire));
    Ok(Some(Resume { id, fingerprint }))
}

fn token_hint(config: &Config) -> String {
    let file = config
        .path
        .as_ref()
        .map_or("~/.config/telev/config.toml".to_owned(), |p| {
            p.display().to_string()
        });
    format!("pass --token, set {CYTRACOM_TOKEN_ENV}, or set `token` under [cytracom] in {file}")
}

fn listen(args: cli::ListenArgs, config: &Config) -> Result<Listen> {
    let inbound = settings::inbound(config, args.basic_auth.as_deref(), args.bearer.as_deref())?;
    let auth = match inbound {
        Some(Inbound::Basic(Credential { secret, origin })) => {
            let pair = secret.expose();
            match pair.split_once(':') {
                Some((user, pass)) if !user.is_empty() && !pass.is_empty() => {}
                _ => {
                    let why = format!("Basic auth ({origin}) takes USER:PASS, neither empty");
                    return Err(UsageError(why).into());
                }
            }
            Some(InboundAuth::basic(pair))
        }
        Some(Inbound::Bearer(Credential { secret, origin })) => {
            if secret.expose().trim().is_empty() {
                let why = format!("the bearer token ({origin}) is empty: it would admit anyone");
                return Err(UsageError(why).into());
            }
            Some(InboundAuth::bearer(secret.expose()))
        }
        None => None,
    };
    let forward_to = args
        .forward_to
        .as_deref()
        .map(|url| target(url, "--forward-to"))
        .transpose()?;
    Ok(Listen {
        address: SocketAddr::new(args.bind, args.port),
        receiver: ReceiverOptions {
            provider: args.provider,
            path: args.path,
            auth,
            verification_token: args.verification_token.map(Secret::new),
            max_body: args.max_body,
            body_budget: args.max_body_memory.max(args.max_body),
            max_connections: args.max_connections.max(1),
            hosts: args.hosts,
            allow_origins: args.allow_origins,
            keep_secrets: args.keep_secrets,
        },
        forward_to,
        dedup: args.dedup,
        events: Events {
            lag: Some(LISTEN_LAG),
            ..events(args.events, config)?
        },
    })
}

/// How many events a listener's screen may fall behind before it leaves some unshown: enough
/// for a burst, small enough that a paused terminal holds a few megabytes at most.
const LISTEN_LAG: usize = 4096;

/// `-o board`: for a command whose events arrive over time, on a terminal it can take.
fn board(command: &Command, settings: &Settings) -> Result<(), UsageError> {
    use std::io::IsTerminal;
    let live = match command {
        Command::Tail(_) | Command::Listen(_) => true,
        Command::Replay(args) => args.serve.is_none() && !args.calls,
        _ => false,
    };
    if !live {
        let text =
            "-o board is for events as they come: tail, listen and replay (not --serve or --calls)";
        return Err(UsageError(text.into()));
    }
    let not_terminal = match (settings.stdout_is_terminal, std::io::stdin().is_terminal()) {
        (false, _) => Some("stdout"),
        (true, false) => Some("stdin (its keys)"),
        (true, true) => None,
    };
    match not_terminal {
        Some(what) => Err(UsageError(format!(
            "-o board draws on a terminal, and {what} is not one: use -o pretty, or -o ndjson for a pipe"
        ))),
        None => Ok(()),
    }
}

/// Captures as `calls`, `check` and `mask` read them: whole, merged by the time each event
/// arrived.
fn captures(options: cli::CaptureOptions) -> Files {
    Files {
        paths: options.files,
        provider: options.provider,
        skip_invalid: options.skip_invalid,
        clock: crate::pace::Clock::Received,
        since: options.since,
        until: options.until,
        states: true,
    }
}

fn replay(args: cli::ReplayArgs, settings: &Settings, config: &Config) -> Result<Plan> {
    let action = if let Some(address) = args.serve {
        ReplayAction::Serve(Serving {
            address,
            token: args.token.map(Secret::new),
            repeat: args.repeat,
            heartbeat: args.heartbeat.0,
        })
    } else if let Some(url) = &args.to {
        ReplayAction::Deliver {
            target: target(url, "--to")?,
            concurrency: args.concurrency.max(1),
            retries: args.retries,
        }
    } else {
        ReplayAction::Print
    };
    let events = events(args.events, config)?;
    let printing = matches!(action, ReplayAction::Print | ReplayAction::Deliver { .. });
    if !printing || args.calls {
        let unused = [
            ("--record", events.record.is_some()),
            ("--count", events.stop.count.is_some()),
            ("--mask", events.mask && !args.calls),
            ("--publish", events.publish.is_some()),
        ];
        if let Some((flag, _)) = unused.iter().find(|(_, given)| *given) {
            let mode = if args.calls { "--calls" } else { "--serve" };
            return Err(UsageError(format!("{flag} does not go with {mode}")).into());
        }
    }
    let input = Files {
        paths: args.files,
        provider: args.provider,
        skip_invalid: args.skip_invalid,
        clock: args.clock,
        since: args.since,
        until: args.until,
        states: args.calls || settings.shows_notes(),
    };
    if args.calls {
        // `telev calls`, as it was before it had a command of its own.
        return Ok(Plan::Calls(Calls {
            input,
            selection: events.selection,
            call: None,
            mask: events.mask,
        }));
    }
    Ok(Plan::Replay(Replay {
        input,
        speed: args.speed,
        max_gap: args.max_gap.map(|d| d.0),
        action,
        events,
    }))
}

/// A URL events are sent to: `--forward-to`, `--to`.
fn target(text: &str, flag: &str) -> Result<Url, UsageError> {
    let url =
        Url::parse(text).map_err(|e| UsageError(format!("{flag} `{text}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UsageError(format!(
            "{flag} needs an http:// or https:// URL"
        )));
    }
    Ok(url)
}
