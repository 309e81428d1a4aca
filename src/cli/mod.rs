//! Command-line definitions (clap) and one module per subcommand. Only the binary sees
//! this module; it turns arguments into library options and exit statuses.

mod check;
mod clean;
mod quality;
mod rules;
mod split;
mod stats;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::Context;
use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use std::collections::{HashMap, HashSet};

use textscrub::io::{Document, Format, Input, Progress, ReadOptions, RecordError};
use textscrub::report::Summary;
use textscrub::{Config, LoadOptions, Options, Outcome, Pipeline, RuleSet};

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

/// The rules and settings a run uses, with the config file applied.
pub(crate) struct Setup {
    config: Config,
    /// The pipeline variants: the first has every selected rule; the others skip the
    /// rules a `per-path-ignores` entry names.
    pipelines: Vec<Pipeline>,
    /// Input path → index into `pipelines` (absent: the first).
    chosen: HashMap<PathBuf, usize>,
    allow_ids: HashSet<String>,
}

impl Setup {
    /// The pipeline for documents of `input`.
    pub(crate) fn pipeline(&self, input: &Input) -> &Pipeline {
        let index = input
            .path
            .as_ref()
            .and_then(|p| self.chosen.get(p))
            .copied()
            .unwrap_or(0);
        &self.pipelines[index]
    }

    /// Cleans a document, unless its id is on the config's allow-list.
    pub(crate) fn run(&self, input: &Input, document: &Document) -> Outcome {
        if self.allow_ids.contains(&document.id) {
            return Outcome::unchanged(&document.text);
        }
        self.pipeline(input).run(&document.text)
    }

    /// The default sentence language: the flag, else the config, else English.
    pub(crate) fn lang(&self, flag: Option<&str>) -> String {
        flag.or(self.config.lang.as_deref())
            .unwrap_or("en")
            .to_string()
    }
}

impl RuleArgs {
    fn config(&self) -> anyhow::Result<Config> {
        Ok(match &self.config {
            Some(path) => Config::load(path)?,
            None => Config::discover(&std::env::current_dir()?)?,
        })
    }

    /// The effective rule set: defaults and config rules, then `--rules`, then the
    /// selection (flags win over the config).
    fn load_with(&self, config: &Config) -> anyhow::Result<RuleSet> {
        let mut rules = self.load_all(config)?;
        config.check_rule_globs(&rules)?;
        let select = if self.select.is_empty() {
            &config.select
        } else {
            &self.select
        };
        let ignore = if self.ignore.is_empty() {
            &config.ignore
        } else {
            &self.ignore
        };
        let extend = if self.extend_select.is_empty() {
            &config.extend_select
        } else {
            &self.extend_select
        };
        rules.select_extended(select, extend, ignore)?;
        Ok(rules)
    }

    fn load(&self) -> anyhow::Result<RuleSet> {
        self.load_with(&self.config()?)
    }

    /// Every rule, before any selection: rules shipped off (`default = false`) included.
    fn load_unselected(&self) -> anyhow::Result<RuleSet> {
        self.load_all(&self.config()?)
    }

    /// Defaults and config rules, then `--rules`, with the config's quality overrides.
    fn load_all(&self, config: &Config) -> anyhow::Result<RuleSet> {
        let mut paths = config.rules.clone();
        paths.extend(self.rules.iter().cloned());
        let mut rules = RuleSet::load(&LoadOptions {
            default_rules: !self.no_default_rules && config.default_rules.unwrap_or(true),
            paths,
        })?;
        config.apply_quality_overrides(&mut rules)?;
        Ok(rules)
    }

    /// Loads config and rules and compiles the pipelines for `inputs`.
    /// `quality` asks the pipelines to measure documents and apply the quality rules.
    fn setup(
        &self,
        inputs: &[Input],
        guard_share: Option<f64>,
        quality: bool,
    ) -> anyhow::Result<Setup> {
        let config = self.config()?;
        let rules = self.load_with(&config)?;
        let options = Options {
            guard_share: guard_share
                .or(config.guard_share)
                .unwrap_or(Options::default().guard_share),
            allow: config.allow.clone(),
            quality,
        };
        let mut pipelines = vec![Pipeline::new(rules.clone(), options.clone())];
        let mut variants: HashMap<Vec<String>, usize> = HashMap::new();
        let mut chosen = HashMap::new();
        for path in inputs.iter().filter_map(|i| i.path.as_ref()) {
            let ignores = config.ignores_for(path);
            if ignores.is_empty() {
                continue;
            }
            let index = match variants.get(&ignores) {
                Some(&index) => index,
                None => {
                    let mut subset = rules.clone();
                    subset.select(&[], &ignores)?;
                    pipelines.push(Pipeline::new(subset, options.clone()));
                    variants.insert(ignores, pipelines.len() - 1);
                    pipelines.len() - 1
                }
            };
            chosen.insert(path.clone(), index);
        }
        let allow_ids = config.allow_ids.iter().cloned().collect();
        Ok(Setup {
            config,
            pipelines,
            chosen,
            allow_ids,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Each file (or standard input) is one document.
    Text,
    /// One JSON object per line; the text field is cleaned, every other field passes
    /// through.
    Jsonl,
}

/// Where documents come from; shared by the commands that read documents.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct InputArgs {
    /// Files or folders (searched recursively for .txt, .md, .jsonl, .json, optionally
    /// .gz or .zst); `-` or nothing reads standard input.
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// JSONL field holding the text; a dotted path reaches into nested objects.
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
            format: format.map(|f| match f {
                FormatArg::Text => Format::Text,
                FormatArg::Jsonl => Format::Jsonl,
            }),
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
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
    /// Worker threads (default: one per core). Output is identical at any value.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar, no summary on standard error (warnings and errors still show).
    #[arg(short, long)]
    quiet: bool,
    /// Also write the run summary as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
}

/// The state of one run: the worker pool, progress display, summary and error count.
pub(crate) struct Run {
    progress: Progress,
    bar: Option<indicatif::ProgressBar>,
    summary: Summary,
    started: Instant,
    args: RunArgs,
    warnings: usize,
}

/// Warnings printed one by one; the rest are counted.
const MAX_WARNINGS: usize = 10;

impl RunArgs {
    /// Starts a run: the worker pool, the counters the driver updates, and the reporting
    /// state.
    fn start(&self, inputs: &[Input]) -> anyhow::Result<(rayon::ThreadPool, Progress, Run)> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs.unwrap_or(0))
            .build()
            .context("starting worker threads")?;
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
        let progress = Progress::default();
        let run = Run {
            progress: progress.clone(),
            bar,
            summary: Summary::default(),
            started: Instant::now(),
            args: self.clone(),
            warnings: 0,
        };
        Ok((pool, progress, run))
    }
}

impl Run {
    /// Updates the progress bar after a document.
    fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.progress.bytes_read.load(Ordering::Relaxed));
            bar.set_message(format!("{} documents", self.summary.documents));
        }
    }

    /// Counts a document that went through without rules (`split`).
    fn count(&mut self, text_len: usize) {
        self.summary.documents += 1;
        self.summary.text_bytes += text_len as u64;
        self.tick();
    }

    /// Prints a warning; past [`MAX_WARNINGS`] they are only counted, so a large corpus
    /// does not bury its summary (JSONL records carry the `guard` field either way).
    fn warn(&mut self, message: &str) {
        self.warnings += 1;
        if self.warnings <= MAX_WARNINGS {
            self.message(&format!("textscrub: warning: {message}"));
        }
    }

    /// Reports a record that could not be read; the run goes on and will exit 2.
    fn record_error(&mut self, input: &Input, error: &RecordError) {
        self.summary.errors += 1;
        self.message(&format!(
            "textscrub: {}:{}: {}",
            input.name(),
            error.line,
            error.message
        ));
    }

    fn message(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    /// Like [`Run::finish`] without the summary on standard error (for `check`, whose
    /// report is the summary).
    fn finish_quietly(mut self) -> anyhow::Result<Status> {
        self.args.quiet = true;
        self.finish()
    }

    /// Prints and writes the summary; the status says whether errors happened.
    fn finish(mut self) -> anyhow::Result<Status> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.warnings > MAX_WARNINGS {
            eprintln!(
                "textscrub: {} more warning(s) not shown",
                self.warnings - MAX_WARNINGS
            );
        }
        self.summary.finish(self.started.elapsed());
        if !self.args.quiet {
            eprintln!("{}", self.summary);
        }
        if let Some(path) = &self.args.summary {
            let json = serde_json::to_string_pretty(&self.summary)?;
            let mut file = textscrub::io::AtomicFile::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            std::io::Write::write_all(&mut file, json.as_bytes())?;
            file.commit()
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(if self.summary.errors > 0 {
            Status::Error
        } else {
            Status::Success
        })
    }
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
    }
}
