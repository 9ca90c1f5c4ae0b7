//! The jq engine behind one door: compile an expression once, run it on many values.
//! Nothing outside this module imports jaq.

mod compact;
mod library;
mod natives;
mod prefilter;
pub mod probe;
mod projection;
mod shape;
mod style;
mod transcode;

pub use prefilter::Prefilter;
pub use shape::Shape;
pub use style::Style;

use std::borrow::Cow;
use std::fmt;

use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data};
pub use jaq_json::Val as Value;

/// What a run's filters can reach besides their input: the lookup table, and the inputs
/// `input` and `inputs` read from (none unless the run was given them).
pub struct Data;

impl jaq_core::DataT for Data {
    type V<'a> = Value;
    type Data<'a> = &'a Globals<'a>;
}

pub struct Globals<'a> {
    lut: &'a jaq_core::Lut<Data>,
    source: Source<'a>,
}

/// Where a run's input comes from: the inputs `input` and `inputs` take, and the file and
/// line `input_filename` and `input_line_number` tell.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub inputs: Inputs<'a>,
    /// The file's name, or `null` for standard input, as jq says.
    pub filename: &'a Value,
    pub line: u64,
}

/// The values `input` and `inputs` take, in order, shared with the loop that runs on them.
pub type Inputs<'a> = jaq_std::input::Inputs<'a, Value>;
pub use jaq_std::input::RcIter;

impl<'a> data::HasLut<'a, Data> for &'a Globals<'a> {
    fn lut(&self) -> &'a jaq_core::Lut<Data> {
        self.lut
    }
}

impl<'a> jaq_std::input::HasInputs<'a, Value> for &'a Globals<'a> {
    fn inputs(&self) -> Inputs<'a> {
        self.source.inputs
    }
}

/// A compiled jq expression.
pub struct Filter {
    compiled: jaq_core::Filter<Data>,
    vars: Vec<Value>,
    /// The `select(.field == "literal")` shape, if the expression has it, for the fast path.
    prefilter: Option<Prefilter>,
    /// The top-level fields the expression reads, when it reads its input no other way.
    projection: Option<Vec<String>>,
    /// The output as named fields (after the prefilter's select, if any), for the direct path.
    shape: Option<Shape>,
}

/// A compile error with what the user needs to find it: the expression and where.
#[derive(Debug)]
pub struct CompileError {
    pub expression: String,
    pub messages: Vec<(std::ops::Range<usize>, String)>,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (span, message)) in self.messages.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let column = self.expression[..span.start.min(self.expression.len())]
                .chars()
                .count();
            let width = self.expression
                [span.start.min(self.expression.len())..span.end.min(self.expression.len())]
                .chars()
                .count()
                .max(1);
            writeln!(f, "invalid filter: {message} at column {}", column + 1)?;
            writeln!(f, "  {}", self.expression.replace(['\n', '\t'], " "))?;
            write!(f, "  {}{}", " ".repeat(column), "^".repeat(width))?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {}

/// `halt` or `halt_error` ended a run: nothing more is read, and telev exits with the code.
#[derive(Debug)]
pub struct Halted(pub i32);

impl fmt::Display for Halted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the filter halted with exit code {}", self.0)
    }
}

impl std::error::Error for Halted {}

/// An error raised while running a filter on one input (`error("…")`, `.a.b` on a string, …).
#[derive(Debug)]
pub struct RunError {
    pub message: String,
    /// `halt` or `halt_error`: the run is to end at once with this exit code.
    pub halt: Option<i32>,
}

impl RunError {
    /// Characters of a message kept: a type error quotes the value it met, which can be a
    /// whole event of megabytes; jq, too, quotes only its start.
    const SHOWN: usize = 500;

    fn new(mut message: String) -> RunError {
        if let Some((cut, _)) = message.char_indices().nth(Self::SHOWN) {
            let more = message[cut..].chars().count();
            message.truncate(cut);
            message.push_str(&format!("… ({more} more characters)"));
        }
        RunError {
            message,
            halt: None,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What an expression is compiled with besides its code: its `$NAME`s, each as JSON text
/// (`--arg`, `--argjson`, `--slurpfile`, `--rawfile`, `$ARGS`), and the directories its
/// `import` and `include` look in (`-L`). Text, not values, so that threads can share it.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    pub vars: Vec<(String, String)>,
    pub library: Vec<std::path::PathBuf>,
}

impl Bindings {
    /// `--arg NAME VALUE` pairs: each value a string.
    pub fn strings(pairs: &[(String, String)]) -> Bindings {
        let quoted = pairs.iter().map(|(name, value)| {
            let json = serde_json::Value::String(value.clone()).to_string();
            (name.clone(), json)
        });
        Bindings {
            vars: quoted.collect(),
            library: Vec::new(),
        }
    }
}

impl Filter {
    /// Compiles `code`; `vars` are `--arg NAME VALUE` pairs, bound as `$NAME`.
    pub fn compile(code: &str, vars: &[(String, String)]) -> Result<Filter, CompileError> {
        Filter::compile_with(code, &Bindings::strings(vars))
    }

    /// Compiles `code` with its bindings; `$ENV` is always bound, as in jq.
    pub fn compile_with(code: &str, bindings: &Bindings) -> Result<Filter, CompileError> {
        let error = |messages| CompileError {
            expression: code.to_owned(),
            messages,
        };
        let mut values = Vec::with_capacity(bindings.vars.len() + 1);
        let mut names = Vec::with_capacity(bindings.vars.len() + 1);
        for (name, json) in &bindings.vars {
            let value = parse(json.as_bytes())
                .map_err(|e| error(vec![(0..0, format!("${name} is not JSON: {e}"))]))?;
            names.push(format!("${name}"));
            values.push(value);
        }
        names.push("$ENV".to_owned());
        values.push(environment());
        let defs = library::defs();
        let arena = Arena::default();
        let library = library_paths(&bindings.library);
        let main = File {
            code,
            path: std::path::PathBuf::new(),
        };
        let modules = Loader::new(defs)
            .with_read(|import: load::Import<&str, std::path::PathBuf>| {
                let path = import
                    .find(&library, "jq")
                    .map_err(|e| not_found(e, &library))?;
                let code = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(File { code, path })
            })
            .load(&arena, main)
            .map_err(|errs| error(load_messages(code, errs)))?;
        // `import "data" as $d`: the values of `data.json`, bound after the other variables.
        load::import(&modules, |import| {
            let path = import
                .find(&library, "json")
                .map_err(|e| not_found(e, &library))?;
            let text = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let items: Result<Vec<Value>, _> = parse_many(&utf8(&text))
                .map(|r| r.map_err(|e| e.1))
                .collect();
            values.push(Value::Arr(items?.into()));
            Ok(())
        })
        .map_err(|errs| error(load_messages(code, errs)))?;
        let compiled = Compiler::default()
            .with_funs(library::funs())
            .with_global_vars(names.iter().map(String::as_str))
            .compile(modules)
            .map_err(|errs| {
                let messages = errs
                    .into_iter()
                    .flat_map(|(_, errs)| errs)
                    .map(|(name, undefined)| {
                        let what = undefined.as_str();
                        (span_in(code, name), format!("undefined {what} `{name}`"))
                    })
                    .collect();
                error(messages)
            })?;
        let prefilter = Prefilter::of(code);
        Ok(Filter {
            compiled,
            vars: values,
            shape: Shape::of(code, prefilter.is_some()),
            prefilter,
            projection: projection::fields(code),
        })
    }

    /// Whether the expression takes inputs itself (`input`, `inputs`): then it runs as jq
    /// runs such a program, pulling from the inputs it is run on.
    pub fn reads_inputs(code: &str) -> bool {
        calls_any(code, &["input", "inputs"])
    }

    /// Whether the expression may end the whole run (`halt`, `halt_error`): then no worker may
    /// run ahead of it.
    pub fn may_halt(code: &str) -> bool {
        calls_any(code, &["halt", "halt_error"])
    }

    /// The fast-path shape of this expression, if it has one.
    pub fn prefilter(&self) -> Option<&Prefilter> {
        self.prefilter.as_ref()
    }

    /// The top-level fields this expression reads, if it reads nothing else of its input:
    /// then an object of just those fields gives the same outputs as the whole input.
    pub fn projection(&self) -> Option<&[String]> {
        self.projection.as_deref()
    }

    /// The output of this expression as named fields of the input, if it is that simple:
    /// then, on an input the prefilter passes, [`Shape::write`] prints what the run would.
    pub fn shape(&self) -> Option<&Shape> {
        self.shape.as_ref()
    }

    /// Runs the filter on one input, handing each output to `emit`; stops at the first error.
    /// `input` and `inputs` find no more inputs.
    pub fn run<E>(
        &self,
        input: Value,
        emit: impl FnMut(Value) -> Result<(), E>,
    ) -> Result<Result<(), RunError>, E> {
        let none = RcIter::new(std::iter::empty());
        let source = Source {
            inputs: &none,
            filename: &Value::Null,
            line: 0,
        };
        self.run_reading(input, source, emit)
    }

    /// [`Filter::run`] on an input from `source`.
    pub fn run_reading<E>(
        &self,
        input: Value,
        source: Source,
        mut emit: impl FnMut(Value) -> Result<(), E>,
    ) -> Result<Result<(), RunError>, E> {
        // Rebuilt field by field, so that the inputs' lifetime shortens to this run's.
        let globals = Globals {
            lut: &self.compiled.lut,
            source: Source {
                inputs: source.inputs,
                filename: source.filename,
                line: source.line,
            },
        };
        let ctx = Ctx::<Data>::new(&globals, Vars::new(self.vars.iter().cloned()));
        for output in self.compiled.id.run((ctx, input)) {
            match output {
                Ok(value) => emit(value)?,
                Err(exn) => {
                    // `error("text")` reads as the text, as in jq; other values as JSON.
                    let message = match exn.get_err() {
                        Ok(err) => match err.into_val() {
                            Value::TStr(text) => String::from_utf8_lossy(&text).into_owned(),
                            value => value.to_string(),
                        },
                        Err(exn) => {
                            let code = exn.get_halt().unwrap_or(5);
                            return Ok(Err(RunError {
                                message: format!("the filter halted with exit code {code}"),
                                halt: Some(code),
                            }));
                        }
                    };
                    return Ok(Err(RunError::new(message)));
                }
            }
        }
        Ok(Ok(()))
    }
}

/// Whether `code` names any of `names` as a filter (not in a string, not as a field).
fn calls_any(code: &str, names: &[&str]) -> bool {
    use jaq_core::load::lex::{Lexer, StrPart, Tok, Token};
    fn any_word(tokens: &[Token<&str>], names: &[&str]) -> bool {
        tokens.iter().any(|Token(text, tok)| match tok {
            Tok::Word => names.contains(text),
            Tok::Block(inner) => any_word(inner, names),
            Tok::Str(parts) => parts.iter().any(|part| match part {
                StrPart::Term(term) => any_word(std::slice::from_ref(term), names),
                _ => false,
            }),
            _ => false,
        })
    }
    Lexer::new(code)
        .lex()
        .is_ok_and(|tokens| any_word(&tokens, names))
}

/// A module or data file not found, with where it was looked for.
fn not_found(error: String, library: &[std::path::PathBuf]) -> String {
    let dirs: Vec<String> = library.iter().map(|d| d.display().to_string()).collect();
    match dirs.is_empty() {
        true => format!("{error} (give its directory with -L DIR)"),
        false => format!("{error} in {} (-L DIR looks elsewhere)", dirs.join(", ")),
    }
}

/// Where `import` and `include` look: `-L` directories, else jq's `~/.jq`.
fn library_paths(given: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    if !given.is_empty() {
        return given.to_vec();
    }
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    home.map(|h| vec![h.join(".jq")]).unwrap_or_default()
}

/// `$ENV`: the environment as an object of strings.
fn environment() -> Value {
    let vars = std::env::vars_os().map(|(name, value)| {
        let name = Value::from(name.to_string_lossy().into_owned());
        (name, Value::from(value.to_string_lossy().into_owned()))
    });
    Value::obj(vars.collect())
}

fn load_messages<P>(
    code: &str,
    errs: load::Errors<&str, P>,
) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for (_, err) in errs {
        match err {
            load::Error::Io(errs) => {
                out.extend(errs.into_iter().map(|(path, e)| (span_in(code, path), e)));
            }
            load::Error::Lex(errs) => out.extend(errs.into_iter().map(|(expect, found)| {
                (
                    span_in(code, found),
                    format!("expected {}", expect.as_str()),
                )
            })),
            load::Error::Parse(errs) => out.extend(errs.into_iter().map(|(expect, found)| {
                let found_text = if found.is_empty() {
                    "end of input".to_owned()
                } else {
                    format!("`{found}`")
                };
                let message = format!("expected {}, found {found_text}", expect.as_str());
                (span_in(code, found), message)
            })),
        }
    }
    out
}

/// Where `part`, a slice of `code`, lies in it; the end when it lies elsewhere.
fn span_in(code: &str, part: &str) -> std::ops::Range<usize> {
    let (start, end) = (code.as_ptr() as usize, code.as_ptr() as usize + code.len());
    let at = part.as_ptr() as usize;
    if (start..=end).contains(&at) && at + part.len() <= end {
        load::span(code, part)
    } else {
        code.len()..code.len()
    }
}

impl Filter {
    /// An envelope as this filter's input: the value `telev filter` reads from its capture
    /// line or, when the expression reads only named fields, an object of just those (the
    /// payload is then not built unless it is one of them). True with the whole envelope.
    pub fn envelope_input(&self, envelope: &crate::envelope::Envelope) -> (Value, bool) {
        let json = envelope.to_json();
        let projected = self
            .projection()
            .filter(|names| names.len() <= probe::MAX_KEYS)
            .and_then(|names| {
                let found = probe::read_fields(json.as_bytes(), names, &[])?;
                let texts = found.iter().map(|f| f.map(|f| f.text));
                project(names.iter().map(String::as_str).zip(texts))
            });
        match projected {
            Some(value) => (value, false),
            None => {
                let whole =
                    parse(json.as_bytes()).expect("jaq reads the JSON an envelope is written as");
                (whole, true)
            }
        }
    }
}

/// Parses one JSON text into a filter value.
pub fn parse(json: &[u8]) -> Result<Value, String> {
    let json = utf8(json);
    if let Some((_, at)) = too_deep(&json) {
        return Err(depth_error(at));
    }
    jaq_json::read::parse_single(&json).map_err(|e| e.to_string())
}

/// Input text as jq reads it: UTF-8, each sequence that is not UTF-8 replaced by U+FFFD.
/// jaq's reader keeps such bytes in its strings, and they would be printed as they came:
/// output that is not JSON, where jq and qj print U+FFFD.
pub fn utf8(text: &[u8]) -> Cow<'_, [u8]> {
    match String::from_utf8_lossy(text) {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

/// [`utf8`] of text read whole: kept as it is when it already is UTF-8.
pub fn into_utf8(text: Vec<u8>) -> Vec<u8> {
    match String::from_utf8(text) {
        Ok(text) => text.into_bytes(),
        Err(bad) => String::from_utf8_lossy(bad.as_bytes())
            .into_owned()
            .into_bytes(),
    }
}

/// Arrays and objects nested deeper than this are an error, as in jq: jaq's reader calls
/// itself once for each level, and a line of a million `[` overflowed the stack.
const MAX_PARSE_DEPTH: usize = 256;

/// Where `text` first nests deeper than [`MAX_PARSE_DEPTH`]: where the top-level value
/// holding it starts, and the offset of the bracket too deep. Brackets in strings are text.
fn too_deep(text: &[u8]) -> Option<(usize, usize)> {
    let (mut depth, mut start) = (0_usize, 0);
    let (mut in_string, mut escaped) = (false, false);
    for (at, &b) in text.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                if depth == 0 {
                    start = at;
                }
                depth += 1;
                if depth > MAX_PARSE_DEPTH {
                    return Some((start, at));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn depth_error(at: usize) -> String {
    format!("byte offset {at}: exceeds depth limit for parsing ({MAX_PARSE_DEPTH} levels)")
}

/// An object of the given fields (name and JSON text; absent ones left out), or `None` if
/// a text is not JSON jaq reads.
pub fn project<'a>(fields: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Option<Value> {
    let mut object = jaq_json::Map::default();
    for (name, text) in fields {
        if let Some(text) = text {
            let value = jaq_json::read::parse_single(text.as_bytes()).ok()?;
            object.insert(Value::from(name.to_owned()), value);
        }
    }
    Some(Value::obj(object))
}

/// Parses the JSON values in `text`, in order; each error carries its byte offset. A value
/// nested too deep ([`MAX_PARSE_DEPTH`]) is an error after the values before it.
pub fn parse_many(text: &[u8]) -> impl Iterator<Item = Result<Value, (usize, String)>> + '_ {
    let deep = too_deep(text);
    let read = deep.map_or(text, |(start, _)| &text[..start]);
    let deep = deep.map(|(_, at)| Err((at, depth_error(at))));
    jaq_json::read::parse_many(read)
        .map(|r| {
            r.map_err(|e| {
                let message = e.to_string();
                let offset = message
                    .strip_prefix("byte offset ")
                    .and_then(|rest| rest.split(':').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                (offset, message)
            })
        })
        .chain(deep)
}

/// A value as compact JSON text.
pub fn compact_string(value: &Value) -> String {
    let mut out = Vec::new();
    compact::write(&mut out, value).expect("writing to a Vec cannot fail");
    String::from_utf8_lossy(&out).into_owned()
}

/// A top-level string field of an object value.
pub fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a [u8]> {
    let Value::Obj(map) = value else { return None };
    match map.get(&Value::from(key.to_owned()))? {
        Value::TStr(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_a_program_that_takes_inputs_itself() {
        for code in [
            "input",
            "[., input]",
            "reduce inputs as $x (0; .+1)",
            r#""\(input)""#,
            "(first(inputs))",
        ] {
            assert!(Filter::reads_inputs(code), "{code}");
        }
        for code in [
            r#"select(.type == "input")"#,
            ".inputs",
            "$input",
            ".a | input_filename",
            "inputx",
        ] {
            assert!(!Filter::reads_inputs(code), "{code}");
        }
    }

    fn outputs(code: &str, input: &str) -> Vec<String> {
        let filter = Filter::compile(code, &[("who".into(), "226".into())]).unwrap();
        let mut out = Vec::new();
        filter
            .run(parse(input.as_bytes()).unwrap(), |v| {
                out.push(v.to_string());
                Ok::<_, ()>(())
            })
            .unwrap()
            .unwrap();
        out
    }

    fn run_all(filter: &Filter, input: Value) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        let outcome = filter.run(input, |v| {
            out.push(v.to_string());
            Ok::<_, ()>(())
        });
        outcome.unwrap().map(|()| out).map_err(|e| e.message)
    }

    #[test]
    fn an_envelope_projected_for_a_filter_gives_what_the_whole_one_gives() {
        let start = jiff::Timestamp::from_second(1_763_629_200).unwrap();
        let codes = [
            (r#".from == "226""#, true),
            (
                r#"select(.kind == "call.ended") | {call_id, to: .raw.to}"#,
                true,
            ),
            (".raw | keys", true),
            (".wire.data | length", true),
            (".", false),
            ("keys", false),
        ];
        for envelope in crate::sample::envelopes(40, 3, start) {
            for (code, projected) in codes {
                let filter = Filter::compile(code, &[]).unwrap();
                assert_eq!(filter.projection().is_some(), projected, "{code}");
                let whole = parse(envelope.to_json().as_bytes()).unwrap();
                assert_eq!(
                    run_all(&filter, filter.envelope_input(&envelope).0),
                    run_all(&filter, whole),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn runs_standard_library_filters_and_args() {
        assert_eq!(outputs(".a | map(. * 2)", r#"{"a":[1,2]}"#), ["[2,4]"]);
        assert_eq!(outputs("$who", "null"), [r#""226""#]);
        assert_eq!(outputs(".[] | select(. > 1)", "[1,2,3]"), ["2", "3"]);
    }

    #[test]
    fn join_does_what_jq_does() {
        assert_eq!(
            outputs(r#"join("/")"#, r#"[null,"a",1,true]"#),
            [r#""/a/1/true""#]
        );
        assert_eq!(
            outputs(r#"join("-")"#, r#"{"x":"a","y":"b"}"#),
            [r#""a-b""#]
        );
        assert_eq!(outputs("join(1)", r#"["a"]"#), [r#""a""#]);
        assert_eq!(
            outputs(r#"join("-", "+")"#, r#"["a","b"]"#),
            [r#""a-b""#, r#""a+b""#]
        );
        assert_eq!(outputs(r#"@sh"#, r#"["a","b c"]"#), [r#""'a' 'b c'""#]);
        for (code, input) in [
            (r#"join("/")"#, r#"[[1],"a"]"#),
            ("join(1)", r#"["a","b"]"#),
        ] {
            let filter = Filter::compile(code, &[]).unwrap();
            let result = filter.run(parse(input.as_bytes()).unwrap(), |_| Ok::<_, ()>(()));
            assert!(result.unwrap().is_err(), "{code} on {input}");
        }
    }

    #[test]
    fn compile_errors_point_at_the_problem() {
        let err = Filter::compile(".a | foo", &[]).err().unwrap();
        let text = err.to_string();
        assert!(text.contains("undefined filter `foo`"), "{text}");
        assert!(text.contains("column 6"), "{text}");
        assert!(text.contains("     ^^^"), "{text}");
        let err = Filter::compile(".a |", &[]).err().unwrap();
        assert!(err.to_string().contains("found end of input"), "{err}");
    }

    #[test]
    fn runtime_errors_are_reported_not_panicked() {
        let filter = Filter::compile(".a.b", &[]).unwrap();
        let result = filter
            .run(parse(br#"{"a":"x"}"#).unwrap(), |_| Ok::<_, ()>(()))
            .unwrap();
        assert!(result.is_err());
        let filter = Filter::compile(r#"error("boom")"#, &[]).unwrap();
        let result = filter.run(Value::Null, |_| Ok::<_, ()>(())).unwrap();
        assert_eq!(
            result.unwrap_err().message,
            "boom",
            "a string error reads as its text"
        );
    }

    #[test]
    fn an_error_quoting_a_huge_value_is_cut() {
        let filter = Filter::compile(".raw | tonumber", &[]).unwrap();
        let big = format!(r#"{{"raw":{{"a":"{}"}}}}"#, "é".repeat(1_000_000));
        let result = filter.run(parse(big.as_bytes()).unwrap(), |_| Ok::<_, ()>(()));
        let message = result.unwrap().unwrap_err().message;
        assert!(
            message.chars().count() < 600,
            "{} characters",
            message.len()
        );
        assert!(message.ends_with(" more characters)"), "{message}");
    }
}
