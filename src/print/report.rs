//! `replay --to`: what became of the deliveries, as a table by event type and as the run's
//! error when some failed.

use std::collections::BTreeMap;

use super::{Delivery, summary};

#[derive(Default, Clone)]
pub struct Report {
    total: Counts,
    /// A row for each of the first [`summary::TYPES`] types, none longer than
    /// [`summary::TYPE_LEN`] bytes: a capture can name any number of types, of any length.
    by_type: BTreeMap<String, Counts>,
    /// The deliveries of every other type, on one row.
    others: Counts,
    /// Why the first failed delivery failed: the rows say how many, not why, and ndjson
    /// output carries no per-event notes.
    first_failure: Option<String>,
}

/// One row of the table.
#[derive(Default, Clone, Copy)]
struct Counts {
    sent: u64,
    ok: u64,
    client_errors: u64,
    server_errors: u64,
    /// No answer at all (after the retries).
    failed: u64,
}

impl Counts {
    fn add(&mut self, status: Option<u16>) {
        self.sent += 1;
        match status {
            Some(400..=499) => self.client_errors += 1,
            Some(500..=599) => self.server_errors += 1,
            Some(_) => self.ok += 1,
            None => self.failed += 1,
        }
    }

    fn cells(&self) -> [u64; 5] {
        [
            self.sent,
            self.ok,
            self.client_errors,
            self.server_errors,
            self.failed,
        ]
    }
}

impl Report {
    pub fn add(&mut self, event_type: &str, d: &Delivery) {
        self.total.add(d.status);
        if let Some(counts) = self.by_type.get_mut(event_type) {
            counts.add(d.status);
        } else if summary::has_room(self.by_type.len(), event_type) {
            let counts = self.by_type.entry(event_type.to_owned()).or_default();
            counts.add(d.status);
        } else {
            self.others.add(d.status);
        }
        let failed = matches!(d.status, None | Some(500..=599));
        if failed && self.first_failure.is_none() {
            self.first_failure = Some(match (d.status, &d.error) {
                (Some(status), _) => format!("answered {status}"),
                (None, Some(error)) => error.clone(),
                (None, None) => "no answer".to_owned(),
            });
        }
    }

    /// Deliveries that ended, with an answer or without.
    pub fn sent(&self) -> u64 {
        self.total.sent
    }

    /// The run's error when deliveries failed (no answer, or 5xx): how many, and why the
    /// first did. A 4xx is the app's verdict on the event, not a failed delivery.
    pub fn failure(&self) -> Option<anyhow::Error> {
        let why = self.first_failure.as_deref().unwrap_or("no answer");
        match self.total.failed + self.total.server_errors {
            0 => None,
            1 => Some(anyhow::anyhow!("1 delivery failed: {why}")),
            n => Some(anyhow::anyhow!("{n} deliveries failed; the first: {why}")),
        }
    }

    pub fn render(&self, color: bool) -> String {
        let mut table = comfy_table::Table::new();
        table.load_preset(comfy_table::presets::UTF8_HORIZONTAL_ONLY);
        if color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header(["TYPE", "SENT", "2XX", "4XX", "5XX", "FAILED"]);
        let rows = self.by_type.iter().map(|(t, counts)| (t.as_str(), counts));
        let others = (self.others.sent > 0).then_some(("(other types)", &self.others));
        for (event_type, counts) in rows.chain(others).chain([("total", &self.total)]) {
            let mut cells = vec![super::visible::visible(event_type).into_owned()];
            cells.extend(counts.cells().iter().map(u64::to_string));
            table.add_row(cells);
        }
        table.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(status: Option<u16>, error: Option<&str>) -> Delivery {
        Delivery {
            status,
            latency: std::time::Duration::ZERO,
            attempts: 1,
            error: error.map(str::to_owned),
        }
    }

    #[test]
    fn a_4xx_is_counted_but_only_5xx_and_no_answer_fail_the_run() {
        let mut report = Report::default();
        report.add("hangup", &delivery(Some(204), None));
        report.add("hangup", &delivery(Some(404), None));
        report.add("answer", &delivery(Some(503), None));
        report.add("answer", &delivery(None, Some("cannot connect")));
        let error = report.failure().expect("two deliveries failed");
        assert_eq!(
            error.to_string(),
            "2 deliveries failed; the first: answered 503"
        );
        let table = report.render(false);
        let rows: Vec<Vec<&str>> = table
            .lines()
            .filter(|l| l.chars().any(|c| c.is_ascii_alphanumeric()))
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(
            rows,
            [
                vec!["TYPE", "SENT", "2XX", "4XX", "5XX", "FAILED"],
                vec!["answer", "2", "0", "0", "1", "1"],
                vec!["hangup", "2", "1", "1", "0", "0"],
                vec!["total", "4", "1", "1", "1", "1"],
            ]
        );

        let mut report = Report::default();
        report.add("hangup", &delivery(Some(422), None));
        assert!(report.failure().is_none(), "the app's 4xx is its verdict");
    }

    #[test]
    fn a_capture_of_endless_or_huge_types_gets_a_bounded_table() {
        let mut report = Report::default();
        for n in 0..10_000 {
            report.add(&format!("type-{n:05}"), &delivery(Some(200), None));
        }
        report.add(&"x".repeat(1 << 20), &delivery(None, Some("no answer")));
        report.add("type-00000", &delivery(Some(200), None));
        assert_eq!(report.by_type.len(), summary::TYPES);
        assert_eq!(
            report.by_type["type-00000"].sent, 2,
            "a kept type still counts"
        );
        assert_eq!(report.others.sent, 10_000 - 100 + 1);
        assert_eq!(report.total.sent, 10_002);
        let table = report.render(false);
        assert!(table.lines().count() < 3 * (summary::TYPES + 3), "{table}");
        assert!(table.contains("(other types)") && table.len() < 64 << 10);
    }
}
