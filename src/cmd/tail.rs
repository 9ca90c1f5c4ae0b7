//! `telev tail`: a live SSE stream → pipeline, which decodes each event on its thread.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Result;
use jiff::Timestamp;
use reqwest::Method;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::cli::{MethodArg, TailArgs, TailSource};
use crate::config::{Config, Secret};
use crate::envelope::{SseWire, Stream};
use crate::error::UsageError;
use crate::pipeline::{self, Job, Pipeline};
use crate::provider;
use crate::settings::Settings;
use crate::source::sse::{Arrival, SseSource};
use crate::{demo, messages, serve};

pub const DEFAULT_BASE: &str = "https://api.cytracom.net/v1.0";
pub const TOKEN_ENV: &str = "TELEV_CYTRACOM_TOKEN";

pub async fn run(args: TailArgs, settings: &Settings, config: &Config) -> Result<ExitCode> {
    let plan = pipeline::plan(&args.selection, args.record.as_deref(), args.count)?;
    let stream = args.stream;
    let (source, _demo) = match args.provider {
        TailSource::Demo => demo_source(&args).await?,
        // Resolving the token may run `token_command`: keep that off the async workers.
        TailSource::Cytracom => (
            tokio::task::block_in_place(|| cytracom_source(&args, config))?,
            None,
        ),
    };
    let label = match args.provider {
        TailSource::Demo => format!("demo {stream}"),
        TailSource::Cytracom => format!("cytracom {stream}"),
    };

    let started = Instant::now();
    // Decoding runs on the printing thread: the connector's task has the network and the
    // SSE framing to keep up with, and the two halves then take about the same time.
    // Shared so the summary can count them; locked only for an event whose data is not JSON.
    let not_json = Arc::new(Mutex::new(messages::Repeating::new(
        "warnings about data that is not JSON",
    )));
    let decoding_not_json = not_json.clone();
    let pipeline = Pipeline::decoding(plan, settings, move |(wire, received)| {
        decode(stream, wire, received, &decoding_not_json)
    });
    let spinner = settings.progress.then(|| spinner(&label));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut hand_off = HandOff {
        jobs: pipeline.jobs.clone(),
        done: pipeline.done.clone(),
        handled: pipeline.handled.clone(),
        spinner: spinner.clone(),
        sent: 0,
        outages: Outages::default(),
    };
    // The connector and the hand-off share one task: one thread hop per event, not two.
    let mut connection = tokio::spawn(async move {
        let (arrivals, arriving) = mpsc::channel(1024);
        let result = tokio::select! {
            (result, ()) = async {
                tokio::join!(source.run(arrivals), hand_off.run(arriving))
            } => result,
            // Stopping early drops the connection mid-stream.
            _ = stopped => Ok(()),
        };
        (result, hand_off.outages)
    });
    let mut done = pipeline.done.clone();
    let timeout = args
        .timeout
        .map(|d| d.0)
        .unwrap_or(std::time::Duration::MAX);
    let ended = tokio::select! {
        ended = &mut connection => Some(ended),
        () = crate::stop::requested() => None,
        () = tokio::time::sleep(timeout) => None,
        _ = done.wait_for(|done| *done) => None,
    };
    let (result, outages) = match ended {
        Some(ended) => ended?,
        None => {
            let _ = stop.send(());
            connection.await?
        }
    };
    if let Some(spinner) = &spinner {
        spinner.finish_and_clear();
    }
    let tally = pipeline.finish().await?;
    let mut summary = tally.summary();
    let not_json = not_json.lock().expect("no panics while warning").count;
    let as_text = "not JSON, kept as text";
    messages::add_count(&mut summary, not_json, as_text, as_text);
    outages.tell(&mut summary);
    // A run that failed before any event has nothing to summarize; its error says it all.
    if tally.received > 0 || result.is_ok() {
        messages::status(&format!("{summary} in {:.1?}", started.elapsed()));
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

/// Between the connector and the pipeline: stamps each event with its arrival and passes it
/// on, and tells of a dropped connection once the events before it are printed.
struct HandOff {
    jobs: mpsc::Sender<Job<(SseWire, Timestamp)>>,
    done: watch::Receiver<bool>,
    handled: watch::Receiver<u64>,
    /// Until the first event.
    spinner: Option<indicatif::ProgressBar>,
    sent: u64,
    outages: Outages,
}

/// The connections that failed, for the summary.
#[derive(Default)]
struct Outages {
    /// Attempts that failed before any connection was up.
    retries: u32,
    /// Connections lost, and attempts that failed after one was up.
    reconnects: u32,
}

impl Outages {
    fn tell(&self, summary: &mut String) {
        messages::add_count(summary, self.retries, "retry", "retries");
        messages::add_count(summary, self.reconnects, "reconnect", "reconnects");
    }
}

impl HandOff {
    /// Returning drops `arriving`, which tells the connector to stop.
    async fn run(&mut self, mut arriving: mpsc::Receiver<Arrival>) {
        while let Some(arrival) = arriving.recv().await {
            match arrival {
                Arrival::Event(wire) => {
                    if let Some(spinner) = self.spinner.take() {
                        spinner.finish_and_clear();
                    }
                    let job = Job::new((wire, Timestamp::now()));
                    if self.jobs.send(job).await.is_err() {
                        return;
                    }
                    self.sent += 1;
                }
                Arrival::Dropped(outage) => {
                    if !self.caught_up().await {
                        return;
                    }
                    if outage.was_connected {
                        self.outages.reconnects += 1;
                    } else {
                        self.outages.retries += 1;
                    }
                    messages::warn(&outage.to_string());
                }
                Arrival::Reconnected => messages::status("reconnected"),
            }
        }
    }

    /// Waits until the pipeline has printed every event sent to it; false if it finished
    /// first (`--count` reached on the last of them), when there is nothing more to tell.
    async fn caught_up(&mut self) -> bool {
        let sent = self.sent;
        tokio::select! {
            biased;
            _ = self.done.wait_for(|done| *done) => false,
            handled = self.handled.wait_for(|&n| n >= sent) => handled.is_ok(),
        }
    }
}

fn decode(
    stream: Stream,
    wire: SseWire,
    received: Timestamp,
    not_json: &Mutex<messages::Repeating>,
) -> crate::envelope::Envelope {
    let envelope = provider::decode_sse(stream, wire, received);
    if envelope.raw.is_string() {
        let kind = &envelope.event_type;
        let mut not_json = not_json.lock().expect("no panics while warning");
        not_json.warn(format_args!(
            "a {kind} event's data is not JSON; kept as text"
        ));
    }
    envelope
}

fn cytracom_source(args: &TailArgs, config: &Config) -> Result<SseSource> {
    let section = config.provider("cytracom");
    let base = args
        .url
        .clone()
        .or_else(|| section.and_then(|s| s.url.clone()))
        .unwrap_or_else(|| DEFAULT_BASE.to_owned());
    let token = config.token("cytracom", args.token.as_deref(), TOKEN_ENV)?;
    if token.is_none() && args.url.is_none() {
        return Err(UsageError(format!(
            "cytracom needs an API token: {}",
            token_hint(config)
        ))
        .into());
    }
    reqwest::Url::parse(&base).map_err(|e| UsageError(format!("--url is not a URL: {e}")))?;
    Ok(source(args, base, token, token_hint(config)))
}

fn token_hint(config: &Config) -> String {
    let file = config
        .path
        .as_ref()
        .map_or("~/.config/telev/config.toml".to_owned(), |p| {
            p.display().to_string()
        });
    format!("pass --token, set {TOKEN_ENV}, or set `token` under [cytracom] in {file}")
}

async fn demo_source(args: &TailArgs) -> Result<(SseSource, Option<tokio::task::JoinHandle<()>>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/v1.0", listener.local_addr()?);
    let feed = demo::feed(args.rate, "baaaaac");
    let token = Some(Secret::new(demo::TOKEN));
    let server = tokio::spawn(serve::sse::serve(
        listener,
        feed,
        token.clone(),
        std::future::pending(),
    ));
    let hint = "the demo's own token was refused".to_owned();
    Ok((source(args, base, token, hint), Some(server)))
}

fn source(args: &TailArgs, base: String, token: Option<Secret>, auth_hint: String) -> SseSource {
    let stream = args.stream;
    let mut query = Vec::new();
    if stream == Stream::Queue {
        if let Some(ids) = &args.queue_ids {
            query.push(("queue_ids".to_owned(), ids.clone()));
        }
        let only = crate::select::Only::new(&args.selection.only);
        if !only.is_empty() {
            query.push(("only_events".to_owned(), only.names().join(",")));
        }
    }
    SseSource {
        url: format!("{}/events/sse/{stream}", base.trim_end_matches('/')),
        token,
        method: args.method.map(|m| match m {
            MethodArg::Get => Method::GET,
            MethodArg::Post => Method::POST,
        }),
        query,
        idle_timeout: args.idle_timeout.0,
        max_event: args.max_event,
        max_retries: args.max_retries,
        auth_hint,
    }
}

fn spinner(label: &str) -> indicatif::ProgressBar {
    let bar = messages::bars().add(indicatif::ProgressBar::new_spinner());
    bar.set_message(format!("waiting for events from {label}…"));
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}
