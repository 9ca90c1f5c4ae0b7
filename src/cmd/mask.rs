//! `telev mask`: captures read whole, merged by time, each event masked, written out as one
//! capture.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::mask::Mask;
use crate::source::files::Files;

pub fn run(input: Files) -> Result<ExitCode> {
    let mask = Mask::new();
    let mut input = input.merged()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut line = Vec::with_capacity(4096);
    while let Some(mut next) = input.next_event()? {
        mask.envelope(&mut next.envelope);
        line.clear();
        next.envelope.write_line(&mut line);
        out.write_all(&line)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
