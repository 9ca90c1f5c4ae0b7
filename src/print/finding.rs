//! `telev check`'s findings: one line each for people (`FILE:LINE  RULE  CALL  what`), one
//! JSON object each for scripts.

use std::io::{self, Write};

use owo_colors::{OwoColorize, Style};

use super::visible::visible;
use crate::calls::check::Finding;
use crate::settings::OutputMode;

pub fn finding(
    out: &mut impl Write,
    finding: &Finding,
    mode: OutputMode,
    color: bool,
) -> io::Result<()> {
    match mode {
        OutputMode::Ndjson | OutputMode::Raw => {
            serde_json::to_writer(&mut *out, finding)?;
            out.write_all(b"\n")
        }
        OutputMode::Pretty | OutputMode::Table | OutputMode::Board => {
            let style = if color {
                Style::new().yellow()
            } else {
                Style::new()
            };
            let call = finding.call_id.as_deref().unwrap_or("-");
            writeln!(
                out,
                "{}  {}  {}  {}",
                visible(&finding.place.to_string()),
                finding.rule.name().style(style),
                visible(call),
                visible(&finding.message),
            )
        }
    }
}
