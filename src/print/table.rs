//! `table`: aligned columns under one header, row by row, so endless streams print as they go.

use std::io::{self, Write};

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Row, Table, Width};

use super::palette;
use super::visible::visible;

use crate::envelope::Envelope;

/// Column names and widths (padding included), wide enough for every event name in the
/// providers' documents and every kind; longer values are cut with `...`. The last column
/// takes the width of its content.
const COLUMNS: [(&str, u16); 9] = [
    ("TIME", 26),
    ("PROVIDER", 13),
    ("TYPE", 31),
    ("KIND", 21),
    ("CALL", 12),
    ("FROM", 17),
    ("TO", 17),
    ("DIRECTION", 11),
    ("STATE", 0),
];

pub struct StreamTable {
    color: bool,
    pub(super) clock: super::Clock,
    header_done: bool,
}

impl StreamTable {
    pub fn new(color: bool) -> StreamTable {
        StreamTable {
            color,
            clock: super::Clock::default(),
            header_done: false,
        }
    }

    pub fn write(
        &mut self,
        out: &mut impl Write,
        e: &Envelope,
        notes: &[super::Note],
    ) -> io::Result<()> {
        if !self.header_done {
            self.header_done = true;
            let header = COLUMNS.iter().map(|(name, _)| Cell::new(name));
            writeln!(out, "{}", self.table(header.collect()))?;
        }
        // The event's time, or when it arrived, as every mode shows it.
        let time = self.clock.show(e.time.unwrap_or(e.received));
        // The sender's text, shown safely.
        let dash = |v: Option<&str>| visible(v.unwrap_or("-")).into_owned();
        let mut state = dash(e.state.as_deref());
        for note in notes {
            state = format!("{state} {}", visible(&note.to_string()));
        }
        let mut kind = Cell::new(e.kind.as_str());
        if self.color {
            kind = kind.fg(palette::for_table(palette::kind(e.kind)));
        }
        let row = vec![
            Cell::new(time),
            Cell::new(e.provider),
            Cell::new(visible(&e.event_type)),
            kind,
            Cell::new(
                e.call_id
                    .as_deref()
                    .map_or("-".to_owned(), |id| super::pretty::short_id(&visible(id))),
            ),
            Cell::new(dash(e.from.as_deref())),
            Cell::new(dash(e.to.as_deref())),
            Cell::new(dash(e.direction.map(|d| d.as_str()))),
            Cell::new(state),
        ];
        writeln!(out, "{}", self.table(row))
    }

    /// A one-row table with the fixed widths, so every row lines up with the header.
    fn table(&self, row: Vec<Cell>) -> String {
        let mut row = Row::from(row);
        row.max_height(1);
        let mut table = Table::new();
        // Columns exist once a row does; only then can they be constrained.
        table
            .load_preset(comfy_table::presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .add_row(row)
            .set_constraints(COLUMNS.iter().enumerate().map(|(i, (_, w))| {
                // The last column lines up with nothing after it: it is never cut (a
                // delivery's note can be long), and never padded.
                if i + 1 == COLUMNS.len() {
                    ColumnConstraint::ContentWidth
                } else {
                    ColumnConstraint::Absolute(Width::Fixed(*w))
                }
            }));
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        let mut line = table.to_string();
        line.truncate(line.trim_end().len());
        line
    }
}
