//! The fast path for expressions that read only named top-level fields, such as `.type`,
//! `[.provider, .kind] | join("/")` or `select(.kind == "x") | {call_id, from}`: each line
//! needs only those fields parsed into values, the rest merely checked to be valid JSON.
//!
//! The analysis walks jaq's syntax tree and gives up (`None`) on anything it cannot prove
//! reads the input only through `.name`: the input used whole (`.`, `keys`, `length`,
//! `tojson`, `..`, `.[]`…), any function but `select`, definitions, `reduce`/`foreach`,
//! assignments, and `input`/`inputs` anywhere. A wrong "yes" would change output, so every
//! doubt is a "no", and the normal path runs.

use jaq_core::load::lex::StrPart;
use jaq_core::load::parse::{BinaryOp, Pattern, Term};
use jaq_core::path::{Part, Path};

type T<'s> = Term<&'s str>;

/// The top-level fields `code` reads, when it reads the input in no other way.
pub fn fields(code: &str) -> Option<Vec<String>> {
    let term: T = jaq_core::load::parse(code, |p| p.term())?;
    let mut fields = Vec::new();
    let flow = on_input(&term, &mut fields).ok()?;
    // An expression that can output the input itself needs all of it.
    (flow == Flow::Derived).then_some(fields)
}

/// What a term outputs: the input itself (`.`, `select(…)`), or values derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Input,
    Derived,
}

/// The input is needed whole.
struct Whole;

/// Walks a term that runs on the input, collecting the fields it reads.
fn on_input(term: &T, fields: &mut Vec<String>) -> Result<Flow, Whole> {
    use Flow::{Derived, Input};
    match term {
        Term::Id => Ok(Input),
        Term::Num(_) | Term::Var(_) | Term::Break(_) | Term::Arr(None) => Ok(Derived),
        Term::Path(head, path) => on_path(head, path, fields),
        Term::Str(_, parts) => {
            for part in parts {
                if let StrPart::Term(t) = part {
                    derived(t, fields)?;
                }
            }
            Ok(Derived)
        }
        Term::Arr(Some(t)) | Term::Neg(t) => derived(t, fields),
        Term::Obj(entries) => on_object(entries, fields),
        Term::BinOp(l, BinaryOp::Pipe(None), r) => match on_input(l, fields)? {
            // `select(…) | r`: r still runs on the input.
            Input => on_input(r, fields),
            Derived => not_on_input(r).map(|()| Derived),
        },
        Term::BinOp(l, BinaryOp::Pipe(Some(Pattern::Var(_))), r) => {
            derived(l, fields)?;
            on_input(r, fields)
        }
        Term::BinOp(
            l,
            BinaryOp::Comma
            | BinaryOp::Alt
            | BinaryOp::Or
            | BinaryOp::And
            | BinaryOp::Math(_)
            | BinaryOp::Cmp(_),
            r,
        ) => {
            derived(l, fields)?;
            derived(r, fields)
        }
        Term::TryCatch(body, catch) => {
            if let Some(catch) = catch {
                not_on_input(catch)?;
            }
            on_input(body, fields)
        }
        Term::IfThenElse(branches, otherwise) => {
            on_branches(branches, otherwise.as_deref(), fields)
        }
        Term::Label(_, body) => on_input(body, fields),
        Term::Call(name, args) => match (*name, &args[..]) {
            ("select", [cond]) => derived(cond, fields).map(|_| Input),
            ("empty" | "true" | "false" | "null", []) => Ok(Derived),
            _ => Err(Whole),
        },
        _ => Err(Whole),
    }
}

/// A sub-term whose value is an operand, an element or an index: never the input itself.
fn derived(term: &T, fields: &mut Vec<String>) -> Result<Flow, Whole> {
    match on_input(term, fields)? {
        Flow::Derived => Ok(Flow::Derived),
        Flow::Input => Err(Whole),
    }
}

/// `.name…`, or a path into some other term's value.
fn on_path(head: &T, path: &Path<T>, fields: &mut Vec<String>) -> Result<Flow, Whole> {
    match (head, path.0.first()) {
        (Term::Id, Some((Part::Index(key), _))) => fields.push(literal(key).ok_or(Whole)?),
        (Term::Id, _) => return Err(Whole),
        (head, _) => {
            derived(head, fields)?;
        }
    }
    // Index expressions such as `.a[.i]` run on the input too.
    for (part, _) in path.0.iter().skip(usize::from(matches!(head, Term::Id))) {
        part_terms(part).try_for_each(|t| derived(t, fields).map(drop))?;
    }
    Ok(Flow::Derived)
}

/// `{…}`: each key and value, where `{name}` is `{name: .name}`.
fn on_object(entries: &[(T, Option<T>)], fields: &mut Vec<String>) -> Result<Flow, Whole> {
    for (key, value) in entries {
        match (key, value) {
            (key, None) if literal(key).is_some() => fields.push(literal(key).ok_or(Whole)?),
            // `{$x}` reads a variable.
            (Term::Var(_), None) => {}
            (_, None) => return Err(Whole),
            (key, Some(value)) => {
                derived(key, fields)?;
                derived(value, fields)?;
            }
        }
    }
    Ok(Flow::Derived)
}

/// `if … then … elif … else … end`: every branch must give the same kind of value.
fn on_branches(
    branches: &[(T, T)],
    otherwise: Option<&T>,
    fields: &mut Vec<String>,
) -> Result<Flow, Whole> {
    let mut flows = Vec::new();
    for (cond, then) in branches {
        derived(cond, fields)?;
        flows.push(on_input(then, fields)?);
    }
    flows.push(match otherwise {
        Some(t) => on_input(t, fields)?,
        None => Flow::Input,
    });
    let first = flows[0];
    if flows.iter().all(|&f| f == first) {
        Ok(first)
    } else {
        Err(Whole)
    }
}

/// A term that runs on something other than the input: it cannot reach the input, except
/// by reading further inputs.
fn not_on_input(term: &T) -> Result<(), Whole> {
    let mut found = false;
    visit(term, &mut |t| {
        found |= matches!(t, Term::Call("input" | "inputs", _));
    });
    if found { Err(Whole) } else { Ok(()) }
}

/// Calls `f` on `term` and every term inside it.
fn visit<'s>(term: &T<'s>, f: &mut impl FnMut(&T<'s>)) {
    f(term);
    let mut each = |t: &T<'s>| visit(t, f);
    match term {
        Term::Str(_, parts) => parts.iter().for_each(|p| {
            if let StrPart::Term(t) = p {
                each(t)
            }
        }),
        Term::Arr(Some(t)) | Term::Neg(t) | Term::Label(_, t) => each(t),
        Term::Obj(entries) => entries.iter().for_each(|(k, v)| {
            each(k);
            if let Some(v) = v {
                each(v);
            }
        }),
        Term::BinOp(l, _, r) => {
            each(l);
            each(r);
        }
        Term::Fold(_, source, _, args) => {
            each(source);
            args.iter().for_each(each);
        }
        Term::TryCatch(body, catch) => {
            each(body);
            if let Some(c) = catch {
                each(c);
            }
        }
        Term::IfThenElse(branches, otherwise) => {
            branches.iter().for_each(|(c, t)| {
                each(c);
                each(t);
            });
            if let Some(t) = otherwise {
                each(t);
            }
        }
        Term::Def(defs, body) => {
            defs.iter().for_each(|d| each(&d.body));
            each(body);
        }
        Term::Call(_, args) => args.iter().for_each(each),
        Term::Path(head, path) => {
            each(head);
            path_terms(path).for_each(each);
        }
        Term::Id
        | Term::Recurse
        | Term::Num(_)
        | Term::Arr(None)
        | Term::Break(_)
        | Term::Var(_) => {}
    }
}

fn part_terms<'a, 's>(part: &'a Part<T<'s>>) -> impl Iterator<Item = &'a T<'s>> {
    let (a, b) = match part {
        Part::Index(i) => (Some(i), None),
        Part::Range(from, to) => (from.as_ref(), to.as_ref()),
    };
    a.into_iter().chain(b)
}

fn path_terms<'a, 's>(path: &'a Path<T<'s>>) -> impl Iterator<Item = &'a T<'s>> {
    path.0.iter().flat_map(|(part, _)| part_terms(part))
}

/// A plain string literal, such as the `a` of `.a`, `."a"` or `{a}`.
pub(super) fn literal(term: &T) -> Option<String> {
    match term {
        Term::Str(None, parts) => match &parts[..] {
            [StrPart::Str(s)] => Some((*s).to_owned()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::fields;

    fn reads(code: &str) -> Option<Vec<&'static str>> {
        fields(code).map(|f| f.into_iter().map(|s| &*s.leak()).collect())
    }

    #[test]
    fn names_the_fields_of_plain_field_expressions() {
        assert_eq!(reads(".type"), Some(vec!["type"]));
        assert_eq!(reads(".raw.caller.number"), Some(vec!["raw"]));
        assert_eq!(
            reads(r#"."call_id", .["from"]"#),
            Some(vec!["call_id", "from"])
        );
        assert_eq!(
            reads(r#"[.provider, .kind] | join("/")"#),
            Some(vec!["provider", "kind"])
        );
        assert_eq!(reads(".raw | keys | length"), Some(vec!["raw"]));
        assert_eq!(
            reads(r#"select(.kind == "call.ended") | {call_id, from, to: .raw.to}"#),
            Some(vec!["kind", "call_id", "from", "raw"])
        );
        assert_eq!(reads(r#""\(.from) → \(.to)""#), Some(vec!["from", "to"]));
        assert_eq!(
            reads(r#"if .kind == "x" then .from else .to end"#),
            Some(vec!["kind", "from", "to"])
        );
        assert_eq!(reads(".a[.i]"), Some(vec!["a", "i"]));
        assert_eq!(reads(".a as $x | .b + $x"), Some(vec!["a", "b"]));
        assert_eq!(reads("try .a catch ."), Some(vec!["a"]));
        assert_eq!(reads("1, \"x\""), Some(vec![]));
    }

    #[test]
    fn refuses_whatever_reads_the_input_whole() {
        for code in [
            ".",
            "keys",
            "length",
            ".[]",
            "..",
            ".[\"a\\n\"]",
            r#"select(.type == "x")"#,
            r#"select(.type == "x"), .a"#,
            ". as $all | .a",
            "tojson",
            "{a: .}",
            "[.]",
            "{(.): 1}",
            "if .a then . else .b end",
            "if .a then .b end",
            "del(.a)",
            ".a = 1",
            ".a |= 1",
            "def f: .; f",
            "reduce .a[] as $x (0; . + $x)",
            ".a | input",
            "[.a, inputs]",
            "@base64",
            "not",
            ".a[.]",
            "has(\"a\")",
            "",
            ".a |",
        ] {
            assert_eq!(reads(code), None, "{code}");
        }
    }
}
