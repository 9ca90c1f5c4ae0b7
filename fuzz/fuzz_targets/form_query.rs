//! Telphin's form and query decoding (query string, form body, fields in headers) on
//! arbitrary text: errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telev::provider::{self, Provider};
use telev::envelope::wire::HttpWire;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, body) = text.split_once('\n').unwrap_or((&text, ""));
    for method in ["GET", "POST"] {
        let headers = [
            ("Content-Type", &b"application/x-www-form-urlencoded"[..]),
            ("X-Event-Type", query.as_bytes()),
        ];
        let wire = HttpWire::new(method, "/hook", Some(query), headers, body.as_bytes());
        let _ = provider::decode_http(Some(Provider::Telphin), wire.clone(), jiff::Timestamp::UNIX_EPOCH);
        let _ = provider::decode_http(None, wire, jiff::Timestamp::UNIX_EPOCH);
    }
});
