//! `telev config`: the config file's path, and each setting in force with where it came from.
//! Credentials show only as set or unset, and `token_command` is named, not run.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::config::Config;
use crate::plan::{CYTRACOM_BASE, CYTRACOM_TOKEN_ENV};
use crate::settings::{self, LISTEN_BASIC_ENV, LISTEN_BEARER_ENV};

pub fn run(file: Option<&Path>) -> Result<ExitCode> {
    let config = Config::load(file)?;
    let path = match (&config.path, file) {
        (Some(path), _) => format!("{} (read)", path.display()),
        (None, _) => match crate::config::default_path() {
            Some(path) => format!("{} (not there: defaults in force)", path.display()),
            None => "none (no HOME or XDG_CONFIG_HOME)".to_owned(),
        },
    };
    let shown_file = || {
        config
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    let cytracom = config.provider("cytracom");
    let env_set = |var: &str| std::env::var(var).is_ok_and(|v| !v.is_empty());
    let token = if env_set(CYTRACOM_TOKEN_ENV) {
        format!("set (from {CYTRACOM_TOKEN_ENV})")
    } else if cytracom.is_some_and(|c| c.token.is_some()) {
        format!("set (from `token` in {})", shown_file())
    } else if cytracom.is_some_and(|c| c.token_command.is_some()) {
        format!("from `token_command` in {} (not run here)", shown_file())
    } else {
        format!("unset (--token, {CYTRACOM_TOKEN_ENV}, or `token` under [cytracom])")
    };
    let url = match cytracom.and_then(|c| c.url.as_deref()) {
        Some(url) => format!("{} (from {})", crate::client::redact(url), shown_file()),
        None => format!("{CYTRACOM_BASE} (the default)"),
    };
    let listen = match settings::inbound(&config, None, None) {
        Ok(Some(settings::Inbound::Basic(c))) => format!("Basic auth, set (from {})", c.origin),
        Ok(Some(settings::Inbound::Bearer(c))) => {
            format!("a bearer token, set (from {})", c.origin)
        }
        Ok(None) => format!("none ({LISTEN_BEARER_ENV}, {LISTEN_BASIC_ENV} or [listen])"),
        Err(err) => err.to_string(),
    };
    let nats = match settings::nats_auth(&config) {
        Some((crate::nats::Auth::Token(_), origin)) => format!("a token, set (from {origin})"),
        Some((crate::nats::Auth::UserPassword { .. }, origin)) => {
            format!("a user and password, set (from {origin})")
        }
        None => "none (in the URL, TELEV_NATS_TOKEN, TELEV_NATS_USER and TELEV_NATS_PASSWORD, or [nats])".to_owned(),
    };
    println!("config file       {path}");
    println!("cytracom token    {token}");
    println!("cytracom url      {url}");
    println!("listen requires   {listen}");
    println!("nats credentials  {nats}");
    Ok(ExitCode::SUCCESS)
}
