//! Where events come from: an SSE stream we connect to, or webhooks pushed to us.

pub mod sse;
pub mod webhook;
