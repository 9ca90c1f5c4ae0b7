//! Servers telev runs: the SSE endpoint (demo, `replay --serve`).

pub mod sse;
