//! `telev replay`: capture files → selection → pacing → printer, a webhook (`--to`, with
//! `deliver.rs`), SSE clients (`--serve`, in `serve.rs`).

mod deliver;
mod serve;

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use crate::envelope::Envelope;
use crate::pace::Pacer;
use crate::pipeline::{self, Job, Pipeline};
use crate::plan::{Replay, ReplayAction};
use crate::select::Decision;
use crate::settings::Settings;
use crate::source::files::{Arriving, Files};
use crate::{messages, stop};
use deliver::Deliveries;

pub async fn run(mut plan: Replay, settings: &Settings) -> Result<ExitCode> {
    // The action is taken out of the plan; the rest goes with it.
    match std::mem::replace(&mut plan.action, ReplayAction::Print) {
        ReplayAction::Serve(serving) => serve::run(plan, serving).await,
        ReplayAction::Print => events(plan, None, settings).await,
        ReplayAction::Deliver {
            target,
            concurrency,
            retries,
        } => {
            let deliveries = Deliveries::new(target, concurrency, retries);
            events(plan, Some(deliveries), settings).await
        }
    }
}

/// Printing (the default) and `--to`.
async fn events(
    plan: Replay,
    deliveries: Option<Deliveries>,
    settings: &Settings,
) -> Result<ExitCode> {
    // Events are chosen as they are read, since deliveries must know before they are sent.
    let mut arriving = plan.input.spawn(plan.events.selection.clone());
    // Events come boxed from the reader (`Arriving`); the printing thread unboxes them.
    let pipeline =
        Pipeline::decoding(&plan.events, settings, |envelope: Box<Envelope>| *envelope).await?;
    let progress = settings
        .progress
        .then(|| messages::counter("{spinner} {pos} events replayed ({rate})"));
    let (started, deadline) = (Instant::now(), stop::deadline(plan.events.stop.timeout));
    // Deliveries awaited one by one make one event ready at a time: nothing to gather.
    let (sender, relay) = match &deliveries {
        Some(deliveries) if deliveries.in_order() => (pipeline.sender.one_by_one(), None),
        _ => {
            let (sender, relay) = pipeline.sender.gathering();
            (sender, Some(relay))
        }
    };
    let mut replaying = Replaying {
        input: &plan.input,
        pacer: Pacer::new(plan.speed, plan.max_gap),
        progress: progress.as_ref(),
        sender,
        deliveries,
    };
    let mut done = pipeline.done.clone();
    // Each step (read, pace, deliver) races a stop: a stop waits out neither a captured gap
    // (a quiet night at --speed 1) nor an app that does not answer (stopped in a debugger).
    let (failure, stopped) = tokio::select! {
        failure = replaying.all(&mut arriving) => (failure, false),
        () = stop::until(deadline, &mut done) => (None, true),
    };
    let Replaying {
        deliveries, sender, ..
    } = replaying;
    drop(sender);
    let report = match deliveries {
        Some(deliveries) => Some(deliveries.finish(stopped, deadline, &mut done).await),
        None => None,
    };
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    // Every sender is gone now: the relay hands over what it still holds, and ends.
    if let Some(relay) = relay {
        let _ = relay.await;
    }
    let tally = pipeline.finish().await?;
    if let Some(report) = &report {
        report.tell(settings.stderr_color);
    }
    // A run that failed before any event has nothing to summarize; its error says it all.
    if tally.received > 0 || failure.is_none() {
        messages::status(&tally.line(Some("replayed"), started.elapsed()));
    }
    match (failure, report.and_then(|r| r.failure())) {
        (Some(err), _) | (None, Some(err)) => Err(err),
        (None, None) => Ok(ExitCode::SUCCESS),
    }
}

/// One replay's moving parts between the reader and the pipeline.
struct Replaying<'a> {
    input: &'a Files,
    pacer: Pacer,
    progress: Option<&'a indicatif::ProgressBar>,
    sender: pipeline::Gathering<Box<Envelope>>,
    deliveries: Option<Deliveries>,
}

impl Replaying<'_> {
    /// Every event, until the input or the output ends; the input's error, if it failed.
    async fn all(&mut self, arriving: &mut Arriving) -> Option<anyhow::Error> {
        while let Some(batch) = beside(&mut self.deliveries, arriving.recv()).await {
            for next in batch {
                match next {
                    Ok((envelope, decision)) => {
                        if !self.one(envelope, decision).await {
                            return None;
                        }
                    }
                    Err(err) => return Some(err),
                }
            }
        }
        None
    }

    /// Paces, delivers and passes on one event; false once the output has ended.
    async fn one(&mut self, envelope: Box<Envelope>, decision: Decision) -> bool {
        {
            let due = self.input.clock(&envelope);
            beside(&mut self.deliveries, self.pacer.wait(due)).await;
            if let Some(bar) = self.progress {
                bar.inc(1);
            }
            let sent = match &mut self.deliveries {
                Some(deliveries) if decision.chosen() => {
                    deliveries.start(envelope, decision, &self.sender).await;
                    Ok(())
                }
                _ => {
                    let job = Job {
                        decision: Some(decision),
                        ..Job::new(envelope)
                    };
                    beside(&mut self.deliveries, self.sender.event(job)).await
                }
            };
            sent.is_ok()
        }
    }
}

/// Waits for `step` while the deliveries under way, if any, go on.
async fn beside<T>(deliveries: &mut Option<Deliveries>, step: impl Future<Output = T>) -> T {
    match deliveries {
        Some(deliveries) => deliveries.beside(step).await,
        None => step.await,
    }
}
