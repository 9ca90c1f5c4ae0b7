//! telev: tail, receive, replay and filter telephony call events.
//!
//! Data flows one way: wire input → provider decoder → [`envelope::Envelope`] → filter →
//! printer, capture or forwarder.

pub mod calls;
pub mod capture;
pub mod cli;
pub mod client;
pub mod cmd;
pub mod config;
pub mod demo;
pub mod duration;
pub mod envelope;
pub mod error;
pub mod fake;
pub mod filter;
pub mod forward;
pub mod generate;
pub mod messages;
pub mod ndjson;
pub mod pace;
pub mod pipeline;
pub mod plan;
pub mod print;
pub mod provider;
pub mod sample;
pub mod select;
pub mod serve;
pub mod settings;
pub mod source;
pub mod stop;

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
