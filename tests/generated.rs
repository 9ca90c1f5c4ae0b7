//! Generated files are committed; these tests fail when they are stale.
//! Regenerate with `TELEV_REGENERATE=1 cargo test --test generated`.

mod util;

use std::path::Path;

fn check_dir(fresh: &Path, committed: &Path) {
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(fresh).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let new = std::fs::read(entry.path()).unwrap();
        let old = std::fs::read(committed.join(&name)).unwrap_or_default();
        if new != old {
            stale.push(name.to_string_lossy().into_owned());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files in {}: {stale:?}\nrun: TELEV_REGENERATE=1 cargo test --test generated",
        committed.display()
    );
}

fn regenerate() -> bool {
    std::env::var_os("TELEV_REGENERATE").is_some()
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let root = util::repo_root();
    if regenerate() {
        telev::generate::write_all(root).unwrap();
    }
    let fresh = tempfile::tempdir().unwrap();
    telev::generate::write_all(fresh.path()).unwrap();
    check_dir(&fresh.path().join("completions"), &root.join("completions"));
    check_dir(&fresh.path().join("man"), &root.join("man"));
    for page in [
        "telev.1",
        "telev-tail.1",
        "telev-listen.1",
        "telev-replay.1",
        "telev-filter.1",
    ] {
        let text = std::fs::read_to_string(root.join("man").join(page)).unwrap();
        for section in [
            "EXAMPLES",
            "ENVIRONMENT",
            "EXIT STATUS",
            "FILES",
            "SELECTION",
        ] {
            let present = text.contains(&format!(".SH {section}\n"))
                || (page == "telev.1" && section == "SELECTION");
            assert!(present, "{page} has no {section}");
        }
        assert!(
            !text.contains('`'),
            "{page}: backticks are bold on a man page"
        );
    }
    let telev = std::fs::read_to_string(root.join("man/telev.1")).unwrap();
    for section in ["ENVELOPE", "KINDS"] {
        assert!(
            telev.contains(&format!(".SH {section}\n")),
            "telev.1 has no {section}"
        );
    }
}

/// The README's tour runs on this capture.
#[test]
fn example_capture_is_fresh() {
    let start = "2026-11-20T09:00:00Z".parse().unwrap();
    let mut text = String::new();
    for envelope in telev::sample::envelopes(10, 8, start) {
        text.push_str(&envelope.to_json());
        text.push('\n');
    }
    let path = util::repo_root().join("examples/calls.ndjson");
    if regenerate() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "examples/calls.ndjson is stale: TELEV_REGENERATE=1 cargo test --test generated"
    );
}

/// The README's kinds table is the decoders' own.
#[test]
fn readme_kinds_table_is_fresh() {
    let path = util::repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- kinds -->\n", "<!-- end kinds -->");
    let from = readme.find(start).expect("kinds marker") + start.len();
    let to = readme.find(end).expect("end kinds marker");
    let table = telev::generate::kinds_markdown();
    if regenerate() {
        let fresh = format!("{}{table}{}", &readme[..from], &readme[to..]);
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    assert!(
        readme[from..to] == table,
        "the README's kinds table is stale: TELEV_REGENERATE=1 cargo test --test generated"
    );
}

#[test]
fn help_teaches_and_completions_and_man_pages_come_from_the_binary() {
    let t = util::Telev::new();
    for command in ["tail", "listen", "replay", "filter"] {
        let run = t.run(&[command, "--help"]).ok();
        assert!(
            run.stdout.contains("Examples:\n  telev"),
            "{command}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("Environment:"), "{command}");
    }
    let run = t.run(&["--help"]).ok();
    assert!(run.stdout.contains("telev tail demo"), "{}", run.stdout);
    // What a `cargo install` user installs, with no repository at hand: the same as committed.
    let run = t.run(&["completions", "bash"]).ok();
    let committed =
        std::fs::read_to_string(util::repo_root().join("completions/telev.bash")).unwrap();
    assert_eq!(run.stdout, committed);
    let run = t.run(&["man", "tail"]).ok();
    let committed = std::fs::read_to_string(util::repo_root().join("man/telev-tail.1")).unwrap();
    assert_eq!(run.stdout, committed);
    t.run(&["man", "nope"]).code(2);
}
