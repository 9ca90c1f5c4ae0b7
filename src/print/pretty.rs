//! `pretty`: one line per event, readable at a glance, colored by kind.

use std::borrow::Cow;
use std::io::{self, Write};

use owo_colors::{OwoColorize, Style};

use super::visible::visible;
use crate::envelope::{Envelope, Kind};

pub struct Pretty {
    color: bool,
    pub(super) clock: super::Clock,
    /// The type and kind columns: wide enough for common names, and widened for good by a
    /// longer one (`monitored.recording_available`), so the lines after it line up again.
    /// Up to a point: an odd webhook's 200-character name only stands out on its own line.
    type_width: usize,
    kind_width: usize,
    /// The terminal's columns, which a line is fitted into; `None` (not a terminal): never cut.
    pub(super) fit: Option<usize>,
}

/// One line's parts, as shown (made safe), before they are laid out.
struct Parts<'a> {
    provider: Cow<'a, str>,
    event_type: Cow<'a, str>,
    call: String,
    from: Cow<'a, str>,
    to: Cow<'a, str>,
}

impl Pretty {
    const WIDEST_TYPE: usize = 32;
    const PROVIDER_WIDTH: usize = 11;
    /// What a narrowed provider or type column, or a cut number, keeps.
    const CUT_PROVIDER: usize = 4;
    const CUT_TYPE: usize = 10;
    const CUT_NUMBER: usize = 6;

    pub fn new(color: bool, fit: Option<usize>) -> Pretty {
        Pretty {
            color,
            clock: super::Clock::default(),
            type_width: 22,
            kind_width: 15,
            fit,
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
        let time = self.clock.show(e.time.unwrap_or(e.received));
        // Everything but the time, the provider and the kind is the sender's text.
        let mut parts = Parts {
            provider: Cow::Borrowed(e.provider.as_str()),
            event_type: visible(&e.event_type),
            call: short_id(&visible(e.call_id.as_deref().unwrap_or("-"))),
            from: visible(e.from.as_deref().unwrap_or("?")),
            to: visible(e.to.as_deref().unwrap_or("?")),
        };
        let widest_type = parts.event_type.chars().count().min(Self::WIDEST_TYPE);
        self.type_width = self.type_width.max(widest_type);
        self.kind_width = self.kind_width.max(e.kind.as_str().len());
        let state = e.state.as_deref().map(visible);
        let notes: Vec<String> = notes
            .iter()
            .map(|n| visible(&n.to_string()).into_owned())
            .collect();
        // The end of the line is never cut: what happened, and what became of it.
        let tail: usize = state.iter().map(|s| 2 + s.chars().count()).sum::<usize>()
            + notes.iter().map(|n| 2 + n.chars().count()).sum::<usize>();
        let (pw, tw, kw) = self.fit(&mut parts, e.kind.as_str().len(), tail);
        write!(
            out,
            "{}  {:<pw$} {:<tw$} {:<kw$} {}",
            time.style(dim),
            parts.provider.style(style(Style::new().bold())),
            parts.event_type.style(kind_style),
            e.kind.as_str().style(kind_style),
            parts.call.style(dim),
        )?;
        // An event with no numbers (queue statistics, an agent's state) shows none.
        if e.from.is_some() || e.to.is_some() {
            write!(out, "  {} {} {}", parts.from, "→".style(dim), parts.to)?;
        }
        if let Some(state) = state {
            write!(out, "  {}", state.style(kind_style))?;
        }
        for note in &notes {
            write!(out, "  {}", note.style(dim))?;
        }
        out.write_all(b"\n")
    }

    /// Fits a line into the terminal: the provider and type columns are narrowed (the
    /// provider's name cut at its end, the type's at its start, where the name says least),
    /// the same on every line so that they still line up; then the numbers lose their start
    /// as a line needs; the state and the notes are never cut. The widths of the provider,
    /// type and kind columns.
    fn fit(&self, parts: &mut Parts, kind: usize, tail: usize) -> (usize, usize, usize) {
        let padded = (Self::PROVIDER_WIDTH, self.type_width, self.kind_width);
        let Some(columns) = self.fit else {
            return padded;
        };
        let count = |text: &str| text.chars().count();
        let numbers = |p: &Parts| count(&p.from) + 3 + count(&p.to);
        // Time (its usual width), the spaces between columns, the call column.
        let fixed = 12 + 2 + 1 + 1 + 1 + count(&parts.call) + 2;
        let width = |p: &Parts, (pw, tw, kw): (usize, usize, usize)| {
            fixed + pw + tw + kw + numbers(p) + tail
        };
        if width(parts, padded) <= columns {
            return padded;
        }
        parts.provider = Cow::Owned(cut_right(&parts.provider, Self::CUT_PROVIDER));
        parts.event_type = Cow::Owned(cut_left(&parts.event_type, Self::CUT_TYPE));
        let mut narrow = (Self::CUT_PROVIDER, Self::CUT_TYPE, self.kind_width);
        let mut over = width(parts, narrow).saturating_sub(columns);
        for number in [&mut parts.from, &mut parts.to] {
            let length = count(number);
            let spare = length.saturating_sub(Self::CUT_NUMBER).min(over);
            if spare > 0 {
                *number = Cow::Owned(cut_left(number, length - spare));
                over -= spare;
            }
        }
        // Last, the kind column's padding.
        narrow.2 -= over.min(self.kind_width - kind);
        narrow
    }
}

/// `text` in `keep` characters, its end replaced by `…`: `cyt…`.
fn cut_right(text: &str, keep: usize) -> String {
    if text.chars().count() <= keep {
        return text.to_owned();
    }
    let head: String = text.chars().take(keep.saturating_sub(1)).collect();
    format!("{head}…")
}

/// `text` in `keep` characters, its start replaced by `…`: `…4083388064`.
fn cut_left(text: &str, keep: usize) -> String {
    let length = text.chars().count();
    if length <= keep {
        return text.to_owned();
    }
    let tail: String = text.chars().skip(length - keep + 1).collect();
    format!("…{tail}")
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
