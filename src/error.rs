//! Error kinds and the one place that maps them to the contract's exit codes.

use std::fmt;
use std::process::ExitCode;

/// The user asked for something that cannot be: exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// The provider refused our credentials: exit 3.
#[derive(Debug)]
pub struct AuthError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}
impl std::error::Error for AuthError {}

pub const SUCCESS: u8 = 0;
pub const RUNTIME: u8 = 1;
pub const USAGE: u8 = 2;
pub const AUTH: u8 = 3;

/// A closed stdout (`telev … | head`) is a normal end, not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    let code = if is_broken_pipe(err) {
        SUCCESS
    } else if err
        .chain()
        .any(|c| c.is::<UsageError>() || c.is::<crate::filter::CompileError>())
    {
        USAGE
    } else if err.chain().any(|c| c.is::<AuthError>()) {
        AUTH
    } else {
        RUNTIME
    };
    ExitCode::from(code)
}

/// Prints an error the way users read it: the message, then each cause on its own line.
pub fn report(err: &anyhow::Error) {
    if is_broken_pipe(err) {
        return;
    }
    let mut text = format!("telev: {err}");
    for cause in err.chain().skip(1) {
        text.push_str(&format!("\n  caused by: {cause}"));
    }
    crate::messages::error_line(&text);
}
