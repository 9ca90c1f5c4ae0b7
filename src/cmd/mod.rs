//! One module per command, each a short composition of sources, selection and printer, run
//! from the command's plan.

mod calls;
mod check;
mod config;
pub mod filter;
pub mod listen;
mod mask;
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
        Plan::TailNats(plan) => runtime()?.block_on(started(tail::nats(plan, &settings))),
        Plan::Listen(plan) => runtime()?.block_on(started(listen::run(plan, &settings))),
        Plan::Replay(plan) => one_thread()?.block_on(started(replay::run(plan, &settings))),
        Plan::Calls(plan) => calls::run(plan, &settings),
        Plan::Check(plan) => check::run(plan, &settings),
        Plan::Mask(input) => mask::run(input),
        Plan::Config(file) => config::run(file.as_deref()),
        Plan::Completions(shell) => {
            crate::generate::completions(shell, &mut std::io::stdout().lock());
            Ok(ExitCode::SUCCESS)
        }
        Plan::Man(command) => {
            match crate::generate::man(command.as_deref(), &mut std::io::stdout().lock())? {
                Some(()) => Ok(ExitCode::SUCCESS),
                None => Err(crate::error::UsageError(format!(
                    "no man page for `{}`: telev's commands are tail, listen, replay, filter, calls, check, mask",
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

/// The runtime for `replay`: one thread. Its work is waiting on the app: a delivery awaited on
/// the runtime's own thread, with the client's connection task beside it, sends and reads
/// without waking another thread for each request; on two workers each request crossed
/// threads twice, and the rate fell to 0.55× (30,000 deliveries: 2.3 s against 4.1 s, in order;
/// 0.58 s against 0.70 s with --concurrency 32).
fn one_thread() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// The runtime for `tail` and `listen`: two workers (a server's connections spread over both).
fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}
