//! Compact JSON output of jaq values, as `jq -c` writes it. jaq-json's writer formats every
//! token through `fmt` (it also serves colors and indentation), which made writing the
//! largest part of `telev filter .`; this one copies bytes. Numbers and byte strings, rarer
//! and with jaq's own spelling, still go through jaq-json.

use std::io::{self, Write};

use jaq_json::{Num, Val};

pub fn write(out: &mut impl Write, value: &Val) -> io::Result<()> {
    match value {
        Val::Null => out.write_all(b"null"),
        Val::Bool(true) => out.write_all(b"true"),
        Val::Bool(false) => out.write_all(b"false"),
        Val::Num(Num::Int(n)) => out.write_all(itoa::Buffer::new().format(*n).as_bytes()),
        // A computed whole number, as jq 1.7 writes it: `20/4` is `5`, `-0.0` is `-0`.
        Val::Num(Num::Float(f)) if *f == 0.0 && f.is_sign_negative() => out.write_all(b"-0"),
        Val::Num(Num::Float(f)) if super::style::whole(*f).is_some() => {
            let n = super::style::whole(*f).unwrap_or_default();
            out.write_all(itoa::Buffer::new().format(n).as_bytes())
        }
        Val::TStr(s) => string(out, s),
        Val::Arr(items) => {
            out.write_all(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write(out, item)?;
            }
            out.write_all(b"]")
        }
        Val::Obj(entries) => {
            out.write_all(b"{")?;
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                match key {
                    Val::TStr(_) | Val::BStr(_) => write(out, key)?,
                    // jaq allows any key; JSON only strings, so the key is written as one.
                    other => {
                        let mut text = Vec::new();
                        write(&mut text, other)?;
                        string(out, &text)?;
                    }
                }
                out.write_all(b":")?;
                write(out, item)?;
            }
            out.write_all(b"}")
        }
        Val::Num(_) | Val::BStr(_) => {
            jaq_json::write::write(out, &jaq_json::write::Pp::default(), 0, value)
        }
    }
}

/// How the strings of one JSON text are written: with SIMD escaping when none of them can
/// hold a DEL, which jq escapes and JSON does not need to (the same bytes as [`string`],
/// several times faster on long strings); byte by byte otherwise.
#[derive(Clone, Copy)]
pub(super) struct Escapes {
    simd: bool,
}

impl Escapes {
    /// For the strings of `json`: a DEL in them is in the text as itself or as `\u007f`.
    pub(super) fn for_text(json: &str) -> Escapes {
        let bytes = json.as_bytes();
        let written = memchr::memchr(0x7f, bytes).is_some();
        let escaped = memchr::memmem::find(bytes, b"\\u007").is_some();
        Escapes {
            simd: !written && !escaped,
        }
    }

    pub(super) fn write(self, out: &mut Vec<u8>, s: &str) {
        match self.simd {
            true => json_escape_simd::escape_into(s, out),
            false => string(out, s.as_bytes()).expect("writing to a Vec cannot fail"),
        }
    }
}

/// A quoted string with the escapes jq uses: the short ones where JSON has them, `\u00XX`
/// for other control characters and DEL. Runs without escapes are copied whole.
pub(super) fn string(out: &mut impl Write, s: &[u8]) -> io::Result<()> {
    out.write_all(b"\"")?;
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f | 0x7f => b"",
            _ => continue,
        };
        out.write_all(&s[start..i])?;
        if escape.is_empty() {
            write!(out, "\\u{b:04x}")?;
        } else {
            out.write_all(escape)?;
        }
        start = i + 1;
    }
    out.write_all(&s[start..])?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII character but DEL, alone and amid others, and text beyond ASCII: SIMD or
    /// not, the same escapes.
    #[test]
    fn text_escapes_as_string_does() {
        let mut texts: Vec<String> = (0u8..0x7f).map(|b| char::from(b).to_string()).collect();
        let all: String = (0u8..0x7f).map(char::from).collect();
        texts.push(all.repeat(3));
        texts.push(format!("{}é😀\u{1}\"{}", "a".repeat(40), "b".repeat(70)));
        for s in texts {
            let (mut simd, mut bytes) = (Vec::new(), Vec::new());
            Escapes { simd: true }.write(&mut simd, &s);
            string(&mut bytes, s.as_bytes()).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&simd),
                String::from_utf8_lossy(&bytes),
                "{s:?}"
            );
        }
    }

    /// Whatever jaq-json writes, this writes, for every kind of value and every escape.
    #[test]
    fn agrees_with_jaq_json() {
        let text = r#"{"a":[1,-2,3.5,1e400,null,true,false],"s":"q\"b\\n\n\r\t\b\f\u0001\u007fé😀","":{}, "e":[]}"#;
        let value = jaq_json::read::parse_single(text.as_bytes()).expect("valid JSON");
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        write(&mut ours, &value).unwrap();
        jaq_json::write::write(&mut theirs, &jaq_json::write::Pp::default(), 0, &value).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }
}
