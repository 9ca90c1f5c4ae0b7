//! `replay --to`: each chosen event delivered to the app, one at a time or several at once,
//! its answer counted and noted on its line.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::envelope::Envelope;
use crate::pipeline::{self, Job};
use crate::print::{Note, Report, counted};
use crate::select::Decision;
use crate::{forward, messages, stop};

pub struct Deliveries {
    deliverer: Deliverer,
    concurrency: usize,
    /// Several at once: polled on the replay's own task, beside whatever it waits for
    /// ([`Deliveries::beside`]), where a task spawned for each cost 4% more CPU a delivery.
    in_flight: FuturesUnordered<Delivery>,
    started: u64,
}

type Delivery = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What each delivery needs besides its event.
#[derive(Clone)]
struct Deliverer {
    courier: Arc<forward::Courier>,
    target: Arc<forward::Aim>,
    retries: u32,
    report: Arc<Mutex<Report>>,
}

/// How the deliveries went, once they are over.
pub struct Outcome {
    report: Report,
    /// Started but neither answered nor failed when the run was stopped.
    abandoned: u64,
}

impl Deliveries {
    pub fn new(target: reqwest::Url, concurrency: usize, retries: u32) -> Deliveries {
        Deliveries {
            deliverer: Deliverer {
                courier: Arc::new(forward::Courier::for_target(&target)),
                target: Arc::new(forward::Aim::new(target)),
                retries,
                report: Arc::default(),
            },
            concurrency,
            in_flight: FuturesUnordered::new(),
            started: 0,
        }
    }

    /// Each delivery is awaited before the next starts (`--concurrency 1`, the default).
    pub fn in_order(&self) -> bool {
        self.concurrency == 1
    }

    /// Delivers one event once there is room, then hands it to the pipeline with its note.
    pub async fn start(
        &mut self,
        envelope: Box<Envelope>,
        decision: Decision,
        to: &pipeline::Gathering<Box<Envelope>>,
    ) {
        // Room first, so that a stop while waiting for it counts no delivery as under way.
        while self.in_flight.len() >= self.concurrency {
            self.in_flight.next().await;
        }
        let delivery = self
            .deliverer
            .clone()
            .deliver(envelope, decision, to.clone());
        self.started += 1;
        if self.in_order() {
            // In order (the default): awaited here, sparing each event a hop to another
            // thread (10-20% of the rate).
            delivery.await;
        } else {
            self.in_flight.push(Box::pin(delivery));
        }
    }

    /// Waits for `step` while the deliveries under way go on: they move only when polled,
    /// so everything the replay waits for (the reader, the pace, the queue) goes through here.
    /// They are polled first: a step that is always ready at once (a reader far ahead, events
    /// passed over at `--speed max`) must not keep answers that have come waiting.
    pub async fn beside<T>(&mut self, step: impl Future<Output = T>) -> T {
        let mut step = std::pin::pin!(step);
        loop {
            tokio::select! {
                biased;
                Some(()) = self.in_flight.next(), if !self.in_flight.is_empty() => {}
                value = &mut step => return value,
            }
        }
    }

    /// Waits for the deliveries under way (unless the run was `stopped`, or is while they
    /// finish), and says how they went.
    pub async fn finish(
        mut self,
        stopped: bool,
        deadline: Option<Instant>,
        done: &mut watch::Receiver<bool>,
    ) -> Outcome {
        if !stopped {
            let finished = async { while self.in_flight.next().await.is_some() {} };
            tokio::select! {
                () = finished => {}
                () = stop::until(deadline, done) => {}
            }
        }
        // What is still under way is abandoned.
        self.in_flight.clear();
        let report = self
            .deliverer
            .report
            .lock()
            .expect("no panics while counting");
        Outcome {
            abandoned: self.started - report.sent(),
            report: report.clone(),
        }
    }
}

impl Deliverer {
    async fn deliver(
        self,
        envelope: Box<Envelope>,
        decision: Decision,
        to: pipeline::Gathering<Box<Envelope>>,
    ) {
        let delivery =
            forward::deliver(&self.courier, &self.target, &envelope.wire, self.retries).await;
        self.report
            .lock()
            .expect("no panics while counting")
            .add(&envelope.event_type, &delivery);
        let job = Job {
            notes: vec![Note::Delivered(delivery)],
            decision: Some(decision),
            ..Job::new(envelope)
        };
        let _ = to.event(job).await;
    }
}

impl Outcome {
    /// The report by event type, and what a stop left under way.
    pub fn tell(&self, color: bool) {
        if self.report.sent() > 0 {
            messages::rendered(&self.report.render(color));
        }
        if self.abandoned > 0 {
            let deliveries = counted(self.abandoned, "delivery", "deliveries");
            messages::status(&format!(
                "stopped with {deliveries} under way: the app may or may not have them"
            ));
        }
    }

    /// The run's error when deliveries failed.
    pub fn failure(&self) -> Option<anyhow::Error> {
        self.report.failure()
    }
}
