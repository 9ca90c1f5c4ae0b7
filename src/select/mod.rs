//! Which events a run shows: `--only` and `--filter`, decided in one place for every command.
//!
//! A [`Selection`] is made once from the command line (the expression compiled and checked
//! there); each thread that chooses events takes a [`Selector`] from it, since a compiled jq
//! filter stays on the thread that compiled it. `Selector::decide` is the one rule:
//! `--only` first, then each output of `--filter`: `true` (or the event itself, as
//! `select(…)` gives it) shows the event, `false`/`null` show nothing, any other output is
//! shown as it is.

mod only;
mod repeats;

use std::sync::{Arc, Mutex};

pub use only::Only;
pub use repeats::Repeats;

use crate::envelope::Envelope;
use crate::filter::{CompileError, Filter, Value};
use crate::messages::Repeating;

/// `--only` and `--filter` as a run uses them, shared by every thread that chooses.
#[derive(Debug, Clone)]
pub struct Selection {
    only: Only,
    /// The `--filter` expression, known to compile.
    code: Option<String>,
    /// Events the expression failed on (each dropped), told a few times and counted.
    failures: Arc<Mutex<Repeating>>,
}

/// What becomes of one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Not shown (still recorded, as everything received is).
    Drop,
    /// Shown as the event it is.
    Keep,
    /// Shown as these outputs of `--filter`, in order.
    Print(Vec<Output>),
}

/// One output of `--filter` that is to be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// `true`, or the event itself: the event's own line.
    Event,
    /// Any other value, as compact JSON.
    Value(String),
}

impl Decision {
    /// Whether the event is chosen at all: delivered (`--to`), served (`--serve`), counted
    /// in `--calls`.
    pub fn chosen(&self) -> bool {
        !matches!(self, Decision::Drop)
    }
}

impl Selection {
    /// Checks `--filter` once, so that a bad expression is a usage error before anything runs.
    pub fn new<S: AsRef<str>>(only: &[S], filter: Option<&str>) -> Result<Selection, CompileError> {
        if let Some(code) = filter {
            Filter::compile(code, &[])?;
        }
        Ok(Selection {
            only: Only::new(only),
            code: filter.map(str::to_owned),
            failures: Arc::new(Mutex::new(Repeating::new("--filter failures"))),
        })
    }

    /// A selector for the calling thread.
    pub fn selector(&self) -> Selector {
        let filter = self.code.as_deref().map(|code| {
            Filter::compile(code, &[]).expect("the expression compiled when the selection was made")
        });
        Selector {
            selection: self.clone(),
            filter,
        }
    }

    /// Events `--filter` failed on.
    pub fn failures(&self) -> u64 {
        self.lock_failures().count
    }

    /// Once some failures went untold, a line of how many there were in all: for a run whose
    /// summary does not count them.
    pub fn tell_total(&self) {
        self.lock_failures().tell_total();
    }

    fn lock_failures(&self) -> std::sync::MutexGuard<'_, Repeating> {
        self.failures.lock().expect("no panics while warning")
    }
}

/// A [`Selection`] ready on one thread.
pub struct Selector {
    selection: Selection,
    filter: Option<Filter>,
}

impl Selector {
    pub fn decide(&mut self, envelope: &Envelope) -> Decision {
        if !self
            .selection
            .only
            .matches(&envelope.event_type, envelope.kind.as_str())
        {
            return Decision::Drop;
        }
        let Some(filter) = &self.filter else {
            return Decision::Keep;
        };
        let (input, whole) = filter.envelope_input(envelope);
        // The event itself comes back from `select(…)` as the very object it went in as.
        let itself = |out: &Value| match (out, &input) {
            (Value::Obj(out), Value::Obj(input)) => whole && std::rc::Rc::ptr_eq(out, input),
            _ => false,
        };
        let mut outputs = Vec::new();
        let outcome = filter.run(input.clone(), |out| {
            match out {
                Value::Bool(false) | Value::Null => {}
                Value::Bool(true) => outputs.push(Output::Event),
                out if itself(&out) => outputs.push(Output::Event),
                out => outputs.push(Output::Value(crate::filter::compact_string(&out))),
            }
            Ok::<_, std::convert::Infallible>(())
        });
        let Ok(outcome) = outcome;
        if let Err(err) = outcome {
            let name = &envelope.event_type;
            self.selection.lock_failures().warn(format_args!(
                "--filter failed on an event of type {name}: {err}"
            ));
            return Decision::Drop;
        }
        match outputs.as_slice() {
            [] => Decision::Drop,
            [Output::Event] => Decision::Keep,
            _ => Decision::Print(outputs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decisions(only: &[&str], filter: Option<&str>) -> Vec<Decision> {
        let start = jiff::Timestamp::from_second(1_763_629_200).unwrap();
        let selection = Selection::new(only, filter).unwrap();
        let mut selector = selection.selector();
        crate::sample::envelopes(3, 7, start)
            .take(4)
            .map(|e| selector.decide(&e))
            .collect()
    }

    #[test]
    fn booleans_choose_and_other_outputs_are_shown_as_they_are() {
        assert!(decisions(&[], None).iter().all(|d| *d == Decision::Keep));
        assert!(
            decisions(&[], Some("true"))
                .iter()
                .all(|d| *d == Decision::Keep)
        );
        assert!(
            decisions(&[], Some("null, false"))
                .iter()
                .all(|d| *d == Decision::Drop)
        );
        assert!(
            decisions(&["no-such-type"], None)
                .iter()
                .all(|d| *d == Decision::Drop)
        );
        let selected = decisions(&[], Some("select(.provider != \"\")"));
        assert!(
            selected.iter().all(|d| *d == Decision::Keep),
            "{selected:?}"
        );
        let printed = decisions(&[], Some(r#""a", ., {}"#));
        let expected = Decision::Print(vec![
            Output::Value("\"a\"".into()),
            Output::Event,
            Output::Value("{}".into()),
        ]);
        assert!(printed.iter().all(|d| *d == expected), "{printed:?}");
    }

    #[test]
    fn an_output_equal_to_a_projected_input_is_not_the_event() {
        // `{kind}` reads one field: its input is an object of that field alone, which the
        // output equals without being the event.
        let printed = decisions(&[], Some("{kind}"));
        assert!(
            printed
                .iter()
                .all(|d| matches!(d, Decision::Print(o) if matches!(o[..], [Output::Value(_)]))),
            "{printed:?}"
        );
    }

    #[test]
    fn a_failing_expression_drops_the_event_and_is_counted() {
        let selection = Selection::new::<&str>(&[], Some(".provider | tonumber")).unwrap();
        let mut selector = selection.selector();
        let start = jiff::Timestamp::from_second(1_763_629_200).unwrap();
        for e in crate::sample::envelopes(1, 7, start).take(2) {
            assert_eq!(selector.decide(&e), Decision::Drop);
        }
        assert_eq!(selection.failures(), 2);
    }
}
