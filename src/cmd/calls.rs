//! `telev calls` (and `replay --calls`): captures read whole, merged by time, into one row per
//! call, or one call's story (`--call`).

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::calls::CallTable;
use crate::calls::timeline::Gathered;
use crate::mask::Mask;
use crate::messages;
use crate::plan::Calls;
use crate::print::counted;
use crate::settings::{OutputMode, Settings};
use crate::source::files::{Located, Merged};

/// Call ids `--call` may name by their start before it asks for more of one.
const MOST_CANDIDATES: usize = 8;

pub fn run(plan: Calls, settings: &Settings) -> Result<ExitCode> {
    let input = Input {
        merged: plan.input.merged()?,
        mask: plan.mask.then(Mask::new),
    };
    match plan.call.clone() {
        None => table(input, plan, settings),
        Some(id) => story(input, plan, &id, settings),
    }
}

/// The captures' events, merged by time, masked with `--mask`.
struct Input {
    merged: Merged,
    mask: Option<Mask>,
}

impl Input {
    fn next(&mut self) -> Result<Option<Located>> {
        let mut next = self.merged.next_event()?;
        if let (Some(mask), Some(next)) = (&self.mask, &mut next) {
            mask.envelope(&mut next.envelope);
        }
        Ok(next)
    }
}

/// One row per call.
fn table(mut input: Input, plan: Calls, settings: &Settings) -> Result<ExitCode> {
    let mut selector = plan.selection.selector();
    let mut table = CallTable::default();
    while let Some(next) = input.next()? {
        if selector.decide(&next.envelope).chosen() {
            table.add(&next.envelope);
        }
    }
    plan.selection.tell_total();
    let without = counted(table.without_call_id, "event", "events");
    if table.calls().is_empty() {
        messages::status(&format!("no calls: {without} chosen, none with a call id"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match settings.output {
        OutputMode::Pretty | OutputMode::Table | OutputMode::Board => {
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

/// One call's story: the call whose id is `id`, or the one call whose id starts with it.
fn story(mut input: Input, plan: Calls, id: &str, settings: &Settings) -> Result<ExitCode> {
    let mut selector = plan.selection.selector();
    let mut candidates: HashMap<String, Gathered> = HashMap::new();
    while let Some(next) = input.next()? {
        let Some(call_id) = next.envelope.call_id.as_deref() else {
            continue;
        };
        if !call_id.starts_with(id) || !selector.decide(&next.envelope).chosen() {
            continue;
        }
        if !candidates.contains_key(call_id) && candidates.len() == MOST_CANDIDATES {
            // Keep gathering only the id itself, should it come.
            if call_id != id {
                continue;
            }
            candidates.retain(|candidate, _| candidate == id);
        }
        let gathered = candidates.entry(call_id.to_owned()).or_default();
        let leg = crate::provider::leg(&next.envelope);
        gathered.add(next.envelope, leg);
    }
    let chosen = match candidates.remove(id) {
        Some(exact) => exact,
        None if candidates.len() == 1 => candidates.into_values().next().unwrap_or_default(),
        None if candidates.is_empty() => {
            let files = input.merged.names().join(", ");
            let id = crate::print::visible(id);
            anyhow::bail!("no call whose id is or starts with `{id}` in {files}");
        }
        None => {
            let mut ids: Vec<String> = candidates.into_keys().collect();
            ids.sort();
            let more = if ids.len() == MOST_CANDIDATES {
                ", …"
            } else {
                ""
            };
            let ids = ids
                .iter()
                .map(|i| crate::print::visible(i))
                .collect::<Vec<_>>();
            return Err(crate::error::UsageError(format!(
                "`--call {id}` names more than one call ({}{more}): give more of its id",
                ids.join(", ")
            ))
            .into());
        }
    };
    let Some(story) = chosen.timeline() else {
        anyhow::bail!("no events of call `{id}`");
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match settings.output {
        OutputMode::Pretty | OutputMode::Table | OutputMode::Board => {
            let text = crate::print::timeline(&story, settings.color, &settings.clock);
            out.write_all(text.as_bytes())?;
        }
        OutputMode::Ndjson | OutputMode::Raw => {
            serde_json::to_writer(&mut out, &story)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
