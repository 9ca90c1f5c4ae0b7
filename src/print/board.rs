//! `-o board`: a live call board drawn in place (ratatui). Calls in progress at the top with
//! their state and a ticking duration, the latest ended below with their outcome, ring and
//! talk times, and the run's counters. On a thread of its own, fed without waiting: a board
//! paused, or a terminal slow to draw, never holds up recording or acknowledging events.
//!
//! Keys: `q` (or Ctrl-C, a key while the terminal is raw) ends the run as Ctrl-C does; `/`
//! filters by number or call id; ↑/↓ (or k/j) select a call; Enter opens its timeline (Esc
//! closes it); `p` pauses the view.

use std::io;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::thread;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table, TableState};

use super::visible::visible;
use crate::calls::Outcome;
use crate::calls::live::{Live, LiveCall};
use crate::envelope::{Envelope, Kind};

/// Events the board may fall behind by before it leaves some undrawn (and counts them).
const BEHIND: usize = 65_536;
/// Rows a table holds at most: more than any screen shows.
const MOST_ROWS: usize = 500;
/// Events taken in at most between two looks at the keys and the clock.
const MOST_AT_ONCE: usize = 20_000;
/// How often the board is drawn (durations tick, counters move).
const FRAME: Duration = Duration::from_millis(100);

/// The board's end in the pipeline.
pub struct Board {
    queue: Option<SyncSender<Envelope>>,
    thread: Option<thread::JoinHandle<io::Result<()>>>,
    /// Events left undrawn because the board was too far behind.
    pub skipped: u64,
}

impl Board {
    /// Takes the terminal and starts drawing.
    pub fn start(color: bool, clock: &super::Clock) -> Board {
        let (queue, events) = sync_channel::<Envelope>(BEHIND);
        let clock = clock.clone();
        let thread = thread::Builder::new()
            .name("telev-board".into())
            .spawn(move || run(events, color, clock))
            .expect("the board's thread starts");
        Board {
            queue: Some(queue),
            thread: Some(thread),
            skipped: 0,
        }
    }

    /// Puts an event on the board, without waiting.
    pub fn show(&mut self, envelope: Envelope) -> io::Result<()> {
        let queue = self.queue.as_ref().expect("open until finished");
        match queue.try_send(envelope) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => {
                self.skipped += 1;
                Ok(())
            }
            Err(TrySendError::Disconnected(_)) => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    /// Gives the terminal back; the events left undrawn.
    pub fn finish(&mut self) -> io::Result<u64> {
        drop(self.queue.take());
        if let Some(thread) = self.thread.take() {
            thread
                .join()
                .map_err(|_| io::Error::other("the board's thread panicked"))??;
        }
        Ok(self.skipped)
    }
}

/// The board's thread: the terminal taken, drawn until the run ends, and given back.
fn run(events: Receiver<Envelope>, color: bool, clock: super::Clock) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    crate::messages::hold();
    let mut view = View {
        live: Live::default(),
        color,
        clock,
        selected: 0,
        filter: String::new(),
        typing: false,
        paused: None,
        timeline: None,
        stopping: false,
    };
    let result = (|| -> io::Result<()> {
        let mut next_frame = Instant::now();
        loop {
            // What has come, but never so much that keys and frames wait on a fast stream.
            let mut busy = true;
            for _ in 0..MOST_AT_ONCE {
                match events.try_recv() {
                    Ok(e) => view.live.add(&e, Instant::now()),
                    Err(TryRecvError::Empty) => {
                        busy = false;
                        break;
                    }
                    Err(TryRecvError::Disconnected) => return Ok(()),
                }
            }
            let now = Instant::now();
            if now >= next_frame {
                terminal.draw(|frame| view.draw(frame, now))?;
                next_frame = now + FRAME;
            }
            let wait = match busy {
                // More is waiting: only a look at the keys.
                true => Duration::ZERO,
                false => next_frame.saturating_duration_since(Instant::now()),
            };
            if event::poll(wait.min(FRAME))?
                && let Event::Key(key) = event::read()?
                && key.kind != KeyEventKind::Release
            {
                view.key(key);
                next_frame = Instant::now();
            }
        }
    })();
    ratatui::restore();
    crate::messages::release();
    result
}

/// What the board shows of a call: one row's cells, taken when drawn (or when paused).
#[derive(Clone)]
struct Shown {
    id: String,
    provider: &'static str,
    parties: String,
    /// In progress: the latest kind and state. Ended: the outcome.
    state: (String, Option<Color>),
    /// In progress: when it was first seen. Ended: ring, talk and when it ended.
    seen: Instant,
    ring: Option<f64>,
    talk: Option<f64>,
    /// The call's latest event's time.
    last: jiff::Timestamp,
}

/// The view frozen by `p`: the rows and the moment as they were.
struct Frozen {
    open: Vec<Shown>,
    ended: Vec<Shown>,
    at: Instant,
    events: u64,
    /// The counters as they were.
    counters: Line<'static>,
}

struct View {
    live: Live,
    color: bool,
    clock: super::Clock,
    /// The selected row, counted over in-progress rows then ended ones.
    selected: usize,
    filter: String,
    /// Typing the filter (after `/`).
    typing: bool,
    paused: Option<Frozen>,
    /// The call whose timeline is open.
    timeline: Option<String>,
    stopping: bool,
}

impl View {
    fn key(&mut self, key: KeyEvent) {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            self.stop();
            return;
        }
        if self.typing {
            match key.code {
                KeyCode::Enter => self.typing = false,
                KeyCode::Esc => {
                    self.typing = false;
                    self.filter.clear();
                }
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) if self.filter.chars().count() < 40 => self.filter.push(c),
                _ => {}
            }
            self.selected = 0;
            return;
        }
        if self.timeline.is_some() {
            match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Backspace => self.timeline = None,
                KeyCode::Char('q') => self.stop(),
                _ => {}
            }
            return;
        }
        match key.code {
            KeyCode::Char('q') => self.stop(),
            KeyCode::Char('/') => self.typing = true,
            KeyCode::Esc => self.filter.clear(),
            KeyCode::Char('p') | KeyCode::Char(' ') => {
                self.paused = match self.paused.take() {
                    Some(_) => None,
                    None => {
                        let (open, ended) = self.rows();
                        let (at, events) = (Instant::now(), self.live.events);
                        Some(Frozen {
                            open,
                            ended,
                            at,
                            events,
                            counters: self.counters(),
                        })
                    }
                }
            }
            KeyCode::Down | KeyCode::Char('j') => self.selected = self.selected.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Home => self.selected = 0,
            KeyCode::Enter => {
                let (open, ended) = self.rows();
                self.timeline = open
                    .into_iter()
                    .chain(ended)
                    .nth(self.selected)
                    .map(|row| row.id);
            }
            _ => {}
        }
    }

    fn stop(&mut self) {
        self.stopping = true;
        crate::stop::ask();
    }

    /// The rows to show, filtered: frozen while paused, else as the calls are now; no more
    /// than a screen could hold.
    fn rows(&self) -> (Vec<Shown>, Vec<Shown>) {
        let needle = self.filter.to_lowercase();
        let wanted = |texts: &[Option<&str>]| {
            let has =
                |text: &Option<&str>| text.is_some_and(|t| t.to_lowercase().contains(&needle));
            needle.is_empty() || texts.iter().any(has)
        };
        let live = |c: &&&LiveCall| {
            let call = &c.call;
            wanted(&[
                Some(&call.call_id),
                call.from.as_deref(),
                call.to.as_deref(),
            ])
        };
        let frozen = |r: &&Shown| wanted(&[Some(&r.id), Some(&r.parties)]);
        if let Some(paused) = &self.paused {
            let keep = |rows: &[Shown]| {
                rows.iter()
                    .filter(frozen)
                    .take(MOST_ROWS)
                    .cloned()
                    .collect()
            };
            return (keep(&paused.open), keep(&paused.ended));
        }
        let open = self.live.open();
        let open = open
            .iter()
            .filter(live)
            .take(MOST_ROWS)
            .map(|c| self.shown(c));
        let ended = self.live.ended().collect::<Vec<_>>();
        let ended = ended
            .iter()
            .filter(live)
            .take(MOST_ROWS)
            .map(|c| self.shown(c));
        (open.collect(), ended.collect())
    }

    fn shown(&self, c: &LiveCall) -> Shown {
        let party = |p: &Option<String>| visible(p.as_deref().unwrap_or("?")).into_owned();
        let state = match c.ended {
            Some(_) => {
                let outcome = c.call.outcome;
                (outcome.as_str().to_owned(), outcome_color(outcome))
            }
            None => {
                let (kind, state) = &c.last;
                let name = kind.as_str();
                let short = name.strip_prefix("call.").unwrap_or(name);
                // The state where it says more than the kind (`unanswered (no answer)`).
                let text = match state {
                    Some(state) if !state.eq_ignore_ascii_case(short) => {
                        format!("{short} ({})", visible(state))
                    }
                    _ => short.to_owned(),
                };
                (text, kind_color(*kind))
            }
        };
        Shown {
            id: visible(&c.call.call_id).into_owned(),
            provider: c.call.provider.id(),
            parties: format!("{} → {}", party(&c.call.from), party(&c.call.to)),
            state,
            seen: c.seen,
            ring: c.call.ring_seconds,
            talk: c.call.talk_seconds,
            last: c.call.last,
        }
    }

    fn style(&self, color: Option<Color>) -> Style {
        match color.filter(|_| self.color) {
            Some(color) => Style::new().fg(color),
            None => Style::new(),
        }
    }

    fn draw(&mut self, frame: &mut Frame, now: Instant) {
        let (open, ended) = self.rows();
        let now = self.paused.as_ref().map_or(now, |frozen| frozen.at);
        let total = open.len() + ended.len();
        self.selected = self.selected.min(total.saturating_sub(1));
        let [head, top, bottom, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(1),
        ])
        .areas(frame.area());
        let counters = match &self.paused {
            Some(frozen) => {
                let since = self.live.events - frozen.events;
                let paused = format!("  PAUSED ({since} events since; p resumes)");
                let style = self.style(Some(Color::Yellow)).add_modifier(Modifier::BOLD);
                let mut line = frozen.counters.clone();
                line.push_span(Span::styled(paused, style));
                line
            }
            None => self.counters(),
        };
        frame.render_widget(Paragraph::new(counters), head);

        let bold = Style::new().add_modifier(Modifier::BOLD);
        let highlight = Style::new().add_modifier(Modifier::REVERSED);
        let duration = |from: Instant| {
            let secs = now.saturating_duration_since(from).as_secs();
            format!("{}:{:02}", secs / 60, secs % 60)
        };
        let open_rows = open.iter().map(|row| {
            Row::new(vec![
                Span::raw(row.id.clone()),
                Span::raw(row.provider),
                Span::raw(row.parties.clone()),
                Span::styled(row.state.0.clone(), self.style(row.state.1)),
                Span::raw(duration(row.seen)),
            ])
        });
        let widths = [
            Constraint::Fill(3),
            Constraint::Length(11),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(8),
        ];
        let more = if open.len() == MOST_ROWS { "+" } else { "" };
        let title = format!(" in progress: {}{more} ", open.len());
        let table = Table::new(open_rows, widths)
            .header(Row::new(["CALL", "PROVIDER", "FROM → TO", "STATE", "DURATION"]).style(bold))
            .block(Block::bordered().title(title))
            .row_highlight_style(highlight);
        let mut state = TableState::default()
            .with_selected((self.selected < open.len()).then_some(self.selected));
        frame.render_stateful_widget(table, top, &mut state);

        let secs = |s: Option<f64>| s.map_or("-".to_owned(), |s| format!("{s:.1}s"));
        let mut clock = self.clock.clone();
        let ended_rows = ended.iter().map(|row| {
            Row::new(vec![
                Span::raw(clock.show(row.last)),
                Span::raw(row.id.clone()),
                Span::raw(row.provider),
                Span::raw(row.parties.clone()),
                Span::styled(row.state.0.clone(), self.style(row.state.1)),
                Span::raw(secs(row.ring)),
                Span::raw(secs(row.talk)),
            ])
        });
        let widths = [
            Constraint::Length(clock_width(&self.clock)),
            Constraint::Fill(3),
            Constraint::Length(11),
            Constraint::Fill(3),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Length(7),
        ];
        let table = Table::new(ended_rows, widths)
            .header(
                Row::new([
                    "ENDED",
                    "CALL",
                    "PROVIDER",
                    "FROM → TO",
                    "OUTCOME",
                    "RING",
                    "TALK",
                ])
                .style(bold),
            )
            .block(Block::bordered().title(format!(" ended: the latest {} ", ended.len())))
            .row_highlight_style(highlight);
        let selected = self
            .selected
            .checked_sub(open.len())
            .filter(|_| self.selected >= open.len());
        let mut state = TableState::default().with_selected(selected);
        frame.render_stateful_widget(table, bottom, &mut state);

        frame.render_widget(Paragraph::new(self.footer()), foot);
        if let Some(id) = &self.timeline {
            self.draw_timeline(frame, id);
        }
    }

    fn counters(&self) -> Line<'static> {
        let live = &self.live;
        let ring = live
            .median_ring()
            .map_or("-".to_owned(), |r| format!("{r:.1}s"));
        let mut spans = vec![
            Span::styled(" telev ", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(format!(
                "· {} events · calls {} · answered {} · missed {} · median ring {ring}",
                live.events, live.calls, live.answered, live.missed
            )),
        ];
        if live.dropped > 0 {
            spans.push(Span::raw(format!(" · {} open calls dropped", live.dropped)));
        }
        Line::from(spans)
    }

    fn footer(&self) -> Line<'static> {
        if self.stopping {
            return Line::from(" stopping…");
        }
        if self.typing {
            return Line::from(format!(
                " filter: {}▏ (Enter keeps it, Esc clears it)",
                visible(&self.filter)
            ));
        }
        let mut text = " q quit · / filter · ↑↓ select · Enter timeline · p pause".to_owned();
        if !self.filter.is_empty() {
            text.push_str(&format!(
                " · filter: {} (Esc clears)",
                visible(&self.filter)
            ));
        }
        if let Some(said) = crate::messages::latest_held() {
            // Held lines carry the colors messages gave them; the board draws text only.
            text.push_str(" · ");
            text.push_str(&console::strip_ansi_codes(&said));
        }
        Line::from(text)
    }

    fn draw_timeline(&self, frame: &mut Frame, id: &str) {
        let area = frame.area();
        let area = Rect::new(
            area.x + 2,
            area.y + 1,
            area.width.saturating_sub(4),
            area.height.saturating_sub(2),
        );
        frame.render_widget(Clear, area);
        let block = Block::bordered().title(format!(" call {} · Esc closes ", visible(id)));
        let Some(call) = self.live.find(id) else {
            let gone = Paragraph::new(" no longer on the board").block(block);
            frame.render_widget(gone, area);
            return;
        };
        let secs = |s: Option<f64>| s.map_or("-".to_owned(), |s| format!("{s:.1}s"));
        let party = |p: &Option<String>| visible(p.as_deref().unwrap_or("?")).into_owned();
        let mut lines = vec![Line::from(format!(
            " {} · {} · {} → {} · {} · ring {} · talk {}",
            call.call.provider,
            call.call.direction.map_or("-", |d| d.as_str()),
            party(&call.call.from),
            party(&call.call.to),
            call.call.outcome.as_str(),
            secs(call.call.ring_seconds),
            secs(call.call.talk_seconds),
        ))];
        if call.left_out > 0 {
            lines.push(Line::from(format!(
                " (the first {} events are not kept)",
                call.left_out
            )));
        }
        let first = call.steps.front().map(|s| s.at);
        let types: Vec<String> = (call.steps.iter())
            .map(|s| visible(&s.event_type).into_owned())
            .collect();
        let wide = types.iter().map(|t| t.chars().count()).max().unwrap_or(0);
        for (step, event_type) in call.steps.iter().zip(&types) {
            let offset = first.map_or(0.0, |f| step.at.duration_since(f).as_secs_f64());
            let state = step
                .state
                .as_deref()
                .map(|s| format!("  {}", visible(s)))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::raw(format!(" +{offset:<9.3} ")),
                Span::styled(
                    format!("{:<16}", step.kind.as_str()),
                    self.style(kind_color(step.kind)),
                ),
                Span::raw(format!(
                    " {event_type:<wide$}  {} → {}{state}",
                    party(&step.from),
                    party(&step.to)
                )),
            ]));
        }
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

/// How wide the clock's times are.
fn clock_width(clock: &super::Clock) -> u16 {
    let shown = clock.clone().show(jiff::Timestamp::now());
    u16::try_from(shown.chars().count()).unwrap_or(12)
}

/// The palette's color of a kind, as the board's.
fn kind_color(kind: Kind) -> Option<Color> {
    super::palette::kind(kind).map(super::palette::for_board)
}

fn outcome_color(outcome: Outcome) -> Option<Color> {
    super::palette::outcome(outcome).map(super::palette::for_board)
}
