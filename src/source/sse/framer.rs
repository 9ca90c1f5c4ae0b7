//! Server-Sent Events framing, as the WHATWG HTML standard's "event stream interpretation"
//! (§9.2.6) says, fed bytes as the network cuts them: the stream is UTF-8 with one leading
//! byte-order mark stripped and invalid sequences replaced by U+FFFD; a line ends at CRLF, LF
//! or CR alone (and an event is dispatched as soon as its blank line ends, a lone CR
//! included); `id:` sets the last event id (empty resets it, a NUL ignores it) whether or not
//! the block has data; `retry:` counts only when all ASCII digits. Lines are found with
//! `memchr` and read in place: only a line cut between two chunks is copied.

use std::time::Duration;

use crate::envelope::SseWire;

/// An event grew past the limit before its blank line: the server would send it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oversize(pub usize);

#[derive(Debug)]
pub struct Framer {
    /// The start of a line cut by the end of the last chunk.
    partial: Vec<u8>,
    /// The last chunk ended in CR: an LF first in the next ends no other line.
    after_cr: bool,
    /// Past the stream's first bytes, where a byte-order mark may stand.
    started: bool,
    event: String,
    data: String,
    /// The last event id: it outlives events and, carried by the connector, connections.
    last_id: String,
    /// The current event's bytes so far (its lines, comments aside), against `limit`.
    size: usize,
    limit: usize,
    retry: Option<Duration>,
    /// Some bytes were not UTF-8 (replaced by U+FFFD).
    lossy: bool,
}

impl Framer {
    /// A stream resuming after `last_id`, with events of `limit` bytes at most.
    pub fn new(last_id: Option<&str>, limit: usize) -> Framer {
        Framer {
            partial: Vec::new(),
            after_cr: false,
            started: false,
            event: String::new(),
            data: String::new(),
            last_id: last_id.unwrap_or_default().to_owned(),
            size: 0,
            limit,
            retry: None,
            lossy: false,
        }
    }

    /// Reads a chunk, pushing each event it completes onto `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<SseWire>) -> Result<(), Oversize> {
        if !self.started {
            // The first bytes may be a byte-order mark, possibly cut between chunks.
            self.partial.extend_from_slice(chunk);
            const BOM: &[u8] = b"\xef\xbb\xbf";
            if self.partial.len() < BOM.len() && BOM.starts_with(&self.partial) {
                return Ok(());
            }
            self.started = true;
            let head = std::mem::take(&mut self.partial);
            let head = head.strip_prefix(BOM).unwrap_or(&head);
            return self.lines(head, out);
        }
        if std::mem::take(&mut self.after_cr) && chunk.first() == Some(&b'\n') {
            chunk = &chunk[1..];
        }
        self.lines(chunk, out)
    }

    fn lines(&mut self, mut bytes: &[u8], out: &mut Vec<SseWire>) -> Result<(), Oversize> {
        while let Some(end) = memchr::memchr2(b'\n', b'\r', bytes) {
            if self.partial.is_empty() {
                self.line(&bytes[..end], out)?;
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&bytes[..end]);
                self.line(&line, out)?;
                line.clear();
                self.partial = line;
            }
            let cr = bytes[end] == b'\r';
            bytes = &bytes[end + 1..];
            if cr {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        if self.size + self.partial.len() + bytes.len() > self.limit {
            return Err(Oversize(self.limit));
        }
        self.partial.extend_from_slice(bytes);
        Ok(())
    }

    /// One whole line, without its end.
    fn line(&mut self, line: &[u8], out: &mut Vec<SseWire>) -> Result<(), Oversize> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        self.size += line.len() + 1;
        if self.size > self.limit {
            return Err(Oversize(self.limit));
        }
        let (field, value) = match memchr::memchr(b':', line) {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        match field {
            b"data" => {
                let value = self.text(value);
                self.data.push_str(&value);
                self.data.push('\n');
            }
            b"event" => self.event = self.text(value).into_owned(),
            b"id" if !value.contains(&0) => self.last_id = self.text(value).into_owned(),
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                // More digits than a u64 holds is longer than anyone waits.
                let millis = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
                self.retry = Some(Duration::from_millis(millis.unwrap_or(u64::MAX)));
            }
            _ => {}
        }
        Ok(())
    }

    fn text<'a>(&mut self, bytes: &'a [u8]) -> std::borrow::Cow<'a, str> {
        // The usual case first: std's check of valid UTF-8 is faster than the lossy walk.
        if let Ok(text) = std::str::from_utf8(bytes) {
            return std::borrow::Cow::Borrowed(text);
        }
        self.lossy = true;
        String::from_utf8_lossy(bytes)
    }

    /// A blank line: the event so far, if it has data (an id alone has been taken already).
    fn dispatch(&mut self, out: &mut Vec<SseWire>) {
        self.size = 0;
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        let event = if event.is_empty() {
            "message".to_owned()
        } else {
            event
        };
        let id = (!self.last_id.is_empty()).then(|| self.last_id.clone());
        let data = data.into();
        out.push(SseWire { event, id, data });
    }

    /// The last event id: sent again as `Last-Event-ID`, unless it is empty.
    pub fn last_id(&self) -> Option<&str> {
        Some(self.last_id.as_str()).filter(|id| !id.is_empty())
    }

    /// The last `retry:` the stream gave.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Whether some bytes were not UTF-8 (each shown as U+FFFD).
    pub fn lossy(&self) -> bool {
        self.lossy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of `stream` fed whole, then cut at every byte.
    fn events(stream: &[u8]) -> Vec<SseWire> {
        let whole = {
            let mut framer = Framer::new(None, usize::MAX);
            let mut out = Vec::new();
            framer.feed(stream, &mut out).unwrap();
            out
        };
        let mut framer = Framer::new(None, usize::MAX);
        let mut out = Vec::new();
        for byte in stream.chunks(1) {
            framer.feed(byte, &mut out).unwrap();
        }
        assert_eq!(out, whole, "cut at every byte");
        whole
    }

    fn wire(event: &str, id: Option<&str>, data: &str) -> SseWire {
        SseWire {
            event: event.into(),
            id: id.map(str::to_owned),
            data: data.into(),
        }
    }

    // The WHATWG HTML standard's own examples (§9.2.6).
    #[test]
    fn the_standards_examples() {
        let stream = b"data: YHOO\ndata: +2\ndata: 10\n\n";
        assert_eq!(events(stream), [wire("message", None, "YHOO\n+2\n10")]);
        let stream = b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";
        assert_eq!(
            events(stream),
            [
                wire("message", Some("1"), "first event"),
                wire("message", None, "second event"),
                wire("message", None, " third event"),
            ]
        );
        let stream = b"data\n\ndata\ndata\n\ndata:";
        assert_eq!(
            events(stream),
            [wire("message", None, ""), wire("message", None, "\n")]
        );
        let stream = b"data:test\n\ndata: test\n\n";
        let test = wire("message", None, "test");
        assert_eq!(events(stream), [test.clone(), test]);
    }

    #[test]
    fn every_line_end_and_a_lone_cr_dispatches_at_once() {
        for end in ["\n", "\r\n", "\r"] {
            let stream = format!("event: a{end}data: 1{end}{end}");
            assert_eq!(events(stream.as_bytes()), [wire("a", None, "1")], "{end:?}");
        }
        // The blank line's CR ends it: nothing waits for a byte that may never come.
        let mut framer = Framer::new(None, usize::MAX);
        let mut out = Vec::new();
        framer.feed(b"data: x\r\r", &mut out).unwrap();
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn ids_reset_carry_over_and_may_come_alone() {
        let stream = b"id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 9\n\ndata: d\n\nid: x\0y\ndata: e\n\n";
        let ids: Vec<Option<String>> = events(stream).into_iter().map(|e| e.id).collect();
        let expected = [Some("7"), Some("7"), None, Some("9"), Some("9")];
        assert_eq!(ids, expected.map(|id| id.map(str::to_owned)));
        let mut framer = Framer::new(Some("41"), usize::MAX);
        framer.feed(b"id: 42\n\n", &mut Vec::new()).unwrap();
        assert_eq!(framer.last_id(), Some("42"), "an id alone updates it");
        framer.feed(b"id:\n\n", &mut Vec::new()).unwrap();
        assert_eq!(framer.last_id(), None, "an empty id resets it");
    }

    #[test]
    fn retry_counts_only_when_all_digits() {
        let mut framer = Framer::new(None, usize::MAX);
        for (line, retry) in [
            ("retry: 2500\n", Some(2500)),
            ("retry: 10s\n", Some(2500)),
            ("retry: -1\n", Some(2500)),
            ("retry:\n", Some(2500)),
            ("retry: 0\n", Some(0)),
        ] {
            framer.feed(line.as_bytes(), &mut Vec::new()).unwrap();
            assert_eq!(framer.retry(), retry.map(Duration::from_millis), "{line}");
        }
    }

    #[test]
    fn a_bom_is_stripped_once_and_bad_bytes_become_replacement_characters() {
        let stream =
            b"\xef\xbb\xbfdata: a\n\n\xef\xbb\xbfdata: b\n\ndata: \xff\xfe ok\n\ndata: after\n\n";
        let data: Vec<String> = events(stream)
            .into_iter()
            .map(|e| e.data.get().into_owned())
            .collect();
        assert_eq!(
            data,
            ["a", "\u{fffd}\u{fffd} ok", "after"],
            "the second BOM starts a field named '\\u{{feff}}data'"
        );
        let mut framer = Framer::new(None, usize::MAX);
        framer.feed(b"data: \xff\n\n", &mut Vec::new()).unwrap();
        assert!(framer.lossy());
    }

    #[test]
    fn an_event_past_the_limit_is_refused_before_it_is_held() {
        let mut framer = Framer::new(None, 20);
        let mut out = Vec::new();
        assert!(
            framer
                .feed(b"data: 12345\n\n: a long comment is no event\n\n", &mut out)
                .is_ok()
        );
        assert_eq!(
            framer.feed(b"data: 123456789012345", &mut out),
            Err(Oversize(20))
        );
        assert_eq!(out.len(), 1);
    }
}
