//! One palette for everything telev colors: a kind, a call's outcome. Pretty lines take it
//! as an ANSI color, tables as comfy-table's.

use owo_colors::AnsiColors;

use crate::calls::Outcome;
use crate::envelope::Kind;

/// The color of a kind, by what it means: ringing yellow, answered green, missed red, ended
/// blue; `None` for `other`.
pub fn kind(kind: Kind) -> Option<AnsiColors> {
    use AnsiColors::*;
    Some(match kind {
        Kind::CallStarted | Kind::CallConnected => Cyan,
        Kind::CallRinging => Yellow,
        Kind::CallAnswered | Kind::CallJoined => Green,
        Kind::CallUnanswered | Kind::CallMissed => Red,
        Kind::CallEnded | Kind::CallLeft => Blue,
        Kind::CallHeld | Kind::CallParked | Kind::CallTransferred => Magenta,
        Kind::QueueStatus
        | Kind::QueueJoined
        | Kind::QueueLeft
        | Kind::QueueAbandoned
        | Kind::QueueConnected
        | Kind::QueueCompleted
        | Kind::QueueHistory => BrightMagenta,
        Kind::AgentLogin | Kind::AgentLogout | Kind::AgentStatus => BrightBlue,
        Kind::RecordingAvailable
        | Kind::MessageReceived
        | Kind::MessageSent
        | Kind::VoicemailReceived
        | Kind::FaxReceived => BrightCyan,
        Kind::Other => return None,
    })
}

/// The color of a call's outcome, in the kinds' terms: answered as an answer, the rest as a
/// miss, a call still open as one ringing.
pub fn outcome(outcome: Outcome) -> Option<AnsiColors> {
    match outcome {
        Outcome::Answered => kind(Kind::CallAnswered),
        Outcome::Missed | Outcome::Busy | Outcome::Failed => kind(Kind::CallMissed),
        Outcome::Incomplete => kind(Kind::CallRinging),
        Outcome::Ended => None,
    }
}

/// A palette color as a table cell's.
pub fn for_table(color: Option<AnsiColors>) -> comfy_table::Color {
    use comfy_table::Color;
    match color {
        None => Color::Reset,
        Some(AnsiColors::Black) => Color::Black,
        Some(AnsiColors::Red) => Color::DarkRed,
        Some(AnsiColors::Green) => Color::DarkGreen,
        Some(AnsiColors::Yellow) => Color::DarkYellow,
        Some(AnsiColors::Blue) => Color::DarkBlue,
        Some(AnsiColors::Magenta) => Color::DarkMagenta,
        Some(AnsiColors::Cyan) => Color::DarkCyan,
        Some(AnsiColors::White) => Color::Grey,
        Some(AnsiColors::BrightBlack) => Color::DarkGrey,
        Some(AnsiColors::BrightRed) => Color::Red,
        Some(AnsiColors::BrightGreen) => Color::Green,
        Some(AnsiColors::BrightYellow) => Color::Yellow,
        Some(AnsiColors::BrightBlue) => Color::Blue,
        Some(AnsiColors::BrightMagenta) => Color::Magenta,
        Some(AnsiColors::BrightCyan) => Color::Cyan,
        Some(AnsiColors::BrightWhite) => Color::White,
        Some(AnsiColors::Default) => Color::Reset,
    }
}

/// A palette color as the board's (ratatui).
pub fn for_board(color: AnsiColors) -> ratatui::style::Color {
    use ratatui::style::Color;
    match color {
        AnsiColors::Black => Color::Black,
        AnsiColors::Red => Color::Red,
        AnsiColors::Green => Color::Green,
        AnsiColors::Yellow => Color::Yellow,
        AnsiColors::Blue => Color::Blue,
        AnsiColors::Magenta => Color::Magenta,
        AnsiColors::Cyan => Color::Cyan,
        AnsiColors::White => Color::Gray,
        AnsiColors::BrightBlack => Color::DarkGray,
        AnsiColors::BrightRed => Color::LightRed,
        AnsiColors::BrightGreen => Color::LightGreen,
        AnsiColors::BrightYellow => Color::LightYellow,
        AnsiColors::BrightBlue => Color::LightBlue,
        AnsiColors::BrightMagenta => Color::LightMagenta,
        AnsiColors::BrightCyan => Color::LightCyan,
        AnsiColors::BrightWhite => Color::White,
        AnsiColors::Default => Color::Reset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_shows_the_same_color_as_a_pretty_line() {
        // crossterm's `Red` is the bright one, as its `DarkRed` is ANSI's plain red (31).
        assert_eq!(
            for_table(kind(Kind::CallMissed)),
            comfy_table::Color::DarkRed
        );
        assert_eq!(for_table(kind(Kind::Other)), comfy_table::Color::Reset);
    }
}
