//! Shell completions and man pages, generated from the clap definition.

use std::io;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Writes `completions/` and `man/` under `root`.
pub fn write_all(root: &Path) -> io::Result<()> {
    let completions = root.join("completions");
    std::fs::create_dir_all(&completions)?;
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        clap_complete::generate_to(shell, &mut Cli::command(), "telev", &completions)?;
    }
    let man = root.join("man");
    std::fs::create_dir_all(&man)?;
    let mut command = Cli::command();
    command.build();
    write_page(&man, "telev", command.clone())?;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("telev-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .bin_name(name.replace('-', " "));
        write_page(&man, &name, sub)?;
    }
    Ok(())
}

fn write_page(dir: &Path, name: &str, command: clap::Command) -> io::Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    std::fs::write(dir.join(format!("{name}.1")), page)
}
