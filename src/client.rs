//! The HTTP client every outgoing request uses (tail's stream, forwards, deliveries), and how
//! its failures read in one line.

use std::time::Duration;

/// A client builder whose TLS has its crypto: rustls needs one process-wide provider, and a
/// second install is harmless.
pub fn builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// How long one request may take, answer and all.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client for requests to one app or provider: bounded connect and request times, and no
/// redirects (a webhook is delivered where it was aimed, or not at all).
pub fn for_requests() -> reqwest::Client {
    builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client with default TLS settings builds")
}

/// A reqwest error as one line, with its root cause and without the URL's credentials.
pub fn describe(err: &reqwest::Error) -> String {
    let mut text = if err.is_connect() {
        // The host and port only: a URL may carry a user name and password.
        match err
            .url()
            .and_then(|url| Some((url.host_str()?.to_owned(), url.port_or_known_default()?)))
        {
            Some((host, port)) => format!("cannot connect to {host}:{port}"),
            None => "cannot connect".to_owned(),
        }
    } else if err.is_timeout() {
        "timed out".to_owned()
    } else if err.is_body() || err.is_decode() {
        "the response body broke off".to_owned()
    } else if let Some(status) = err.status() {
        format!("answered {status}")
    } else {
        "the request failed".to_owned()
    };
    if let Some(root) = root_cause(err) {
        text.push_str(": ");
        text.push_str(&root);
    }
    text
}

/// The last error in `err`'s chain of causes, if it has any: what went wrong at the bottom
/// (`Connection refused (os error 111)`).
pub fn root_cause(err: &dyn std::error::Error) -> Option<String> {
    let mut source = err.source();
    let mut last = None;
    while let Some(cause) = source {
        last = Some(cause.to_string());
        source = cause.source();
    }
    last
}

/// A URL fit for a log line: no user name or password in it.
pub fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => "<invalid url>".to_owned(),
    }
}
