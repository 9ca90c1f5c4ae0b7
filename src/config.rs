//! `config.toml`: per-provider settings. Which setting wins is decided in `settings`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// A credential: it prints as `***` everywhere, so it cannot leak through a log or panic.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub token: Option<String>,
    /// A command whose standard output is the token (`pass show cytracom`).
    pub token_command: Option<String>,
    pub url: Option<String>,
}

/// `[listen]`: what senders must present to `telev listen`, kept out of `ps`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenConfig {
    /// `USER:PASS`, as `--basic-auth` takes it.
    pub basic_auth: Option<String>,
    pub bearer: Option<String>,
}

/// `[nats]`: who telev is to the NATS server of `--publish` and `tail nats`, kept out of `ps`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatsConfig {
    pub user: Option<String>,
    pub password: Option<String>,
    pub token: Option<String>,
}

#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub providers: BTreeMap<String, ProviderConfig>,
    pub listen: ListenConfig,
    pub nats: NatsConfig,
}

impl Config {
    /// Reads `explicit`, or the default location when it exists.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => match default_path() {
                Some(path) if path.exists() => path,
                _ => return Ok(Config::default()),
            },
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let invalid = || format!("invalid config file {}", path.display());
        let mut table: toml::Table = toml::from_str(&text).with_context(invalid)?;
        let listen = match table.remove("listen") {
            Some(section) => section.try_into().with_context(invalid)?,
            None => ListenConfig::default(),
        };
        let nats = match table.remove("nats") {
            Some(section) => section.try_into().with_context(invalid)?,
            None => NatsConfig::default(),
        };
        let providers = toml::Value::Table(table).try_into().with_context(invalid)?;
        Ok(Config {
            path: Some(path),
            providers,
            listen,
            nats,
        })
    }

    pub fn provider(&self, id: &str) -> Option<&ProviderConfig> {
        self.providers.get(id)
    }

    #[cfg(unix)]
    pub fn warn_if_readable_by_others(&self) {
        use std::os::unix::fs::PermissionsExt;
        let Some(path) = &self.path else { return };
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o044 != 0
        {
            crate::messages::warn(&format!(
                "{} holds a token and is readable by others: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }

    #[cfg(not(unix))]
    pub fn warn_if_readable_by_others(&self) {}
}

pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("telev").join("config.toml"))
}

pub fn run_token_command(provider: &str, command: &str) -> Result<Secret> {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run token_command for {provider}"))?;
    if !output.status.success() {
        bail!("token_command for {provider} failed ({})", output.status);
    }
    let token = String::from_utf8(output.stdout)
        .context("token_command printed something that is not text")?
        .trim()
        .to_owned();
    if token.is_empty() {
        bail!("token_command for {provider} printed nothing");
    }
    Ok(Secret::new(token))
}
