//! How times are shown to a person, one way in every output: local time of day by default,
//! with the date when the event is not from today; `--utc` and `--time-format` choose another.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// `--time-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TimeFormat {
    /// The time of day, with the date when it is not today
    #[default]
    Auto,
    /// The time of day: 14:03:07.512
    Time,
    /// Date and time: 2026-12-03 14:03:07.512
    Datetime,
    /// RFC 3339 with the zone's offset: 2026-12-03T14:03:07.512+01:00
    Rfc3339,
    /// Seconds since the first event shown: +12.345
    Relative,
}

#[derive(Debug, Clone)]
pub struct Clock {
    zone: TimeZone,
    format: TimeFormat,
    /// Today, in `zone`, for `Auto`.
    today: Option<jiff::civil::Date>,
    /// The first time shown, for `Relative`.
    first: Option<Timestamp>,
}

impl Clock {
    pub fn new(utc: bool, format: TimeFormat) -> Clock {
        let zone = if utc {
            TimeZone::UTC
        } else {
            TimeZone::system()
        };
        let today = Timestamp::now().to_zoned(zone.clone()).date();
        Clock {
            zone,
            format,
            today: Some(today),
            first: None,
        }
    }

    /// `at` as this clock shows it.
    pub fn show(&mut self, at: Timestamp) -> String {
        let zoned = at.to_zoned(self.zone.clone());
        let pattern = match self.format {
            TimeFormat::Auto if Some(zoned.date()) == self.today => "%H:%M:%S%.3f",
            TimeFormat::Auto | TimeFormat::Datetime => "%Y-%m-%d %H:%M:%S%.3f",
            TimeFormat::Time => "%H:%M:%S%.3f",
            TimeFormat::Rfc3339 => "%Y-%m-%dT%H:%M:%S%.3f%:z",
            TimeFormat::Relative => {
                let first = *self.first.get_or_insert(at);
                let seconds = at.duration_since(first).as_secs_f64();
                return format!("{seconds:+.3}");
            }
        };
        zoned.strftime(pattern).to_string()
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::new(false, TimeFormat::Auto)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_with_a_choice() {
        let at: Timestamp = "2019-01-24T08:21:41.509Z".parse().unwrap();
        let show = |format| Clock::new(true, format).show(at);
        assert_eq!(
            show(TimeFormat::Auto),
            "2019-01-24 08:21:41.509",
            "not today: dated"
        );
        assert_eq!(show(TimeFormat::Time), "08:21:41.509");
        assert_eq!(show(TimeFormat::Rfc3339), "2019-01-24T08:21:41.509+00:00");
        let now = Timestamp::now();
        assert_eq!(
            Clock::new(true, TimeFormat::Auto).show(now).len(),
            12,
            "today: the time"
        );
        let mut relative = Clock::new(true, TimeFormat::Relative);
        assert_eq!(relative.show(at), "+0.000");
        let later = at
            .checked_add(jiff::SignedDuration::from_millis(12_345))
            .unwrap();
        assert_eq!(relative.show(later), "+12.345");
    }
}
