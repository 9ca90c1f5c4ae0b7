//! Error kinds and the one place that maps them to the contract's exit codes.

use std::fmt;
use std::process::ExitCode;

/// The user asked for something that cannot be: exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// The provider refused our credentials: exit 3.
#[derive(Debug)]
pub struct AuthError {
    /// 401 or 403.
    pub status: u16,
    /// Where the credential came from and how to give another.
    pub hint: String,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { status, hint } = self;
        write!(f, "the server refused the token ({status}): {hint}")
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
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        // serde_json writing to stdout wraps the io error rather than chaining it.
        let json = cause.downcast_ref::<serde_json::Error>();
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || json.is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
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

#[cfg(test)]
mod tests {
    use super::*;

    struct ClosedPipe;

    impl std::io::Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_known_however_it_was_written_to() {
        use std::io::Write as _;
        let io = ClosedPipe.write_all(b"x").unwrap_err();
        assert!(is_broken_pipe(&anyhow::Error::from(io).context("printing")));
        let json = serde_json::to_writer(ClosedPipe, &[1]).unwrap_err();
        assert!(is_broken_pipe(&anyhow::Error::from(json)));
        assert!(!is_broken_pipe(&anyhow::anyhow!("something else")));
    }
}
