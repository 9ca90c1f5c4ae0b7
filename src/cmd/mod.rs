//! One module per command, each a short composition of sources, filter and printer.

pub mod filter;
pub mod replay;

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
        Command::Tail(_) | Command::Listen(_) | Command::Replay(_) => {
            let _config = Config::load(cli.global.config.as_deref())?;
            anyhow::bail!("this command is not yet available")
        }
    }
}
