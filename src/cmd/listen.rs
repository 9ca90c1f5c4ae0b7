//! `telev listen`: a local webhook receiver → decoder → pipeline (→ the user's app).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;

use crate::cli::ListenArgs;
use crate::config::Secret;
use crate::error::UsageError;
use crate::forward::{self, Forwarder};
use crate::messages;
use crate::pipeline::{self, Pipeline};
use crate::settings::Settings;
use crate::source::webhook::{InboundAuth, Receiver, Trouble};

pub async fn run(args: ListenArgs, settings: &Settings) -> Result<ExitCode> {
    let plan = pipeline::plan(&args.selection, args.record.as_deref(), args.count)?;
    let forward = args
        .forward_to
        .as_deref()
        .map(|url| forward::parse_target(url, "--forward-to").map(Forwarder::new))
        .transpose()?;
    let auth = match (&args.basic_auth, &args.bearer) {
        (Some(pair), _) if !pair.contains(':') => {
            return Err(UsageError("--basic-auth takes USER:PASS".into()).into());
        }
        (Some(pair), _) => Some(InboundAuth::basic(pair)),
        (None, Some(token)) => Some(InboundAuth::bearer(token)),
        (None, None) => None,
    };
    let address = SocketAddr::new(args.bind, args.port);
    let fix = "choose another with --port (--port 0 takes any free one)";
    let listener = crate::serve::bind(&address.to_string(), fix).await?;
    let bound = listener.local_addr()?;
    let who = args.provider.map_or("any provider", |p| p.id());
    let path = args.path.clone().unwrap_or_else(|| "/".to_owned());
    let host = match bound {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => v4.to_string(),
    };
    messages::status(&format!("listening on http://{host}{path} ({who})"));

    let started = Instant::now();
    let pipeline = Pipeline::spawn(plan, settings);
    let trouble = Arc::new(Trouble::default());
    let receiver = Receiver {
        provider: args.provider,
        path: args.path,
        auth,
        verification_token: args.verification_token.map(Secret::new),
        max_body: args.max_body,
        forward,
        warn_failed_forwards: !settings.shows_notes(),
        jobs: pipeline.jobs.clone(),
        trouble: trouble.clone(),
    };
    let mut done = pipeline.done.clone();
    let timeout = args
        .timeout
        .map(|d| d.0)
        .unwrap_or(std::time::Duration::MAX);
    let shutdown = async move {
        tokio::select! {
            () = crate::stop::requested() => {}
            () = tokio::time::sleep(timeout) => {}
            _ = done.wait_for(|done| *done) => {}
        }
    };
    // The receiver holds the pipeline's sender: serving must end with it dropped.
    receiver.serve(listener, shutdown).await;
    let tally = pipeline.finish().await?;
    let mut summary = tally.summary();
    trouble.tell(&mut summary);
    messages::status(&format!("{summary} in {:.1?}", started.elapsed()));
    Ok(ExitCode::SUCCESS)
}
