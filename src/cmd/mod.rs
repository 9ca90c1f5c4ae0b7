//! One module per command, each a short composition of sources, filter and printer.

pub mod filter;
pub mod listen;
pub mod replay;
pub mod tail;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::settings::Settings;

pub fn run(cli: Cli) -> Result<ExitCode> {
    let settings = Settings::resolve(&cli.global);
    crate::messages::init(&settings);
    match cli.command {
        Command::Filter(args) => filter::run(args, &settings),
        Command::Tail(args) => {
            let config = Config::load(cli.global.config.as_deref())?;
            runtime()?.block_on(tail::run(args, &settings, &config))
        }
        Command::Listen(args) => runtime()?.block_on(listen::run(args, &settings)),
        Command::Replay(args) => runtime()?.block_on(replay::run(args, &settings)),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    // rustls needs one process-wide crypto provider; a second install is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}
