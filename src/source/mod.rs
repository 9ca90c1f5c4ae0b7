//! Where events come from: an SSE stream telev connects to, webhooks pushed to it, or capture
//! files read back.

pub mod files;
pub mod sse;
pub mod webhook;
