//! `replay --calls` for people: one row per call.

use super::visible::visible;
use crate::calls::CallTable;
use crate::envelope::Direction;

/// The table for people: comfy-table, one row per call, with a rule under the header only.
/// On a terminal (`columns`) it fits the width; elsewhere nothing is cut or wrapped.
pub fn calls(
    table: &CallTable,
    color: bool,
    clock: &super::Clock,
    columns: Option<usize>,
) -> String {
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
    if let Some(columns) = columns {
        fit(&mut out, columns);
    }
    out.to_string()
}

/// The columns a narrow terminal does without, first to last: LAST, DIRECTION, EVENTS, RING.
const DROPPED_FIRST: [usize; 4] = [1, 4, 9, 7];
/// The columns that wrap when dropping is not enough: FROM → TO and KINDS.
const WRAPPING: [usize; 2] = [5, 10];

/// Fits the table into a terminal `columns` wide: drops the columns a person can do without,
/// then wraps the parties and the kinds, never the times, the id or the outcome.
fn fit(out: &mut comfy_table::Table, columns: usize) {
    use comfy_table::{ColumnConstraint, ContentArrangement};
    // One scan of the cells; each shown column takes its content, a space either side and a
    // line between it and the next.
    let widths = out.column_max_content_widths();
    let mut shown = vec![true; widths.len()];
    let width = |shown: &[bool]| {
        let used = widths.iter().zip(shown).filter(|(_, shown)| **shown);
        used.map(|(w, _)| usize::from(*w) + 3)
            .sum::<usize>()
            .saturating_sub(1)
    };
    for index in DROPPED_FIRST {
        if width(&shown) <= columns {
            return;
        }
        shown[index] = false;
        if let Some(column) = out.column_mut(index) {
            column.set_constraint(ColumnConstraint::Hidden);
        }
    }
    if width(&shown) <= columns {
        return;
    }
    out.set_content_arrangement(ContentArrangement::Dynamic);
    out.set_width(u16::try_from(columns).unwrap_or(u16::MAX));
    // A column wider than half the terminal (a crafted call id) wraps like the rest.
    let keeps_its_width = |index: usize| {
        shown[index] && !WRAPPING.contains(&index) && usize::from(widths[index]) <= columns / 2
    };
    for index in (0..widths.len()).filter(|&index| keeps_its_width(index)) {
        if let Some(column) = out.column_mut(index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::CallTable;

    /// `fit`'s arithmetic is comfy-table's: a table it says fits is exactly that wide.
    #[test]
    fn the_width_fit_reckons_is_the_width_drawn() {
        let mut table = CallTable::default();
        for envelope in crate::sample::envelopes(6, 7, jiff::Timestamp::UNIX_EPOCH) {
            table.add(&envelope);
        }
        let clock = super::super::Clock::default();
        let natural = calls(&table, false, &clock, None);
        let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap();
        let full = widest(&natural);
        for columns in [full, full - 1, full - 20, full - 40] {
            let fitted = calls(&table, false, &clock, Some(columns));
            assert!(widest(&fitted) <= columns, "{columns}\n{fitted}");
        }
        // Exactly the table's width needs nothing dropped.
        assert_eq!(calls(&table, false, &clock, Some(full)), natural);
    }

    #[test]
    fn a_crafted_call_id_wraps_rather_than_widening_the_table() {
        let mut table = CallTable::default();
        for mut envelope in crate::sample::envelopes(2, 7, jiff::Timestamp::UNIX_EPOCH) {
            envelope.call_id = Some("x".repeat(5_000));
            table.add(&envelope);
        }
        let fitted = calls(&table, false, &super::super::Clock::default(), Some(100));
        let widest = fitted.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 100, "{widest}");
        assert!(fitted.len() < 200_000, "{} bytes", fitted.len());
    }
}
