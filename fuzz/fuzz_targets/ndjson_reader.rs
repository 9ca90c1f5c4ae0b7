//! The capture reader (envelopes, payload lines, torn lines) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telev::capture::CaptureReader;
use telev::provider::Provider;

fuzz_target!(|data: &[u8]| {
    for provider in [None, Some(Provider::Telphin), Some(Provider::Teltel)] {
        let input = Box::new(std::io::Cursor::new(data.to_vec()));
        let mut reader = CaptureReader::from_reader("fuzz".into(), input, provider);
        while reader.next_event().is_some() {}
    }
});
