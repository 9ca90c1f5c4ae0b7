//! `tail nats`: envelopes read back from a JetStream stream as a durable consumer. Each is
//! acknowledged once the pipeline has printed and recorded it, and only then is the next one
//! handed over; one it did not print (`--count` reached, the run stopped) is given back, so
//! that a run started again neither loses nor repeats one.

use std::time::Duration;

use anyhow::{Context, Result};
use async_nats::jetstream::{self, AckKind, consumer::DeliverPolicy, consumer::pull};
use futures_util::StreamExt;
use tokio::sync::{oneshot, watch};

use crate::envelope::Envelope;
use crate::messages;
use crate::nats::{Server, WAIT};
use crate::pipeline::{self, Job};

/// Where a new durable consumer starts (an existing one resumes where it stopped).
#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// At messages stored from now on.
    New,
    /// At the stream's first message.
    First,
    /// At the first message stored at or after this time.
    Since(jiff::Timestamp),
}

/// A batch asks for this many messages at most, waiting this long for them: a stop waits
/// for the batch under way to end, its messages given back.
const BATCH: usize = 64;
const BATCH_WAIT: Duration = Duration::from_millis(500);

/// The durable consumer on `subject`, created if it is not there yet.
pub async fn consumer(
    client: &async_nats::Client,
    server: &Server,
    subject: &str,
    durable: &str,
    start: Start,
) -> Result<jetstream::consumer::PullConsumer> {
    let jetstream = jetstream::new(client.clone());
    let address = &server.address;
    let found = tokio::time::timeout(WAIT, jetstream.stream_by_subject(subject)).await;
    let stream = match found {
        Err(_) => anyhow::bail!("cannot reach {address} within {}s", WAIT.as_secs()),
        Ok(Err(err)) => anyhow::bail!(
            "no JetStream stream on {address} holds `{subject}` ({err}): publish to it first (telev listen --publish {address}/…)"
        ),
        Ok(Ok(name)) => name,
    };
    let stream = jetstream
        .get_stream(&stream)
        .await
        .with_context(|| format!("cannot read the stream {stream} on {address}"))?;
    let deliver_policy = match start {
        Start::New => DeliverPolicy::New,
        Start::First => DeliverPolicy::All,
        Start::Since(since) => DeliverPolicy::ByStartTime {
            start_time: async_nats::datetime::from_nanos(since.as_nanosecond())
                .map_err(|err| anyhow::anyhow!("--since {since}: {err}"))?,
        },
    };
    let existing = stream.get_consumer::<pull::Config>(durable).await;
    if let Ok(consumer) = existing {
        if !matches!(start, Start::New) {
            messages::warn(&format!(
                "the durable consumer {durable} exists: it resumes where it stopped (--from-start and --since shape a new one: name another with --durable)"
            ));
        }
        return Ok(consumer);
    }
    // One subject, as `filter_subject`: a 2.9 server ignores the plural `filter_subjects`
    // and would deliver the whole stream.
    let config = pull::Config {
        durable_name: Some(durable.to_owned()),
        filter_subject: subject.to_owned(),
        deliver_policy,
        ack_policy: jetstream::consumer::AckPolicy::Explicit,
        ..Default::default()
    };
    let created = stream.create_consumer(config).await;
    created.with_context(|| format!("cannot create the durable consumer {durable} on {address}"))
}

/// Hands each message to the pipeline, in order, acknowledging it once printed and recorded,
/// until `stop` turns true or the pipeline is gone.
/// `states`: read each event's state column again, for output that shows it (as
/// `CaptureReader::states`).
pub async fn read(
    consumer: jetstream::consumer::PullConsumer,
    sender: pipeline::Sender,
    states: bool,
    mut stop: watch::Receiver<bool>,
) -> Result<()> {
    let mut not_envelopes =
        messages::Repeating::new("warnings about messages that are not envelopes");
    let mut warned_unreachable = false;
    while !*stop.borrow() {
        let batch = consumer
            .batch()
            .max_messages(BATCH)
            .expires(BATCH_WAIT)
            .messages()
            .await;
        let mut batch = match batch {
            Ok(batch) => batch,
            Err(err) => {
                // The client reconnects by itself; ask again a little later.
                if !std::mem::replace(&mut warned_unreachable, true) {
                    messages::warn(&format!("cannot read from the stream: {err}; trying again"));
                }
                tokio::select! {
                    () = tokio::time::sleep(BATCH_WAIT) => continue,
                    _ = stop.changed() => break,
                }
            }
        };
        warned_unreachable = false;
        // Messages not handled, given back once the batch has ended: given back while its
        // request is still open, the server would deliver them to it again at once.
        let mut give_back = Vec::new();
        let mut giving_back = false;
        let mut finished = false;
        loop {
            let next = tokio::select! {
                next = batch.next() => next,
                _ = stop.changed(), if !giving_back => {
                    giving_back = true;
                    continue;
                }
            };
            let message = match next {
                None => break,
                Some(Ok(message)) => message,
                Some(Err(err)) => {
                    messages::warn(&format!("reading the stream: {err}"));
                    break;
                }
            };
            if giving_back {
                give_back.push(message);
                continue;
            }
            let mut envelope = match serde_json::from_slice::<Envelope>(&message.payload) {
                Ok(envelope) => envelope,
                Err(err) => {
                    let subject = &message.subject;
                    not_envelopes.warn(format_args!(
                        "a message on {subject} is not a telev envelope ({err}): skipped for good"
                    ));
                    let _ = message.ack_with(AckKind::Term).await;
                    continue;
                }
            };
            if states {
                envelope.state = crate::provider::state(&envelope);
            }
            let (handled, is_handled) = oneshot::channel();
            let job = Job {
                handled: Some(handled),
                ..Job::new(envelope)
            };
            let shown = sender.event(job).await.is_ok() && is_handled.await.unwrap_or(false);
            if shown {
                let _ = message.ack().await;
            } else {
                // Not printed (`--count` reached): the next run gets it.
                give_back.push(message);
                (giving_back, finished) = (true, true);
            }
        }
        for message in give_back {
            let _ = message.ack_with(AckKind::Nak(None)).await;
        }
        if finished {
            break;
        }
    }
    Ok(())
}
