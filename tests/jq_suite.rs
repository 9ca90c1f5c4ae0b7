//! jq's own test suite (`jq.test`, `man.test`) through `telev filter`, when the workplace's copy
//! is at hand (`../shared/peer-tests/jq/`, beside the repository); skipped with a message when
//! not. Prints `N passed, M failed` per file and the failures by cause, and fails when fewer
//! blocks pass than the floor below, so a change that loses conformance is seen.
//!
//! `cargo test --test jq_suite -- --nocapture` shows the counts.

mod util;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Why a block fails, where the cause is known to be the engine's (jaq 3.1) and not telev's:
/// a part of the program that marks it, and what jq does there that jaq does not.
const ENGINE: [(&str, &str); 14] = [
    ("?//", "destructuring alternatives (`?//`) are not parsed"),
    ("$__loc__", "`$__loc__` is not defined"),
    (
        "import ",
        "modules from jq's own tests/modules folder (not copied)",
    ),
    (
        "include ",
        "modules from jq's own tests/modules folder (not copied)",
    ),
    (
        "modulemeta",
        "modules from jq's own tests/modules folder (not copied)",
    ),
    ("module ", "module directives"),
    (
        "have_decnum",
        "numbers beyond 64-bit floats (jq's decNumber)",
    ),
    ("tojson", "number spelling of large or computed numbers"),
    (
        "path(",
        "path expressions: jq's error wording and what it accepts",
    ),
    (
        "setpath",
        "updates beyond an array's end (jq grows the array)",
    ),
    ("del", "deletes beyond an array's end or at NaN"),
    ("] =", "updates beyond an array's end (jq grows the array)"),
    ("range(10001)", "depth limits"),
    ("catch .", "error message wording"),
];

/// The cause of a failure, if it is a known engine limitation.
fn engine_cause(program: &str) -> Option<&'static str> {
    ENGINE
        .iter()
        .find(|(mark, _)| program.contains(mark))
        .map(|(_, why)| *why)
}

/// Blocks of jq.test that pass today; raise it as conformance grows.
const JQ_TEST_FLOOR: usize = 401;

/// One test: a program, its input, and the outputs jq gives (or that it must not compile).
struct Block {
    line: usize,
    program: String,
    input: String,
    expected: Vec<String>,
    must_fail: bool,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((at, line)) = lines.next() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut group = vec![line.to_owned()];
        while let Some((_, next)) = lines.peek() {
            if next.trim().is_empty() {
                break;
            }
            group.push(lines.next().unwrap().1.to_owned());
        }
        let must_fail = group[0].starts_with("%%FAIL");
        if must_fail {
            group.remove(0);
        }
        if group.len() < 2 && !must_fail {
            continue;
        }
        blocks.push(Block {
            line: at + 1,
            program: group[0].clone(),
            input: group.get(1).cloned().unwrap_or_default(),
            expected: group.iter().skip(2).cloned().collect(),
            must_fail,
        });
    }
    blocks
}

/// JSON values equal as jq compares them: numbers by value (`1.0` is `1`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn passes(telev: &Path, block: &Block) -> bool {
    let mut child = Command::new(telev)
        .args(["filter", "-c", "-M", &block.program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("telev runs");
    let input = block.input.clone();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    // A block the engine takes too long on (`"abc" * 1000000000` builds the string jq
    // refuses) fails rather than holding the suite up.
    let started = std::time::Instant::now();
    while child.try_wait().expect("telev runs").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(3) {
            let _ = child.kill();
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let out = child.wait_with_output().expect("telev ends");
    let _ = writer.join();
    if block.must_fail {
        return out.status.code() == Some(2);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let got: Vec<Value> = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .map_while(Result::ok)
        .collect();
    let want: Option<Vec<Value>> = block
        .expected
        .iter()
        .map(|e| serde_json::from_str(e).ok())
        .collect();
    match want {
        Some(want) => want.len() == got.len() && want.iter().zip(&got).all(|(a, b)| same(a, b)),
        None => false,
    }
}

#[test]
fn jq_test_suite() {
    let suite = util::repo_root().join("../shared/peer-tests/jq");
    if !suite.is_dir() {
        eprintln!("skipped: no jq test suite at {}", suite.display());
        return;
    }
    let telev = Path::new(env!("CARGO_BIN_EXE_telev"));
    for name in ["jq.test", "man.test"] {
        let text = std::fs::read_to_string(suite.join(name)).unwrap();
        let blocks = blocks(&text);
        let failed: Vec<&Block> = blocks.iter().filter(|b| !passes(telev, b)).collect();
        let passed = blocks.len() - failed.len();
        println!(
            "{name}: {passed} passed, {} failed (of {})",
            failed.len(),
            blocks.len()
        );
        let mut causes: std::collections::BTreeMap<&str, usize> = Default::default();
        for block in &failed {
            let cause = engine_cause(&block.program).unwrap_or("other");
            *causes.entry(cause).or_default() += 1;
            println!("  {name}:{}: {}", block.line, block.program);
        }
        for (cause, count) in causes {
            println!("  {count:4}  {cause}");
        }
        if name == "jq.test" {
            assert!(
                passed >= JQ_TEST_FLOOR,
                "jq.test: {passed} passed, fewer than {JQ_TEST_FLOOR}"
            );
        }
    }
}
