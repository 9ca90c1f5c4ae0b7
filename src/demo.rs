//! `telev tail demo`: a simulator of realistic Cytracom calls, served over loopback SSE so the
//! real connector, decoder and printer run exactly as they do against a real account.
//! Event `n` of a stream is a pure function of `n`, so `Last-Event-ID` resumes exactly.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::envelope::{Provider, Stream};
use crate::fake;
use crate::serve::sse::{Feed, FeedRequest, frame};

/// The token the demo server expects; the demo passes it itself.
pub const TOKEN: &str = "demo";

/// The feed for the demo's SSE server: `rate` events per second on every stream.
pub fn feed(rate: f64, customer: &'static str) -> Feed {
    let epoch = jiff::Timestamp::now().as_millisecond();
    let period = Duration::from_secs_f64(1.0 / rate.clamp(0.01, 1_000_000.0));
    Arc::new(move |req: FeedRequest| {
        let start = req
            .last_event_id
            .and_then(|id| id.parse::<u64>().ok())
            .map_or(0, |id| id + 1);
        let stream = req.stream;
        // Scheduled against a start instant, so the rate holds even when sleeps overshoot.
        let first = tokio::time::Instant::now();
        futures_util::stream::unfold(start, move |n| {
            let deadline = first + period.mul_f64((n - start) as f64);
            async move {
                tokio::time::sleep_until(deadline).await;
                let (event, data) = event(stream, n, epoch, customer);
                Some((
                    frame(Some(&n.to_string()), &event, &data.to_string()),
                    n + 1,
                ))
            }
        })
        .boxed()
    })
}

/// Event `n` of `stream`: its SSE name and JSON payload.
pub fn event(stream: Stream, n: u64, epoch: i64, customer: &str) -> (String, Value) {
    let now = jiff::Timestamp::now().as_millisecond();
    match stream {
        Stream::Queue => fake::queue_event(n, now, epoch),
        Stream::Monitored => fake::monitored_event(n, epoch, now, customer),
        Stream::Chan | Stream::Webhook => chan_event(n, now, epoch, customer),
    }
}

/// Three events per call: dial_begin; dial_end once the next call has begun; hangup once three
/// calls after it have.
fn chan_event(n: u64, now: i64, epoch: i64, customer: &str) -> (String, Value) {
    let (call, step) = fake::scheduled(n, &[0, 1, 3]);
    let call = fake::Call::office(fake::linked_id(epoch, call), call);
    let mut step = call.steps(Provider::Cytracom, customer).swap_remove(step);
    step.payload["event_time"] = json!(now);
    (step.name, step.payload)
}
