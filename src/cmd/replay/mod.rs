//! `telev replay`: captured events → reader → pacing → printer, a webhook (`--to`), SSE
//! clients (`--serve`, in `serve.rs`), or a per-call table (`--calls`).

mod report;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Result;
use jiff::Timestamp;
use tokio::sync::mpsc;

use crate::calls::CallTable;
use crate::capture::{BadLine, CaptureReader};
use crate::cli::{ClockArg, ReplayArgs};
use crate::envelope::Envelope;
use crate::forward;
use crate::messages;
use crate::pace::Pacer;
use crate::pipeline::{Job, Pipeline, Plan};
use crate::provider::Provider;
use crate::select::{Decision, Selection, Selector};
use crate::settings::{OutputMode, Settings};

pub async fn run(args: ReplayArgs, settings: &Settings) -> Result<ExitCode> {
    let selection = Selection::new(&args.selection.only, args.selection.filter.as_deref())?;
    let input = Input {
        files: args.files.clone(),
        provider: args.provider,
        skip_invalid: args.skip_invalid,
        clock: args.clock,
        since: args.since,
        until: args.until,
    };
    if args.calls {
        return calls(input, selection, settings).await;
    }
    if let Some(addr) = &args.serve {
        return serve::run(input, selection, addr, &args).await;
    }
    events(input, selection, &args, settings).await
}

/// Where events come from and which of them count.
#[derive(Clone)]
struct Input {
    files: Vec<PathBuf>,
    provider: Option<Provider>,
    skip_invalid: bool,
    clock: ClockArg,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
}

impl Input {
    fn clock(&self, e: &Envelope) -> Timestamp {
        clock_of(self.clock, e)
    }

    /// Reads every file on a thread of its own, sending each event with what `selection`
    /// decides of it through a bounded channel, so memory stays constant and the runtime
    /// never waits on disk.
    fn spawn(&self, selection: Selection) -> mpsc::Receiver<Result<(Envelope, Decision)>> {
        let (tx, rx) = mpsc::channel(256);
        let input = self.clone();
        std::thread::spawn(move || {
            let mut selector = selection.selector();
            let read = input.read(&mut selector, |e, decision| {
                tx.blocking_send(Ok((e, decision))).is_ok()
            });
            if let Err(err) = read {
                let _ = tx.blocking_send(Err(err));
            }
        });
        rx
    }

    /// Hands each event with its decision to `emit`, in order, until the input ends or `emit`
    /// says stop (then false).
    fn read(
        &self,
        selector: &mut Selector,
        mut emit: impl FnMut(Envelope, Decision) -> bool,
    ) -> Result<bool> {
        for path in &self.files {
            let mut reader = CaptureReader::open(path, self.provider)?;
            while let Some(next) = reader.next_event() {
                let envelope = match next {
                    Ok(envelope) => envelope,
                    Err(err) if self.skip_invalid && err.is::<BadLine>() => {
                        messages::warn(&format!("skipped {err}"));
                        continue;
                    }
                    Err(err) => return Err(err),
                };
                let at = self.clock(&envelope);
                if self.since.is_some_and(|s| at < s) || self.until.is_some_and(|u| at >= u) {
                    continue;
                }
                let decision = selector.decide(&envelope);
                if !emit(envelope, decision) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}

/// Printing (the default) and `--to`.
async fn events(
    input: Input,
    selection: Selection,
    args: &ReplayArgs,
    settings: &Settings,
) -> Result<ExitCode> {
    let target = args
        .to
        .as_deref()
        .map(|url| forward::parse_target(url, "--to"))
        .transpose()?;
    // Events are chosen as they are read, since deliveries must know before they are sent.
    let mut arriving = input.spawn(selection.clone());
    let plan = Plan {
        selection,
        record: None,
        count: None,
    };
    let started = Instant::now();
    let pipeline = Pipeline::spawn(plan, settings);
    let progress = settings.progress.then(progress_bar);
    let mut pacer = Pacer::new(args.speed, args.max_gap.map(|d| d.0));
    let report = Arc::new(Mutex::new(report::Report::default()));
    let deliverer = target.map(|target| Deliverer {
        client: forward::client(),
        target,
        retries: args.retries,
        report: report.clone(),
    });
    let concurrency = args.concurrency.max(1);
    let mut in_flight = tokio::task::JoinSet::new();
    let mut delivering: u64 = 0;
    let mut interrupted = std::pin::pin!(crate::stop::requested());
    let mut stopped = false;
    // One event's whole step, raced against a stop: a stop must wait out neither a captured gap
    // (a quiet night at --speed 1) nor an app that does not answer (stopped in a debugger).
    let failure = loop {
        // Ok(false) once the input is over, or the output (a closed stdout).
        let step = async {
            let (envelope, decision) = match arriving.recv().await {
                None => return Ok(false),
                Some(next) => next?,
            };
            pacer.wait(input.clock(&envelope)).await;
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            let deliverer = match &deliverer {
                Some(deliverer) if decision.chosen() => deliverer,
                _ => {
                    let job = Job {
                        decision: Some(decision),
                        ..Job::new(envelope)
                    };
                    return Ok(pipeline.jobs.send(job).await.is_ok());
                }
            };
            // Room first, so that a stop while waiting for it counts no delivery as under way.
            while in_flight.len() >= concurrency {
                in_flight.join_next().await;
            }
            let delivery = deliverer
                .clone()
                .deliver(envelope, decision, pipeline.jobs.clone());
            delivering += 1;
            if concurrency == 1 {
                // In order (the default): awaited here, sparing each event a hop to another
                // thread (10-20% of the rate).
                delivery.await;
            } else {
                in_flight.spawn(delivery);
            }
            anyhow::Ok(true)
        };
        tokio::select! {
            step = step => match step {
                Ok(true) => {}
                Ok(false) => break None,
                Err(err) => break Some(err),
            },
            _ = &mut interrupted => {
                stopped = true;
                break None;
            }
        }
    };
    // Deliveries still under way finish, unless a stop comes first.
    if !stopped {
        let finished = async { while in_flight.join_next().await.is_some() {} };
        tokio::select! {
            () = finished => {}
            _ = &mut interrupted => {}
        }
    }
    in_flight.abort_all();
    while in_flight.join_next().await.is_some() {}
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let tally = pipeline.finish().await?;
    let report = report.lock().expect("no panics while counting").clone();
    if deliverer.is_some() && report.sent() > 0 {
        messages::status(&report.render(settings.stderr_color));
    }
    let abandoned = delivering - report.sent();
    if abandoned > 0 {
        let deliveries = messages::counted(abandoned, "delivery", "deliveries");
        messages::status(&format!(
            "stopped with {deliveries} under way: the app may or may not have them"
        ));
    }
    // A run that failed before any event has nothing to summarize; its error says it all.
    if tally.received > 0 || failure.is_none() {
        let took = started.elapsed();
        messages::status(&format!("{} replayed in {took:.1?}", tally.summary()));
    }
    if let Some(err) = failure {
        return Err(err);
    }
    match report.failure() {
        Some(err) => Err(err),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// `--to`: what each delivery needs besides its event.
#[derive(Clone)]
struct Deliverer {
    client: reqwest::Client,
    target: reqwest::Url,
    retries: u32,
    report: Arc<Mutex<report::Report>>,
}

impl Deliverer {
    /// Delivers one event, counts how it went, and hands it on to be printed with its note.
    async fn deliver(self, envelope: Envelope, decision: Decision, jobs: mpsc::Sender<Job>) {
        let delivery =
            forward::deliver(&self.client, &self.target, &envelope.wire, self.retries).await;
        self.report
            .lock()
            .expect("no panics while counting")
            .add(&envelope.event_type, &delivery);
        let job = Job {
            note: Some(delivery.note()),
            decision: Some(decision),
            ..Job::new(envelope)
        };
        let _ = jobs.send(job).await;
    }
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar = messages::bars().add(indicatif::ProgressBar::new_spinner());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} events replayed ({per_sec})")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// `--calls`: one row per call.
async fn calls(input: Input, selection: Selection, settings: &Settings) -> Result<ExitCode> {
    let mut arriving = input.spawn(selection.clone());
    let mut table = CallTable::default();
    while let Some(next) = arriving.recv().await {
        let (envelope, decision) = next?;
        if decision.chosen() {
            table.add(&envelope);
        }
    }
    selection.tell_total();
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match settings.output {
        OutputMode::Pretty | OutputMode::Table => {
            writeln!(out, "{}", crate::calls::render(&table, settings.color))?;
        }
        OutputMode::Ndjson | OutputMode::Raw => {
            for call in table.calls() {
                serde_json::to_writer(&mut out, call)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    if table.without_call_id > 0 {
        messages::status(&format!("{} events had no call id", table.without_call_id));
    }
    Ok(ExitCode::SUCCESS)
}

/// The time that paces an event.
fn clock_of(clock: ClockArg, e: &Envelope) -> Timestamp {
    match clock {
        ClockArg::Received => e.received,
        ClockArg::Event => e.time.unwrap_or(e.received),
    }
}
