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

    /// Writes one event as a single `write` of a whole line.
    pub fn write(&mut self, envelope_json: &str) -> io::Result<()> {
        self.line.clear();
        self.line.extend_from_slice(envelope_json.as_bytes());
        self.line.push(b'\n');
        self.file.write_all(&self.line)
    }

    pub fn write_envelope(&mut self, envelope: &Envelope) -> io::Result<()> {
        self.write(&envelope.to_json())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
