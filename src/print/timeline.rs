//! `telev calls --call ID` for people: the call in a line, its durations, its events at their
//! offsets, and each leg's changes.

use std::fmt::Write;

use owo_colors::{OwoColorize, Style};

use super::visible::visible;
use crate::calls::timeline::Timeline;
use crate::envelope::{Direction, Kind};

pub fn timeline(story: &Timeline, color: bool, clock: &super::Clock) -> String {
    let mut clock = clock.clone();
    let paint = |text: &str, style: Style| {
        let style = if color { style } else { Style::new() };
        text.style(style).to_string()
    };
    let of_kind =
        |kind: Kind| super::palette::kind(kind).map_or(Style::new(), |c| Style::new().color(c));
    let outcome =
        super::palette::outcome(story.outcome).map_or(Style::new(), |c| Style::new().color(c));
    let party = |p: &Option<String>| visible(p.as_deref().unwrap_or("?")).into_owned();
    let secs = |s: Option<f64>| s.map_or("-".to_owned(), |s| format!("{s:.1}s"));

    let mut out = String::new();
    let _ = writeln!(
        out,
        "call {} · {} · {} · {} → {} · {}",
        paint(&visible(&story.call_id), Style::new().bold()),
        story.provider,
        story.direction.map_or("-", Direction::as_str),
        party(&story.from),
        party(&story.to),
        paint(story.outcome.as_str(), outcome),
    );
    let _ = writeln!(
        out,
        "ring {} · talk {} · hold {} · from {}",
        secs(story.ring_seconds),
        secs(story.talk_seconds),
        secs(story.hold_seconds),
        clock.show(story.first),
    );
    out.push('\n');

    // Columns as wide as their widest cell, so the story reads down.
    let rows: Vec<[String; 5]> = (story.steps.iter())
        .map(|step| {
            [
                format!("+{:.3}", step.offset),
                clock.show(step.time),
                step.kind.as_str().to_owned(),
                visible(&step.event_type).into_owned(),
                format!("{} → {}", party(&step.from), party(&step.to)),
            ]
        })
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|r| r[column].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2), width(3)];
    for (row, step) in rows.iter().zip(&story.steps) {
        let kind = format!("{:<w$}", row[2], w = widths[2]);
        let _ = write!(
            out,
            "  {:>w0$}  {:<w1$}  {}  {:<w3$}  {}",
            row[0],
            row[1],
            paint(&kind, of_kind(step.kind)),
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w3 = widths[3],
        );
        if let Some(state) = &step.state {
            let _ = write!(out, "  {}", paint(&visible(state), Style::new().dimmed()));
        }
        out.push('\n');
    }
    if story.left_out > 0 {
        let _ = writeln!(out, "  … and {} more events, not shown", story.left_out);
    }
    if !story.legs.is_empty() {
        out.push_str("\nlegs\n");
        // A leg by its number, and its own id where the provider gives one.
        let names: Vec<String> = (story.legs.iter())
            .map(|leg| match leg.party.as_deref() {
                Some(party) if party != leg.leg => {
                    format!("{} ({})", visible(party), visible(&leg.leg))
                }
                _ => visible(&leg.leg).into_owned(),
            })
            .collect();
        let widest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        for (leg, name) in story.legs.iter().zip(&names) {
            let changes: Vec<String> = (leg.changes.iter())
                .map(|change| {
                    let name = change.kind.as_str();
                    let short = name.strip_prefix("call.").unwrap_or(name);
                    let offset = change.offset;
                    format!("{} +{offset:.3}", paint(short, of_kind(change.kind)))
                })
                .collect();
            let _ = writeln!(out, "  {name:<widest$}  {}", changes.join(" › "));
        }
    }
    out
}
