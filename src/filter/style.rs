//! How `telev filter` spells its outputs, with jq's output flags: `-r`, `-j`, `-a`, `-S`,
//! `--indent N`, `--tab`, `--seq`, `-C`. The default (compact, one value a line) is written by
//! [`super::compact`]; anything else by jaq-json's pretty printer.

use std::io::{self, Write};

use jaq_json::write::{Pp, Styles};
use jaq_json::{Num, Val};

/// jq's output flags.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// `-r`: a string output is written bare.
    pub raw: bool,
    /// `-j`: bare strings, and no newline after each output.
    pub join: bool,
    /// `--indent N` (spaces) or `--tab`: pretty-printed, one level per `indent`.
    pub indent: Option<String>,
    /// `-S`: object keys in order.
    pub sort_keys: bool,
    /// `-a`: every character outside ASCII as a `\uXXXX` escape.
    pub ascii: bool,
    /// `--seq`: each output after an ASCII record separator (RFC 7464).
    pub seq: bool,
    /// `-C`: values in jq's colors.
    pub color: bool,
}

impl Style {
    /// Written as `jq -c` writes, a value a line: the fast paths' own spelling.
    pub fn is_plain(&self) -> bool {
        !self.join
            && self.indent.is_none()
            && !self.sort_keys
            && !self.ascii
            && !self.seq
            && !self.color
    }

    /// `--indent N` (0 is compact, as in jq; at most 7) or `--tab`.
    pub fn indent_of(spaces: Option<u8>, tab: bool) -> Option<String> {
        match (tab, spaces) {
            (true, _) => Some("\t".to_owned()),
            (false, Some(0) | None) => None,
            (false, Some(n)) => Some(" ".repeat(usize::from(n.min(7)))),
        }
    }

    /// Writes one output, with its newline unless `-j`.
    pub fn write(&self, out: &mut impl Write, value: &Val) -> io::Result<()> {
        if self.seq {
            out.write_all(b"\x1e")?;
        }
        let bare = (self.raw || self.join) && matches!(value, Val::TStr(_) | Val::BStr(_));
        match value {
            Val::TStr(s) | Val::BStr(s) if bare && !self.ascii => out.write_all(s)?,
            Val::TStr(s) | Val::BStr(s) if bare => out.write_all(&ascii(s))?,
            _ if self.is_plain() || (self.join && self.indent.is_none() && !self.color) => {
                self.plain(out, value)?
            }
            _ => self.pretty(out, value)?,
        }
        if self.join {
            Ok(())
        } else {
            out.write_all(b"\n")
        }
    }

    fn plain(&self, out: &mut impl Write, value: &Val) -> io::Result<()> {
        if !self.sort_keys && !self.ascii {
            return super::compact::write(out, value);
        }
        let sorted = if self.sort_keys {
            sort_keys(value)
        } else {
            value.clone()
        };
        let mut text = Vec::new();
        super::compact::write(&mut text, &sorted)?;
        out.write_all(&if self.ascii { ascii(&text) } else { text })
    }

    fn pretty(&self, out: &mut impl Write, value: &Val) -> io::Result<()> {
        let pp = Pp {
            indent: self.indent.clone(),
            sort_keys: self.sort_keys,
            styles: if self.color {
                Styles::ansi()
            } else {
                Styles::default()
            },
            sep_space: self.indent.is_some(),
        };
        let mut text = Vec::new();
        jaq_json::write::write(&mut text, &pp, 0, &whole_numbers(value))?;
        out.write_all(&if self.ascii { ascii(&text) } else { text })
    }
}

/// A float that is a whole number as jq 1.7 writes it, without `.0`: `20/4` is `5`.
pub(super) fn whole(f: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole number below is exact
    let negative_zero = f == 0.0 && f.is_sign_negative();
    (f.fract() == 0.0 && f.abs() < EXACT && !negative_zero).then_some(f as i64)
}

/// The value with its whole-number floats as integers, for jaq-json's writer.
fn whole_numbers(value: &Val) -> Val {
    match value {
        Val::Num(Num::Float(f)) => match whole(*f) {
            Some(n) => Val::from(n as isize),
            None => value.clone(),
        },
        Val::Arr(items) => Val::Arr(items.iter().map(whole_numbers).collect::<Vec<_>>().into()),
        Val::Obj(entries) => {
            let entries = entries
                .iter()
                .map(|(k, v)| (string_key(k), whole_numbers(v)));
            Val::obj(entries.collect())
        }
        other => other.clone(),
    }
}

/// A key as JSON can have it: a string (jaq allows any value).
fn string_key(key: &Val) -> Val {
    match key {
        Val::TStr(_) | Val::BStr(_) => key.clone(),
        other => Val::from(super::compact_string(other)),
    }
}

/// The value with every object's keys in order (`-S`), as jq sorts them.
fn sort_keys(value: &Val) -> Val {
    match value {
        Val::Arr(items) => Val::Arr(items.iter().map(sort_keys).collect::<Vec<_>>().into()),
        Val::Obj(entries) => {
            let mut sorted: Vec<(Val, Val)> = entries
                .iter()
                .map(|(k, v)| (k.clone(), sort_keys(v)))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            Val::obj(sorted.into_iter().collect())
        }
        other => other.clone(),
    }
}

/// JSON text with every character outside ASCII as `\uXXXX` (a pair for one above U+FFFF).
/// Such characters only appear inside strings, where the escape means the same.
fn ascii(text: &[u8]) -> Vec<u8> {
    if text.is_ascii() {
        return text.to_vec();
    }
    let mut out = Vec::with_capacity(text.len() + 16);
    for c in String::from_utf8_lossy(text).chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(style: &Style, json: &str) -> String {
        let value = jaq_json::read::parse_single(json.as_bytes()).unwrap();
        let mut out = Vec::new();
        style.write(&mut out, &value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_as_jq_does_with_each_flag() {
        let value = r#"{"b":[1,"é😀"],"a":{}}"#;
        assert_eq!(
            written(&Style::default(), value),
            "{\"b\":[1,\"é😀\"],\"a\":{}}\n"
        );
        let sorted = Style {
            sort_keys: true,
            ..Style::default()
        };
        assert_eq!(written(&sorted, value), "{\"a\":{},\"b\":[1,\"é😀\"]}\n");
        let ascii = Style {
            ascii: true,
            ..Style::default()
        };
        assert_eq!(
            written(&ascii, value),
            "{\"b\":[1,\"\\u00e9\\ud83d\\ude00\"],\"a\":{}}\n"
        );
        let indented = Style {
            indent: Style::indent_of(Some(2), false),
            ..Style::default()
        };
        assert_eq!(
            written(&indented, value),
            "{\n  \"b\": [\n    1,\n    \"é😀\"\n  ],\n  \"a\": {}\n}\n"
        );
        let joined = Style {
            join: true,
            ..Style::default()
        };
        assert_eq!(
            written(&joined, r#""x""#) + &written(&joined, "[1]"),
            "x[1]"
        );
        let seq = Style {
            seq: true,
            ..Style::default()
        };
        assert_eq!(written(&seq, "1"), "\x1e1\n");
    }
}
