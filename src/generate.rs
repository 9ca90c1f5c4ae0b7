//! Shell completions and man pages, generated from the clap definition: written into the
//! repository (`completions/`, `man/`), and printed by `telev completions` and `telev man`
//! for a `cargo install` user.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::envelope::Provider;
use crate::provider::{self, EventKind};

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// Writes `completions/` and `man/` under `root`.
pub fn write_all(root: &Path) -> io::Result<()> {
    let completions = root.join("completions");
    std::fs::create_dir_all(&completions)?;
    for shell in SHELLS {
        clap_complete::generate_to(shell, &mut Cli::command(), "telev", &completions)?;
    }
    let man = root.join("man");
    std::fs::create_dir_all(&man)?;
    for (name, command) in pages() {
        let mut page = Vec::new();
        render(&name, command, &mut page)?;
        std::fs::write(man.join(format!("{name}.1")), page)?;
    }
    Ok(())
}

/// The exit codes, as the contract fixes them.
const EXIT_STATUS: [(&str, &str); 4] = [
    ("0", "success"),
    (
        "1",
        "a runtime failure: connection, I/O, delivery, a filter's run-time error",
    ),
    ("2", "a usage error: a bad flag, value or filter expression"),
    ("3", "authentication refused by the provider"),
];

/// What `telev filter` adds to the exit codes, as jq does.
const FILTER_EXIT_STATUS: [(&str, &str); 3] = [
    ("1 (with -e)", "also when the last output was false or null"),
    ("4 (with -e)", "the expression printed nothing"),
    (
        "N",
        "halt_error(N) ended the run (5 for halt_error); halt ends it with 0",
    ),
];

/// The envelope's fields, as the README's table gives them.
const ENVELOPE: [(&str, &str); 12] = [
    (
        "provider",
        "cytracom, telphin, callcenter, teltel, ringcentral, or unknown",
    ),
    (
        "stream",
        "chan, queue or monitored for Cytracom; webhook for pushed events",
    ),
    ("type", "the provider's own event name, verbatim"),
    ("kind", "the normalized kind (KINDS below)"),
    (
        "time",
        "when the event happened, from the payload, RFC 3339 UTC with milliseconds; null if the payload has none",
    ),
    (
        "received",
        "when telev received it, RFC 3339 UTC with milliseconds",
    ),
    (
        "call_id",
        "the id tying one call's events together; null if none",
    ),
    ("direction", "inbound, outbound, internal or null"),
    ("from", "the caller's number as a string, or null"),
    ("to", "the callee's number as a string, or null"),
    (
        "raw",
        "the provider's payload as JSON (a form body becomes an object of strings)",
    ),
    (
        "wire",
        "what is needed to deliver the event again byte for byte",
    ),
];

/// A page: clap's sections (options in their groups), then EXAMPLES, ENVIRONMENT and NOTES
/// from the help's own, EXIT STATUS, FILES, and on telev's own page the envelope and the kinds table.
/// A word in backticks is set in bold.
fn render(name: &str, command: clap::Command, out: &mut impl Write) -> io::Result<()> {
    let after = command.get_after_long_help().map(|h| h.to_string());
    let after = after.as_deref().unwrap_or("");
    let (examples, environment) = split_after_help(after);
    let has_options = command.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = command.has_subcommands();
    let man = clap_mangen::Man::new(command);
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    if has_options {
        man.render_options_section(&mut page)?;
    }
    if has_subcommands {
        man.render_subcommands_section(&mut page)?;
    }
    let mut text = String::from_utf8_lossy(&page).into_owned();
    text.push_str(&verbatim("EXAMPLES", examples));
    text.push_str(&verbatim("ENVIRONMENT", environment));
    text.push_str(&notes(after));
    text.push_str(&definitions("EXIT STATUS", &EXIT_STATUS));
    if name == "telev-filter" {
        text.push_str(&definitions_more(&FILTER_EXIT_STATUS));
    }
    text.push_str(
        ".SH FILES\n.TP\n\\fI$XDG_CONFIG_HOME/telev/config.toml\\fR (\\fI~/.config/telev/config.toml\\fR)\n\
         The configuration file; \\fB\\-\\-config\\fR or \\fBTELEV_CONFIG\\fR name another. \
         \\fBtelev config\\fR shows which settings are in force and where each came from.\n",
    );
    if name == "telev" {
        text.push_str(&definitions("ENVELOPE", &ENVELOPE));
        text.push_str(&kinds_roff());
    }
    let mut version = Vec::new();
    man.render_version_section(&mut version)?;
    text.push_str(&String::from_utf8_lossy(&version));
    out.write_all(bold_backticks(&text).as_bytes())
}

/// The help's `Examples:` and `Environment:` paragraphs, without their headings.
fn split_after_help(after: &str) -> (&str, &str) {
    let body = |heading: &str| {
        let Some(start) = after.find(heading) else {
            return "";
        };
        let rest = &after[start + heading.len()..];
        rest.split("\n\n").next().unwrap_or("").trim_matches('\n')
    };
    let examples = match body("Examples:") {
        "" => body("Example:"),
        examples => examples,
    };
    (examples, body("Environment:"))
}

/// The help's other paragraphs (what a command masks, its rules, its limits) as NOTES,
/// lines kept as they are; nothing when there are none.
fn notes(after: &str) -> String {
    let headings = ["Examples:", "Example:", "Environment:"];
    let notes: Vec<&str> = after
        .split("\n\n")
        .map(|paragraph| paragraph.trim_matches('\n'))
        .filter(|paragraph| {
            !paragraph.is_empty() && !headings.iter().any(|h| paragraph.starts_with(h))
        })
        .collect();
    if notes.is_empty() {
        return String::new();
    }
    let body: Vec<String> = notes.join("\n\n").lines().map(roff).collect();
    format!(".SH NOTES\n.nf\n{}\n.fi\n", body.join("\n"))
}

/// A section of lines shown as they are (no filling), or nothing when there are none.
fn verbatim(heading: &str, lines: &str) -> String {
    if lines.trim().is_empty() {
        return String::new();
    }
    let body: Vec<String> = lines.lines().map(|l| roff(l.trim_start())).collect();
    format!(".SH {heading}\n.nf\n{}\n.fi\n", body.join("\n"))
}

/// A section of terms and what each means.
fn definitions(heading: &str, items: &[(&str, &str)]) -> String {
    format!(".SH {heading}\n{}", definitions_more(items))
}

/// Terms and what each means, under the section before.
fn definitions_more(items: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for (term, meaning) in items {
        text.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(term), roff(meaning)));
    }
    text
}

/// `word` as bold: the help's backticks are man formatting on a page.
fn bold_backticks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut parts = text.split('`');
    out.push_str(parts.next().unwrap_or(""));
    let mut open = true;
    for part in parts {
        // A backtick without its pair on the same line stays as it is.
        if open && part.contains('\n') {
            out.push('`');
            out.push_str(part);
            continue;
        }
        out.push_str(if open { "\\fB" } else { "\\fR" });
        out.push_str(part);
        open = !open;
    }
    out
}

/// What each provider's events become, as the README shows it (between its `kinds` markers).
pub fn kinds_markdown() -> String {
    let mut text = String::new();
    for provider in Provider::KNOWN.iter().copied() {
        text.push_str(&format!(
            "**{provider}** ({})\n\n| event | when | kind |\n|---|---|---|\n",
            provider.describe()
        ));
        for row in provider::events(provider) {
            let EventKind { name, when, kind } = row;
            text.push_str(&format!("| `{name}` | {when} | `{kind}` |\n"));
        }
        text.push_str("| anything else | | `other` |\n\n");
    }
    text
}

/// The kinds table as a man page section.
fn kinds_roff() -> String {
    let mut text = String::from(
        ".SH KINDS\nThe kind each provider event becomes (an event not named here is \\fBother\\fR). \
         \\fB\\-\\-only call.ended\\fR selects the end of every call, \\fBcall.missed\\fR only \
         the end of one nobody answered.\n",
    );
    for provider in Provider::KNOWN.iter().copied() {
        text.push_str(&format!(".SS {}\n", roff(provider.describe())));
        for EventKind { name, when, kind } in provider::events(provider) {
            let when = if when.is_empty() {
                String::new()
            } else {
                format!(" ({})", roff(when))
            };
            text.push_str(&format!(
                ".TP\n\\fB{}\\fR{when}\n{}\n",
                roff(name),
                roff(kind.as_str())
            ));
        }
    }
    text
}

/// Text as roff shows it verbatim: backslashes and hyphens escaped, no line read as a request.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    match escaped.starts_with(['.', '\'']) {
        true => format!("\\&{escaped}"),
        false => escaped,
    }
}

/// The completion script for `shell`.
pub fn completions(shell: Shell, out: &mut impl Write) {
    clap_complete::generate(shell, &mut Cli::command(), "telev", out);
}

/// The man page of telev (`None`) or of one of its commands; `None` when there is no such
/// command.
pub fn man(command: Option<&str>, out: &mut impl Write) -> io::Result<Option<()>> {
    let wanted = match command {
        Some(name) => format!("telev-{name}"),
        None => "telev".to_owned(),
    };
    let Some((_, page)) = pages().into_iter().find(|(name, _)| *name == wanted) else {
        return Ok(None);
    };
    render(&wanted, page, out)?;
    Ok(Some(()))
}

/// Every page: telev's, then one per command, named as `man` finds them (`telev-tail`).
fn pages() -> Vec<(String, clap::Command)> {
    let mut command = Cli::command();
    command.build();
    let mut pages = vec![("telev".to_owned(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("telev-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(name.replace('-', " "));
        pages.push((name, page));
    }
    pages
}
