//! Durations on the command line: `2s`, `500ms`, `1m30s`, `1h`.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub std::time::Duration);

impl FromStr for Duration {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not a duration (try 2s, 500ms or 1m30s)");
        // A bare number is seconds, the unit people mean most often.
        if let Ok(seconds) = text.trim().parse::<f64>() {
            return std::time::Duration::try_from_secs_f64(seconds)
                .map(Duration)
                .map_err(|_| bad());
        }
        let signed: jiff::SignedDuration = text.trim().parse().map_err(|_| bad())?;
        signed.try_into().map(Duration).map_err(|_| bad())
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let signed = jiff::SignedDuration::try_from(self.0).map_err(|_| fmt::Error)?;
        write!(f, "{signed:#}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration as Std;

    #[test]
    fn reads_the_usual_spellings() {
        let d = |s: &str| s.parse::<Duration>().map(|d| d.0);
        assert_eq!(d("2s"), Ok(Std::from_secs(2)));
        assert_eq!(d("500ms"), Ok(Std::from_millis(500)));
        assert_eq!(d("1m30s"), Ok(Std::from_secs(90)));
        assert_eq!(d("1h"), Ok(Std::from_secs(3600)));
        assert_eq!(d("1.5"), Ok(Std::from_millis(1500)));
        assert!(d("-2s").is_err());
        assert!(d("soon").is_err());
    }
}
