//! `telev check`: captures read whole, merged by time, through the lifecycle rules; one line
//! per finding as it is found, a summary, and exit 1 when anything was found.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::calls::check::{Checker, Finding, Place};
use crate::messages;
use crate::plan::Check;
use crate::print::counted;
use crate::settings::Settings;

pub fn run(plan: Check, settings: &Settings) -> Result<ExitCode> {
    let mut input = plan.input.merged()?;
    let mut checker = Checker::new(plan.open_for);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut found, mut failed) = (0_u64, None);
    let mut calls_found = std::collections::HashSet::new();
    let mut report = |finding: Finding| {
        if plan.ignore.contains(&finding.rule) || failed.is_some() {
            return;
        }
        found += 1;
        if let Some(call) = &finding.call_id
            && calls_found.len() < 1_000_000
        {
            calls_found.insert(call.clone());
        }
        if let Err(err) = crate::print::finding(&mut out, &finding, settings.output, settings.color)
        {
            failed = Some(err);
        }
    };
    let names: Vec<std::sync::Arc<str>> = input.names().iter().map(|n| n.as_str().into()).collect();
    while let Some(next) = input.next_event()? {
        let place = Place {
            file: names[next.file].clone(),
            line: next.line,
        };
        let leg = crate::provider::leg(&next.envelope);
        checker.add(&next.envelope, leg, place, &mut report);
    }
    let (events, calls) = (checker.events, checker.calls());
    checker.finish(&mut report);
    if let Some(err) = failed {
        return Err(err.into());
    }
    out.flush()?;
    let read = format!(
        "{} in {} read",
        counted(calls, "call", "calls"),
        counted(events, "event", "events")
    );
    if found == 0 {
        messages::status(&format!("no findings: {read}"));
        return Ok(ExitCode::SUCCESS);
    }
    let affected = counted(calls_found.len() as u64, "call", "calls");
    let findings = counted(found, "finding", "findings");
    messages::status(&format!("{findings} about {affected}; {read}"));
    Ok(ExitCode::from(crate::error::RUNTIME))
}

#[cfg(test)]
mod tests {
    use crate::calls::check::{ends, starts};
    use crate::envelope::Provider;

    /// `telev check --help` names each provider's start and end events: exactly those its
    /// kinds table makes a start or an end.
    #[test]
    fn the_help_names_each_providers_starts_and_ends_as_its_kinds_table_does() {
        let help = crate::cli::CHECK_EXAMPLES;
        for provider in Provider::KNOWN {
            let events = crate::provider::events(*provider);
            let line = |what: &str| -> Vec<String> {
                let mut names: Vec<String> = (events.iter())
                    .filter(|e| {
                        if what == "start" {
                            starts(e.kind)
                        } else {
                            ends(e.kind)
                        }
                    })
                    .map(|e| e.name.to_owned())
                    .collect();
                names.sort();
                names.dedup();
                names
            };
            let documented = |what: &str| -> Vec<String> {
                // "  cytracom     start a, b; end c,\n               d; legs: …"
                let from = help.find(&format!("  {} ", provider.id())).unwrap();
                let mut lines = help[from..].lines();
                let first = lines.next().unwrap_or_default().to_owned();
                let continued = lines.take_while(|l| l.starts_with("               "));
                let entry: String = continued.fold(first, |entry, line| entry + line);
                let entry = entry.split_whitespace().collect::<Vec<_>>().join(" ");
                let after = entry.split(&format!("{what} ")).nth(1).unwrap();
                let list = after.split(';').next().unwrap();
                let mut names: Vec<String> =
                    list.split(", ").map(|n| n.trim().to_owned()).collect();
                names.sort();
                names
            };
            assert_eq!(documented("start"), line("start"), "{provider}");
            assert_eq!(documented("end"), line("end"), "{provider}");
        }
    }
}
