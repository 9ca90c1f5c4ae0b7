//! Where events come from: an SSE stream telev connects to, webhooks pushed to it, or capture
//! files read back.

pub(crate) mod files;
pub(crate) mod nats;
pub mod sse;
pub mod webhook;
