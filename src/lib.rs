//! telev: tail, receive, replay and filter telephony call events.
//!
//! Data flows one way: wire input → provider decoder → [`envelope::Envelope`] → filter →
//! printer, capture or forwarder.

pub(crate) mod calls;
pub mod capture;
pub mod cli;
pub(crate) mod client;
pub(crate) mod cmd;
pub(crate) mod config;
pub(crate) mod connections;
pub mod demo;
pub(crate) mod duration;
pub mod envelope;
pub(crate) mod error;
pub mod fake;
pub(crate) mod filter;
pub(crate) mod forward;
pub mod generate;
pub mod mask;
pub(crate) mod messages;
pub(crate) mod nats;
pub(crate) mod ndjson;
pub(crate) mod pace;
pub(crate) mod pipeline;
pub(crate) mod plan;
pub(crate) mod print;
pub mod provider;
pub(crate) mod publish;
pub mod sample;
pub(crate) mod select;
pub mod serve;
pub(crate) mod settings;
pub mod source;
pub(crate) mod stop;

use std::process::ExitCode;

use clap::Parser;

/// The whole program: parse, run, map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(mut err) => {
            cli::add_tips(&mut err);
            // clap exits 2 for usage errors and 0 for --help/--version.
            let _ = err.print();
            return ExitCode::from(err.exit_code() as u8);
        }
    };
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            error::report(&err);
            error::exit_code(&err)
        }
    }
}
