//! `telev check`, `telev calls` and `telev mask`: a capture per rule, made from the clean
//! example capture (`examples/calls.ndjson`, every provider's calls, which has no findings) by
//! one change that breaks one rule, and the finding each must report; a demo capture has none
//! but the calls still open when it stopped; one call's story; and masked captures that keep
//! their calls and findings but none of their numbers.

mod util;

use serde_json::{Value, json};
use util::Telev;

fn example() -> Vec<Value> {
    let text = std::fs::read_to_string(util::repo_root().join("examples/calls.ndjson")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The example's Telphin call 8-0000001: its ringing, answer and hang-up are lines 4, 5, 6.
const RING: usize = 3;
const ANSWER: usize = 4;
const HANGUP: usize = 5;

/// `telev check` on `events`: its exit code and the findings as (rule, call id, line).
fn check(t: &Telev, events: &[Value], args: &[&str]) -> (i32, Vec<(String, String, u64)>) {
    let text: String = events.iter().map(|e| format!("{e}\n")).collect();
    let path = t.write("capture.ndjson", &text);
    let mut all = vec!["check", path.to_str().unwrap(), "-o", "ndjson"];
    all.extend_from_slice(args);
    let run = t.run(&all);
    let findings = (run.json_lines().iter())
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or("-").to_owned();
            (text("rule"), text("call_id"), f["line"].as_u64().unwrap())
        })
        .collect();
    (run.code, findings)
}

/// The one finding a broken capture must give, and nothing else.
#[track_caller]
fn finds(events: &[Value], args: &[&str], rule: &str, line: u64) {
    let t = Telev::new();
    let (code, findings) = check(&t, events, args);
    let want = vec![(rule.to_owned(), "8-0000001".to_owned(), line)];
    assert_eq!(findings, want);
    assert_eq!(code, 1, "a finding exits 1");
}

fn set_time(event: &mut Value, time: &str) {
    event["time"] = json!(time);
}

#[test]
fn the_example_capture_has_no_findings() {
    let t = Telev::new();
    let (code, findings) = check(&t, &example(), &[]);
    assert_eq!((code, findings), (0, vec![]));
}

#[test]
fn a_call_without_its_ringing_has_no_start() {
    let mut events = example();
    events.remove(RING);
    // The answer, now on line 4, is where the call first shows.
    finds(&events, &[], "no-start", 4);
}

#[test]
fn a_call_without_its_end_is_open_or_has_lost_its_end() {
    let mut events = example();
    events.remove(HANGUP);
    finds(&events, &[], "open", 5);
    // The capture goes on past the call's last event for longer than --open-for.
    finds(&events, &["--open-for", "10s"], "no-end", 5);
    let t = Telev::new();
    let (code, findings) = check(&t, &events, &["--ignore", "open"]);
    assert_eq!((code, findings), (0, vec![]), "--ignore leaves a rule out");
}

#[test]
fn an_answer_after_the_hang_up_is_after_the_end() {
    let mut events = example();
    let mut late = events[ANSWER].clone();
    set_time(&mut late, "2026-11-20T09:00:16.000Z");
    events.insert(HANGUP + 1, late);
    events.remove(ANSWER);
    // The answer is now the line after the hang-up: line 6.
    finds(&events, &[], "after-end", 6);
}

#[test]
fn a_time_earlier_than_one_before_it_goes_backwards() {
    let mut events = example();
    set_time(&mut events[HANGUP], "2026-11-20T09:00:10.000Z");
    finds(&events, &[], "backwards", 6);
}

#[test]
fn the_same_event_twice_is_a_duplicate() {
    let mut events = example();
    let again = events[ANSWER].clone();
    events.insert(ANSWER + 1, again);
    finds(&events, &[], "duplicate", 6);
}

#[test]
fn an_answer_before_the_ringing_is_reported_when_the_ring_comes() {
    let mut events = example();
    events.swap(RING, ANSWER);
    let (ring_time, answer_time) = (events[ANSWER]["time"].clone(), events[RING]["time"].clone());
    // In time order too, so that nothing goes backwards: the provider said it in this order.
    events[RING]["time"] = ring_time;
    events[ANSWER]["time"] = answer_time;
    finds(&events, &[], "answer-before-ring", 5);
}

#[test]
fn an_answered_call_whose_end_says_missed_has_talk_on_an_unanswered_call() {
    let mut events = example();
    events[HANGUP]["kind"] = json!("call.missed");
    finds(&events, &[], "talk-unanswered", 6);
}

#[test]
fn stream_ids_that_skip_are_events_missed() {
    let t = Telev::new();
    let mut events = example();
    // The Cytracom call on lines 1 to 3, as a stream gave them, with id 3 never received.
    for (line, id) in [(0, "1"), (1, "2"), (2, "4")] {
        events[line]["wire"]["id"] = json!(id);
    }
    let (code, findings) = check(&t, &events, &[]);
    let gap = ("id-gap".to_owned(), "8-0000000".to_owned(), 3);
    assert_eq!((code, findings), (1, vec![gap]));
}

#[test]
fn a_demo_capture_finds_only_the_calls_open_when_it_stopped() {
    let t = Telev::new();
    let capture = t.demo_capture("demo.ndjson", 300);
    let capture = capture.to_str().unwrap();
    let run = t.run(&["check", capture, "-o", "ndjson"]);
    let open = run.json_lines();
    assert!(open.iter().all(|f| f["rule"] == "open"), "{}", run.stdout);
    t.run(&["check", capture, "--ignore", "open"]).ok();
}

#[test]
fn findings_and_the_summary_read_for_people() {
    let t = Telev::new();
    let mut events = example();
    events.remove(RING);
    let text: String = events.iter().map(|e| format!("{e}\n")).collect();
    let path = t.write("capture.ndjson", &text);
    let run = t
        .run(&["check", path.to_str().unwrap(), "-o", "pretty"])
        .code(1);
    assert!(
        run.stdout
            .contains("capture.ndjson:4  no-start  8-0000001  its first event is answer"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("1 finding about 1 call"),
        "{}",
        run.stderr
    );
}

#[test]
fn one_calls_story_has_its_events_at_offsets_legs_and_durations() {
    let t = Telev::new();
    let example = util::repo_root().join("examples/calls.ndjson");
    let example = example.to_str().unwrap();
    let story = t
        .run(&["calls", example, "--call", "8-0000001", "-o", "ndjson"])
        .ok();
    let story = &story.json_lines()[0];
    let steps = story["steps"].as_array().unwrap();
    let offsets: Vec<f64> = steps
        .iter()
        .map(|s| s["offset"].as_f64().unwrap())
        .collect();
    assert_eq!(offsets, [0.0, 3.911, 6.45]);
    assert_eq!(story["ring_seconds"], json!(3.911));
    assert_eq!(story["talk_seconds"], json!(2.539));
    assert_eq!(story["outcome"], "answered");

    let text = t.run(&[
        "calls",
        example,
        "--call",
        "8-0000001",
        "-o",
        "pretty",
        "--utc",
    ]);
    let text = text.ok().stdout;
    assert!(
        text.contains("+0.000  2026-11-20 09:00:09.140  call.ringing"),
        "{text}"
    );
    assert!(text.contains("ring 3.9s · talk 2.5s"), "{text}");

    // A start names a call only when it is one call's.
    t.run(&["calls", example, "--call", "8-000000"]).code(2);
    let missing = t.run(&["calls", example, "--call", "nope"]).code(1);
    assert!(
        missing
            .stderr
            .contains("no call whose id is or starts with `nope`")
    );
}

#[test]
fn calls_from_two_captures_merge_by_time() {
    let t = Telev::new();
    let events = example();
    // Two listeners, each with every other event.
    let (even, odd): (Vec<_>, Vec<_>) = events.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let text = |part: Vec<(usize, &Value)>| -> String {
        part.iter().map(|(_, e)| format!("{e}\n")).collect()
    };
    let a = t.write("a.ndjson", &text(even));
    let b = t.write("b.ndjson", &text(odd));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let merged = t.run(&["calls", a, b, "-o", "ndjson"]).ok().json_lines();
    let example = util::repo_root().join("examples/calls.ndjson");
    let whole = t.run(&["calls", example.to_str().unwrap(), "-o", "ndjson"]);
    assert_eq!(merged, whole.ok().json_lines());
    // And the two pass the check as the whole does.
    t.run(&["check", a, b]).ok();
}

/// Every provider's whole calls as a capture: the fixtures of `tests/calls.rs`, replayed.
fn provider_captures(t: &Telev) -> Vec<String> {
    let mut captures = Vec::new();
    for provider in ["cytracom", "telphin", "callcenter", "teltel", "ringcentral"] {
        let fixture = util::repo_root().join(format!("tests/fixtures/calls/{provider}.jsonl"));
        let fixture = fixture.to_str().unwrap();
        let capture = t.path(&format!("{provider}.ndjson"));
        let capture = capture.to_str().unwrap().to_owned();
        let args = [
            "replay",
            fixture,
            "--provider",
            provider,
            "--speed",
            "max",
            "--record",
        ];
        let mut args = args.to_vec();
        args.extend([capture.as_str(), "-o", "ndjson"]);
        t.run(&args).ok();
        captures.push(capture);
    }
    captures
}

/// The numbers (six digits or more) an envelope's `from` and `to` hold, as digits.
fn numbers(lines: &[Value]) -> Vec<String> {
    let mut numbers: Vec<String> = lines
        .iter()
        .flat_map(|e| [&e["from"], &e["to"]])
        .filter_map(Value::as_str)
        .map(|n| n.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|digits| digits.len() >= 6)
        .collect();
    numbers.sort();
    numbers.dedup();
    numbers
}

#[test]
fn a_masked_capture_keeps_its_calls_and_findings_but_none_of_its_numbers() {
    let t = Telev::new();
    for capture in provider_captures(&t) {
        let masked = t.run(&["mask", &capture]).ok();
        let masked_path = t.write("masked.ndjson", &masked.stdout);
        let masked_path = masked_path.to_str().unwrap();
        let original = std::fs::read_to_string(&capture).unwrap();
        let lines: Vec<Value> = original
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let numbers = numbers(&lines);
        assert!(numbers.len() >= 3, "{capture}: {numbers:?}");
        for number in &numbers {
            assert!(
                !masked.stdout.contains(number.as_str()),
                "{capture}: {number} left"
            );
        }
        // The same calls, the same outcomes and times; only the numbers differ.
        let rows = |path: &str| -> Vec<Value> {
            let mut rows = t.run(&["calls", path, "-o", "ndjson"]).ok().json_lines();
            for row in &mut rows {
                let row = row.as_object_mut().unwrap();
                row.remove("from");
                row.remove("to");
            }
            rows
        };
        assert_eq!(rows(&capture), rows(masked_path), "{capture}");
        let findings = |path: &str| {
            let run = t.run(&["check", path, "-o", "ndjson"]);
            let found = run.json_lines();
            let rule_and_line = |f: &Value| (f["rule"].clone(), f["line"].clone());
            (
                run.code,
                found.iter().map(rule_and_line).collect::<Vec<_>>(),
            )
        };
        assert_eq!(findings(&capture), findings(masked_path), "{capture}");
        // A masked capture replays: each event's wire decodes to the same kinds again.
        let kinds = |path: &str| -> Vec<Value> {
            let run = t
                .run(&["replay", path, "--speed", "max", "-o", "ndjson"])
                .ok();
            run.json_lines().iter().map(|e| e["kind"].clone()).collect()
        };
        assert_eq!(kinds(&capture), kinds(masked_path), "{capture}");
    }
}

#[test]
fn mask_on_a_printing_command_masks_the_output_but_not_the_capture() {
    let t = Telev::new();
    let example = util::repo_root().join("examples/calls.ndjson");
    let example = example.to_str().unwrap();
    let kept = t.path("kept.ndjson");
    let kept = kept.to_str().unwrap();
    let args = [
        "replay", example, "--speed", "max", "--mask", "--record", kept, "-o", "ndjson",
    ];
    let shown = t.run(&args).ok();
    let original =
        std::fs::read_to_string(util::repo_root().join("examples/calls.ndjson")).unwrap();
    let lines: Vec<Value> = original
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let numbers = numbers(&lines);
    for number in &numbers {
        assert!(!shown.stdout.contains(number.as_str()), "{number} shown");
    }
    assert_eq!(
        std::fs::read_to_string(kept).unwrap(),
        original,
        "the capture is what arrived"
    );
    // A filter's outputs are computed from the masked event.
    let args = [
        "replay", example, "--speed", "max", "--mask", "--filter", ".from", "-o", "ndjson",
    ];
    let froms = t.run(&args).ok().stdout;
    for number in &numbers {
        assert!(
            !froms.contains(number.as_str()),
            "{number} printed by --filter"
        );
    }
    // The calls, masked the same way.
    for mut args in [vec!["calls", example], vec!["replay", example, "--calls"]] {
        args.extend(["--mask", "-o", "ndjson"]);
        let rows = t.run(&args).ok().stdout;
        assert!(rows.contains("\"outcome\":\"answered\""), "{rows}");
        for number in &numbers {
            assert!(!rows.contains(number.as_str()), "{number} in {args:?}");
        }
    }
    t.run(&["replay", example, "--mask", "--serve", "127.0.0.1:0"])
        .code(2);
}
