//! `telev filter`: differential against jq, errors, streams and output modes.

mod util;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use util::Telev;

/// A generated capture of all five providers' events.
fn corpus(t: &Telev, calls: u64) -> std::path::PathBuf {
    let start = "2026-11-20T09:00:00Z".parse().unwrap();
    let mut text = String::new();
    for envelope in telev::sample::envelopes(calls, 42, start) {
        text.push_str(&envelope.to_json());
        text.push('\n');
    }
    t.write("corpus.ndjson", &text)
}

/// jq's answers, committed in `tests/jq_answers.json` so that the tests need no jq. Where jq
/// is installed (CI installs it), each answer is asked of jq again and must not have changed;
/// `TELEV_REGENERATE=1 cargo test --test filter`, with jq installed, writes the answers anew.
const ANSWERS: &str = "tests/jq_answers.json";

/// The oracle: what jq answers with these arguments (file arguments are named in the
/// answers by their content, so that temporary paths do not matter).
fn jq(args: &[&str]) -> util::Run {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock};
    static STORED: OnceLock<Mutex<BTreeMap<String, (i32, String)>>> = OnceLock::new();
    let path = util::repo_root().join(ANSWERS);
    let stored = STORED.get_or_init(|| {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| "{}".into());
        Mutex::new(serde_json::from_str(&text).expect("the committed answers are JSON"))
    });
    let key = answer_key(args);
    let live = Command::new("jq")
        .args(args)
        .output()
        .ok()
        .map(util::Run::from);
    let regenerate = std::env::var_os("TELEV_REGENERATE").is_some();
    let mut stored = stored.lock().unwrap();
    match (stored.get(&key).cloned(), live) {
        (Some(_), Some(live)) | (None, Some(live)) if regenerate => {
            stored.insert(key, (live.code, live.stdout.clone()));
            let text = serde_json::to_string_pretty(&*stored).unwrap();
            std::fs::write(&path, text + "\n").unwrap();
            live
        }
        (Some((code, stdout)), Some(live)) => {
            let regenerate = "TELEV_REGENERATE=1 cargo test --test filter";
            assert_eq!(
                (code, &stdout),
                (live.code, &live.stdout),
                "jq no longer gives the committed answer to {key}: {regenerate}"
            );
            live
        }
        (Some((code, stdout)), None) => util::Run {
            code,
            stdout,
            stderr: String::new(),
        },
        (None, _) => panic!(
            "no committed jq answer to {key}: with jq installed, TELEV_REGENERATE=1 cargo test \
             --test filter"
        ),
    }
}

/// Arguments as an answer is filed under: a file by its content's FNV-1a hash.
fn answer_key(args: &[&str]) -> String {
    let named: Vec<String> = args
        .iter()
        .map(|arg| match std::fs::read(arg) {
            Ok(bytes) if std::path::Path::new(arg).is_absolute() => {
                let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
                format!("<file {hash:016x}>")
            }
            _ => (*arg).to_owned(),
        })
        .collect();
    named.join(" ")
}

fn values(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn agrees_with_jq_on_a_generated_corpus() {
    let t = Telev::new();
    let path = corpus(&t, 300);
    let expressions = [
        ".",
        ".type",
        r#"select(.kind == "call.ended") | {call_id, from, to}"#,
        r#"select(.type == "hangup")"#,
        r#"select(.provider == "telphin") | .raw.CallStatus"#,
        ".raw | keys",
        r#"[.provider, .kind] | join("/")"#,
        r#"[.provider, .direction, .raw.ts, (.raw | has("id"))] | join("|")"#,
        r#"select(.direction == "inbound") | .from"#,
        ".wire | has(\"method\")",
        "{p: .provider, n: (.raw | length)}",
        r#".time | split("T") | .[0]"#,
        r#"select(.type | test("dial"))  | .call_id"#,
        r#"if .kind == "call.answered" then .to else empty end"#,
        "[.from, .to] | map(select(. != null) | length)",
        r#".received | sub("Z$"; "")"#,
    ];
    for expr in expressions {
        let jq = jq(&["-c", expr, path.to_str().unwrap()]);
        assert_eq!(jq.code, 0, "jq failed on {expr}");
        let ours = t.run(&["filter", expr, path.to_str().unwrap()]).ok();
        let theirs = values(&jq.stdout);
        assert!(!theirs.is_empty(), "{expr} selects something");
        assert_eq!(
            values(&ours.stdout),
            theirs,
            "telev filter and jq differ on {expr}"
        );
    }
}

/// Lines that stress the fast paths, which read only some fields: repeated keys (the last
/// wins), escapes, nesting, fields missing, and values that are not objects at all.
#[test]
fn fast_paths_agree_with_jq_on_awkward_lines() {
    let t = Telev::new();
    let objects = t.write(
        "objects.ndjson",
        concat!(
            r#"{"t":"x","a":1,"t":"y"}"#,
            "\n",
            r#"{"t":"x","a":"q\"\u00e9\n","z":[1,{"a":2}]}"#,
            "\n",
            r#"{"a":{"t":"inner"},"t":"x","b":null}"#,
            "\n",
            r#"{"t":"x"}"#,
            "\n{}\n",
        ),
    );
    let mixed = t.write("mixed.ndjson", "{\"a\":1}\n[1,2]\n\"a\"\n{\"b\":2}\n3\n");
    let cases = [
        (&objects, ".t"),
        (&objects, "[.a, .missing]"),
        (&objects, r#"select(.t == "x") | .a"#),
        (&objects, r#"select(.t == "x")"#),
        (&objects, r#""\(.a)-\(.t)""#),
        (&objects, r#"try .a.t catch "not an object""#),
        (&objects, ".a as $x | [$x, .t]"),
        (&objects, "{t, b, n: .z[1].a}"),
        (&objects, r#"if .b == null then .t else .a end"#),
        (&mixed, ".a?"),
        (&mixed, "[.a?, .b?]"),
    ];
    for (path, expr) in cases {
        let jq = jq(&["-c", expr, path.to_str().unwrap()]);
        assert_eq!(jq.code, 0, "jq failed on {expr}");
        let ours = t.run(&["filter", expr, path.to_str().unwrap()]).ok();
        assert_eq!(
            ours.stdout, jq.stdout,
            "telev filter and jq differ on {expr}"
        );
    }
}

/// Bytes that are not UTF-8 are read as jq reads them, each bad sequence as U+FFFD: jaq's
/// reader kept them, and telev printed them as they came (output that is not JSON). Every way
/// in: line by line, `-s`, pulled by `input`, `--slurpfile`, and a line whose value runs on to
/// the next.
#[test]
fn bytes_that_are_not_utf8_are_read_as_jq_reads_them() {
    let t = Telev::new();
    let path = t.path("latin1.ndjson");
    let text: &[u8] = b"{\"type\":\"\x80TART\",\"x\":1}\n{\"type\":\"a\xe2\x82b\xff\",\"y\":[\"\xc3\xa9\"]}\n{\"type\":\n\"\xfe\"}\n";
    std::fs::write(&path, text).unwrap();
    let file = path.to_str().unwrap();
    for args in [
        &["-c", ".type", file][..],
        &["-c", ".", file],
        &["-c", ".y", file],
        &["-c", "-s", "map(.type)", file],
        &["-c", "-n", "[inputs.type]", file],
        &["-c", "-n", "--slurpfile", "s", file, "$s | map(.type)"],
    ] {
        let jq = jq(args);
        assert_eq!(jq.code, 0, "jq failed on {args:?}");
        let ours = t
            .cmd(&[&["filter"][..], &args[1..]].concat())
            .output()
            .unwrap();
        assert!(ours.status.success(), "telev filter failed on {args:?}");
        let printed = String::from_utf8(ours.stdout).expect("telev prints UTF-8");
        assert_eq!(printed, jq.stdout, "telev filter and jq differ on {args:?}");
    }
}

/// `.`, `.name` and `{a, b: .c}` outputs are written from the input's text, not through jq:
/// they must print what the jq path prints (`[E] | .[]` takes it) on every spelling of every kind of
/// value, and what jq prints where jq and jaq agree (jq rewrites `1.0` and `-0`; jaq keeps them).
#[test]
fn direct_outputs_print_what_the_jq_path_prints() {
    let t = Telev::new();
    let path = t.write(
        "values.ndjson",
        concat!(
            r#"{"t":"x","a":-0,"b":1.0,"c":1e2,"d":12345678901234567890,"e":"\u007f","#,
            "\"del\":\"\u{7f}\",",
            r#""f":"tab\there","g":"\/","h":[1, 2],"i":{"x" : 1},"j":"\u00e9","k":-7,"l":123456789012345678}"#,
            "\n",
            r#"{"t":"y","i":"s","t":"x","h":{}}"#,
            "\n",
            r#"{"t":"x","e":null,"f":true,"g":"plain","h":9007199254740991}"#,
            "\n[1]\n\"str\"\n",
        ),
    );
    let path = path.to_str().unwrap();
    let same_as_jq = [
        ".g",
        ".missing",
        r#"select(.t == "x") | {e, del, f, g, h, i, j, k, n: .missing}"#,
        r#"select(.t == "x") | {out: .t, "g"}"#,
    ];
    for expr in same_as_jq {
        let jq = jq(&["-c", expr, path]);
        let ours = t.run(&["filter", expr, path]);
        assert_eq!(
            ours.stdout, jq.stdout,
            "telev filter and jq differ on {expr}"
        );
        assert_eq!(ours.code == 0, jq.code == 0, "{expr}: {}", ours.stderr);
    }
    for expr in [
        ".a",
        ".b",
        ".c",
        ".d",
        ".l",
        "{a, b, c, d, e, f, g, h, i, j, l}",
        ".",
        r#"select(.t == "x")"#,
    ] {
        let direct = t.run(&["filter", expr, path]);
        let through_jq = t.run(&["filter", &format!("[{expr}] | .[]"), path]);
        assert_eq!(direct.stdout, through_jq.stdout, "{expr}");
        assert_eq!(direct.stderr, through_jq.stderr, "{expr}");
    }
    // `.name | keys` reads the keys without building the value; what has no keys is jq's to tell.
    // `keys | length` counts in the line's pass (a key given twice, the last `r` read), but
    // leaves an object with escaped keys, or of more keys than it compares, to `keys`.
    let many: Vec<String> = (0..40).map(|i| format!(r#""k{}":{i}"#, i % 35)).collect();
    let many = format!(r#"{{"r":{{{}}}}}"#, many.join(","));
    let keyed = t.write(
        "keyed.ndjson",
        &[
            r#"{"r":{"b":1,"a":{"x":[]},"\u00e9":2,"b":3,"\u007f":0,"z\"q":1,"B":0}}"#,
            r#"{"r":[5,[6],{}]}"#,
            r#"{"r":{}}"#,
            r#"{"r":{"b":1,"a":2,"b":3}}"#,
            r#"{"r":{"a":1},"r":[1,2,3]}"#,
            r#"{"r":[1,2],"r":{"a":1,"a":2}}"#,
            r#"{"r":{"a":1,"\u0061":2}}"#,
            &many,
            // Last: jq 1.6's exit code tells of the last input only.
            r#"{"r":"str"}"#,
            r#"{"r":null}"#,
            r#"{"other":1}"#,
            "",
        ]
        .join("\n"),
    );
    let keyed = keyed.to_str().unwrap();
    for expr in [".r | keys", ".r | keys | length", ".r | length"] {
        let jq = jq(&["-c", expr, keyed]);
        let ours = t.run(&["filter", expr, keyed]);
        assert_eq!(ours.stdout, jq.stdout, "{expr}");
        assert_eq!(ours.code == 0, jq.code == 0, "{expr}: {}", ours.stderr);
        let through_jq = t.run(&["filter", &format!("[{expr}] | .[]"), keyed]);
        assert_eq!(ours.stdout, through_jq.stdout, "{expr}");
        assert_eq!(ours.stderr, through_jq.stderr, "{expr}");
    }
    for field in [".f", ".j", ".i", ".e"] {
        let jq_text = jq(&["-r", field, path]).stdout;
        let ours = t.run(&["filter", "-r", field, path]);
        if field == ".i" {
            // jq -r pretty-prints objects; telev's output is always compact.
            assert!(ours.stdout.starts_with("{\"x\":1}\ns\n"), "{}", ours.stdout);
        } else {
            assert_eq!(ours.stdout, jq_text, "-r {field}");
        }
    }
}

#[test]
fn only_agrees_with_the_equivalent_jq_select() {
    let t = Telev::new();
    let path = corpus(&t, 200);
    let jq_expr = r#"select((.type | ascii_downcase) as $t | $t == "hangup" or ($t | test("[.:]hangup$")) or .kind == "call.answered")"#;
    let jq = jq(&["-c", jq_expr, path.to_str().unwrap()]);
    let ours = t
        .run(&[
            "filter",
            ".",
            path.to_str().unwrap(),
            "--only",
            "HANGUP",
            "--only",
            "call.answered",
        ])
        .ok();
    assert_eq!(values(&ours.stdout), values(&jq.stdout));
}

#[test]
fn a_bad_expression_exits_2_and_points_at_it() {
    let t = Telev::new();
    let run = t.run(&["filter", ".a | nosuch(1)"]).code(2);
    assert!(
        run.stderr.contains("undefined filter `nosuch`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(".a | nosuch(1)") && run.stderr.contains("     ^"),
        "{}",
        run.stderr
    );
    let run = t.run(&["filter", "{a:"]).code(2);
    assert!(run.stderr.contains("column"), "{}", run.stderr);
}

#[test]
fn a_bad_line_is_named_after_what_came_before_is_printed() {
    let t = Telev::new();
    let path = t.write(
        "torn.ndjson",
        "{\"a\":1}\n{\"a\":2}\n{\"a\":\n\n{\"a\":4}\n",
    );
    let run = t.run(&["filter", ".a", path.to_str().unwrap()]).code(1);
    assert_eq!(run.stdout, "1\n2\n");
    assert!(run.stderr.contains("torn.ndjson:3"), "{}", run.stderr);

    let path = t.write("junk.ndjson", "{\"a\":1}\nnot json\n");
    let run = t.run(&["filter", ".a", path.to_str().unwrap()]).code(1);
    assert_eq!(run.stdout, "1\n");
    assert!(run.stderr.contains("junk.ndjson:2"), "{}", run.stderr);
}

#[test]
fn reads_any_whitespace_separated_json_like_jq() {
    let t = Telev::new();
    let path = t.write(
        "mixed.json",
        "{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}\n3 4\n\n\"x\"\n",
    );
    let run = t.run(&["filter", ".", path.to_str().unwrap()]).ok();
    assert_eq!(run.stdout, "{\"a\":1,\"b\":[1,2]}\n3\n4\n\"x\"\n");
}

#[test]
fn stdin_args_raw_output_and_null_input() {
    let t = Telev::new();
    let mut child = t
        .cmd(&[
            "filter",
            "-r",
            "--arg",
            "who",
            "226",
            "select(.from == $who) | .to",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"from\":\"226\",\"to\":\"697\"}\n{\"from\":\"1\",\"to\":\"2\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "697\n");
    let run = t.run(&["filter", "-n", "[1,2] | add"]).ok();
    assert_eq!(run.stdout, "3\n");
    // Runtime errors are reported per input and the run goes on.
    let path = t.write("n.ndjson", "{\"a\":\"x\"}\n{\"a\":{\"b\":5}}\n");
    let run = t.run(&["filter", ".a.b", path.to_str().unwrap()]).code(1);
    assert_eq!(run.stdout, "5\n");
    assert!(run.stderr.contains("n.ndjson:1"), "{}", run.stderr);
}

#[test]
fn a_live_stdin_gets_each_answer_before_the_next_line() {
    let t = Telev::new();
    let mut filter = t.fed(&["filter", ".to"]);
    // Like `telev listen | telev filter`: output held back until more input came would
    // never arrive here, as the next line is written only after the answer.
    for to in ["697", "698"] {
        filter.line(&format!("{{\"to\":\"{to}\"}}"));
        let shown = filter.output.next(&format!("input {to}"));
        assert_eq!(shown, format!("\"{to}\""));
    }
    assert!(filter.finish().success());
}

/// A large file is cut into chunks for several workers; what they print, in what order,
/// with what reports and exit code, is what one thread prints: on clean NDJSON, with errors
/// raised by the expression, with a line that is not JSON partway, and with pretty-printed
/// values that span lines (and so chunks). A file on standard input is no different.
/// The flags jq users type, each against jq's own answer (committed, checked when jq is here).
#[test]
fn jq_flags_do_what_jq_does() {
    let t = Telev::new();
    let values = t.write("v.json", "{\"b\":[1,\"é😀\"],\"a\":null}\n2 \"x\"\n");
    let lines = t.write("l.txt", "one\ntwo\nthree\n");
    let program = t.write("p.jq", ".a? // \"none\"\n");
    let lines_of_values = t.write("one-a-line.json", "1\n{\"a\":2}\n\"x\"\n");
    let lines_of_values = lines_of_values.to_str().unwrap();
    let last_null = t.write("last-null.ndjson", "{\"a\":1}\n{\"a\":null}\nnull\n");
    let last_null = last_null.to_str().unwrap();
    let (values, lines, program) = (
        values.to_str().unwrap(),
        lines.to_str().unwrap(),
        program.to_str().unwrap(),
    );
    let cases: Vec<Vec<&str>> = vec![
        vec!["-c", "-s", ".", values],
        vec!["-c", "-s", "length", values, values],
        vec!["-c", "-R", ".", lines],
        vec!["-c", "-R", "-s", ".", lines],
        vec!["-c", "-R", "length", lines],
        vec!["-c", "-j", ".", values],
        vec!["-c", "-r", ".", values],
        vec!["-c", "-a", ".", values],
        vec!["-c", "-S", ".", values],
        vec!["--tab", ".", values],
        vec!["--indent", "3", "-S", ".", values],
        vec!["-c", "-e", "empty", values],
        vec!["-c", "-e", ".", values],
        vec!["-c", "-e", ".a", last_null],
        vec!["-c", "-e", ".", last_null],
        vec!["-c", "-n", "--argjson", "v", "{\"k\":[1,2]}", "$v.k[1]"],
        vec!["-c", "-n", "--slurpfile", "v", values, "$v | length"],
        vec!["-c", "-n", "--rawfile", "t", lines, "$t"],
        vec![
            "-c",
            "-n",
            "--arg",
            "a",
            "1",
            "--argjson",
            "b",
            "2",
            "$ARGS",
        ],
        vec!["-c", "-n", "$ARGS", "--args", "x", "y"],
        vec![
            "-c",
            "-n",
            "$ARGS.positional",
            "--jsonargs",
            "1",
            "{\"a\":2}",
        ],
        vec!["-c", "-f", program, values],
        vec!["-c", "-n", "[1,2] | join(null)"],
        vec!["-c", "-n", "20/4, 1.5*2, [10/5], ([4/2, 1.5] | tojson)"],
        vec!["-c", "-n", "[inputs]", values],
        vec!["-c", "[., input_line_number]", lines_of_values],
        vec!["-c", "-n", "reduce inputs as $x (0; . + 1)", values, values],
        vec!["-c", "[., input]", values, values],
        vec!["-c", "-n", "-R", "[inputs]", lines],
        vec!["-c", "-n", "input, input", lines, "-R"],
        vec!["-c", "-n", "[1,2] | IN(2), ([3] | IN(.[]; 1, 3))"],
        vec!["-c", "-n", "[[1,\"a\"],[2,\"b\"]] | INDEX(.[0])"],
        vec!["-c", "-n", "[\"a,b\", 1, null, true] | @csv, @tsv"],
        vec!["-c", "-n", "\"bye\" | halt_error(3)"],
        vec!["-c", "-n", "{\"a\":1} | halt_error"],
    ];
    // `-e` looks at the last output of the run, as jq 1.7 does: jq 1.6 looked only at the last
    // input's, and exits 4 here because `"x"` gave none.
    let got = t.run(&["filter", "-c", "-e", ".a?", values]);
    assert_eq!(
        (got.code, got.stdout.as_str()),
        (1, "null\n"),
        "{}",
        got.stderr
    );
    for args in cases {
        let want = jq(&args);
        let mut ours = vec!["filter"];
        ours.extend(args.iter().copied());
        let got = t.run(&ours);
        let what = format!("{args:?}");
        assert_eq!(
            (got.code, &got.stdout),
            (want.code, &want.stdout),
            "{what}: {}",
            got.stderr
        );
    }
}

/// `-L DIR`: `include` and `import` find `.jq` modules and `.json` data there; without it an
/// import that finds nothing is a compile error, never a crash.
#[test]
fn modules_and_data_come_from_library_paths() {
    let t = Telev::new();
    std::fs::create_dir_all(t.path("lib")).unwrap();
    t.write(
        "lib/calls.jq",
        "def answered: select(.kind == \"call.answered\");\n",
    );
    t.write("lib/numbers.json", "{\"226\": \"front desk\"}\n");
    let lib = t.path("lib");
    let lib = lib.to_str().unwrap();
    let input = t.write(
        "in.ndjson",
        "{\"kind\":\"call.answered\",\"from\":\"226\"}\n{\"kind\":\"call.ended\"}\n",
    );
    let code = r#"include "calls"; import "numbers" as $n; answered | $n[0][.from]"#;
    let run = t
        .run(&["filter", "-L", lib, code, input.to_str().unwrap()])
        .ok();
    assert_eq!(run.stdout, "\"front desk\"\n");
    let run = t
        .run(&["filter", "-n", r#"import "nowhere" as $d; $d"#])
        .code(2);
    assert!(run.stderr.contains("invalid filter"), "{}", run.stderr);
    assert!(
        run.stderr.contains("-L DIR"),
        "says where it looked: {}",
        run.stderr
    );
    // debug and stderr write to stderr as jq 1.7 does; halt_error's message too.
    let run = t
        .run(&["filter", "-n", r#"1 | debug, debug("m"), stderr"#])
        .ok();
    assert_eq!(run.stdout, "1\n1\n1\n");
    assert_eq!(run.stderr, "[\"DEBUG:\",1]\n[\"DEBUG:\",\"m\"]\n1");
    let run = t
        .run(&["filter", "-n", r#""bye\n" | halt_error(3)"#])
        .code(3);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", "bye\n"));
    // `halt` ends the whole run there, with exit 0 (as jq 1.7; 1.6 went on to the next input).
    let three = t.write("three.ndjson", "1\n2\n3\n");
    // input_filename: the file's name, null for standard input.
    let named = t
        .run(&["filter", "input_filename", three.to_str().unwrap()])
        .ok();
    assert_eq!(
        named.stdout.lines().next(),
        Some(format!("{:?}", three.to_str().unwrap()).as_str())
    );
    let run = t
        .run(&[
            "filter",
            "if . == 2 then halt else . end",
            three.to_str().unwrap(),
        ])
        .ok();
    assert_eq!(run.stdout, "1\n");
    // jq 1.7's @base32 and @base32d (RFC 4648's test vector).
    let run = t
        .run(&[
            "filter",
            "-n",
            r#""foobar" | @base32, (@base32 | @base32d)"#,
        ])
        .ok();
    assert_eq!(run.stdout, "\"MZXW6YTBOI======\"\n\"foobar\"\n");
    // Under -n there is no input position to name.
    let run = t.run(&["filter", "-n", r#"error("boom")"#]).code(1);
    assert_eq!(run.stderr, "telev: boom\n");
    // A lone surrogate is an error on the fast path too, as on the full parse.
    let lone = t.write("lone.ndjson", "{\"a\":1,\"b\":\"\\ud800\"}\n");
    let run = t.run(&["filter", ".a", lone.to_str().unwrap()]).code(1);
    assert!(run.stderr.contains("surrogate"), "{}", run.stderr);
}

/// What an expression writes to stderr itself comes from the input: on a terminal it cannot
/// set the title or write the clipboard; into a pipe it is jq's bytes, unchanged.
#[test]
fn stderr_from_an_expression_never_acts_on_a_terminal() {
    let t = Telev::new();
    let hostile = r#""]0;pwned]52;c;cHduZWQ=done
" | stderr, halt_error(1)"#;
    let mut terminal = util::pty::Pty::spawn(t.cmd(&["filter", "-n", hostile]), 100, 20);
    terminal.until_shown("done");
    terminal.wait();
    let acts = terminal.acts();
    assert!(
        acts.titles.is_empty() && acts.clipboard.is_empty(),
        "{acts:?}"
    );
    let piped = t.run(&["filter", "-n", hostile]).code(1);
    assert!(
        piped.stderr.starts_with("\u{1b}]0;pwned\u{7}"),
        "{:?}",
        piped.stderr
    );
}

/// On a terminal values come in jq's colors, as jq shows them; `-M` and a pipe never do.
#[test]
fn a_terminal_gets_colors_unless_told_otherwise() {
    let t = Telev::new();
    // What the terminal was sent, once it shows the closing brace (its reader may still be
    // draining when telev has ended).
    let shown = |args: &[&str]| {
        let mut terminal = util::pty::Pty::spawn(t.cmd(args), 100, 20);
        terminal.until_shown("}");
        terminal.wait();
        String::from_utf8_lossy(&terminal.bytes()).into_owned()
    };
    let colored = shown(&["filter", "-n", r#"{"a":[1,"x",null]}"#]);
    assert!(colored.contains("\x1b["), "{colored:?}");
    let plain = shown(&["filter", "-M", "-n", r#"{"a":[1,"x",null]}"#]);
    assert!(
        !plain.contains("\x1b[") && plain.contains(r#"{"a":[1,"x",null]}"#),
        "{plain:?}"
    );
    let piped = t.run(&["filter", "-C", "-n", "1"]).ok();
    assert!(piped.stdout.contains("\x1b["), "-C colors a pipe too");
}

#[test]
fn workers_print_what_one_thread_prints() {
    let t = Telev::new();
    let path = corpus(&t, 1500);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.len() > 4 << 20,
        "several chunks for each worker: {}",
        text.len()
    );
    let mut lines: Vec<&str> = text.lines().collect();
    let pretty: String = values(&text)
        .iter()
        .map(|v| serde_json::to_string_pretty(v).unwrap() + "\n")
        .collect();
    let pretty = t.write("pretty.json", &pretty);
    // A byte-order mark, lines longer than a worker's range of the file, and a last line
    // without its newline.
    let mut long = lines.clone();
    let pad = "x".repeat(700 << 10);
    let long_line = format!(r#"{{"kind":"call.ended","call_id":"{pad}","from":"a","to":"b"}}"#);
    long.insert(lines.len() / 3, &long_line);
    long.insert(lines.len() / 2, &long_line);
    let long = t.write("long.ndjson", &format!("\u{feff}{}", long.join("\n")));
    lines.insert(lines.len() * 2 / 3, r#"{"torn": nope}"#);
    let broken = t.write("broken.ndjson", &(lines.join("\n") + "\n"));
    let expressions = [
        ".",
        r#"select(.kind == "call.ended") | {call_id, from, to}"#,
        r#"if .kind == "call.ended" then error("ended") else .call_id end"#,
        r#"[.provider, .kind] | join("/")"#,
    ];
    for file in [&path, &broken, &pretty, &long] {
        for expr in expressions {
            let run = |threads: &str| {
                let args = ["filter", expr, file.to_str().unwrap()];
                util::Run::from(t.cmd(&args).env("TELEV_THREADS", threads).output().unwrap())
            };
            let (one, many) = (run("1"), run("4"));
            let what = format!("{expr} on {}", file.display());
            assert!(!one.stdout.is_empty(), "{what}");
            assert_eq!(one.code, many.code, "{what}");
            assert!(one.stdout == many.stdout, "{what}: outputs differ");
            assert_eq!(one.stderr, many.stderr, "{what}");
        }
    }
    // Output flags are spelled the same by every worker.
    for flags in [
        &["--indent", "3", "-S"][..],
        &["--tab", "-a"],
        &["--seq", "-j"],
    ] {
        let run = |threads: &str| {
            let mut args = vec!["filter", ".raw"];
            args.extend_from_slice(flags);
            args.push(path.to_str().unwrap());
            util::Run::from(t.cmd(&args).env("TELEV_THREADS", threads).output().unwrap())
        };
        let (one, many) = (run("1"), run("4"));
        assert!(one.stdout.len() > 1000, "{flags:?}");
        assert!(one.stdout == many.stdout, "{flags:?}: outputs differ");
    }
    let from_stdin = t
        .cmd(&["filter", "."])
        .env("TELEV_THREADS", "4")
        .stdin(std::fs::File::open(&broken).unwrap())
        .output()
        .unwrap();
    let from_stdin = util::Run::from(from_stdin);
    let named = t.run(&["filter", ".", broken.to_str().unwrap()]);
    assert!(from_stdin.stdout == named.stdout, "stdin: outputs differ");
    assert_eq!(
        from_stdin.stderr,
        named.stderr.replace(broken.to_str().unwrap(), "<stdin>")
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let t = Telev::new();
    let path = corpus(&t, 3000);
    let mut child = t
        .cmd(&["filter", ".", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader is dropped after the line: the pipe closes like `| head -1`.
    let first = util::first_line(child.stdout.take().unwrap());
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with('{'));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn output_modes_for_envelopes() {
    let t = Telev::new();
    let example = util::repo_root().join("examples/calls.ndjson");
    let example = example.to_str().unwrap();
    let run = t
        .run(&[
            "filter", "--only", "hangup", example, "-o", "pretty", "--color", "always",
        ])
        .ok();
    assert!(
        run.stdout.contains("\u{1b}[") && run.stdout.contains("→"),
        "{}",
        run.stdout
    );
    let mut cmd = t.cmd(&["filter", ".", example, "-o", "pretty"]);
    let plain = util::Run::from(cmd.env("NO_COLOR", "1").output().unwrap()).ok();
    assert!(!plain.stdout.contains('\u{1b}'));
    let mut cmd = t.cmd(&["--color", "always", "filter", ".", example, "-o", "pretty"]);
    let forced = util::Run::from(cmd.env("NO_COLOR", "1").output().unwrap()).ok();
    assert!(
        forced.stdout.contains('\u{1b}'),
        "an explicit --color always wins over NO_COLOR"
    );

    let table = t.run(&["filter", ".", example, "-o", "table"]).ok();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(lines[0].contains("TIME") && lines[0].contains("KIND"));
    assert_eq!(
        lines.len(),
        std::fs::read_to_string(example).unwrap().lines().count() + 1
    );
    let kind_at = lines[0].find("KIND").unwrap();
    assert!(
        lines[1..].iter().all(|l| l[..kind_at].ends_with(' ')),
        "columns line up"
    );
    assert!(
        lines.iter().all(|l| l.len() == l.trim_end().len()),
        "no line ends in blanks"
    );

    let raw = t.run(&["filter", ".", example, "-o", "raw"]).ok();
    let first = &values(&raw.stdout)[0];
    assert!(
        first.get("provider").is_none() && first.get("event").is_some(),
        "{first}"
    );
}

/// Cytracom's `monitored.recording_available` is longer than pretty's type column was: the
/// lines after it lost their alignment, and table cut it to `monitored.recording_...`.
/// Pretty's columns widen for it, but not without bound.
#[test]
fn a_long_event_name_widens_pretty_columns_and_fits_table_ones() {
    let t = Telev::new();
    let example = std::fs::read_to_string(util::repo_root().join("examples/calls.ndjson")).unwrap();
    let calls: Vec<&str> = example.lines().take(2).collect();
    let mut long: serde_json::Value = serde_json::from_str(calls[0]).unwrap();
    long["type"] = "monitored.recording_available".into();
    long["kind"] = "recording.available".into();
    let mut odd = long.clone();
    odd["type"] = "x".repeat(200).into();
    let (long, odd) = (long.to_string(), odd.to_string());
    let lines = [calls[0], calls[1], &long, calls[0], &odd, calls[1]].join("\n");
    let input = t.write("long.ndjson", &(lines + "\n"));
    let input = input.to_str().unwrap();

    let pretty = t
        .run(&["filter", ".", input, "-o", "pretty", "--color", "never"])
        .ok();
    let kind_at: Vec<usize> = pretty
        .stdout
        .lines()
        .map(|line| line.find(" call.").or(line.find(" recording.")).unwrap())
        .collect();
    assert_eq!(kind_at[0], kind_at[1], "{}", pretty.stdout);
    assert!(kind_at[2] > kind_at[1], "{}", pretty.stdout);
    assert_eq!(kind_at[3], kind_at[2], "{}", pretty.stdout);
    // A name far longer than any provider's stands out on its own line, and the lines after
    // it widen by a few characters at most.
    assert!(kind_at[5] < kind_at[2] + 10, "{}", pretty.stdout);

    let table = t.run(&["filter", ".", input, "-o", "table"]).ok();
    assert!(
        table
            .stdout
            .contains(" monitored.recording_available  recording.available "),
        "{}",
        table.stdout
    );
}

/// A crafted line nested a million deep is an error on its line, as in jq, and not a crash
/// (jaq's reader calls itself for each level); the line before it is printed, and nesting as
/// deep as jq allows (256) is read.
#[test]
fn nesting_too_deep_is_an_error_not_a_crash() {
    let t = Telev::new();
    let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    let path = t.write("deep.ndjson", &format!("1\n{deep}\n"));
    let ours = t.run(&["filter", ".", path.to_str().unwrap()]);
    assert_eq!(ours.stdout, "1\n");
    assert_ne!(ours.code, 0);
    assert!(
        ours.stderr.contains("deep.ndjson:2: invalid JSON input")
            && ours.stderr.contains("exceeds depth limit for parsing"),
        "{}",
        ours.stderr
    );
    let allowed = format!("{{\"a\":{}1{}}}", "[".repeat(255), "]".repeat(255));
    let path = t.write("allowed.ndjson", &format!("{allowed}\n"));
    let ours = t.run(&["filter", "-c", ".a | flatten", path.to_str().unwrap()]);
    assert_eq!(
        (ours.stdout.as_str(), ours.code),
        ("[1]\n", 0),
        "{}",
        ours.stderr
    );
}
