//! `okr man`: the manual page (roff, `clap_mangen`) from the command line's
//! own definition; with `--dir`, one page per command as `cargo` and `git`
//! ship them (`okr.1`, `okr-check.1`, …).

use super::{write_stdout, Cli, Error, Outcome};
use crate::source::display_path;
use clap::CommandFactory;
use clap_mangen::Man;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub(super) struct Args {
    /// Write `okr.1` and a page per command (`okr-check.1`, …) into DIR instead of printing `okr.1`.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let Some(dir) = args.dir else {
        write_stdout(page(&cli)?)?;
        return Ok(Outcome::Clean);
    };
    std::fs::create_dir_all(&dir).map_err(|source| Error::Page {
        path: display_path(&dir),
        source,
    })?;
    let mut written = Vec::new();
    write_pages(&cli, &dir, &mut written)?;
    write_stdout(format!(
        "wrote {} manual pages in {}\n",
        written.len(),
        display_path(&dir)
    ))?;
    Ok(Outcome::Clean)
}

/// Writes the pages of `command` and its visible subcommands into `dir`.
fn write_pages(
    command: &clap::Command,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<(), Error> {
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        write_pages(sub, dir, written)?;
    }
    let path = dir.join(Man::new(command.clone()).get_filename());
    crate::write::atomic_write(&path, &page(command)?).map_err(|source| Error::Page {
        path: display_path(&path),
        source,
    })?;
    written.push(path);
    Ok(())
}

/// The roff page of `command`.
fn page(command: &clap::Command) -> Result<Vec<u8>, Error> {
    let mut roff = Vec::new();
    Man::new(command.clone())
        .render(&mut roff)
        .map_err(Error::Output)?;
    Ok(roff)
}
