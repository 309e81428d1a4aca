//! Command-line definitions (clap) and one module per subcommand. Only the binary sees
//! this module; it turns arguments into library options and exit statuses.

mod clean;
mod quality;
mod rules;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Parser, Subcommand};
use textscrub::{LoadOptions, RuleSet};

/// Clean scraped text: strip scraper artifacts, fix mangled names, and show every change
/// with the rule that made it.
///
/// Exit status: 0 success, 1 findings (`rules test` failures), 2 error (bad arguments,
/// unreadable input, a malformed rule file or input record).
#[derive(Debug, Parser)]
#[command(name = "textscrub", version, about, long_about)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Clean documents and write the cleaned text (or JSONL), optionally with a diff and
    /// change records.
    Clean(clean::CleanArgs),
    /// List, test or explain rules.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Summarise a corpus: documents kept and dropped by the quality rules, drops per rule,
    /// and the percentiles of every quality signal.
    Stats(stats::StatsArgs),
}

/// Which rules run; shared by every subcommand that loads rules.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct RuleArgs {
    /// Add a rule file, or a folder of `*.toml` rule files; repeatable, applied in order
    /// after the defaults.
    #[arg(long = "rules", value_name = "PATH", help_heading = "Rules")]
    rules: Vec<PathBuf>,
    /// Do not load the embedded default rules.
    #[arg(long, help_heading = "Rules")]
    no_default_rules: bool,
    /// Run only rules whose id matches one of these globs (`scraper/*`); repeatable.
    #[arg(long, value_name = "GLOB", help_heading = "Rules")]
    select: Vec<String>,
    /// Skip rules whose id matches one of these globs; repeatable.
    #[arg(long, value_name = "GLOB", help_heading = "Rules")]
    ignore: Vec<String>,
}

impl RuleArgs {
    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            default_rules: !self.no_default_rules,
            paths: self.rules.clone(),
        }
    }

    fn load(&self) -> anyhow::Result<RuleSet> {
        let mut rules = RuleSet::load(&self.load_options())?;
        rules.select(&self.select, &self.ignore)?;
        Ok(rules)
    }
}

/// How a command ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Nothing to report.
    Success,
    /// Findings (a failing rule test).
    Findings,
    /// Errors were reported on the way (bad records); the run went on.
    Error,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
            Status::Error => ExitCode::from(2),
        }
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<Status> {
    match args.command {
        Command::Clean(args) => clean::run(&args),
        Command::Rules(command) => rules::run(&command),
        Command::Stats(args) => stats::run(&args),
    }
}
