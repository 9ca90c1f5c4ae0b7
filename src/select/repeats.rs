//! Events seen before: a provider retries a delivery it thinks failed, and the retry is the
//! same event again. Each event is numbered as it comes (`#12`); a repeat names the number of
//! its first. Only the latest keys are kept, and a long one by its digest, so memory stays
//! bounded on a long run, whatever ids a sender makes up.

use std::collections::{HashMap, VecDeque};

use base64::Engine as _;

pub struct Repeats {
    first: HashMap<String, u64>,
    /// Keys in the order they were first seen, to forget the oldest.
    order: VecDeque<String>,
    capacity: usize,
    seen: u64,
}

/// One event as [`Repeats`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Its number in the run, from 1.
    pub number: u64,
    /// The number of the event it repeats.
    pub repeats: Option<u64>,
}

impl Repeats {
    /// Keys remembered at most.
    pub const CAPACITY: usize = 100_000;

    pub fn new(capacity: usize) -> Repeats {
        Repeats {
            first: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            seen: 0,
        }
    }

    /// Numbers an event, by its key (`None`: an event that cannot be told apart, never a
    /// repeat).
    pub fn see(&mut self, key: Option<String>) -> Seen {
        self.seen += 1;
        let number = self.seen;
        let Some(key) = key.map(kept) else {
            return Seen {
                number,
                repeats: None,
            };
        };
        if let Some(&first) = self.first.get(&key) {
            return Seen {
                number,
                repeats: Some(first),
            };
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.first.remove(&oldest);
        }
        self.first.insert(key.clone(), number);
        self.order.push_back(key);
        Seen {
            number,
            repeats: None,
        }
    }
}

/// Keys longer than this are remembered by their SHA-256: a key holds ids a sender chose, and
/// [`Repeats::CAPACITY`] of them a megabyte each must not be held.
const LONGEST_KEY: usize = 128;

/// `key` as it is remembered: itself, or `#` and its SHA-256 when it is long (no key made of a
/// provider's name begins with `#`).
fn kept(key: String) -> String {
    if key.len() <= LONGEST_KEY {
        return key;
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, key.as_bytes());
    format!(
        "#{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_name_their_first_and_old_keys_are_forgotten() {
        let mut repeats = Repeats::new(2);
        let key = |k: &str| Some(k.to_owned());
        assert_eq!(
            repeats.see(key("a")),
            Seen {
                number: 1,
                repeats: None
            }
        );
        assert_eq!(
            repeats.see(None),
            Seen {
                number: 2,
                repeats: None
            }
        );
        assert_eq!(
            repeats.see(key("a")),
            Seen {
                number: 3,
                repeats: Some(1)
            }
        );
        assert_eq!(repeats.see(key("b")).repeats, None);
        assert_eq!(repeats.see(key("c")).repeats, None);
        // "a" was the oldest of three keys with room for two.
        assert_eq!(repeats.see(key("a")).repeats, None);
        assert_eq!(repeats.see(key("c")).repeats, Some(5));
    }

    #[test]
    fn a_long_key_is_remembered_by_its_digest_and_still_told_apart() {
        let mut repeats = Repeats::new(8);
        let long = |c: char| Some(format!("teltel:{}", c.to_string().repeat(1 << 20)));
        let first = repeats.see(long('a')).number;
        assert_eq!(repeats.see(long('b')).repeats, None, "another long key");
        assert_eq!(repeats.see(long('a')).repeats, Some(first));
        let held: usize = repeats.order.iter().map(String::len).sum();
        assert!(
            held < 2 * 64,
            "{held} bytes held for two keys of a megabyte"
        );
        assert!(repeats.order.iter().all(|k| k.starts_with('#')));
    }
}
