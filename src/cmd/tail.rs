//! `telev tail`: a live SSE stream → pipeline, which decodes each event on its thread.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use jiff::Timestamp;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};

use crate::config::Secret;
use crate::envelope::SseWire;
use crate::pipeline::{self, Job, Pipeline};
use crate::plan::{Tail, TailNats};
use crate::settings::Settings;
use crate::source::sse::{Arrival, SseSource};
use crate::{demo, messages, provider, serve, stop};

pub async fn run(plan: Tail, settings: &Settings) -> Result<ExitCode> {
    let stream = plan.stream;
    // Decoding runs on the printing thread: the connector's task has the network and the
    // SSE framing to keep up with, and the two halves then take about the same time.
    let pipeline = Pipeline::decoding(&plan.events, settings, move |(wire, received)| {
        provider::decode_sse(stream, wire, received)
    })
    .await?;
    let connection = match plan.demo {
        Some(rate) => demo(rate, plan.connection).await?,
        None => plan.connection,
    };
    let (started, deadline) = (Instant::now(), stop::deadline(plan.events.stop.timeout));
    let waiting = format!("waiting for events from {}…", plan.label);
    let spinner = settings.progress.then(|| messages::spinner(&waiting));
    let hand_off = HandOff {
        sender: pipeline.sender.clone(),
        spinner: spinner.clone(),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    // The connector and the hand-off share one task: one thread hop per event, not two.
    let mut connector = tokio::spawn(async move {
        let (arrivals, arriving) = mpsc::channel(1024);
        tokio::select! {
            (result, ()) = async {
                tokio::join!(connection.run(arrivals), hand_off.run(arriving))
            } => result,
            // Stopping early drops the connection mid-stream.
            _ = stopped => Ok(()),
        }
    });
    let mut done = pipeline.done.clone();
    let result = tokio::select! {
        ended = &mut connector => ended?,
        () = stop::until(deadline, &mut done) => {
            let _ = stop.send(());
            connector.await?
        }
    };
    if let Some(spinner) = &spinner {
        spinner.finish_and_clear();
    }
    let tally = pipeline.finish().await?;
    // A run that failed before any event has nothing to summarize; its error says it all.
    if tally.received > 0 || result.is_ok() {
        messages::status(&tally.line(None, started.elapsed()));
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

/// `tail nats`: a durable consumer's messages → pipeline, each acknowledged once handled.
pub async fn nats(plan: TailNats, settings: &Settings) -> Result<ExitCode> {
    let client = plan.server.connect().await?;
    let consumer = crate::source::nats::consumer(
        &client,
        &plan.server,
        &plan.subject,
        &plan.durable,
        plan.start,
    )
    .await?;
    let pipeline = Pipeline::spawn(&plan.events, settings).await?;
    let (started, deadline) = (Instant::now(), stop::deadline(plan.events.stop.timeout));
    let (stop, stopping) = watch::channel(false);
    let reading = tokio::spawn(crate::source::nats::read(
        consumer,
        pipeline.sender.clone(),
        settings.shows_notes(),
        stopping,
    ));
    let mut done = pipeline.done.clone();
    let mut reading = std::pin::pin!(reading);
    let result = tokio::select! {
        ended = &mut reading => ended,
        () = stop::until(deadline, &mut done) => {
            // The message being handled is finished and acknowledged; the rest given back.
            let _ = stop.send(true);
            reading.await
        }
    };
    let tally = pipeline.finish().await?;
    // Acknowledgements go out before the run ends, or the next run would get them again.
    let _ = tokio::time::timeout(crate::nats::WAIT, client.flush()).await;
    messages::status(&tally.line(None, started.elapsed()));
    result??;
    Ok(ExitCode::SUCCESS)
}

/// Between the connector and the pipeline: stamps each event with its arrival and passes it
/// on, with the connection's notices in their place among the events.
struct HandOff {
    sender: pipeline::Sender<(SseWire, Timestamp)>,
    /// Until the first event.
    spinner: Option<indicatif::ProgressBar>,
}

impl HandOff {
    /// Returning drops `arriving`, which tells the connector to stop.
    async fn run(mut self, mut arriving: mpsc::Receiver<Arrival>) {
        while let Some(arrival) = arriving.recv().await {
            let sent = match arrival {
                Arrival::Event(wire) => {
                    if let Some(spinner) = self.spinner.take() {
                        spinner.finish_and_clear();
                    }
                    self.sender.event(Job::new((wire, Timestamp::now()))).await
                }
                Arrival::Notice(notice) => self.sender.notice(notice).await,
            };
            if sent.is_err() {
                return;
            }
        }
    }
}

/// Starts the demo's server on loopback and aims the connection at it.
async fn demo(rate: f64, mut connection: SseSource) -> Result<SseSource> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/v1.0", listener.local_addr()?);
    connection.url = format!("{base}{}", connection.url);
    connection.token = Some(Secret::new(demo::TOKEN));
    let feed = demo::feed(rate, "baaaaac");
    let token = connection.token.clone();
    tokio::spawn(serve::sse::serve(
        listener,
        feed,
        token,
        std::future::pending(),
    ));
    Ok(connection)
}
