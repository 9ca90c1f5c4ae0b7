//! `pretty`: one line per event, readable at a glance, colored by kind.

use std::io::{self, Write};

use jiff::tz::TimeZone;
use owo_colors::{OwoColorize, Style};

use super::visible::visible;
use crate::envelope::{Envelope, Kind};

pub struct Pretty {
    color: bool,
    zone: TimeZone,
    /// The type and kind columns: wide enough for common names, and widened for good by a
    /// longer one (`monitored.recording_available`), so the lines after it line up again.
    /// Up to a point: an odd webhook's 200-character name only stands out on its own line.
    type_width: usize,
    kind_width: usize,
}

impl Pretty {
    const WIDEST_TYPE: usize = 32;

    pub fn new(color: bool) -> Pretty {
        Pretty {
            color,
            zone: TimeZone::system(),
            type_width: 22,
            kind_width: 15,
        }
    }

    pub fn write(
        &mut self,
        out: &mut impl Write,
        e: &Envelope,
        notes: &[super::Note],
    ) -> io::Result<()> {
        let style = |s: Style| if self.color { s } else { Style::new() };
        let kind_style = style(kind_style(e.kind));
        let dim = style(Style::new().dimmed());
        let at = e.time.unwrap_or(e.received).to_zoned(self.zone.clone());
        let time = at.strftime("%H:%M:%S%.3f").to_string();
        // Everything but the time, the provider and the kind is the sender's text.
        let call = short_id(&visible(e.call_id.as_deref().unwrap_or("-")));
        let from = visible(e.from.as_deref().unwrap_or("?"));
        let to = visible(e.to.as_deref().unwrap_or("?"));
        let event_type = visible(&e.event_type);
        let widest_type = event_type.chars().count().min(Self::WIDEST_TYPE);
        self.type_width = self.type_width.max(widest_type);
        self.kind_width = self.kind_width.max(e.kind.as_str().len());
        write!(
            out,
            "{}  {:<11} {:<tw$} {:<kw$} {}  {} {} {}",
            time.style(dim),
            e.provider.style(style(Style::new().bold())),
            event_type.style(kind_style),
            e.kind.as_str().style(kind_style),
            call.style(dim),
            from,
            "→".style(dim),
            to,
            tw = self.type_width,
            kw = self.kind_width,
        )?;
        if let Some(state) = &e.state {
            write!(out, "  {}", visible(state).style(kind_style))?;
        }
        for note in notes {
            write!(out, "  {}", visible(&note.to_string()).style(dim))?;
        }
        out.write_all(b"\n")
    }
}

/// The tail of a long call id: the part that differs between calls.
pub fn short_id(id: &str) -> String {
    const WIDTH: usize = 9;
    let count = id.chars().count();
    if count <= WIDTH {
        format!("{id:<WIDTH$}")
    } else {
        let tail: String = id.chars().skip(count - (WIDTH - 1)).collect();
        format!("…{tail}")
    }
}

fn kind_style(kind: Kind) -> Style {
    match super::palette::kind(kind) {
        Some(color) => Style::new().color(color),
        None => Style::new(),
    }
}
