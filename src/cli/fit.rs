//! `textscrub rules fit`: learn a line model from labelled pages.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args as ClapArgs;
use textscrub::rule::fit::{fit, read_labelled, FitOptions};

use super::Status;

/// Options of `textscrub rules fit`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Example:
  textscrub rules fit --labels fixtures/scraped-dev/labels.jsonl fixtures/scraped-dev/docs.jsonl -o rules/boilerplate.toml")]
pub(crate) struct FitArgs {
    /// Pages: `{\"id\", \"text\"}` JSONL.
    #[arg(value_name = "DOCS")]
    docs: PathBuf,
    /// Line labels: `{\"id\", \"line_labels\"}` JSONL, one label per line of the page's
    /// text (`1` content, `0` boilerplate, `null` blank or unknown).
    #[arg(long, value_name = "FILE")]
    labels: PathBuf,
    /// Write the rule file here (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Half-widths of the neighbourhood windows, in non-blank lines.
    #[arg(long, value_delimiter = ',', default_value = "4,16")]
    windows: Vec<usize>,
    /// Cross-validation folds (pages are assigned by position).
    #[arg(long, default_value_t = 5)]
    folds: usize,
}

pub(crate) fn run(args: &FitArgs) -> anyhow::Result<Status> {
    let pages = read_labelled(&args.docs, &args.labels)?;
    anyhow::ensure!(
        !pages.is_empty(),
        "no labelled page in {}",
        args.labels.display()
    );
    let options = FitOptions {
        windows: args.windows.clone(),
        folds: args.folds,
        ..FitOptions::default()
    };
    let fitted = fit(&pages, &options);
    let mut command = format!(
        "textscrub rules fit --labels {} {}",
        args.labels.display(),
        args.docs.display()
    );
    if args.windows != [4, 16] {
        let windows: Vec<String> = args.windows.iter().map(ToString::to_string).collect();
        command.push_str(&format!(" --windows {}", windows.join(",")));
    }
    if args.folds != 5 {
        command.push_str(&format!(" --folds {}", args.folds));
    }
    let file = fitted.rule_file(&pages, &command);
    eprintln!(
        "{} pages, {} boilerplate and {} content lines; {}-fold cross-validation by page:",
        fitted.counts.0, fitted.counts.1, fitted.counts.2, args.folds
    );
    eprintln!("threshold  boilerplate removed  content lost");
    for row in &fitted.report {
        eprintln!(
            "{:9.2}  {:18.1}%  {:11.2}%",
            row.threshold,
            row.recall * 100.0,
            row.content_lost * 100.0
        );
    }
    for (id, row) in &fitted.levels {
        eprintln!(
            "{id}: threshold {:.3}, {:.1}% removed, {:.2}% content lost",
            row.threshold,
            row.recall * 100.0,
            row.content_lost * 100.0
        );
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, file).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{file}"),
    }
    Ok(Status::Success)
}
