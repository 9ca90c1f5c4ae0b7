//! `replay --serve`: the capture as Cytracom's SSE endpoint, to every client from its start
//! or its `Last-Event-ID`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::{Input, clock_of};
use crate::cli::ReplayArgs;
use crate::config::Secret;
use crate::envelope::Envelope;
use crate::envelope::Wire;
use crate::error::UsageError;
use crate::messages;
use crate::pace::Pacer;
use crate::select::{Decision, Selection};
use crate::serve::sse::{self, Feed, FeedRequest};

pub async fn run(
    input: Input,
    selection: Selection,
    addr: &str,
    args: &ReplayArgs,
) -> Result<ExitCode> {
    if input.files.iter().any(|f| f.as_os_str() == "-") {
        return Err(UsageError(
            "--serve reads the capture again for each client: give files, not -".into(),
        )
        .into());
    }
    for file in &input.files {
        std::fs::metadata(file).with_context(|| format!("cannot open {}", file.display()))?;
    }
    let fix = "choose another with --serve (port 0 takes any free one)";
    let listener = crate::serve::bind(addr, fix).await?;
    let bound = listener.local_addr()?;
    messages::status(&format!(
        "serving on http://{bound}/v1.0/events/sse/{{chan,queue,monitored}}"
    ));
    let (speed, max_gap, repeat) = (args.speed, args.max_gap.map(|d| d.0), args.repeat);
    let feed: Feed = Arc::new(move |req: FeedRequest| {
        let resume_after: u64 = req
            .last_event_id
            .and_then(|id| id.parse().ok())
            .unwrap_or(0);
        let (tx, rx) = mpsc::channel::<(u64, Envelope)>(256);
        let clock = input.clock;
        let (input, selection, stream) = (input.clone(), selection.clone(), req.stream);
        // One reading thread per client: it numbers the events, skips what the client
        // already has, and keeps those of the stream it asked for.
        std::thread::spawn(move || {
            let id = std::cell::Cell::new(0u64);
            let send = |envelope: Envelope, decision: Decision| {
                let wanted = decision.chosen()
                    && (envelope.stream == stream
                        || (envelope.stream == "webhook" && stream == "chan"));
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
        futures_util::stream::unfold((rx, pacer), move |(mut rx, mut pacer)| async move {
            let (id, envelope) = rx.recv().await?;
            pacer.wait(clock_of(clock, &envelope)).await;
            Some((sse_frame(id, &envelope), (rx, pacer)))
        })
        .boxed()
    });
    let token = args.token.clone().map(Secret::new);
    let shutdown = async {
        crate::stop::requested().await;
    };
    sse::serve(listener, feed, token, shutdown).await;
    Ok(ExitCode::SUCCESS)
}

/// An event as Cytracom would have sent it: its SSE name and data as captured, or for a
/// webhook, its type and payload.
fn sse_frame(id: u64, e: &Envelope) -> Bytes {
    let id = id.to_string();
    match &e.wire {
        Wire::Sse(wire) => sse::frame(Some(&id), &wire.event, &wire.data),
        Wire::Http(_) => sse::frame(Some(&id), &e.event_type, e.raw.text()),
    }
}
