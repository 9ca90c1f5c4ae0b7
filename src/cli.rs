//! The command line, as clap sees it. `settings` turns it into decisions once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::duration::Duration;
use crate::envelope::{Provider, Stream};
use crate::pace::Clock;

#[derive(Debug, Parser)]
#[command(
    name = "telev",
    version,
    about = "Tail, receive, replay and filter telephony call events",
    long_about = "telev tails a provider's live call events, receives pushed webhooks, replays \
                  captured events into your app, and filters everything with jq expressions.\n\n\
                  Every event becomes one JSON envelope (provider, stream, type, kind, time, \
                  received, call_id, direction, from, to, raw, wire).",
    after_help = "Try `telev tail demo` to watch simulated calls without an account.",
    after_long_help = TOP_EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after the command name.
#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Output format [default: pretty on a terminal, ndjson otherwise]
    #[arg(
        help_heading = "Output",
        short,
        long,
        value_enum,
        global = true,
        value_name = "FORMAT"
    )]
    pub output: Option<OutputArg>,
    /// When to use colors (an explicit `always` wins over NO_COLOR)
    #[arg(help_heading = "Output", long, value_enum, global = true, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
    /// More detail on stderr (repeat for more)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Show times in UTC rather than the local zone
    #[arg(help_heading = "Output", long, global = true)]
    pub utc: bool,
    /// How times are shown [default: the time of day, with the date when not today]
    #[arg(
        help_heading = "Output",
        long,
        value_enum,
        global = true,
        value_name = "FORMAT"
    )]
    pub time_format: Option<crate::print::TimeFormat>,
    /// Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]
    #[arg(long, global = true, value_name = "FILE", env = "TELEV_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    /// One colored line per event
    Pretty,
    /// Aligned columns under a header
    Table,
    /// One JSON envelope per line
    Ndjson,
    /// The provider's payload only, one JSON per line
    Raw,
    /// A live call board on the terminal (tail, listen, replay): calls in progress, the latest
    /// ended, counters; q quits, / filters, Enter opens a call's timeline, p pauses the view
    Board,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorArg {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Connect to a streaming provider and print events as they arrive
    #[command(after_long_help = TAIL_EXAMPLES)]
    Tail(TailArgs),
    /// Run a local webhook receiver and print each delivered event
    #[command(after_long_help = LISTEN_EXAMPLES)]
    Listen(ListenArgs),
    /// Re-emit captured events: print, deliver to a webhook, or serve as SSE
    #[command(after_long_help = REPLAY_EXAMPLES)]
    Replay(ReplayArgs),
    /// Run a jq expression over NDJSON, like `jq -c`
    #[command(after_long_help = FILTER_EXAMPLES)]
    Filter(FilterArgs),
    /// Calls in captures: one row per call, or one call's story (--call)
    #[command(after_long_help = CALLS_EXAMPLES)]
    Calls(CallsArgs),
    /// Replace phone numbers, names and e-mail addresses in captures with stable stand-ins, to
    /// share them
    #[command(after_long_help = MASK_EXAMPLES)]
    Mask(MaskArgs),
    /// Check captures for calls whose events cannot be right: no end, steps after the end,
    /// times that go backwards, duplicates, events missed across a reconnect
    #[command(after_long_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Show the config file's path and which settings are in force, and where each came from
    /// (tokens only as set or unset)
    Config,
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish)
    #[command(
        after_long_help = "Examples:\n  telev completions bash > ~/.local/share/bash-completion/completions/telev\n  telev completions zsh > \"${fpath[1]}/_telev\"\n  telev completions fish > ~/.config/fish/completions/telev.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page: telev's, or a command's (telev man tail)
    #[command(after_long_help = "Example:\n  telev man tail | man -l -")]
    Man {
        /// tail, listen, replay, filter, calls, check, mask [default: telev itself]
        command: Option<String>,
    },
}

const TOP_EXAMPLES: &str = "Examples:
  telev tail demo                                 watch simulated calls, no account needed
  telev tail cytracom --only dial_end             live channel events, only dial_end
  telev listen --record hooks.ndjson              receive webhooks from any provider, keep them
  telev replay hooks.ndjson --to http://127.0.0.1:3000/hooks --speed 10
  telev filter --only call.missed '{provider, from, time}' hooks.ndjson   calls nobody answered

Environment:
  TELEV_CYTRACOM_TOKEN, TELEV_LISTEN_BEARER, TELEV_LISTEN_BASIC_AUTH, TELEV_NATS_TOKEN,
  TELEV_NATS_USER, TELEV_NATS_PASSWORD, TELEV_CONFIG, TELEV_THREADS, NO_COLOR: see each
  command's --help.";

const TAIL_EXAMPLES: &str = concat!(
    "Examples:
  telev tail demo                                 no account needed: a loopback simulator
  telev tail demo queue --rate 20                 queue events, 20 a second
  telev tail cytracom --only dial_end             only dial_end events
  telev tail cytracom --record today.ndjson       keep a capture while you watch
  telev tail cytracom --record today.ndjson --resume today.ndjson   carry on after a crash
  telev tail cytracom | jq .call_id               piped: NDJSON envelopes
  telev tail demo -o board                        a live call board (q quits)
  telev tail nats --url nats://127.0.0.1:4222 --subject 'telev.>'   what listen --publish stored

",
    "Environment:
  TELEV_CYTRACOM_TOKEN     Cytracom's API token (or --token, or `token` in the config file)
  TELEV_NATS_TOKEN         the NATS server's token (or in the URL, or [nats] in the config)
  TELEV_NATS_USER, TELEV_NATS_PASSWORD   a user and password instead of the token
  TELEV_CONFIG             the config file [default: $XDG_CONFIG_HOME/telev/config.toml]
  NO_COLOR                 no colors (an explicit --color always still wins)"
);

const LISTEN_EXAMPLES: &str = "Examples:
  telev listen                                    any provider, on http://127.0.0.1:8080/
  telev listen telphin --record telphin.ndjson    Telphin's webhooks, kept in a capture
  telev listen --forward-to http://127.0.0.1:3000/hooks   relay each request to your app
  telev listen --host NAME.trycloudflare.com      behind a tunnel that sends its own name
  telev listen --publish nats://127.0.0.1:4222    stored in NATS JetStream before each 2xx

Environment:
  TELEV_LISTEN_BEARER      the bearer token senders must present (or --bearer)
  TELEV_LISTEN_BASIC_AUTH  USER:PASS senders must present (or --basic-auth)
  TELEV_NATS_TOKEN         the NATS server's token (or in the URL, or [nats] in the config)
  TELEV_NATS_USER, TELEV_NATS_PASSWORD   a user and password instead of the token
  TELEV_CONFIG             the config file, whose [listen] section may hold either
  NO_COLOR                 no colors (an explicit --color always still wins)";

const REPLAY_EXAMPLES: &str = "Examples:
  telev replay today.ndjson                       print, paced as received
  telev replay today.ndjson --speed 10            ten times faster (or --speed max)
  telev replay today.ndjson --to http://127.0.0.1:3000/hooks --speed max
  telev replay today.ndjson --serve 127.0.0.1:9000   then: telev tail cytracom --url http://127.0.0.1:9000/v1.0
  telev replay today.ndjson --calls               one row per call
  telev replay payloads.jsonl --provider teltel   plain provider payloads, one per line

Environment:
  TELEV_NATS_TOKEN         the NATS server's token (or in the URL, or [nats] in the config)
  TELEV_NATS_USER, TELEV_NATS_PASSWORD   a user and password instead of the token
  NO_COLOR                 no colors (an explicit --color always still wins)";

const CALLS_EXAMPLES: &str = "Examples:
  telev calls today.ndjson                        one row per call
  telev calls today.ndjson --call 1548320221      one call's events, legs and durations (an id or its start)
  telev calls a.ndjson b.ndjson -o ndjson         two listeners' captures merged by time, as JSON

Environment:
  NO_COLOR                 no colors (an explicit --color always still wins)";

pub const CHECK_EXAMPLES: &str = "Examples:
  telev check today.ndjson                        one line per finding, then a summary
  telev check captures/*.ndjson -o ndjson         findings as JSON, for scripts
  telev check today.ndjson --ignore open          a capture stopped mid-call is fine

Exits 1 when anything is found, so it can run in CI against an integration's captures.

Rules:
  no-start            a call with no start or ringing event
  no-end              a call that never ended, though the capture goes on past --open-for
  open                a call still open at the end of the capture
  after-end           a ring, an answer or another step after the call (a Cytracom phone) ended
  backwards           a provider time earlier than one of the same call before it
  duplicate           the same event twice (a provider's retry)
  answer-before-ring  an answer that came before the call's ringing
  talk-unanswered     a call (a Cytracom phone) answered whose end says nobody answered
  id-gap              SSE event ids that skip: events missed across a reconnect

A call's start and end, per provider (kinds: telev man telev); where a provider reports each
party's part apart (legs), after-end and talk-unanswered are judged per leg, and a leg rung
again after its end is a new attempt:
  cytracom     start chan.dial_begin, queue.caller_join; end chan.hangup,
               queue.caller_abandon, queue.member_complete; legs: the phones rung
  telphin      start dial-in, dial-out; end hangup
  callcenter   start call:start, call:ring, queue:join; end call:end; legs: each `id`
  teltel       start START, RING; end COMPLETED
  ringcentral  start Setup, Proceeding; end Disconnected, Gone; legs: the parties";

const MASK_EXAMPLES: &str = "Examples:
  telev mask today.ndjson > shared.ndjson         a capture to attach to a ticket
  telev mask a.ndjson b.ndjson.gz > shared.ndjson   merged by time; a number gets one stand-in
  telev tail demo --mask                          stand-ins on screen too (tail, listen, replay, calls)

Masked: `from` and `to`; in `raw` and `wire` (headers, query, body, re-encoded as they came),
every value of a field whose name says it holds a number (…number, …num, …phone, …did,
…extension, caller, dst, …) or a person's name (…name), every run of six or more digits that
is one of the event's numbers, and every e-mail address. A stand-in number keeps its length,
punctuation and (from eight digits) country code. Stand-ins are stable within one run, drawn
from a key of the run's own, so they cannot be reversed by trying every number: mask all the
files you share together in one run. Call ids, times, kinds and everything else are kept, so a
masked capture replays, groups into the same calls and passes `telev check` the same way.";

const FILTER_EXAMPLES: &str = "Examples:
  telev filter 'select(.kind == \"call.missed\") | {provider, call_id, from, to}' calls.ndjson
  telev filter --only call.answered calls.ndjson -o table
  cat calls.ndjson | telev filter .from

A file of 1 MiB or more runs on every core, printed in the file's order. A line that is not
JSON, or nests arrays and objects more than 256 deep (jq's limit), is reported by file and
line; the lines before it are printed, and the exit code is 1.

Environment:
  TELEV_THREADS            how many workers on a large file (1: none)
  NO_COLOR                 no colors (an explicit --color always still wins)";

/// What every command that handles events shares: which to show, where to record them, and
/// when to stop.
#[derive(Debug, Args, Clone, Default)]
pub struct EventOptions {
    /// Keep events whose type, type suffix or kind matches (comma-separated, repeatable)
    #[arg(help_heading = "Selection", long, value_name = "TYPES", action = clap::ArgAction::Append)]
    pub only: Vec<String>,
    /// jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print
    #[arg(help_heading = "Selection", long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Append every received event's envelope to FILE (before --only/--filter)
    #[arg(help_heading = "Recording", long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Publish every received envelope to NATS JetStream: nats://[USER:PASS@]HOST:PORT/SUBJECT
    /// (SUBJECT may hold {provider}, {kind}, {call_id}; default telev.{provider}.{kind})
    #[arg(help_heading = "Recording", long, value_name = "URL")]
    pub publish: Option<String>,
    /// The JetStream stream to create when none holds --publish's subjects
    #[arg(
        help_heading = "Recording",
        long,
        value_name = "NAME",
        default_value = "TELEV",
        requires = "publish"
    )]
    pub publish_stream: String,
    /// Show phone numbers, names and e-mail addresses as stable stand-ins, in the envelope,
    /// `raw` and `wire` (what --record keeps is what arrived; `telev mask` masks a capture)
    #[arg(help_heading = "Output", long)]
    pub mask: bool,
    /// Stop after N printed events
    #[arg(help_heading = "Selection", long, value_name = "N")]
    pub count: Option<u64>,
    /// Stop after this long (2s, 500ms, 1m30s)
    #[arg(help_heading = "Selection", long, value_name = "DURATION")]
    pub timeout: Option<Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TailSource {
    /// Cytracom's SSE event streams
    Cytracom,
    /// A built-in loopback simulator of realistic Cytracom calls
    Demo,
    /// Envelopes from a NATS JetStream stream (what `--publish` stored), as a durable consumer
    Nats,
}

/// The providers telev speaks, as the command line names them.
impl ValueEnum for Provider {
    fn value_variants<'a>() -> &'a [Self] {
        Provider::KNOWN
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.id()).help(self.describe()))
    }
}

/// Cytracom's streams, as `tail` names them.
impl ValueEnum for Stream {
    fn value_variants<'a>() -> &'a [Self] {
        &Stream::SSE
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = self.describe();
        let help = help[..1].to_uppercase() + &help[1..];
        Some(clap::builder::PossibleValue::new(self.as_str()).help(help))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    Get,
    Post,
}

#[derive(Debug, Args)]
pub struct TailArgs {
    /// Provider to connect to
    #[arg(value_enum)]
    pub provider: TailSource,
    /// Event stream
    #[arg(value_enum, default_value_t = Stream::Chan)]
    pub stream: Stream,
    #[command(flatten)]
    pub events: EventOptions,
    /// Base URL instead of the provider's (a mock, a proxy); for nats, nats://HOST:PORT
    #[arg(help_heading = "Connection", long, value_name = "BASE")]
    pub url: Option<String>,
    /// API token [env: TELEV_CYTRACOM_TOKEN; or `token` in the config file]
    #[arg(
        help_heading = "Connection",
        long,
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// HTTP method [default: GET, switching to POST on 405]
    #[arg(help_heading = "Connection", long, value_enum, value_name = "METHOD")]
    pub method: Option<MethodArg>,
    /// Queue ids for the queue stream (comma-separated), passed to the server as queue_ids
    #[arg(help_heading = "Connection", long, value_name = "IDS")]
    pub queue_ids: Option<String>,
    /// Reconnect when no byte arrives for this long
    #[arg(
        help_heading = "Connection",
        long,
        value_name = "DURATION",
        default_value = "60s"
    )]
    pub idle_timeout: Duration,
    /// Largest event taken (bytes, or with a KiB/MiB suffix); a larger one ends the run
    #[arg(help_heading = "Connection", long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_event_size)]
    pub max_event: usize,
    /// Start after this event id (sent as Last-Event-ID)
    #[arg(
        help_heading = "Connection",
        long,
        value_name = "ID",
        conflicts_with = "resume"
    )]
    pub last_event_id: Option<String>,
    /// Start after the last event recorded in CAPTURE (pairs with --record CAPTURE; a capture
    /// not there yet starts from the present)
    #[arg(help_heading = "Connection", long, value_name = "CAPTURE")]
    pub resume: Option<PathBuf>,
    /// Give up after N failed reconnects in a row [default: never]
    #[arg(help_heading = "Connection", long, value_name = "N")]
    pub max_retries: Option<u32>,
    /// nats: the subject to read (wildcards allowed)
    #[arg(
        help_heading = "NATS",
        long,
        value_name = "SUBJECT",
        default_value = "telev.>"
    )]
    pub subject: String,
    /// nats: the durable consumer, which remembers where a run stopped [default: telev-SUBJECT]
    #[arg(help_heading = "NATS", long, value_name = "NAME")]
    pub durable: Option<String>,
    /// nats: a new durable starts at the stream's first message (default: at new ones)
    #[arg(help_heading = "NATS", long, conflicts_with = "since")]
    pub from_start: bool,
    /// nats: a new durable starts at the first message stored at or after TIME (RFC 3339)
    #[arg(help_heading = "NATS", long, value_name = "TIME")]
    pub since: Option<jiff::Timestamp>,
    /// Demo only: events per second
    #[arg(help_heading = "Pacing", long, value_name = "N", default_value_t = 4.0, value_parser = parse_rate,
          allow_negative_numbers = true)]
    pub rate: f64,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Provider whose webhooks to expect [default: recognise each request]
    #[arg(value_enum)]
    pub provider: Option<Provider>,
    /// Port to listen on (0 picks a free one)
    #[arg(help_heading = "Connection", long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind
    #[arg(
        help_heading = "Connection",
        long,
        default_value = "127.0.0.1",
        value_name = "ADDR"
    )]
    pub bind: std::net::IpAddr,
    /// Accept requests only under this path
    #[arg(help_heading = "Connection", long, value_name = "PATH")]
    pub path: Option<String>,
    /// Relay each request unchanged to your app and answer with its response
    #[arg(help_heading = "Delivery", long, value_name = "URL")]
    pub forward_to: Option<String>,
    #[command(flatten)]
    pub events: EventOptions,
    /// RingCentral: reject notifications whose Verification-Token differs
    #[arg(
        help_heading = "Connection",
        long,
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub verification_token: Option<String>,
    /// Require HTTP Basic auth from senders
    #[arg(
        help_heading = "Connection",
        long,
        value_name = "USER:PASS",
        conflicts_with = "bearer"
    )]
    pub basic_auth: Option<String>,
    /// Require `Authorization: Bearer TOKEN` from senders
    #[arg(help_heading = "Connection", long, value_name = "TOKEN")]
    pub bearer: Option<String>,
    /// Largest accepted body (bytes, or with a KiB/MiB suffix)
    #[arg(help_heading = "Connection", long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_body: usize,
    /// Request bodies held in memory at once, all requests together; beyond it new ones get
    /// 503 with Retry-After
    #[arg(help_heading = "Connection", long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub max_body_memory: usize,
    /// Connections open at once; more wait their turn
    #[arg(
        help_heading = "Connection",
        long,
        value_name = "N",
        default_value_t = 256
    )]
    pub max_connections: usize,
    /// A name senders reach the listener by (a tunnel's: abc.trycloudflare.com); a request
    /// for another name than these and localhost gets 421 (repeatable)
    #[arg(help_heading = "Connection", long = "host", value_name = "NAME", action = clap::ArgAction::Append)]
    pub hosts: Vec<String>,
    /// Leave a provider's repeats of an event out of the output and the forwards (they are
    /// recorded, answered, and counted all the same)
    #[arg(help_heading = "Recording", long)]
    pub dedup: bool,
    /// Record and show Authorization, Proxy-Authorization and Cookie headers as they came
    /// (the default writes `[redacted]`; the credential telev checks is never kept)
    #[arg(help_heading = "Recording", long)]
    pub keep_secrets: bool,
    /// Accept requests a web page on this origin sends (https://app.example); others that
    /// carry an Origin get 403 (repeatable)
    #[arg(help_heading = "Connection", long = "allow-origin", value_name = "ORIGIN", action = clap::ArgAction::Append)]
    pub allow_origins: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Capture files or provider payload files (`-` for stdin; `.gz` is read transparently)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Pace: a factor (10 = ten times faster) or `max`
    #[arg(
        help_heading = "Pacing",
        long,
        value_name = "FACTOR",
        default_value = "1"
    )]
    pub speed: crate::pace::Speed,
    /// Deliver each event to this webhook URL in its provider's native format
    #[arg(help_heading = "Delivery", long, value_name = "URL", conflicts_with_all = ["serve", "calls"])]
    pub to: Option<String>,
    /// Serve the capture as Cytracom-shaped SSE at ADDR (host:port)
    #[arg(
        help_heading = "Delivery",
        long,
        value_name = "ADDR",
        conflicts_with = "calls"
    )]
    pub serve: Option<String>,
    #[command(flatten)]
    pub events: EventOptions,
    /// Whose payloads plain payload files hold
    #[arg(long, value_enum)]
    pub provider: Option<Provider>,
    /// Report and skip invalid lines instead of stopping
    #[arg(long)]
    pub skip_invalid: bool,
    /// Which time paces the replay
    #[arg(help_heading = "Pacing", long, value_enum, default_value_t = Clock::Received)]
    pub clock: Clock,
    /// Shorten idle stretches longer than this
    #[arg(help_heading = "Pacing", long, value_name = "DURATION")]
    pub max_gap: Option<Duration>,
    /// Only events at or after this time (RFC 3339)
    #[arg(help_heading = "Selection", long, value_name = "TIME")]
    pub since: Option<jiff::Timestamp>,
    /// Only events before this time (RFC 3339)
    #[arg(help_heading = "Selection", long, value_name = "TIME")]
    pub until: Option<jiff::Timestamp>,
    /// Deliveries in flight at once with --to
    #[arg(help_heading = "Delivery", long, value_name = "N", default_value_t = 1)]
    pub concurrency: usize,
    /// Retries per delivery on connection errors and 5xx
    #[arg(help_heading = "Delivery", long, value_name = "N", default_value_t = 2)]
    pub retries: u32,
    /// With --serve: require HTTP Basic auth with this token (user `token`)
    #[arg(help_heading = "Connection", long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// With --serve: start over at the end (without it, a stream stays open with heartbeats)
    #[arg(help_heading = "Delivery", long = "loop")]
    pub repeat: bool,
    /// With --serve: how often an open stream past the capture's end gets a heartbeat comment
    #[arg(
        help_heading = "Delivery",
        long,
        value_name = "DURATION",
        default_value = "15s"
    )]
    pub heartbeat: Duration,
    /// Print one row per call instead of the events
    #[arg(long)]
    pub calls: bool,
}

/// Captures read whole, as `calls`, `check` and `mask` read them: merged by the time each
/// event was received.
#[derive(Debug, Args)]
pub struct CaptureOptions {
    /// Capture files or provider payload files (`-` for stdin; `.gz` is read transparently);
    /// several are merged by the time each event was received
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Whose payloads plain payload files hold
    #[arg(long, value_enum)]
    pub provider: Option<Provider>,
    /// Report and skip invalid lines instead of stopping
    #[arg(long)]
    pub skip_invalid: bool,
    /// Only events received at or after this time (RFC 3339)
    #[arg(help_heading = "Selection", long, value_name = "TIME")]
    pub since: Option<jiff::Timestamp>,
    /// Only events received before this time (RFC 3339)
    #[arg(help_heading = "Selection", long, value_name = "TIME")]
    pub until: Option<jiff::Timestamp>,
}

#[derive(Debug, Args)]
pub struct CallsArgs {
    #[command(flatten)]
    pub capture: CaptureOptions,
    /// One call's story: its events in order with offsets, each leg's changes, ring, talk and
    /// hold times (a call id, or enough of its start to name one call)
    #[arg(long, value_name = "ID")]
    pub call: Option<String>,
    /// Keep events whose type, type suffix or kind matches (comma-separated, repeatable)
    #[arg(help_heading = "Selection", long, value_name = "TYPES", action = clap::ArgAction::Append)]
    pub only: Vec<String>,
    /// Show phone numbers, names and e-mail addresses as stable stand-ins
    #[arg(help_heading = "Output", long)]
    pub mask: bool,
}

#[derive(Debug, Args)]
pub struct MaskArgs {
    #[command(flatten)]
    pub capture: CaptureOptions,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub capture: CaptureOptions,
    /// Rules not to report (comma-separated, repeatable)
    #[arg(long, value_name = "RULE", value_enum, value_delimiter = ',', action = clap::ArgAction::Append)]
    pub ignore: Vec<crate::calls::check::Rule>,
    /// How long a call may go quiet before the capture's end and still count as open rather
    /// than as having lost its end
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub open_for: Duration,
}

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct FilterArgs {
    /// jq expression [default: `.`]
    #[arg(value_name = "EXPR")]
    pub expression: Option<String>,
    /// NDJSON files [default: stdin]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Keep values whose type, type suffix or kind matches (comma-separated, repeatable)
    #[arg(help_heading = "Selection", long, value_name = "TYPES", action = clap::ArgAction::Append)]
    pub only: Vec<String>,
    /// Bind $NAME to the string VALUE
    #[arg(help_heading = "Variables", long, num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
    pub arg: Vec<String>,
    /// Print strings without quotes
    #[arg(help_heading = "Output", short, long)]
    pub raw_output: bool,
    /// Compact output, as jq -c prints: the default (--indent or --tab pretty-print)
    #[arg(help_heading = "Output", short, long)]
    pub compact_output: bool,
    /// Run the expression once with `null` as input
    #[arg(help_heading = "Input", short, long)]
    pub null_input: bool,
    /// Read every input into one array and run the expression once on it
    #[arg(help_heading = "Input", short, long)]
    pub slurp: bool,
    /// Each line of input is a string (with -s: all of it, one string)
    #[arg(help_heading = "Input", short = 'R', long)]
    pub raw_input: bool,
    /// Exit 1 when the last output is false or null, 4 when there is none
    #[arg(help_heading = "Output", short, long)]
    pub exit_status: bool,
    /// Read the expression from FILE (every positional argument is then an input)
    #[arg(help_heading = "Input", short, long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// Look for `import`ed and `include`d modules (and `.json` data) in DIR (repeatable)
    #[arg(help_heading = "Input", short = 'L', value_name = "DIR", action = clap::ArgAction::Append)]
    pub library: Vec<PathBuf>,
    /// Bind $NAME to the JSON value TEXT
    #[arg(help_heading = "Variables", long, num_args = 2, value_names = ["NAME", "TEXT"], action = clap::ArgAction::Append)]
    pub argjson: Vec<String>,
    /// Bind $NAME to an array of the JSON values in FILE
    #[arg(help_heading = "Variables", long, num_args = 2, value_names = ["NAME", "FILE"], action = clap::ArgAction::Append)]
    pub slurpfile: Vec<String>,
    /// Bind $NAME to the text of FILE
    #[arg(help_heading = "Variables", long, num_args = 2, value_names = ["NAME", "FILE"], action = clap::ArgAction::Append)]
    pub rawfile: Vec<String>,
    /// The arguments after the expression are strings in $ARGS.positional, not files
    #[arg(help_heading = "Variables", long, conflicts_with = "jsonargs")]
    pub args: bool,
    /// The arguments after the expression are JSON values in $ARGS.positional, not files
    #[arg(help_heading = "Variables", long)]
    pub jsonargs: bool,
    /// Strings without quotes and no newline after each output
    #[arg(help_heading = "Output", short, long)]
    pub join_output: bool,
    /// Every character outside ASCII as a \uXXXX escape
    #[arg(help_heading = "Output", short, long)]
    pub ascii_output: bool,
    /// Object keys in order
    #[arg(help_heading = "Output", short = 'S', long)]
    pub sort_keys: bool,
    /// Pretty-print with N spaces a level (0: compact, the default; at most 7)
    #[arg(help_heading = "Output", long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=7))]
    pub indent: Option<u8>,
    /// Pretty-print with a tab a level
    #[arg(help_heading = "Output", long)]
    pub tab: bool,
    /// Each output after an ASCII record separator (RFC 7464)
    #[arg(help_heading = "Output", long)]
    pub seq: bool,
    /// Colors, as jq's -C (same as --color always)
    #[arg(
        help_heading = "Output",
        short = 'C',
        long,
        conflicts_with = "monochrome_output"
    )]
    pub color_output: bool,
    /// No colors, as jq's -M (same as --color never)
    #[arg(help_heading = "Output", short = 'M', long)]
    pub monochrome_output: bool,
}

/// Adds a tip to a usage error where the mistake has a likely meaning: a webhook provider
/// given to `tail` (its events arrive through `listen`), or the demo given to `listen`.
pub fn add_tips(err: &mut clap::Error) {
    use clap::error::{ContextKind, ContextValue};
    let (Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
        err.get(ContextKind::InvalidArg),
        err.get(ContextKind::InvalidValue),
    ) else {
        return;
    };
    let value = value.to_ascii_lowercase();
    let tip = match (arg.as_str(), Provider::from_id(&value)) {
        ("<PROVIDER>", Some(provider)) if provider != Provider::Cytracom => format!(
            "{value} pushes its events as webhooks: receive them with `telev listen {value}`"
        ),
        ("[PROVIDER]", None) if value == "demo" => {
            "the demo streams over SSE: watch it with `telev tail demo`".to_owned()
        }
        _ => return,
    };
    err.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![tip.into()]),
    );
}

/// The demo's events per second: above 0, and no more than a loopback stream carries.
fn parse_rate(text: &str) -> Result<f64, String> {
    const MAX: f64 = 1_000_000.0;
    match text.parse::<f64>() {
        Ok(rate) if rate > 0.0 && rate <= MAX => Ok(rate),
        _ => Err(format!(
            "`{text}` is not a rate (events per second, above 0 and at most {MAX})"
        )),
    }
}

/// A size that some event fits in: every SSE event has at least a line end.
fn parse_event_size(text: &str) -> Result<usize, String> {
    match parse_size(text)? {
        0 => Err("no event fits in 0 bytes".to_owned()),
        size => Ok(size),
    }
}

/// `1048576`, `512KiB`, `1MiB`, `2MB`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: usize = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size"))?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        _ => return Err(format!("unknown size unit `{unit}` (use KiB or MiB)")),
    };
    Ok(n.saturating_mul(scale))
}
