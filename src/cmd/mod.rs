//! One module per command, each a short composition of sources, selection and printer, run
//! from the command's plan.

mod config;
pub mod filter;
pub mod listen;
pub mod replay;
pub mod tail;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Cli;
use crate::plan::{self, Plan};
use crate::settings::Settings;

pub fn run(cli: Cli) -> Result<ExitCode> {
    let settings = Settings::resolve(&cli.global);
    crate::messages::init(&settings);
    match plan::resolve(cli.command, &settings, cli.global.config.as_deref())? {
        Plan::Filter(plan) => filter::run(plan, &settings),
        Plan::Tail(plan) => runtime()?.block_on(started(tail::run(plan, &settings))),
        Plan::Listen(plan) => runtime()?.block_on(started(listen::run(plan, &settings))),
        Plan::Replay(plan) => runtime()?.block_on(started(replay::run(plan, &settings))),
        Plan::Config(file) => config::run(file.as_deref()),
        Plan::Completions(shell) => {
            crate::generate::completions(shell, &mut std::io::stdout().lock());
            Ok(ExitCode::SUCCESS)
        }
        Plan::Man(command) => {
            match crate::generate::man(command.as_deref(), &mut std::io::stdout().lock())? {
                Some(()) => Ok(ExitCode::SUCCESS),
                None => Err(crate::error::UsageError(format!(
                    "no man page for `{}`: telev's commands are tail, listen, replay, filter",
                    command.unwrap_or_default()
                ))
                .into()),
            }
        }
    }
}

/// A run on the runtime, with Ctrl-C and SIGTERM already caught before it starts.
async fn started<T>(run: impl Future<Output = T>) -> T {
    crate::stop::install();
    run.await
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}
