//! Capture files: one envelope per line, appended and flushed per event, so a capture is
//! whole up to the last event even when the process is killed.
//!
//! A line goes out in one `write`, but Linux lets SIGKILL cut a write short where it crosses
//! a page of the file, so a killed writer can leave the start of its last line. The next
//! writer to open the capture removes that fragment before appending, and a reader names it
//! for what it is.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::envelope::{Envelope, Stream};

pub struct CaptureWriter {
    file: File,
    path: PathBuf,
    line: Vec<u8>,
}

impl CaptureWriter {
    pub fn append(path: &Path) -> Result<CaptureWriter> {
        // Read too, to mend its end, only if it is a file: holding the read end of a pipe
        // (`--record >(gzip > day.gz)`) would keep writes from failing when the reader goes.
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        let mut options = OpenOptions::new();
        options.create(true).read(regular).append(true);
        // A capture holds a phone system's calls: made for its owner's eyes only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(path)
            .with_context(|| format!("cannot open capture file {}", path.display()))?;
        warn_if_readable_by_others(&file, path);
        let mended = mend_last_line(&mut file)
            .with_context(|| format!("cannot mend the end of capture file {}", path.display()))?;
        if let Mended::TornLineRemoved(bytes) = mended {
            crate::messages::warn(&format!(
                "{}: removed the torn start of an event ({bytes} bytes) that a killed writer \
                 left at its end",
                path.display()
            ));
        }
        Ok(CaptureWriter {
            file,
            path: path.to_path_buf(),
            line: Vec::with_capacity(4096),
        })
    }

    /// Writes one event as a single `write` of a whole line: nothing is buffered, and only a
    /// SIGKILL during this call can leave part of it (see the module's note).
    pub fn write_envelope(&mut self, envelope: &Envelope) -> io::Result<()> {
        self.line.clear();
        envelope.write_line(&mut self.line);
        self.file.write_all(&self.line)
    }

    /// The last event written, as its line (newline and all): what `-o ndjson` prints of it.
    pub fn last_line(&self) -> &[u8] {
        &self.line
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A capture that others may read, appended to: it was made so, or by another tool.
#[cfg(unix)]
fn warn_if_readable_by_others(file: &File, path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.permissions().mode() & 0o044 != 0
    {
        let path = path.display();
        crate::messages::warn(&format!(
            "{path} is readable by others, and a capture holds your calls: chmod 600 {path}"
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &File, _: &Path) {}

/// What [`mend_last_line`] found at the end of a file about to be appended to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mended {
    /// Empty, ending in a newline, or not a regular file (a pipe, `/dev/stdout`).
    Whole,
    /// The start of an envelope line with no end: a writer killed mid-event. Truncated.
    TornLineRemoved(u64),
    /// Some other text without a final newline (not a capture telev wrote): one is added
    /// so that the first event starts a line of its own, and the text is left as it was.
    NewlineAdded,
}

/// Makes the file end in a whole line before events are appended to it. (A second telev
/// recording into the same file at that very moment could be caught between the pages of a
/// line; both writing to one capture is otherwise safe, each line being one append.)
fn mend_last_line(file: &mut File) -> io::Result<Mended> {
    let meta = file.metadata()?;
    let len = meta.len();
    if !meta.is_file() || len == 0 {
        return Ok(Mended::Whole);
    }
    let mut last = [0u8];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(Mended::Whole);
    }
    let start = last_line_start(file, len)?;
    let mut head = [0u8; ENVELOPE_START.len()];
    file.seek(SeekFrom::Start(start))?;
    let torn = len - start >= head.len() as u64
        && file.read_exact(&mut head).is_ok()
        && head == *ENVELOPE_START;
    if torn {
        file.set_len(start)?;
        Ok(Mended::TornLineRemoved(len - start))
    } else {
        file.write_all(b"\n")?;
        Ok(Mended::NewlineAdded)
    }
}

/// How every envelope line starts.
const ENVELOPE_START: &[u8] = b"{\"provider\":\"";

/// Where the file's last line starts, reading backwards a block at a time.
fn last_line_start(file: &mut File, len: u64) -> io::Result<u64> {
    let mut block = vec![0u8; 64 * 1024];
    let mut end = len;
    while end > 0 {
        let start = end.saturating_sub(block.len() as u64);
        let block = &mut block[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(block)?;
        if let Some(at) = memchr::memrchr(b'\n', block) {
            return Ok(start + at as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// The last whole event a capture holds (a torn end, as a killed writer leaves, is passed
/// over); `None` for a capture that is not there yet or holds none.
pub fn last_event(path: &Path) -> Result<Option<Envelope>> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(anyhow::Error::new(err).context(format!("cannot open {}", path.display())));
        }
    };
    let read = |file: &mut File| -> io::Result<Option<Vec<u8>>> {
        let mut end = file.metadata()?.len();
        while end > 0 {
            // The last line that ends in a newline, within the first `end` bytes.
            let mut last = [0u8];
            file.seek(SeekFrom::Start(end - 1))?;
            file.read_exact(&mut last)?;
            let start = last_line_start(file, end - 1)?;
            if last[0] == b'\n' && end - 1 > start {
                let mut line = vec![0; (end - 1 - start) as usize];
                file.seek(SeekFrom::Start(start))?;
                file.read_exact(&mut line)?;
                if !line.trim_ascii().is_empty() {
                    return Ok(Some(line));
                }
            }
            end = start;
        }
        Ok(None)
    };
    let Some(line) = read(&mut file).with_context(|| format!("cannot read {}", path.display()))?
    else {
        return Ok(None);
    };
    let envelope = serde_json::from_slice(&line)
        .with_context(|| format!("the last line of {} is not a capture line", path.display()))?;
    Ok(Some(envelope))
}

/// Reads events back: capture lines, or plain provider payloads (one JSON per line, or a
/// Telphin form body per line). Streams line by line in constant memory.
pub struct CaptureReader {
    input: Box<dyn std::io::BufRead + Send>,
    name: String,
    line: u64,
    buffer: Vec<u8>,
    provider: Option<crate::provider::Provider>,
    /// Read each event's state column again (its payload parsed once more), for output that
    /// shows it.
    states: bool,
}

/// A line that is not an event, with where it is.
#[derive(Debug)]
pub struct BadLine {
    pub at: String,
    pub reason: String,
}

impl std::fmt::Display for BadLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

impl std::error::Error for BadLine {}

impl CaptureReader {
    /// Opens `path` (`-` is stdin; a `.gz` name is decompressed on the fly).
    pub fn open(path: &Path, provider: Option<crate::provider::Provider>) -> Result<CaptureReader> {
        use std::io::BufReader;
        let name = path.display().to_string();
        let input: Box<dyn std::io::BufRead + Send> = if name == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
            if path.extension().is_some_and(|e| e == "gz") {
                Box::new(BufReader::with_capacity(
                    256 * 1024,
                    flate2::read::MultiGzDecoder::new(file),
                ))
            } else {
                Box::new(BufReader::with_capacity(256 * 1024, file))
            }
        };
        Ok(CaptureReader::from_reader(name, input, provider))
    }

    /// Reads from `input`, naming it `name` in errors.
    pub fn from_reader(
        name: String,
        input: Box<dyn std::io::BufRead + Send>,
        provider: Option<crate::provider::Provider>,
    ) -> CaptureReader {
        CaptureReader {
            input,
            name,
            line: 0,
            buffer: Vec::with_capacity(4096),
            provider,
            states: true,
        }
    }

    /// Whether envelopes read back get their state column (they do unless told otherwise):
    /// only pretty and table lines and the call table show it.
    pub fn states(mut self, states: bool) -> CaptureReader {
        self.states = states;
        self
    }

    /// Where the last event read came from: the input's name and its line.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The line the last event read was on, from 1.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The next event; `Err(BadLine)` for a line that is not one (reading may go on after
    /// it); an I/O failure ends the input with an error.
    pub fn next_event(&mut self) -> Option<Result<Envelope>> {
        loop {
            self.buffer.clear();
            match self.input.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(err) => {
                    let err = anyhow::Error::new(err).context(format!("cannot read {}", self.name));
                    return Some(Err(err));
                }
            }
            self.line += 1;
            let text = self.buffer.trim_ascii();
            if text.is_empty() {
                continue;
            }
            let torn = !self.buffer.ends_with(b"\n") && text.starts_with(ENVELOPE_START);
            let states = self.states;
            return Some(read_line(text, self.provider, states).map_err(|reason| {
                // Why the start of an envelope does not parse is no news.
                let reason = if torn {
                    "the file ends inside this event, as when its writer is killed".into()
                } else {
                    reason
                };
                let at = format!("{}:{}", self.name, self.line);
                BadLine { at, reason }.into()
            }));
        }
    }
}

/// One line as an event: a capture envelope, or a provider payload made into one.
fn read_line(
    text: &[u8],
    provider: Option<crate::provider::Provider>,
    states: bool,
) -> std::result::Result<Envelope, String> {
    use crate::envelope::{HttpWire, SseWire};
    use crate::provider;
    let looks_json = text.starts_with(b"{");
    if looks_json && provider.is_none() {
        // The line is checked as UTF-8 once, not string by string (serde_json's slice reader
        // checks each); one that is not gets the slice reader's error, which says where.
        let read = match std::str::from_utf8(text) {
            Ok(line) => serde_json::from_str::<Envelope>(line),
            Err(_) => serde_json::from_slice::<Envelope>(text),
        };
        match read {
            Ok(mut envelope) => {
                if states {
                    envelope.state = provider::state(&envelope);
                }
                return Ok(envelope);
            }
            Err(err) if memchr::memmem::find(text, b"\"wire\"").is_some() => {
                return Err(format!("not a valid capture line: {err}"));
            }
            Err(_) => {}
        }
    }
    let now = jiff::Timestamp::now();
    let mut envelope = if let Some(payload) = cytracom_payload(text, provider)? {
        let event = provider::fields::event_name(&payload).unwrap_or_default();
        let stream = Stream::of_event(&event).unwrap_or(Stream::Chan);
        let data = String::from_utf8_lossy(text).into_owned();
        let wire = SseWire {
            event,
            id: None,
            data: data.into(),
        };
        provider::decode_sse(stream, wire, now)
    } else {
        let content_type: &[u8] = if looks_json {
            b"application/json"
        } else {
            b"application/x-www-form-urlencoded"
        };
        let wire = HttpWire::new("POST", "/", None, [("content-type", content_type)], text);
        provider::decode_http(provider, wire, now).map_err(|e| e.to_string())?
    };
    // A payload file has no arrival times of its own: the event's time stands in.
    envelope.received = envelope.time.unwrap_or(now);
    Ok(envelope)
}

/// A line's payload when it is Cytracom's, named by `--provider` or recognised by its shape:
/// Cytracom sends events over SSE, so it becomes an SSE event rather than a webhook.
fn cytracom_payload(
    text: &[u8],
    provider: Option<crate::provider::Provider>,
) -> std::result::Result<Option<serde_json::Value>, String> {
    use crate::provider::{self, Provider};
    match provider {
        Some(Provider::Cytracom) => serde_json::from_slice(text)
            .map(Some)
            .map_err(|e| format!("not valid JSON: {e}")),
        Some(_) => Ok(None),
        None => Ok(serde_json::from_slice(text)
            .ok()
            .filter(|payload| provider::detect(payload) == Some(Provider::Cytracom))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(text: &[u8]) -> (Mended, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("capture.ndjson");
        std::fs::write(&path, text).unwrap();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&path)
            .unwrap();
        let mended = mend_last_line(&mut file).unwrap();
        (mended, std::fs::read(&path).unwrap())
    }

    #[test]
    fn a_torn_envelope_is_cut_back_to_the_last_whole_line() {
        let whole = "{\"provider\":\"demo\"}\n".repeat(3);
        let fragment = "{\"provider\":\"cytracom\",\"str";
        let removed = Mended::TornLineRemoved(fragment.len() as u64);
        let torn = format!("{whole}{fragment}");
        assert_eq!(mended(torn.as_bytes()), (removed, whole.into()));
        assert_eq!(mended(fragment.as_bytes()), (removed, Vec::new()));
    }

    #[test]
    fn a_torn_line_longer_than_a_block_is_found() {
        let torn = format!("{{}}\n{{\"provider\":\"{}", "x".repeat(200_000));
        assert_eq!(
            mended(torn.as_bytes()),
            (Mended::TornLineRemoved(200_013), b"{}\n".into())
        );
    }

    #[test]
    fn other_text_is_kept_and_given_a_newline() {
        assert_eq!(
            mended(b"notes\nno newline"),
            (Mended::NewlineAdded, b"notes\nno newline\n".into())
        );
        assert_eq!(
            mended(b"{\"provid"),
            (Mended::NewlineAdded, b"{\"provid\n".into())
        );
    }

    #[test]
    fn whole_files_are_left_alone() {
        assert_eq!(mended(b""), (Mended::Whole, Vec::new()));
        assert_eq!(mended(b"{}\n"), (Mended::Whole, b"{}\n".into()));
    }

    #[test]
    fn envelope_lines_start_as_the_mending_expects() {
        let envelope = crate::sample::envelopes(1, 7, jiff::Timestamp::now())
            .next()
            .unwrap();
        let mut line = Vec::new();
        envelope.write_line(&mut line);
        assert!(line.starts_with(ENVELOPE_START));
    }
}
