//! The SSE parser on arbitrary bytes, whole and cut into pieces (the first byte says where):
//! it must not panic, and the pieces must read as the whole does.
#![no_main]

use bytes::Bytes;
use futures_util::StreamExt;
use libfuzzer_sys::fuzz_target;

fn read(chunks: Vec<Bytes>) -> Vec<Result<telev::envelope::wire::SseWire, String>> {
    let stream = futures_util::stream::iter(chunks.into_iter().map(Ok));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(telev::source::sse::parse(stream).collect())
}

fuzz_target!(|data: &[u8]| {
    let Some((&step, stream)) = data.split_first() else { return };
    let whole = read(vec![Bytes::copy_from_slice(stream)]);
    let step = usize::from(step.max(1));
    let pieces = stream.chunks(step).map(Bytes::copy_from_slice).collect();
    assert_eq!(read(pieces), whole);
});
