//! Shell completions and man pages, generated from the clap definition: written into the
//! repository (`completions/`, `man/`), and printed by `telev completions` and `telev man`
//! for a `cargo install` user.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

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
        clap_mangen::Man::new(command).render(&mut page)?;
        std::fs::write(man.join(format!("{name}.1")), page)?;
    }
    Ok(())
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
    clap_mangen::Man::new(page).render(out)?;
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
