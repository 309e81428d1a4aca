//! `textscrub check`: report what `clean` would change, without writing anything, in a
//! form for people (`human`), machines (`json`), GitHub workflows (`github`) or
//! code-scanning tools (`sarif`). Exit 0 when nothing is found, 1 on findings, 2 on errors.

use std::io;
use std::path::PathBuf;
use textscrub::quality::Recipe;

use anyhow::bail;
use clap::{Args as ClapArgs, ValueEnum};
use textscrub::session::{self, CheckReport};
use textscrub::Layer;

use super::{ColorArgs, InputArgs, InputFormatArgs, RuleArgs, RunArgs, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// `path:line:col: rule-id message`, grouped per file, with a summary.
    Human,
    /// One JSON object per finding.
    Json,
    /// GitHub Actions workflow commands (`::warning file=…`), shown as annotations.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ShareOf {
    /// The share of documents that would change.
    Documents,
    /// The share of text bytes that would change.
    Text,
}

/// Options of `textscrub check`.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Exit status: 0 nothing found, 1 findings (or the budget exceeded), 2 usage or input error.

Examples:
  textscrub check scraped/                              findings as path:line:col: rule message
  textscrub check --format github scraped/              annotations in a GitHub workflow
  textscrub check --max-changed-share 0.05 scraped/     fail only if more than 5% of documents would change
  textscrub check --write-baseline base.json scraped/   record today's findings; then
  textscrub check --baseline base.json scraped/         fail only on new ones"
)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    input_format: InputFormatArgs,

    #[command(flatten)]
    rules: RuleArgs,

    /// Also report documents the quality rules would drop (as `clean --drop` would).
    #[arg(long, help_heading = "Report")]
    drop: bool,
    /// How findings are reported.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human, help_heading = "Report")]
    format: ReportFormat,
    /// Only count findings per rule.
    #[arg(long, help_heading = "Report")]
    statistics: bool,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long, help_heading = "Report")]
    exit_zero: bool,
    /// A budget for scheduled scrapes: exit 1 only when more than this share (0–1) of the
    /// documents (or of the text, with `--share-of text`) would change.
    #[arg(long, value_name = "SHARE", help_heading = "Report")]
    max_changed_share: Option<f64>,
    /// What `--max-changed-share` measures.
    #[arg(long, value_enum, default_value_t = ShareOf::Documents, help_heading = "Report")]
    share_of: ShareOf,
    /// Report, and fail on, only the findings this baseline (written by `--write-baseline`)
    /// does not hold: adopt the check on data that is not yet clean. Findings are matched
    /// by file, document, rule and text, not by line, so edits elsewhere do not renew them.
    #[arg(long, value_name = "FILE", help_heading = "Report")]
    baseline: Option<PathBuf>,
    /// Record every finding of this run in FILE as the baseline, and exit 0 on findings.
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Report",
        conflicts_with = "max_changed_share"
    )]
    write_baseline: Option<PathBuf>,
    #[command(flatten)]
    color: ColorArgs,

    #[command(flatten)]
    run: RunArgs,
}

pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<Status> {
    if let Some(share) = args.max_changed_share {
        if !(0.0..=1.0).contains(&share) {
            bail!("--max-changed-share must be between 0 and 1, got {share}");
        }
    }
    let mut session = args.run.session(
        args.rules.settings(Layer::default())?,
        args.input.read_options(args.input_format.input_format),
        &args.input.paths,
        args.drop.then_some(Recipe::ByLanguage),
        false,
        None,
    )?;
    // A baseline kept beside the data is not data.
    for path in [&args.baseline, &args.write_baseline].into_iter().flatten() {
        session.leave_out(path);
    }
    let report = CheckReport {
        format: match args.format {
            ReportFormat::Human => session::ReportFormat::Human,
            ReportFormat::Json => session::ReportFormat::Json,
            ReportFormat::Github => session::ReportFormat::Github,
            ReportFormat::Sarif => session::ReportFormat::Sarif,
        },
        statistics: args.statistics,
        color: args.color.enabled(),
        max_changed_share: args.max_changed_share,
        share_of_text: args.share_of == ShareOf::Text,
        baseline: args
            .baseline
            .as_deref()
            .map(session::baseline::Baseline::read)
            .transpose()?,
        write_baseline: args.write_baseline.clone(),
    };
    let mut reporter = args.run.reporter(session.inputs());
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = report.run(&session, &mut out, &mut reporter)?;
    let status = reporter.finish_quietly(&result.summary)?;
    if status == Status::Error {
        return Ok(status);
    }
    if let Some(path) = &args.write_baseline {
        super::say(&format!(
            "textscrub: recorded {} finding(s) in the baseline {}",
            result.findings + result.known,
            path.display()
        ));
    }
    if let Some(limit) = args.max_changed_share.filter(|_| result.failed) {
        super::say(&format!(
            "textscrub: {:.2}% would change, over the budget of {:.2}%",
            result.share * 100.0,
            limit * 100.0
        ));
    }
    Ok(if result.failed && !args.exit_zero {
        Status::Findings
    } else {
        Status::Success
    })
}
