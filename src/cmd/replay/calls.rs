//! `replay --calls`: the capture read whole, without pacing, into one row per call.

use std::process::ExitCode;

use anyhow::Result;

use crate::calls::CallTable;
use crate::messages;
use crate::print::counted;
use crate::select::Selection;
use crate::settings::{OutputMode, Settings};
use crate::source::files::Files;

/// `--calls`: one row per call.
pub async fn run(input: &Files, selection: &Selection, settings: &Settings) -> Result<ExitCode> {
    let mut arriving = input.spawn(selection.clone());
    let mut table = CallTable::default();
    while let Some(next) = arriving.recv().await {
        let (envelope, decision) = next?;
        if decision.chosen() {
            table.add(&envelope);
        }
    }
    selection.tell_total();
    let without = counted(table.without_call_id, "event", "events");
    if table.calls().is_empty() {
        messages::status(&format!("no calls: {without} chosen, none with a call id"));
        return Ok(ExitCode::SUCCESS);
    }
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match settings.output {
        OutputMode::Pretty | OutputMode::Table => {
            let columns = settings.columns;
            let rows = crate::print::call_table(&table, settings.color, &settings.clock, columns);
            writeln!(out, "{rows}")?;
        }
        OutputMode::Ndjson | OutputMode::Raw => {
            for call in table.calls() {
                serde_json::to_writer(&mut out, call)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    if table.without_call_id > 0 {
        messages::status(&format!("{without} had no call id"));
    }
    Ok(ExitCode::SUCCESS)
}
