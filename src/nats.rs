//! NATS JetStream, where `--publish` sends envelopes and `tail nats` reads them back: the
//! server's address and credentials, subjects made from envelopes, and the connection.
//!
//! A connection is made once and kept: the client reconnects by itself (a server restarted, a
//! network gone and back), and telev says on stderr when it loses and regains the server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;

use crate::config::Secret;
use crate::envelope::Envelope;
use crate::error::UsageError;

/// How a run waits for the server at most: to connect, or to acknowledge one publish.
pub const WAIT: Duration = Duration::from_secs(5);

/// A NATS server: where, and who telev is to it.
#[derive(Debug, Clone)]
pub struct Server {
    /// `nats://host:port`, without credentials: what messages show.
    pub address: String,
    pub auth: Option<Auth>,
}

#[derive(Debug, Clone)]
pub enum Auth {
    UserPassword { user: String, password: Secret },
    Token(Secret),
}

pub const USER_ENV: &str = "TELEV_NATS_USER";
pub const PASSWORD_ENV: &str = "TELEV_NATS_PASSWORD";
pub const TOKEN_ENV: &str = "TELEV_NATS_TOKEN";

impl Server {
    /// Reads `nats://[USER:PASS@]HOST:PORT[/PATH]` (`flag` names it in errors): the server,
    /// and the path without its leading `/`, percent-decoded (a subject). Credentials in the
    /// URL win over `fallback` (the environment's, the config file's).
    pub fn parse(
        text: &str,
        flag: &str,
        fallback: Option<Auth>,
    ) -> Result<(Server, String), UsageError> {
        // Never echo the URL itself: it may hold a password.
        let bad =
            |why: &str| UsageError(format!("{flag} needs nats://[USER:PASS@]HOST:PORT: {why}"));
        let url = reqwest::Url::parse(text).map_err(|e| bad(&e.to_string()))?;
        if url.scheme() != "nats" {
            return Err(bad(&format!("not a nats:// URL ({}://)", url.scheme())));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("no host"))?;
        let port = url.port().unwrap_or(4222);
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let auth = match (url.username(), url.password()) {
            ("", None) => fallback,
            (user, Some(password)) => Some(Auth::UserPassword {
                user: decode(user),
                password: Secret::new(decode(password)),
            }),
            (token, None) => Some(Auth::Token(Secret::new(decode(token)))),
        };
        let path = decode(url.path().trim_start_matches('/'));
        let server = Server {
            address: format!("nats://{host}:{port}"),
            auth,
        };
        Ok((server, path))
    }

    /// Connects, or keeps trying in the background: a run that publishes starts even while
    /// the server is down (its publishes fail at once, and succeed again once it is up).
    pub async fn connect(&self) -> Result<async_nats::Client> {
        let address = self.address.clone();
        // Whether the connection's trouble has been told since it was last up: the client
        // tries again every few hundred milliseconds, and each failed try is an event.
        let told = Arc::new(AtomicBool::new(false));
        let mut options = async_nats::ConnectOptions::new()
            .name("telev")
            .connection_timeout(WAIT)
            .retry_on_initial_connect()
            .event_callback(move |event| {
                let (address, told) = (address.clone(), told.clone());
                async move { tell(&address, event, &told) }
            });
        options = match &self.auth {
            Some(Auth::UserPassword { user, password }) => {
                options.user_and_password(user.clone(), password.expose().to_owned())
            }
            Some(Auth::Token(token)) => options.token(token.expose().to_owned()),
            None => options,
        };
        let client = options.connect(self.address.as_str()).await;
        let client =
            client.map_err(|err| anyhow::anyhow!("cannot connect to {}: {err}", self.address))?;
        // A server that is there is connected to before the run starts, so that its first
        // events are not refused as "not connected"; one that is not costs this wait once.
        let connected = async {
            while client.connection_state() != async_nats::connection::State::Connected {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        let _ = tokio::time::timeout(WAIT, connected).await;
        Ok(client)
    }
}

/// Says what happened to the connection, on stderr: each coming up, and the first trouble
/// after it (not every failed try to reconnect).
fn tell(address: &str, event: async_nats::Event, told: &AtomicBool) {
    use async_nats::Event;
    let first_trouble = || !told.swap(true, Ordering::Relaxed);
    match event {
        Event::Connected => {
            told.store(false, Ordering::Relaxed);
            crate::messages::status(&format!("connected to {address}"));
        }
        Event::Disconnected if first_trouble() => crate::messages::warn(&format!(
            "lost {address}: reconnecting (meanwhile nothing is published)"
        )),
        Event::ClientError(err) if first_trouble() => crate::messages::warn(&format!(
            "cannot reach {address} ({err}): trying again in the background"
        )),
        Event::ServerError(err) => crate::messages::warn(&format!("{address} says: {err}")),
        _ => {}
    }
}

/// A subject made from each envelope: `telev.{provider}.{kind}`. Each placeholder becomes one
/// token (`call.ended` is `call_ended`), so that a stream on the wildcard form (`telev.*.*`)
/// holds every subject it makes.
#[derive(Debug, Clone)]
pub struct Subject {
    template: String,
}

pub const DEFAULT_SUBJECT: &str = "telev.{provider}.{kind}";
const PLACEHOLDERS: [&str; 3] = ["{provider}", "{kind}", "{call_id}"];

impl Subject {
    pub fn parse(text: &str) -> Result<Subject, UsageError> {
        let text = if text.is_empty() {
            DEFAULT_SUBJECT
        } else {
            text
        };
        let bad = |why: String| UsageError(format!("the subject `{text}` {why}"));
        for token in text.split('.') {
            if token.is_empty() {
                return Err(bad(
                    "has an empty token (`a..b`, or a leading or trailing `.`)".into(),
                ));
            }
            let mut rest = token.to_owned();
            for placeholder in PLACEHOLDERS {
                rest = rest.replace(placeholder, "");
            }
            if let Some(c) = rest
                .chars()
                .find(|c| matches!(c, '{' | '}' | '*' | '>') || c.is_whitespace())
            {
                let what = match c {
                    '{' | '}' => {
                        "an unknown placeholder (it may use {provider}, {kind} and {call_id})"
                            .to_owned()
                    }
                    _ => format!("holds `{c}`, which a subject published to cannot"),
                };
                return Err(bad(what));
            }
        }
        Ok(Subject {
            template: text.to_owned(),
        })
    }

    /// The subject of one envelope.
    pub fn of(&self, e: &Envelope) -> String {
        let mut subject = self.template.clone();
        if subject.contains("{provider}") {
            subject = subject.replace("{provider}", &token(e.provider.id()));
        }
        if subject.contains("{kind}") {
            subject = subject.replace("{kind}", &token(e.kind.as_str()));
        }
        if subject.contains("{call_id}") {
            subject = subject.replace("{call_id}", &token(e.call_id.as_deref().unwrap_or("")));
        }
        subject
    }

    /// Every subject it makes, as one wildcard: a token with a placeholder is `*`.
    pub fn wildcard(&self) -> String {
        let tokens = self.template.split('.');
        let wild = tokens.map(|t| {
            if PLACEHOLDERS.iter().any(|p| t.contains(p)) {
                "*"
            } else {
                t
            }
        });
        wild.collect::<Vec<_>>().join(".")
    }
}

/// A value as one subject token: letters, digits, `-` and `_` kept, anything else `_`, 64
/// characters at most; `none` for nothing.
fn token(value: &str) -> String {
    let kept =
        value.chars().take(64).map(
            |c| match c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                true => c,
                false => '_',
            },
        );
    let token: String = kept.collect();
    if token.is_empty() {
        "none".into()
    } else {
        token
    }
}

/// A durable consumer's name for a subject (`telev.>` reads as `telev-telev_all`): names
/// cannot hold `.`, `*` or `>`.
pub fn durable_for(subject: &str) -> String {
    let name = subject.replace('>', "all").replace('*', "any");
    format!("telev-{}", token(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_the_server_its_credentials_and_the_subject() {
        let (server, path) = Server::parse(
            "nats://ann:s%40cret@127.0.0.1:4333/telev.%7Bkind%7D",
            "--publish",
            None,
        )
        .unwrap();
        assert_eq!(server.address, "nats://127.0.0.1:4333");
        assert_eq!(path, "telev.{kind}");
        match server.auth {
            Some(Auth::UserPassword { user, password }) => {
                assert_eq!((user.as_str(), password.expose()), ("ann", "s@cret"));
            }
            other => panic!("{other:?}"),
        }
        let (server, path) = Server::parse("nats://localhost", "--publish", None).unwrap();
        assert_eq!(
            (server.address.as_str(), path.as_str()),
            ("nats://localhost:4222", "")
        );
        let refused = Server::parse("http://ann:hunter2@localhost", "--publish", None).unwrap_err();
        assert!(!refused.0.contains("hunter2"), "{}", refused.0);
    }

    #[test]
    fn subjects_take_one_token_a_placeholder_and_cover_themselves_with_a_wildcard() {
        let subject = Subject::parse("").unwrap();
        let mut e = crate::sample::envelopes(1, 1, jiff::Timestamp::UNIX_EPOCH)
            .next()
            .unwrap();
        e.kind = crate::envelope::Kind::CallEnded;
        assert_eq!(
            subject.of(&e),
            format!("telev.{}.call_ended", e.provider.id())
        );
        assert_eq!(subject.wildcard(), "telev.*.*");
        let by_call = Subject::parse("calls.{call_id}").unwrap();
        e.call_id = Some("a.b *>c".into());
        assert_eq!(by_call.of(&e), "calls.a_b___c");
        e.call_id = None;
        assert_eq!(by_call.of(&e), "calls.none");
        for bad in ["telev..x", "telev.*", "a.{nope}", "a b", "telev.>"] {
            assert!(Subject::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(durable_for("telev.>"), "telev-telev_all");
    }
}
