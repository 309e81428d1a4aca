//! `textscrub generate-reference DIR` (hidden): the book's generated pages and the man pages,
//! from the clap definitions and the library. `tests/cli/reference.rs` fails when the
//! committed files differ from what this writes.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::CommandFactory;

use super::{Args, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct ReferenceArgs {
    /// The book's folder (`docs`): pages go to `src/reference/`, man pages to `man/`.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub(crate) fn run(args: &ReferenceArgs) -> anyhow::Result<Status> {
    let reference = args.dir.join("src/reference");
    let man = args.dir.join("man");
    for dir in [&reference, &man] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write(
        &reference.join("cli.md"),
        &textscrub::reference::cli_page(&Args::command()),
    )?;
    write(
        &reference.join("rules.md"),
        &textscrub::reference::rules_page()?,
    )?;
    write(
        &reference.join("quality.md"),
        &textscrub::reference::quality_page(),
    )?;
    write(
        &reference.join("man.md"),
        &textscrub::reference::man_page(&Args::command()),
    )?;
    // One page per command, `textscrub-rules-list.1` for `textscrub rules list`.
    clap_mangen::generate_to(Args::command(), &man)
        .with_context(|| format!("writing man pages into {}", man.display()))?;
    Ok(Status::Success)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
