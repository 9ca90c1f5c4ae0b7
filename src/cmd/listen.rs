//! `telev listen`: a local webhook receiver → decoder → pipeline (→ the user's app).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Result;
use hyper::{Response, StatusCode};
use tokio::sync::oneshot;

use crate::forward::{Forwarder, Relayed};
use crate::pipeline::{self, Job, Pipeline};
use crate::plan::Listen;
use crate::print::{Note, Notice};
use crate::publish::{NotStored, Publisher};
use crate::select::{Decision, Repeats};
use crate::settings::Settings;
use crate::source::webhook::{Accepted, Body, Downstream, Receiver, request_of, text};
use crate::{messages, provider, serve, stop};

pub async fn run(mut plan: Listen, settings: &Settings) -> Result<ExitCode> {
    // Published here, before each answer, rather than by the pipeline.
    let publisher = match plan.events.publish.take() {
        Some(target) => Some(Arc::new(Publisher::connect(&target).await?)),
        None => None,
    };
    let pipeline = Pipeline::spawn(&plan.events, settings).await?;
    let fix = "choose another with --port (--port 0 takes any free one)";
    let listener = serve::bind(&plan.address.to_string(), fix).await?;
    let who = plan.receiver.provider.map_or("any provider", |p| p.id());
    let path = plan.receiver.path.as_deref().unwrap_or("/");
    let host = match listener.local_addr()? {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => v4.to_string(),
    };
    messages::status(&format!("listening on http://{host}{path} ({who})"));
    if plan.address.ip().is_unspecified() && plan.receiver.auth.is_none() {
        messages::warn(
            "listening on every interface without --basic-auth or --bearer: anyone who can \
             reach this machine can send events (and reach --forward-to)",
        );
    }

    let started = Instant::now();
    let counts = Arc::new(Counts::default());
    let handling = Handling {
        forward: plan.forward_to.map(Forwarder::new),
        sender: pipeline.sender.clone(),
        awaits_handling: plan.events.record.is_some() || plan.events.stop.count.is_some(),
        warn_failed_forwards: !settings.shows_notes(),
        repeats: Mutex::new(Repeats::new(Repeats::CAPACITY)),
        dedup: plan.dedup,
        counts: counts.clone(),
        publisher: publisher.clone(),
        not_published: Mutex::new(messages::Repeating::new(
            "warnings about events not published",
        )),
    };
    let receiver = Receiver::new(plan.receiver, handling);
    let refused = receiver.refused();
    let mut done = pipeline.done.clone();
    let deadline = stop::deadline(plan.events.stop.timeout);
    // The receiver holds the pipeline's sender: serving must end with it dropped.
    receiver
        .serve(
            listener,
            async move { stop::until(deadline, &mut done).await },
        )
        .await;
    let mut tally = pipeline.finish().await?;
    tally.refused = refused.count();
    tally.not_forwarded = counts.failed.load(Ordering::Relaxed);
    tally.app_errors = counts.app_errors.load(Ordering::Relaxed);
    tally.repeats = counts.repeats.load(Ordering::Relaxed);
    if let Some(publisher) = &publisher {
        publisher.flush().await;
        tally.published = Some(crate::publish::Published {
            stored: counts.published.load(Ordering::Relaxed),
            not_stored: counts.not_published.load(Ordering::Relaxed),
        });
    }
    messages::status(&tally.line(None, started.elapsed()));
    Ok(ExitCode::SUCCESS)
}

/// What listen does with a request it took: number it, telling a repeat of an event from
/// the event; relay it to the app (`--forward-to`, not a repeat under `--dedup`); hand it to
/// the pipeline, publish it (`--publish`, repeats too: a retry after a 503 is one), and answer
/// once it is recorded (`--record`; see `awaits_handling`) and published: with a 503 (or 413)
/// when it could not be published, the app's answer, a 502 when the app gave none, or `ok`.
struct Handling {
    forward: Option<Forwarder>,
    sender: pipeline::Sender,
    /// Whether an answer waits for the printing thread to handle the event: to record it
    /// (`--record`), or to tell whether it came after `--count` was reached (answered 503,
    /// for the sender to send again). Without either, an event is answered once it is in the
    /// pipeline's queue: the printing thread keeps nothing an answer could stand for, and
    /// waking each request's task from there cost `-o ndjson` about a tenth of its rate.
    awaits_handling: bool,
    /// Say on stderr when a forward fails, as the printed lines do not.
    warn_failed_forwards: bool,
    repeats: Mutex<Repeats>,
    dedup: bool,
    counts: Arc<Counts>,
    publisher: Option<Arc<Publisher>>,
    /// Says why an event was not published, a handful of times.
    not_published: Mutex<messages::Repeating>,
}

/// What the summary counts of requests, besides events.
#[derive(Default)]
struct Counts {
    /// Events that came again.
    repeats: AtomicU64,
    /// No answer from the app: the sender got 502.
    failed: AtomicU64,
    /// The app answered 5xx (passed on to the sender, who will retry).
    app_errors: AtomicU64,
    /// `--publish`: events stored in JetStream, and not (the sender got 503 or 413).
    published: AtomicU64,
    not_published: AtomicU64,
}

impl Downstream for Handling {
    async fn take(&self, accepted: Accepted) -> Response<Body> {
        let Accepted {
            envelope,
            parts,
            body,
            peer,
        } = accepted;
        let key = provider::event_key(&envelope);
        let seen = self
            .repeats
            .lock()
            .expect("no panics while numbering")
            .see(key);
        if seen.repeats.is_some() {
            self.counts.repeats.fetch_add(1, Ordering::Relaxed);
        }
        let left_out = self.dedup && seen.repeats.is_some();
        let relayed = match &self.forward {
            // Boxed, as publishing is below: large futures that most runs never make, which
            // unboxed made every request's future 1 KB larger (of the 6 KB that hyper's
            // dispatcher moves into place as it takes each request).
            Some(forwarder) if !left_out => Some(Box::pin(forwarder.relay(&parts, body)).await),
            _ => None,
        };
        let message = self.publisher.as_ref().map(|p| p.message(&envelope));
        let repeat = seen.repeats.map(|of| Note::Repeat { of });
        let (recorded, is_recorded) = match self.awaits_handling {
            true => {
                let (recorded, is_recorded) = oneshot::channel();
                (Some(recorded), Some(is_recorded))
            }
            false => (None, None),
        };
        let job = Job {
            notes: repeat
                .into_iter()
                .chain(relayed.as_ref().map(Relayed::note))
                .collect(),
            decision: left_out.then_some(Decision::Drop),
            recorded,
            ..Job::new(envelope)
        };
        if self.sender.event(job).await.is_err() {
            return text(StatusCode::SERVICE_UNAVAILABLE, "telev is shutting down\n");
        }
        let handled = async {
            match is_recorded {
                Some(is_recorded) => is_recorded.await.is_ok(),
                None => true,
            }
        };
        // Published while it is recorded; without --publish, only recorded.
        let (handled, published) = match (&self.publisher, message) {
            (Some(publisher), Some(message)) => {
                let publish = Box::pin(publisher.publish(message));
                let (handled, published) = tokio::join!(handled, publish);
                (handled, Some(published))
            }
            _ => (handled.await, None),
        };
        if !handled {
            return text(StatusCode::SERVICE_UNAVAILABLE, "telev is shutting down\n");
        }
        match published {
            Some(Ok(())) => {
                self.counts.published.fetch_add(1, Ordering::Relaxed);
            }
            Some(Err(not_stored)) => {
                self.counts.not_published.fetch_add(1, Ordering::Relaxed);
                return self.not_published(&not_stored, &parts, peer);
            }
            None => {}
        }
        match relayed {
            Some(Relayed::Answered {
                response, status, ..
            }) => {
                if status >= 500 {
                    self.counts.app_errors.fetch_add(1, Ordering::Relaxed);
                }
                response
            }
            Some(Relayed::Failed { reason, .. }) => {
                self.counts.failed.fetch_add(1, Ordering::Relaxed);
                let response = text(StatusCode::BAD_GATEWAY, format!("{reason}\n"));
                if self.warn_failed_forwards {
                    let request = request_of(&parts, peer);
                    Notice::NotForwarded { request, reason }.tell();
                }
                response
            }
            None if left_out => text(StatusCode::OK, "ok (a duplicate)\n"),
            None => text(StatusCode::OK, "ok\n"),
        }
    }
}

impl Handling {
    /// The answer to an event not stored in JetStream: 503 so that the provider retries it
    /// (it is recorded and shown here meanwhile), or 413 for one no retry can store.
    fn not_published(
        &self,
        not_stored: &NotStored,
        parts: &hyper::http::request::Parts,
        peer: SocketAddr,
    ) -> Response<Body> {
        let request = request_of(parts, peer);
        let mut warning = self.not_published.lock().expect("no panics while warning");
        warning.warn(format_args!(
            "{request}: not published to NATS: {not_stored}"
        ));
        let status = match not_stored {
            NotStored::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            NotStored::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        text(status, format!("not stored: {not_stored}\n"))
    }
}
