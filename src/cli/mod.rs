//! Command-line definitions (clap) and one module per subcommand. Only the binary sees
//! this module; it turns arguments into library options and exit statuses.

mod check;
mod clean;
mod dedup;
mod discover;
mod fit;
mod quality_flags;
mod reference;
mod review;
mod rules;
mod split;
mod stats;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use textscrub::quality::Recipe;

use anyhow::Context;
use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use textscrub::io::{Format, Input, ReadOptions, RecordError};
use textscrub::report::RunSummary;
use textscrub::{Layer, Observer, RuleSet, RunOptions, Session, Settings};

/// Clean scraped text: strip scraper artifacts, fix mangled names, and show every change
/// with the rule that made it.
///
/// Exit status: 0 success, 1 findings (`check`, `rules test`), 2 error (bad arguments,
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
    /// Report what `clean` would change, without writing anything; exit 1 on findings.
    Check(check::CheckArgs),
    /// Split documents into sentences: one per line for text, `{"id", "sentences"}` lines
    /// for JSONL (other fields kept, same order).
    Split(split::SplitArgs),
    /// Write an HTML review page of every change (`review apply` reads the decisions
    /// exported from it).
    Review(review::ReviewArgs),
    /// List, test or explain rules.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Corpus-level passes that propose rules for a person to review: repeated template
    /// lines, name variants.
    #[command(subcommand)]
    Discover(discover::DiscoverCommand),
    /// Remove near-duplicate documents (MinHash, as datatrove and FineWeb-2 do), writing
    /// each removed one with the document it duplicates.
    Dedup(dedup::DedupArgs),
    /// Summarise a corpus: documents kept and dropped by the quality rules, drops per rule,
    /// and the percentiles of every quality signal.
    Stats(stats::StatsArgs),
    /// Write the book's generated reference pages and the man pages (for maintainers).
    #[command(hide = true)]
    GenerateReference(reference::ReferenceArgs),
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
    /// Also run rules whose id matches one of these globs, on top of the selection; it can
    /// switch on rules shipped off (`--extend-select 'c4/*'`). Repeatable.
    #[arg(long, value_name = "GLOB", help_heading = "Rules")]
    extend_select: Vec<String>,
    /// Skip rules whose id matches one of these globs; repeatable.
    #[arg(long, value_name = "GLOB", help_heading = "Rules")]
    ignore: Vec<String>,
    /// Project config file (default: the nearest textscrub.toml in the working directory
    /// or its parents). Command-line flags win over it.
    #[arg(long, value_name = "PATH", help_heading = "Rules")]
    config: Option<PathBuf>,
}

impl RuleArgs {
    /// The settings: the config file, with these flags (and the command's `other` flags)
    /// as the top layer.
    fn settings(&self, other: Layer) -> anyhow::Result<Settings> {
        let globs = |g: &Vec<String>| (!g.is_empty()).then(|| g.clone());
        let flags = Layer {
            rules: self.rules.clone(),
            default_rules: self.no_default_rules.then_some(false),
            select: globs(&self.select),
            extend_select: globs(&self.extend_select),
            ignore: globs(&self.ignore),
            ..Layer::default()
        };
        Ok(Settings::new(self.config.as_deref(), flags.merge(other))?)
    }

    /// The rules that would run.
    fn load(&self) -> anyhow::Result<RuleSet> {
        Ok(self.settings(Layer::default())?.load()?)
    }

    /// Every rule, before any selection: rules shipped off (`default = false`) included.
    fn load_unselected(&self) -> anyhow::Result<RuleSet> {
        Ok(self.settings(Layer::default())?.load_unselected()?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Each file (or standard input) is one document.
    Text,
    /// One JSON object per line; the text field is cleaned, every other field passes
    /// through.
    Jsonl,
    /// Apache Parquet: one document per row; the text column is cleaned, every other
    /// column passes through.
    Parquet,
}

impl FormatArg {
    pub(crate) fn format(self) -> Format {
        match self {
            FormatArg::Text => Format::Text,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Parquet => Format::Parquet,
        }
    }
}

/// Where documents come from; shared by the commands that read documents.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct InputArgs {
    /// Files or folders (searched recursively for .txt, .md, .jsonl, .json, optionally
    /// .gz or .zst, and .parquet); `-` or nothing reads standard input.
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// JSONL field (or Parquet column) holding the text; a dotted path reaches into nested
    /// JSONL objects.
    #[arg(
        long,
        default_value = "text",
        value_name = "FIELD",
        help_heading = "Input"
    )]
    text_field: String,
    /// JSONL field naming the document in diffs, change records and messages.
    #[arg(
        long,
        default_value = "id",
        value_name = "FIELD",
        help_heading = "Input"
    )]
    id_field: String,
}

impl InputArgs {
    /// Read options, with the input format the command's own flag gave.
    fn read_options(&self, format: Option<FormatArg>) -> ReadOptions {
        ReadOptions {
            format: format.map(FormatArg::format),
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            parquet_records: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Colour of output meant for people.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct ColorArgs {
    /// Colour removed and added text.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    color: ColorChoice,
}

impl ColorArgs {
    /// Whether to colour standard output.
    pub(crate) fn enabled(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// `--input-format`, for the commands whose `--format` names their report instead.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct InputFormatArgs {
    /// Input format; by default .jsonl/.json (and bare .gz/.zst) files are JSONL and
    /// everything else text.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = "Input")]
    input_format: Option<FormatArg>,
}

/// How a run behaves: threads, progress and the summary.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct RunArgs {
    /// Worker threads (default and most: one per core). Output is identical at any value.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar, no summary on standard error (warnings and errors still show).
    #[arg(short, long)]
    quiet: bool,
    /// Also write the run summary as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// Time every rule, and the quality and sentence stages, and add the times to the
    /// summary, costliest first: where a run's time goes (seconds on the worker threads,
    /// summed; `seconds_per_stage` in `--summary`'s JSON).
    #[arg(long)]
    timings: bool,
}

/// What a person sees while a run goes on: a progress bar on a terminal, warnings (the
/// first few), unreadable records; and the summary at the end.
pub(crate) struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    args: RunArgs,
    warnings: usize,
    /// The pass under way, for runs of several (`dedup`).
    stage: Option<String>,
}

/// Warnings printed one by one; the rest are counted.
const MAX_WARNINGS: usize = 10;

impl RunArgs {
    /// Builds the session for `paths` with these run options.
    fn session(
        &self,
        settings: Settings,
        read: ReadOptions,
        paths: &[PathBuf],
        quality: Option<Recipe>,
        sentences: bool,
        lid: Option<std::sync::Arc<textscrub::langid::LidModel>>,
    ) -> anyhow::Result<Session> {
        let (threads, lowered) = textscrub::io::worker_threads(self.jobs);
        if let (Some(requested), false) = (lowered, self.quiet) {
            eprintln!(
                "textscrub: note: --jobs {requested} lowered to {threads}, the number of cores"
            );
        }
        Ok(Session::new(
            settings,
            RunOptions {
                paths: paths.to_vec(),
                read,
                quality: quality.is_some(),
                recipe: quality.unwrap_or_default(),
                lid,
                sentences,
                jobs: self.jobs,
                time: self.timings,
            },
        )?)
    }

    /// The reporter for a run over `inputs`.
    fn reporter(&self, inputs: &[Input]) -> Reporter {
        // A bar only for a person watching: never in pipes, CI logs or with --quiet.
        let bar = (!self.quiet && std::io::stderr().is_terminal()).then(|| {
            let total: Option<u64> = inputs.iter().map(Input::size).sum();
            let bar = match total {
                Some(total) => indicatif::ProgressBar::new(total).with_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {msg}",
                    )
                    .expect("static template"),
                ),
                None => indicatif::ProgressBar::new_spinner().with_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {bytes} {bytes_per_sec} {msg}",
                    )
                    .expect("static template"),
                ),
            };
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
            bar
        });
        Reporter {
            bar,
            args: self.clone(),
            warnings: 0,
            stage: None,
        }
    }
}

impl Observer for Reporter {
    fn progress(&mut self, bytes_read: u64, documents: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes_read);
            match &self.stage {
                Some(stage) => bar.set_message(format!("{stage}: {documents} documents")),
                None => bar.set_message(format!("{documents} documents")),
            }
        }
    }

    /// Each pass over the inputs starts the bar again, named.
    fn stage(&mut self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.reset();
            bar.set_message(name.to_string());
        }
        self.stage = Some(name.to_string());
    }

    /// Past [`MAX_WARNINGS`] warnings are only counted, so a large corpus does not bury
    /// its summary (JSONL records carry the `guard` field either way).
    fn warning(&mut self, message: &str) {
        self.warnings += 1;
        if self.warnings <= MAX_WARNINGS {
            self.message(&format!("textscrub: warning: {message}"));
        }
    }

    fn record_error(&mut self, input: &Input, error: &RecordError) {
        let at = match error.line {
            0 => String::new(), // the input as a whole
            line => format!(":{line}"),
        };
        self.message(&format!(
            "textscrub: {}{at}: {}",
            input.name(),
            error.message
        ));
    }
}

impl Reporter {
    pub(crate) fn message(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| say(message)),
            None => say(message),
        }
    }

    /// Like [`Reporter::finish`] without the summary on standard error (for `check`,
    /// whose report is the summary).
    fn finish_quietly(mut self, summary: &RunSummary) -> anyhow::Result<Status> {
        self.args.quiet = true;
        self.finish(summary)
    }

    /// Prints and writes the summary; the status says whether errors happened.
    fn finish(mut self, summary: &RunSummary) -> anyhow::Result<Status> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.warnings > MAX_WARNINGS {
            say(&format!(
                "textscrub: {} more warning(s) not shown",
                self.warnings - MAX_WARNINGS
            ));
        }
        if !self.args.quiet {
            say(&summary.to_string());
        }
        if let Some(path) = &self.args.summary {
            let json = serde_json::to_string_pretty(summary)?;
            let mut file = textscrub::io::AtomicFile::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            std::io::Write::write_all(&mut file, json.as_bytes())?;
            file.commit()
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(if summary.errors > 0 {
            Status::Error
        } else {
            Status::Success
        })
    }
}

/// Prints a line on standard error. A closed standard error (`2>&1 | head`) is not worth
/// a panic: the line is dropped.
pub(crate) fn say(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// How a command ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Nothing to report.
    Success,
    /// Findings (`check` found changes, a rule test failed).
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
        Command::Check(args) => check::run(&args),
        Command::Split(args) => split::run(&args),
        Command::Rules(command) => rules::run(&command),
        Command::Stats(args) => stats::run(&args),
        Command::Dedup(args) => dedup::run(&args),
        Command::Discover(command) => discover::run(&command),
        Command::Review(args) => review::run(&args),
        Command::GenerateReference(args) => reference::run(&args),
    }
}
