//! `--publish`: each envelope received (the capture line's bytes) published to NATS
//! JetStream, on a subject made from it, with the stream created if none holds the subject.
//!
//! Published means stored: a publish counts once JetStream acknowledges it, within one wait
//! around sending and acknowledging. Every message carries a `Nats-Msg-Id` that is the same
//! for the same event (the provider's own event id, else a digest of its payload), so a
//! provider's retry of an event told 503, but stored after all, is stored once.

use anyhow::Result;
use async_nats::jetstream::context::{PublishAckFuture, PublishErrorKind};
use async_nats::jetstream::{self, message::PublishMessage};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::{OnceCell, mpsc};

use crate::envelope::Envelope;
use crate::nats::{Server, Subject, WAIT};

/// Where events are published: a server, a subject, and the stream to create if none holds
/// the subject.
#[derive(Debug, Clone)]
pub struct Target {
    pub server: Server,
    pub subject: Subject,
    pub stream: String,
}

/// Why an event is not in the stream.
#[derive(Debug)]
pub enum NotStored {
    /// Larger than the server takes: no retry can store it.
    TooLarge { size: usize, limit: usize },
    /// The server could not be reached, refused, or did not acknowledge in time.
    Unavailable(String),
}

impl std::fmt::Display for NotStored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotStored::TooLarge { size, limit } => write!(
                f,
                "the event is {size} bytes and the NATS server takes {limit} at most (its max_payload)"
            ),
            NotStored::Unavailable(reason) => f.write_str(reason),
        }
    }
}

/// One envelope ready to publish.
pub struct Message {
    subject: String,
    id: String,
    line: Bytes,
}

pub struct Publisher {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    target: Target,
    /// Set once a stream holding the subject is known to exist.
    stream_ready: OnceCell<()>,
}

impl Publisher {
    pub async fn connect(target: &Target) -> Result<Publisher> {
        let client = target.server.connect().await?;
        let mut jetstream = jetstream::new(client.clone());
        jetstream.set_timeout(WAIT);
        Ok(Publisher {
            client,
            jetstream,
            target: target.clone(),
            stream_ready: OnceCell::new(),
        })
    }

    /// What to publish of an envelope: its subject, its message id and its capture line.
    pub fn message(&self, e: &Envelope) -> Message {
        let mut line = Vec::with_capacity(1024);
        e.write_line(&mut line);
        line.pop();
        Message {
            subject: self.target.subject.of(e),
            id: message_id(e),
            line: Bytes::from(line),
        }
    }

    /// Publishes one envelope and waits for JetStream to acknowledge it ([`WAIT`] at most).
    pub async fn publish(&self, message: Message) -> Result<(), NotStored> {
        let sent = tokio::time::timeout(WAIT, async {
            let ack = self.send(message).await?;
            ack.await.map_err(|err| unavailable(&self.target, &err))
        });
        sent.await.unwrap_or_else(|_| Err(self.no_ack()))?;
        Ok(())
    }

    /// Waits for one acknowledgement ([`WAIT`] at most).
    async fn acknowledged(&self, ack: PublishAckFuture) -> Result<(), NotStored> {
        match tokio::time::timeout(WAIT, ack).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(err)) => Err(unavailable(&self.target, &err)),
            Err(_) => Err(self.no_ack()),
        }
    }

    fn no_ack(&self) -> NotStored {
        let (address, wait) = (&self.target.server.address, WAIT.as_secs());
        NotStored::Unavailable(format!("{address} did not acknowledge within {wait}s"))
    }

    /// Sends a message, the stream made sure of first; the acknowledgement is still to come.
    async fn send(&self, message: Message) -> Result<PublishAckFuture, NotStored> {
        // While the server is away, say so at once rather than after a wait per event.
        if self.client.connection_state() != async_nats::connection::State::Connected {
            let address = &self.target.server.address;
            return Err(NotStored::Unavailable(format!(
                "not connected to {address}"
            )));
        }
        let ensure = || self.ensure_stream();
        self.stream_ready.get_or_try_init(ensure).await?;
        let size = message.line.len();
        let publish = PublishMessage::build()
            .payload(message.line)
            .message_id(&message.id);
        let sent = self.jetstream.send_publish(message.subject, publish).await;
        sent.map_err(|err| match err.kind() {
            // The client checks the server's limit (payload and headers) before sending.
            PublishErrorKind::MaxPayloadExceeded => NotStored::TooLarge {
                size,
                limit: self.client.server_info().max_payload,
            },
            _ => unavailable(&self.target, &err),
        })
    }

    /// Finds the stream that holds the subject, or creates one on its wildcard form.
    async fn ensure_stream(&self) -> Result<(), NotStored> {
        let wildcard = self.target.subject.wildcard();
        if self
            .jetstream
            .stream_by_subject(wildcard.clone())
            .await
            .is_ok()
        {
            return Ok(());
        }
        let config = jetstream::stream::Config {
            name: self.target.stream.clone(),
            subjects: vec![wildcard.clone()],
            ..Default::default()
        };
        match self.jetstream.create_stream(config).await {
            Ok(_) => {
                let stream = &self.target.stream;
                crate::messages::status(&format!(
                    "created the JetStream stream {stream} on {wildcard}"
                ));
                Ok(())
            }
            Err(err) => Err(NotStored::Unavailable(format!(
                "no JetStream stream holds {wildcard}, and creating {} failed: {err} (does another stream's subjects overlap it?)",
                self.target.stream
            ))),
        }
    }

    /// Sends everything still buffered (acknowledgements of messages read, publishes).
    pub async fn flush(&self) {
        if self.client.connection_state() != async_nats::connection::State::Connected {
            return;
        }
        let _ = tokio::time::timeout(WAIT, self.client.flush()).await;
    }
}

fn unavailable(target: &Target, err: &dyn std::fmt::Display) -> NotStored {
    NotStored::Unavailable(format!("{}: {err}", target.server.address))
}

/// The same id for the same event: the provider's own event id where it has one, else a
/// digest of the payload (a retry sends the same payload; two events never do).
fn message_id(e: &Envelope) -> String {
    if let Some(own) = crate::provider::own_event_id(e) {
        return format!("{}:{own}", e.provider.id());
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, e.raw.text().as_bytes());
    let mut id = format!("{}:", e.provider.id());
    for byte in &digest.as_ref()[..16] {
        use std::fmt::Write;
        let _ = write!(id, "{byte:02x}");
    }
    id
}

/// `tail` and `replay --publish`: the pipeline's thread hands each event over without
/// waiting for its acknowledgement; up to [`IN_FLIGHT`] are awaited at once.
pub struct Queue {
    queue: mpsc::Sender<Message>,
    publisher: std::sync::Arc<Publisher>,
}

/// The task that publishes what the [`Queue`] is given.
pub struct Publishing {
    publisher: std::sync::Arc<Publisher>,
    task: tokio::task::JoinHandle<Published>,
}

/// What a run published.
#[derive(Debug, Default, Clone, Copy)]
pub struct Published {
    pub stored: u64,
    pub not_stored: u64,
}

const IN_FLIGHT: usize = 256;

/// Starts publishing on the runtime (call it there).
pub fn start(publisher: Publisher) -> (Queue, Publishing) {
    let publisher = std::sync::Arc::new(publisher);
    let (queue, messages) = mpsc::channel(1024);
    let task = tokio::spawn(publish_all(publisher.clone(), messages));
    let queue = Queue {
        queue,
        publisher: publisher.clone(),
    };
    (queue, Publishing { publisher, task })
}

impl Queue {
    /// Hands over one envelope, from the pipeline's thread; waits only when the queue and
    /// the acknowledgements awaited are full.
    pub fn blocking_send(&self, e: &Envelope) {
        let _ = self.queue.blocking_send(self.publisher.message(e));
    }
}

impl Publishing {
    /// Waits (once every [`Queue`] is gone) for every publish under way; what was published.
    pub async fn finish(self) -> Published {
        let published = self.task.await.unwrap_or_default();
        self.publisher.flush().await;
        published
    }
}

/// Sends each message in the order it came (a subject's messages keep their order), and waits
/// for their acknowledgements together.
async fn publish_all(
    publisher: std::sync::Arc<Publisher>,
    mut messages: mpsc::Receiver<Message>,
) -> Published {
    let mut published = Published::default();
    let mut warned = crate::messages::Repeating::new("warnings about events not published");
    let mut count = |result: Result<(), NotStored>| match result {
        Ok(()) => published.stored += 1,
        Err(not_stored) => {
            published.not_stored += 1;
            warned.warn(format_args!("an event was not published: {not_stored}"));
        }
    };
    let mut in_flight = FuturesUnordered::new();
    let mut open = true;
    while open || !in_flight.is_empty() {
        tokio::select! {
            next = messages.recv(), if open && in_flight.len() < IN_FLIGHT => match next {
                Some(message) => match publisher.send(message).await {
                    Ok(ack) => {
                        let publisher = publisher.clone();
                        in_flight.push(async move { publisher.acknowledged(ack).await });
                    }
                    Err(not_stored) => count(Err(not_stored)),
                },
                None => open = false,
            },
            Some(result) = in_flight.next() => count(result),
        }
    }
    published
}
