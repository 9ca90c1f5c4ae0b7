//! The direct path for the commonest outputs, `.`, `.name`, `{a, b: .c}` and `.name | keys`
//! (alone or after the `select(.f == "lit") |` of a [`Prefilter`](super::Prefilter)): their
//! output is written from the input's JSON text, with no jq value built and no jq run. jaq
//! builds `{a, b, c}` as `{a} + {b} + {c}`, three maps and two merges an event, so this is
//! most of the time a `select(…) | {call_id, from, to}` spends on the events it keeps; and
//! `.raw | keys` would build the whole payload to read its keys.
//!
//! A field's text is copied only when it is already spelled as `jq -c` would write it
//! (`null`, `true`, `false`, a small integer, a string without escapes); other text is
//! rewritten token by token ([`transcode`](super::transcode)), or, where only the value knows
//! how it prints (a float, a key named twice), goes through a value and the same writer the
//! jq path uses, so that every path prints the same bytes.

use std::io::{self, Write};

use jaq_core::load::parse::{BinaryOp, Term};
use jaq_core::path::{Part, Path};

use super::compact;
use super::probe::{self, Field, Members};
use super::projection::literal;

type T<'s> = Term<&'s str>;

/// An output written straight from named top-level fields of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `.`: the input itself.
    Input,
    /// `.name`
    Field(String),
    /// `{key: .field, …}`, with `{name}` meaning `{name: .name}`; keys are distinct.
    Object(Vec<(String, String)>),
    /// `.name | keys`; with `count`, `.name | keys | length` or `.name | length`. Written
    /// here when the field holds an object or an array, the keys read without building the
    /// value; anything else goes to jq, which says why it has no keys or what its length is.
    Keys { field: String, count: bool },
}

impl Shape {
    /// The shape of `code`; with `after_select`, of what follows its leading `select(…) |`
    /// (the caller has proven that select with a [`Prefilter`](super::Prefilter)).
    pub fn of(code: &str, after_select: bool) -> Option<Shape> {
        let term: T = jaq_core::load::parse(code, |p| p.term())?;
        let output = match (&term, after_select) {
            (Term::BinOp(select, BinaryOp::Pipe(None), rest), true) => {
                is_select(select).then_some(&**rest)?
            }
            (select, true) => return is_select(select).then_some(Shape::Input),
            (term, false) => term,
        };
        match output {
            Term::Id => Some(Shape::Input),
            Term::BinOp(head, BinaryOp::Pipe(None), rest) => {
                let count = match &**rest {
                    Term::BinOp(keys, BinaryOp::Pipe(None), length) => {
                        (is_call(keys, "keys") && is_call(length, "length")).then_some(true)?
                    }
                    then if is_call(then, "keys") => false,
                    then => is_call(then, "length").then_some(true)?,
                };
                let field = field(head)?;
                Some(Shape::Keys { field, count })
            }
            Term::Obj(entries) => {
                let mut pairs: Vec<(String, String)> = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    let key = literal(key)?;
                    let field = match value {
                        None => key.clone(),
                        Some(value) => field(value)?,
                    };
                    if pairs.iter().any(|(k, _)| *k == key) {
                        return None;
                    }
                    pairs.push((key, field));
                }
                Some(Shape::Object(pairs))
            }
            term => field(term).map(Shape::Field),
        }
    }

    /// The fields the output reads, in the order [`Shape::write`] wants their texts.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Shape::Input => Vec::new(),
            Shape::Field(name) | Shape::Keys { field: name, .. } => vec![name],
            Shape::Object(pairs) => pairs.iter().map(|(_, field)| field.as_str()).collect(),
        }
    }

    /// How the output reads its fields' values ([`probe::read_fields`]), one per
    /// [`Shape::fields`]: what the line's pass learns of them need not be learnt again.
    pub fn reads(&self) -> probe::Read {
        match self {
            Shape::Input | Shape::Keys { count: false, .. } => probe::Read::Text,
            Shape::Field(_) | Shape::Object(_) => probe::Read::Printed,
            Shape::Keys { count: true, .. } => probe::Read::Counted,
        }
    }

    /// Writes the output for `input` (one JSON value) and its fields (`None`: absent), one
    /// per [`Shape::fields`]; with `raw_strings`, a `.name` that is a string is written bare,
    /// as `-r` does. False (and `out` left partly written) when a text is not one jq reads,
    /// or one only its value's writer prints.
    pub fn write<'a>(
        &self,
        out: &mut Vec<u8>,
        input: &[u8],
        mut fields: impl Iterator<Item = Option<Field<'a>>>,
        raw_strings: bool,
    ) -> io::Result<bool> {
        match self {
            // An input that is a string is printed bare by `-r`: left to the jq path.
            Shape::Input if raw_strings => Ok(false),
            Shape::Input => match probe::as_jq_prints(input) {
                Some(text) => out.write_all(text).map(|()| true),
                None => Ok(super::transcode::compact(input, out)),
            },
            Shape::Field(_) => {
                let field = fields.next().flatten();
                match (raw_strings, probe::string(field.map(|f| f.text))) {
                    (true, Some(s)) => out.write_all(s.as_bytes()).map(|()| true),
                    _ => value(out, field),
                }
            }
            Shape::Object(pairs) => {
                out.write_all(b"{")?;
                for (i, ((key, _), field)) in pairs.iter().zip(fields).enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    compact::string(out, key.as_bytes())?;
                    out.write_all(b":")?;
                    if !value(out, field)? {
                        return Ok(false);
                    }
                }
                out.write_all(b"}").map(|()| true)
            }
            Shape::Keys { count: true, .. } => {
                let count = fields.next().flatten().and_then(|field| {
                    let text = field.text;
                    let count = field.count.or_else(|| probe::count(text));
                    count.or_else(|| members(text).map(|m| m.count()))
                });
                match count {
                    Some(count) => write!(out, "{count}").map(|()| true),
                    None => Ok(false),
                }
            }
            Shape::Keys { count: false, .. } => {
                match fields.next().flatten().and_then(|f| members(f.text)) {
                    Some(members) => members.write(out).map(|()| true),
                    None => Ok(false),
                }
            }
        }
    }
}

/// What `keys` reads of an object or an array: the object's keys, each once, in jq's order
/// (by code point), or the array's length. `None` when the text is neither.
fn members(text: &str) -> Option<Members<'_>> {
    let mut members = probe::members(text)?;
    if let Members::Keys(keys) = &mut members {
        // jq keeps the last of a key given twice: each is one key.
        keys.sort_unstable();
        keys.dedup();
    }
    Some(members)
}

impl Members<'_> {
    fn count(&self) -> usize {
        match self {
            Members::Keys(keys) => keys.len(),
            Members::Items(n) => *n,
        }
    }

    /// As `keys` prints them: `["a","b"]`, or an array's `[0,1]`.
    fn write(&self, out: &mut Vec<u8>) -> io::Result<()> {
        out.write_all(b"[")?;
        for i in 0..self.count() {
            if i > 0 {
                out.write_all(b",")?;
            }
            match self {
                Members::Keys(keys) => compact::string(out, keys[i].as_bytes())?,
                Members::Items(_) => write!(out, "{i}")?,
            }
        }
        out.write_all(b"]")
    }
}

/// One field's value as `jq -c` writes it: `null` when absent.
fn value(out: &mut Vec<u8>, field: Option<Field>) -> io::Result<bool> {
    let Some(field) = field else {
        return out.write_all(b"null").map(|()| true);
    };
    let text = field.text;
    let printed = match field.printed {
        Some(printed) => printed.then_some(text.as_bytes()),
        None => probe::as_jq_prints(text.as_bytes()),
    };
    if let Some(text) = printed {
        return out.write_all(text).map(|()| true);
    }
    let mark = out.len();
    if super::transcode::compact(text.as_bytes(), out) {
        return Ok(true);
    }
    out.truncate(mark);
    match super::parse(text.as_bytes()) {
        Ok(parsed) => compact::write(out, &parsed).map(|()| true),
        Err(_) => Ok(false),
    }
}

/// Whether `term` calls `name` with no arguments.
fn is_call(term: &T, name: &str) -> bool {
    matches!(term, Term::Call(called, args) if *called == name && args.is_empty())
}

/// Whether `term` is `select(f)`.
fn is_select(term: &T) -> bool {
    matches!(term, Term::Call("select", args) if args.len() == 1)
}

/// The name of `.name` (also `."name"`, `.["name"]`, `.name?`).
fn field(term: &T) -> Option<String> {
    match term {
        Term::Path(head, Path(parts)) if matches!(**head, Term::Id) => match &parts[..] {
            [(Part::Index(key), _)] => literal(key),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(pairs: &[(&str, &str)]) -> Option<Shape> {
        Some(Shape::Object(
            pairs
                .iter()
                .map(|(k, f)| ((*k).to_owned(), (*f).to_owned()))
                .collect(),
        ))
    }

    #[test]
    fn recognises_fields_and_objects_of_fields() {
        assert_eq!(
            Shape::of(".call_id", false),
            Some(Shape::Field("call_id".into()))
        );
        assert_eq!(
            Shape::of(r#".["from"]?"#, false),
            Some(Shape::Field("from".into()))
        );
        assert_eq!(
            Shape::of(
                r#"select(.kind == "x") | {call_id, from, "to": .dst}"#,
                true
            ),
            object(&[("call_id", "call_id"), ("from", "from"), ("to", "dst")])
        );
        assert_eq!(Shape::of("{}", false), object(&[]));
        assert_eq!(Shape::of(".", false), Some(Shape::Input));
        assert_eq!(
            Shape::of(r#"select(.kind == "x")"#, true),
            Some(Shape::Input)
        );
        assert_eq!(
            Shape::of(r#"select(.kind == "x") | ."#, true),
            Some(Shape::Input)
        );
        let keys = |count| {
            Some(Shape::Keys {
                field: "raw".into(),
                count,
            })
        };
        assert_eq!(Shape::of(".raw | keys", false), keys(false));
        assert_eq!(Shape::of(".raw | keys | length", false), keys(true));
        assert_eq!(Shape::of(".raw|length", false), keys(true));
        assert_eq!(
            Shape::of(r#"select(.t == "x") | .raw | keys"#, true),
            keys(false)
        );
    }

    #[test]
    fn keys_are_read_as_jq_reads_them() {
        let written = |text: &str, count: bool| {
            let mut out = Vec::new();
            let shape = Shape::Keys {
                field: "f".into(),
                count,
            };
            let done = shape.write(&mut out, b"", [Some(Field::text(text))].into_iter(), false);
            done.unwrap().then(|| String::from_utf8(out).unwrap())
        };
        // Sorted by code point, a key given twice once, escapes decoded and written as jq does.
        let object = r#"{"b":1,"a":{"x":[]},"\u00e9":2,"b":3,"\u007f":0,"z\"q":1,"B":0}"#;
        assert_eq!(
            written(object, false).as_deref(),
            Some(r#"["B","a","b","z\"q","\u007f","é"]"#)
        );
        assert_eq!(written(object, true).as_deref(), Some("6"));
        assert_eq!(written("[5, [6], {}]", false).as_deref(), Some("[0,1,2]"));
        assert_eq!(written("[]", true).as_deref(), Some("0"));
        assert_eq!(written("{}", false).as_deref(), Some("[]"));
        // jq says why these have no keys, or how long they are.
        for other in ["null", "\"str\"", "1", "true"] {
            assert_eq!(written(other, false), None, "{other}");
            assert_eq!(written(other, true), None, "{other}");
        }
    }

    #[test]
    fn refuses_anything_else() {
        for (code, after_select) in [
            (".a.b", false),
            (".a, .b", false),
            ("[.a]", false),
            ("{a, a: .b}", false),
            ("{(.k): .v}", false),
            ("{a: .b.c}", false),
            ("{$x}", false),
            (r#"select(.kind == "x") | .a | .b"#, true),
            (".a", true),
            (r#"select(.kind == "x") | .a"#, false),
            (".a | keys_unsorted", false),
            (".a | length | keys", false),
            (".a.b | keys", false),
            (".a | keys | .[0]", false),
            ("keys", false),
        ] {
            assert_eq!(Shape::of(code, after_select), None, "{code}");
        }
    }
}
