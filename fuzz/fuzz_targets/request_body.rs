//! A webhook body as a sender may send it: compressed (gzip, deflate, both, or a coding telev
//! does not know) and in a charset of its choosing, through the content decoding and every
//! provider's decoder. Errors are fine; panics, and output past the limit, are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telev::envelope::wire::HttpWire;
use telev::provider::{self, Provider};

const CODINGS: [&[u8]; 5] = [b"gzip", b"deflate", b"gzip, deflate", b"identity", b"br"];
const TYPES: [&[u8]; 5] = [
    b"application/json",
    b"application/json; charset=windows-1251",
    b"application/x-www-form-urlencoded; charset=koi8-r",
    b"text/plain; charset=\"utf-16le\"",
    b"application/json; charset=nonsense",
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else { return };
    let coding = CODINGS[usize::from(choice) % CODINGS.len()];
    let content_type = TYPES[usize::from(choice / 8) % TYPES.len()];
    let max = 1 << 16;
    let Ok(content) = provider::content(&[coding], body, max) else { return };
    assert!(content.len() <= max);
    let headers = [("Content-Type", content_type), ("Content-Encoding", coding)];
    let wire = HttpWire::new("POST", "/hook", Some("a=%C7"), headers, body);
    for provider in Provider::KNOWN.iter().copied().map(Some).chain([None]) {
        let _ = provider::decode_http_content(provider, wire.clone(), &content, jiff::Timestamp::UNIX_EPOCH);
    }
});
