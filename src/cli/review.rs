//! `textscrub review`: the HTML review page of a run, and `review apply` for the
//! decisions exported from it. Thin: the page and the decisions are `textscrub::review`.

use std::path::{Path, PathBuf};
use textscrub::quality::Recipe;

use anyhow::bail;
use clap::{Args as ClapArgs, Subcommand};
use textscrub::io::Input;
use textscrub::review::{self, decisions, ReviewOptions, ReviewOutput, DEFAULT_MAX_DOCS};
use textscrub::{Config, Layer, Settings};

use super::split::LangArgs;
use super::{FormatArg, InputArgs, RuleArgs, RunArgs, Status};

/// Options of `textscrub review`.
#[derive(Debug, ClapArgs)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  textscrub review fixtures/seeds/input -o review.html   a page of every change; open it in a browser
  textscrub review apply decisions.json                  turn the page's exported decisions into config and rule tests"
)]
pub(crate) struct ReviewArgs {
    #[command(subcommand)]
    action: Option<ReviewAction>,
    #[command(flatten)]
    input: InputArgs,
    /// Input format; by default .jsonl/.json (and bare .gz/.zst) files are JSONL and
    /// everything else text.
    #[arg(long, value_enum, help_heading = "Input")]
    format: Option<FormatArg>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Where to write the page.
    #[arg(
        short,
        long,
        value_name = "FILE",
        default_value = "review.html",
        help_heading = "Output"
    )]
    output: PathBuf,
    #[command(flatten)]
    page: PageArgs,
    /// Show the sentences of each cleaned document.
    #[arg(long, help_heading = "Output")]
    sentences: bool,
    #[command(flatten)]
    lang: LangArgs,
    /// Flag documents that lost more than this share of their words to the rules
    /// [default: 0.05, or `guard-share` in the config].
    #[arg(long, value_name = "SHARE", help_heading = "Output")]
    guard_share: Option<f64>,
    /// Measure quality: show each document's verdict and list the dropped ones.
    #[arg(long, help_heading = "Quality")]
    quality: bool,
    #[command(flatten)]
    run: RunArgs,
}

/// The page options shared by `review` and `clean --review`.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct PageArgs {
    /// Embed at most this many documents in the review page; past it, a sample in which
    /// every rule keeps examples (the page says so).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DOCS, help_heading = "Review page")]
    max_docs: usize,
}

impl PageArgs {
    /// The page to write at `path` for a run over `inputs`.
    pub(crate) fn output(&self, path: &Path, inputs: &[Input]) -> ReviewOutput {
        let mut names: Vec<String> = inputs.iter().map(Input::name).collect();
        if names.len() > 3 {
            let more = names.len() - 3;
            names.truncate(3);
            names.push(format!("and {more} more"));
        }
        ReviewOutput {
            path: path.to_path_buf(),
            options: ReviewOptions {
                max_docs: self.max_docs,
                title: format!("textscrub review: {}", names.join(", ")),
            },
        }
    }
}

#[derive(Debug, Subcommand)]
enum ReviewAction {
    /// Apply decisions exported from a review page: changes marked wrong become `allow`
    /// phrases in the config and "must leave alone" tests in their rule's file, changes
    /// marked right become tests of the rule's output, documents left alone go to
    /// `allow-ids`.
    Apply(ApplyArgs),
}

#[derive(Debug, ClapArgs)]
struct ApplyArgs {
    /// The file the page's "Export decisions" button saved.
    #[arg(value_name = "DECISIONS")]
    decisions: PathBuf,
    #[command(flatten)]
    rules: RuleArgs,
    /// Where the embedded default rules live as files (`rules/*.toml` below it: a
    /// textscrub checkout), to add their test cases there; otherwise they are printed.
    #[arg(long, value_name = "DIR", default_value = ".")]
    default_rules_root: PathBuf,
}

pub(crate) fn run(args: &ReviewArgs) -> anyhow::Result<Status> {
    if let Some(ReviewAction::Apply(apply)) = &args.action {
        return run_apply(apply);
    }
    if let Some(share) = args.guard_share.filter(|s| !(0.0..=1.0).contains(s)) {
        bail!("--guard-share must be between 0 and 1, got {share}");
    }
    let settings = args.rules.settings(Layer {
        guard_share: args.guard_share,
        lang: args.lang.lang.clone(),
        ..Layer::default()
    })?;
    let session = args.run.session(
        settings,
        args.input.read_options(args.format),
        &args.input.paths,
        args.quality.then_some(Recipe::ByLanguage),
        args.sentences,
        None,
    )?;
    let page = args.page.output(&args.output, session.inputs());
    let mut reporter = args.run.reporter(session.inputs());
    let (review, summary) =
        textscrub::session::review::collect(&session, page.options, &mut reporter)?;
    let status = reporter.finish(&summary)?;
    if status == Status::Error {
        eprintln!("textscrub: the review page was not written: some inputs had errors");
        return Ok(status);
    }
    review::write(review, &page.path)?;
    Ok(status)
}

fn run_apply(args: &ApplyArgs) -> anyhow::Result<Status> {
    let decisions = decisions::Decisions::read(&args.decisions)?;
    // A config named with --config may not exist yet: it is created.
    let settings = match &args.rules.config {
        Some(path) if !path.exists() => {
            let mut config = Config::default();
            config.path = Some(path.clone());
            let flags = Layer {
                rules: args.rules.rules.clone(),
                default_rules: args.rules.no_default_rules.then_some(false),
                ..Layer::default()
            };
            Settings::from_config(config, flags)
        }
        _ => args.rules.settings(Layer::default())?,
    };
    let config_path = settings
        .config
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from("textscrub.toml"));
    let rules = settings.load_unselected()?;
    let applied = decisions::apply(
        &decisions,
        &config_path,
        &rules,
        Some(&args.default_rules_root),
    )?;
    for phrase in &applied.allow {
        println!("{}: allow {phrase:?}", config_path.display());
    }
    for id in &applied.allow_ids {
        println!("{}: allow-ids {id:?}", config_path.display());
    }
    for (rule, path, input, output) in &applied.tests {
        match output {
            None => println!("{}: {rule}: must leave {input:?} alone", path.display()),
            Some(output) => println!("{}: {rule}: {input:?} -> {output:?}", path.display()),
        }
    }
    for skipped in &applied.skipped {
        eprintln!("textscrub: not applied: {skipped}");
    }
    if applied.written.is_empty() {
        eprintln!("textscrub: nothing to change");
    } else {
        let written: Vec<String> = applied
            .written
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!(
            "textscrub: updated {}; `textscrub rules test` runs the new cases",
            written.join(", ")
        );
    }
    Ok(Status::Success)
}
