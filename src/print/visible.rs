//! Text a sender controls, made safe to show on a terminal. Control characters (C0, DEL, C1)
//! and the controls of bidirectional text are written as escapes (`\x1b`, `\u{202e}`) instead
//! of reaching the terminal, where they could clear the screen, retitle the window, write the
//! clipboard (OSC 52), hide a line or reorder what a person reads.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every character a terminal would act on written as an escape; borrowed when
/// there is none, as nearly always.
pub fn visible(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) || !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !acts(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// `visible` for each line of `text`, keeping its line ends: for messages of several lines.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return visible(text);
    }
    let lines: Vec<Cow<str>> = text.split('\n').map(visible).collect();
    if lines.iter().all(|line| matches!(line, Cow::Borrowed(_))) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(lines.join("\n"))
}

/// Whether a terminal acts on `c` rather than showing it.
fn acts(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}'
        // Bidirectional marks, embeddings, overrides and isolates.
        | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_terminal_acts_on_is_shown_as_an_escape() {
        assert_eq!(visible("226 → 2147367077, Øre"), "226 → 2147367077, Øre");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
        assert_eq!(visible("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(visible("\u{9b}31m"), "\\u{009b}31m");
        assert_eq!(visible("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(visible("tab\there\r\n"), "tab\\x09here\\x0d\\x0a");
        assert_eq!(visible("del\x7f"), "del\\x7f");
        assert_eq!(visible_lines("one\x1b\n  two"), "one\\x1b\n  two");
        assert!(matches!(visible_lines("a\nb"), Cow::Borrowed(_)));
    }
}
