//! What an expression can call: jaq's definitions and natives, less those telev replaces,
//! then telev's own (`defs.jq`, `natives.rs`), `input` and `inputs`, and `builtins` listing
//! them all.

use jaq_core::load::{self, parse::Def};
use jaq_core::native::{Fun, run, v};

use super::{Data, Value, natives};

/// The definitions: the engine's, then telev's, which shadow them (the engine's own uses keep
/// the engine's), then `builtins`.
pub fn defs() -> impl Iterator<Item = Def<&'static str>> {
    let listed = load::parse(builtins(), |p| p.defs()).unwrap_or_default();
    engine_defs().chain(own_defs()).chain(listed)
}

fn engine_defs() -> impl Iterator<Item = Def<&'static str>> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    defs.filter(|def| !natives::replaces(def.name, def.args.len()))
}

/// The natives: the engine's less those telev replaces; `input`, `inputs` and where an input
/// comes from; jaq's `limit` and `skip` again as `_limit` and `_skip`, for telev's `limit`,
/// `skip` and `nth` to call after refusing a negative count as jq does; telev's own.
pub fn funs() -> impl Iterator<Item = Fun<Data>> {
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let engine = funs.filter(|(name, args, _)| !natives::replaces(name, args.len()));
    let inputs = jaq_std::input::funs::<Data>().into_vec().into_iter();
    let whence = [
        ("input_filename", v(0), filename as jaq_core::RunPtr<Data>),
        ("input_line_number", v(0), line_number),
    ];
    let counted = jaq_core::funs::<Data>().filter_map(|(name, args, native)| {
        let renamed = match name {
            "limit" => "_limit",
            "skip" => "_skip",
            _ => return None,
        };
        Some((renamed, args, native))
    });
    engine
        .chain(inputs.map(run::<Data>))
        .chain(whence.into_iter().map(run::<Data>))
        .chain(counted)
        .chain(natives::funs())
}

/// `def builtins: [...]`: every name/arity an expression can call, as jq lists them; once.
fn builtins() -> &'static str {
    static BUILTINS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BUILTINS.get_or_init(|| {
        let mut names: Vec<String> = engine_defs()
            .map(|d| (d.name, d.args.len()))
            .chain(own_defs().map(|d| (d.name, d.args.len())))
            .chain(funs().map(|(name, args, _)| (name, args.len())))
            .filter(|(name, _)| !name.starts_with('@') && !name.starts_with('_'))
            .map(|(name, arity)| format!("{name}/{arity}"))
            .collect();
        names.sort_unstable();
        names.dedup();
        format!("def builtins: {};", serde_json::Value::from(names))
    })
}

/// `input_filename`: the file the input came from, `null` for standard input.
fn filename<'a>(cv: jaq_core::Cv<'a, Data>) -> jaq_core::ValXs<'a, Value> {
    Box::new(std::iter::once(Ok(cv.0.data().source.filename.clone())))
}

/// `input_line_number`: the line of its file the input started on.
fn line_number<'a>(cv: jaq_core::Cv<'a, Data>) -> jaq_core::ValXs<'a, Value> {
    let line = cv.0.data().source.line;
    Box::new(std::iter::once(Ok(Value::from(line as isize))))
}

/// telev's definitions of what jq has and jaq lacks (`defs.jq`).
fn own_defs() -> impl Iterator<Item = load::parse::Def<&'static str>> {
    load::parse(include_str!("defs.jq"), |p| p.defs())
        .expect("telev's definitions parse")
        .into_iter()
}
