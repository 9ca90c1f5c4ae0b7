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

/// A page as clap renders it; telev's own ends with the kinds table.
fn render(name: &str, command: clap::Command, out: &mut impl Write) -> io::Result<()> {
    clap_mangen::Man::new(command).render(out)?;
    if name == "telev" {
        out.write_all(kinds_roff().as_bytes())?;
    }
    Ok(())
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
                format!(" ({})", roff(&when.replace('`', "")))
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
