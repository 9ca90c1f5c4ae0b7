//! Every provider's decoder on an arbitrary body, as a webhook and (Cytracom) as SSE data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telev::provider::{self, Provider};
use telev::envelope::wire::{HttpWire, SseWire};

fuzz_target!(|data: &[u8]| {
    let at = jiff::Timestamp::UNIX_EPOCH;
    let providers = Provider::ALL.iter().copied().map(Some).chain([None]);
    for provider in providers {
        let headers = [("Content-Type", &b"application/json"[..])];
        let wire = HttpWire::new("POST", "/hook", None, headers, data);
        let _ = provider::decode_http(provider, wire, at);
    }
    let text = String::from_utf8_lossy(data).into_owned();
    for stream in telev::envelope::Stream::SSE {
        let wire = SseWire {
            event: String::new(),
            id: None,
            data: text.clone(),
        };
        let _ = provider::decode_sse(stream, wire, at);
    }
});
