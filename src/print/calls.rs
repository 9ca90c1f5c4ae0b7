//! `replay --calls` for people: one row per call.

use super::visible::visible;
use crate::calls::CallTable;
use crate::envelope::Direction;

/// The table for people: comfy-table, one row per call, with a rule under the header only.
pub fn calls(table: &CallTable, color: bool, clock: &super::Clock) -> String {
    let mut clock = clock.clone();
    use comfy_table::{Cell, Table, TableComponent, presets};
    let mut out = Table::new();
    out.load_preset(presets::UTF8_HORIZONTAL_ONLY);
    out.remove_style(TableComponent::HorizontalLines);
    out.remove_style(TableComponent::MiddleIntersections);
    out.remove_style(TableComponent::LeftBorderIntersections);
    out.remove_style(TableComponent::RightBorderIntersections);
    if color {
        out.enforce_styling();
    } else {
        out.force_no_tty();
    }
    out.set_header([
        "FIRST",
        "LAST",
        "CALL",
        "PROVIDER",
        "DIRECTION",
        "FROM → TO",
        "OUTCOME",
        "RING",
        "TALK",
        "EVENTS",
        "KINDS",
    ]);
    let secs = |s: Option<f64>| s.map_or("-".to_owned(), |s| format!("{s:.1}s"));
    for call in table.calls() {
        let color_of = super::palette::for_table(super::palette::outcome(call.outcome));
        let kinds: Vec<&str> = call.kinds.iter().map(|k| k.as_str()).collect();
        out.add_row(vec![
            Cell::new(clock.show(call.first)),
            Cell::new(clock.show(call.last)),
            Cell::new(visible(&call.call_id)),
            Cell::new(call.provider),
            Cell::new(call.direction.map_or("-", Direction::as_str)),
            Cell::new(format!(
                "{} → {}",
                visible(call.from.as_deref().unwrap_or("?")),
                visible(call.to.as_deref().unwrap_or("?"))
            )),
            Cell::new(call.outcome.as_str()).fg(color_of),
            Cell::new(secs(call.ring_seconds)),
            Cell::new(secs(call.talk_seconds)),
            Cell::new(call.events),
            Cell::new(kinds.join(" › ")),
        ]);
    }
    out.to_string()
}
