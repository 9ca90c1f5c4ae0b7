//! `replay --serve`: the capture as Cytracom's SSE endpoint, to every client from its start
//! or its `Last-Event-ID`.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::envelope::{Envelope, Stream, Wire};
use crate::error::UsageError;
use crate::pace::{Pacer, Speed};
use crate::plan::{Replay, Serving};
use crate::print::{Tally, counted};
use crate::select::{Decision, Selection};
use crate::serve::sse::{self, Feed, FeedRequest};
use crate::source::files::Files;
use crate::{messages, stop};

pub async fn run(plan: Replay, serving: Serving) -> Result<ExitCode> {
    let Serving {
        address,
        token,
        repeat,
        heartbeat,
    } = serving;
    let input = plan.input;
    if input.paths.iter().any(|f| f.as_os_str() == "-") {
        return Err(UsageError(
            "--serve reads the capture again for each client: give files, not -".into(),
        )
        .into());
    }
    for file in &input.paths {
        std::fs::metadata(file).with_context(|| format!("cannot open {}", file.display()))?;
    }
    let fix = "choose another with --serve (port 0 takes any free one)";
    let listener = crate::serve::bind(&address, fix).await?;
    let bound = listener.local_addr()?;
    messages::status(&format!(
        "serving on http://{bound}/v1.0/events/sse/{{chan,queue,monitored}}"
    ));
    let started = std::time::Instant::now();
    let sent = Arc::new(Mutex::new(Tally::default()));
    let pacing = Pacing {
        speed: plan.speed,
        max_gap: plan.max_gap,
        repeat,
        heartbeat,
    };
    let feed = feed(input, plan.events.selection, pacing, sent.clone());
    let deadline = stop::deadline(plan.events.stop.timeout);
    let shutdown = async move {
        let (_never, mut done) = tokio::sync::watch::channel(false);
        stop::until(deadline, &mut done).await;
    };
    let clients = sse::serve(listener, feed, token, shutdown).await;
    let mut tally = sent
        .lock()
        .expect("no thread panics holding the tally")
        .clone();
    tally.printed = tally.received;
    let verb = format!("served to {}", counted(clients, "client", "clients"));
    messages::status(&tally.line(Some(&verb), started.elapsed()));
    Ok(ExitCode::SUCCESS)
}

/// How each client's stream runs: its pace, whether it starts over at the end, and how often
/// it hears it is still open once the capture is done.
#[derive(Clone, Copy)]
struct Pacing {
    speed: Speed,
    max_gap: Option<Duration>,
    repeat: bool,
    heartbeat: Duration,
}

/// Each client's events: read for it alone from the start (or after its `Last-Event-ID`),
/// those of the stream it asked for, paced; then, as a real provider's stream does, it stays
/// open with a heartbeat comment now and then, so a client waits rather than reconnecting.
fn feed(input: Files, selection: Selection, pacing: Pacing, sent: Arc<Mutex<Tally>>) -> Feed {
    let Pacing {
        speed,
        max_gap,
        repeat,
        heartbeat,
    } = pacing;
    Arc::new(move |req: FeedRequest| {
        let resume_after: u64 = req
            .last_event_id
            .and_then(|id| id.parse().ok())
            .unwrap_or(0);
        let (tx, rx) = mpsc::channel::<(u64, Envelope)>(256);
        let (input, selection, stream) = (input.clone(), selection.clone(), req.stream);
        let clock = input.clock;
        // One reading thread per client: it numbers the events, skips what the client
        // already has, and keeps those of the stream it asked for.
        std::thread::spawn(move || {
            let id = std::cell::Cell::new(0u64);
            let send = |read: Option<(Envelope, Decision)>| {
                let Some((envelope, decision)) = read else {
                    return true;
                };
                let wanted = decision.chosen()
                    && (envelope.stream == stream
                        || (envelope.stream == Stream::Webhook && stream == Stream::Chan));
                if !wanted {
                    return true;
                }
                id.set(id.get() + 1);
                id.get() <= resume_after || tx.blocking_send((id.get(), envelope)).is_ok()
            };
            let mut selector = selection.selector();
            let result = loop {
                let before = id.get();
                match input.read(&mut selector, send) {
                    // --loop starts over, unless a whole pass had nothing for this stream.
                    Ok(true) if repeat && id.get() > before => continue,
                    other => break other,
                }
            };
            selection.tell_total();
            if let Err(err) = result {
                messages::warn(&format!("{err:#}"));
            }
        });
        let pacer = Pacer::new(speed, max_gap);
        let sent = sent.clone();
        let events = futures_util::stream::unfold((rx, pacer), move |(mut rx, mut pacer)| {
            let sent = sent.clone();
            async move {
                let (id, envelope) = rx.recv().await?;
                pacer.wait(clock.of(&envelope)).await;
                sent.lock()
                    .expect("no thread panics holding the tally")
                    .event(&envelope.event_type);
                Some((sse_frame(id, &envelope), (rx, pacer)))
            }
        });
        let heartbeats = futures_util::stream::unfold((), move |()| async move {
            tokio::time::sleep(heartbeat).await;
            Some((Bytes::from_static(b": heartbeat\n\n"), ()))
        });
        events.chain(heartbeats).boxed()
    })
}

/// An event as Cytracom would have sent it: its SSE name and data as captured, or for a
/// webhook, its type and payload.
fn sse_frame(id: u64, e: &Envelope) -> Bytes {
    let id = id.to_string();
    match &e.wire {
        Wire::Sse(wire) => sse::frame(Some(&id), &wire.event, &wire.data.get()),
        Wire::Http(_) => sse::frame(Some(&id), &e.event_type, e.raw.text()),
    }
}
