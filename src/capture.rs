//! Capture files: one envelope per line, appended and flushed per event, so a capture is
//! whole up to the last event even when the process is killed.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::envelope::Envelope;

pub struct CaptureWriter {
    file: File,
    path: PathBuf,
    line: Vec<u8>,
}

impl CaptureWriter {
    pub fn append(path: &Path) -> Result<CaptureWriter> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open capture file {}", path.display()))?;
        Ok(CaptureWriter {
            file,
            path: path.to_path_buf(),
            line: Vec::with_capacity(4096),
        })
    }

    /// Writes one event as a single `write` of a whole line, so a kill never tears it.
    pub fn write_envelope(&mut self, envelope: &Envelope) -> io::Result<()> {
        self.line.clear();
        envelope.write_line(&mut self.line);
        self.file.write_all(&self.line)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads events back: capture lines, or plain provider payloads (one JSON per line, or a
/// Telphin form body per line). Streams line by line in constant memory.
pub struct CaptureReader {
    input: Box<dyn std::io::BufRead + Send>,
    name: String,
    line: u64,
    buffer: Vec<u8>,
    provider: Option<crate::provider::Provider>,
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
        }
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
            let at = format!("{}:{}", self.name, self.line);
            return Some(
                read_line(text, self.provider).map_err(|reason| BadLine { at, reason }.into()),
            );
        }
    }
}

/// One line as an event: a capture envelope, or a provider payload made into one.
fn read_line(
    text: &[u8],
    provider: Option<crate::provider::Provider>,
) -> std::result::Result<Envelope, String> {
    use crate::provider::{self, Provider};
    use crate::wire::{HttpWire, SseWire};
    let looks_json = text.starts_with(b"{");
    if looks_json && provider.is_none() {
        match serde_json::from_slice::<Envelope>(text) {
            Ok(envelope) => return Ok(envelope),
            Err(err) if memchr::memmem::find(text, b"\"wire\"").is_some() => {
                return Err(format!("not a valid capture line: {err}"));
            }
            Err(_) => {}
        }
    }
    let now = jiff::Timestamp::now();
    let mut envelope = if provider == Some(Provider::Cytracom) {
        let payload: serde_json::Value =
            serde_json::from_slice(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let event = crate::provider::fields::event_name(&payload).unwrap_or_default();
        let data = String::from_utf8_lossy(text).into_owned();
        provider::decode_sse(
            "chan",
            SseWire {
                event,
                id: None,
                data,
            },
            now,
        )
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
