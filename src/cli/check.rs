//! `textscrub check`: report what `clean` would change, without writing anything, in a
//! form for people (`human`), machines (`json`), GitHub workflows (`github`) or
//! code-scanning tools (`sarif`). Exit 0 when nothing is found, 1 on findings, 2 on errors.

use std::collections::BTreeMap;
use std::io::{self, Write};

use anyhow::bail;
use clap::{Args as ClapArgs, ValueEnum};
use serde::Serialize;
use serde_json::json;
use textscrub::io::{drive, expand_inputs, Document, Event};
use textscrub::{diff, Change, Outcome, Pipeline};

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
  textscrub check --max-changed-share 0.05 scraped/     fail only if more than 5% of documents would change"
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
    #[command(flatten)]
    color: ColorArgs,

    #[command(flatten)]
    run: RunArgs,
}

/// One change `clean` would make, located for the user. The `json` format is this type
/// serialized, so it cannot drift from the other formats.
#[derive(Debug, Clone, Serialize)]
struct Finding {
    /// The input file (`<stdin>` for standard input).
    path: String,
    /// For JSONL input, the record's line in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<usize>,
    /// The document id (the path for text files).
    id: String,
    /// The rule that would make the change.
    rule: String,
    /// 1-based line in the document text.
    line: usize,
    /// 1-based column (characters) in the document text.
    column: usize,
    /// Byte range in the document text.
    start: usize,
    /// End of the byte range.
    end: usize,
    /// The text the rule would replace.
    before: String,
    /// Its replacement.
    after: String,
    /// A one-line description.
    message: String,
}

/// What one document contributes.
struct Checked {
    findings: Vec<Finding>,
    changed_bytes: usize,
}

pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<Status> {
    if let Some(share) = args.max_changed_share {
        if !(0.0..=1.0).contains(&share) {
            bail!("--max-changed-share must be between 0 and 1, got {share}");
        }
    }
    let inputs = expand_inputs(&args.input.paths)?;
    let setup = args.rules.setup(&inputs, None, args.drop)?;
    let color = args.color.enabled();
    let (pool, progress, mut run) = args.run.start(&inputs)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    let (mut documents, mut affected, mut text_bytes, mut changed_bytes) =
        (0usize, 0usize, 0usize, 0usize);
    let mut sarif_results = Vec::new();
    let mut last_path: Option<String> = None;
    drive(
        &inputs,
        &args.input.read_options(args.input_format.input_format),
        &pool,
        &progress,
        |input, document| check_document(&setup.run(input, document), document),
        |event| -> anyhow::Result<()> {
            let Event::Item(input, item) = event else {
                return Ok(());
            };
            let (document, checked) = match item {
                Ok(pair) => pair,
                Err(error) => {
                    run.record_error(input, &error);
                    return Ok(());
                }
            };
            run.count(document.text.len());
            documents += 1;
            text_bytes += document.text.len();
            changed_bytes += checked.changed_bytes;
            if !checked.findings.is_empty() {
                affected += 1;
            }
            for mut finding in checked.findings {
                finding.path = input.name();
                *per_rule.entry(finding.rule.clone()).or_default() += 1;
                if args.statistics {
                    continue;
                }
                match args.format {
                    ReportFormat::Human => {
                        if last_path.as_deref() != Some(finding.path.as_str()) {
                            if last_path.is_some() {
                                writeln!(out)?;
                            }
                            last_path = Some(finding.path.clone());
                        }
                        writeln!(out, "{}", human(&finding, color))?;
                    }
                    ReportFormat::Json => writeln!(out, "{}", serde_json::to_string(&finding)?)?,
                    ReportFormat::Github => writeln!(out, "{}", github(&finding))?,
                    ReportFormat::Sarif => sarif_results.push(sarif_result(&finding)),
                }
            }
            Ok(())
        },
    )?;
    let findings: usize = per_rule.values().sum();
    match args.format {
        ReportFormat::Sarif => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&sarif(setup.pipeline(&inputs[0]), sarif_results))?
        )?,
        ReportFormat::Human | ReportFormat::Json | ReportFormat::Github if args.statistics => {
            for (rule, count) in &per_rule {
                writeln!(out, "{count:>8}  {rule}")?;
            }
        }
        _ => {}
    }
    if args.format == ReportFormat::Human && !args.statistics && findings > 0 {
        let rules: Vec<String> = per_rule
            .iter()
            .map(|(rule, n)| format!("{n} {rule}"))
            .collect();
        writeln!(
            out,
            "\n{findings} finding(s) in {affected} of {documents} document(s): {}",
            rules.join(", ")
        )?;
    }
    out.flush()?;
    let status = run.finish_quietly()?;
    if status == super::Status::Error {
        return Ok(status);
    }
    let over_budget = match args.max_changed_share {
        None => findings > 0,
        Some(limit) => {
            let share = match args.share_of {
                ShareOf::Documents => ratio(affected, documents),
                ShareOf::Text => ratio(changed_bytes, text_bytes),
            };
            if share > limit {
                eprintln!(
                    "textscrub: {:.2}% would change, over the budget of {:.2}%",
                    share * 100.0,
                    limit * 100.0
                );
            }
            share > limit
        }
    };
    Ok(if over_budget && !args.exit_zero {
        Status::Findings
    } else {
        Status::Success
    })
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn check_document(outcome: &Outcome, document: &Document) -> Checked {
    let changed_bytes = outcome
        .changes
        .iter()
        .map(|c| (c.end - c.start).max(c.after.len()))
        .sum();
    let record = document.record.as_ref().map(|_| document.line);
    let mut findings: Vec<Finding> = outcome
        .changes
        .iter()
        .map(|change| finding(document, record, change))
        .collect();
    // What check-only rules report, with their suggestion as the replacement.
    findings.extend(outcome.findings.iter().map(|flagged| Finding {
        path: String::new(),
        record,
        id: document.id.clone(),
        rule: flagged.rule.to_string(),
        line: flagged.line,
        column: flagged.column,
        start: flagged.start,
        end: flagged.end,
        before: flagged.text.clone(),
        after: flagged.suggestion.clone().unwrap_or_default(),
        message: match &flagged.suggestion {
            Some(suggestion) => format!("{} (maybe {})", flagged.message, quote(suggestion)),
            None => flagged.message.clone(),
        },
    }));
    // Documents the quality rules would drop, one finding per failed rule.
    if let Some(quality) = outcome.quality.as_ref().filter(|q| !q.is_kept()) {
        findings.extend(quality.reasons.iter().map(|reason| Finding {
            path: String::new(),
            record,
            id: document.id.clone(),
            rule: reason.rule.to_string(),
            line: 1,
            column: 1,
            start: 0,
            end: document.text.len(),
            before: String::new(),
            after: String::new(),
            message: format!(
                "would drop the document: {} = {:.4} (keeps {} {})",
                reason.threshold.signal,
                reason.value,
                reason.threshold.signal,
                reason.threshold.bound
            ),
        }));
    }
    // Rules run in order, but a reader wants the document top to bottom.
    findings.sort_by_key(|f| (f.start, f.end));
    Checked {
        findings,
        changed_bytes,
    }
}

fn finding(document: &Document, record: Option<usize>, change: &Change) -> Finding {
    Finding {
        path: String::new(),
        record,
        id: document.id.clone(),
        rule: change.rule.to_string(),
        line: change.line,
        column: change.column,
        start: change.start,
        end: change.end,
        before: change.before.clone(),
        after: change.after.clone(),
        message: message(&change.before, &change.after),
    }
}

fn message(before: &str, after: &str) -> String {
    match (before.is_empty(), after.is_empty()) {
        (_, true) => format!("removes {}", quote(before)),
        (true, false) => format!("inserts {}", quote(after)),
        (false, false) => format!("replaces {} with {}", quote(before), quote(after)),
    }
}

/// A short, single-line, quoted excerpt.
fn quote(text: &str) -> String {
    const MAX: usize = 60;
    let text = text.trim_end_matches('\n');
    let mut excerpt: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        excerpt.push('…');
    }
    format!("{:?}", excerpt)
}

/// Where a finding is: `path:line:col` for text files; for JSONL the record's line and
/// the document id, then the position inside its text.
fn location(finding: &Finding) -> String {
    match finding.record {
        None => format!("{}:{}:{}", finding.path, finding.line, finding.column),
        Some(record) => format!(
            "{}:{record}: {}:{}:{}",
            finding.path, finding.id, finding.line, finding.column
        ),
    }
}

fn human(finding: &Finding, color: bool) -> String {
    let location = location(finding);
    if !color {
        return format!("{location}: {} {}", finding.rule, finding.message);
    }
    let before = diff::sanitize(&finding.before);
    let after = diff::sanitize(&finding.after);
    format!(
        "\x1b[1m{location}:\x1b[0m \x1b[33m{}\x1b[0m \x1b[31m{}\x1b[0m → \x1b[32m{}\x1b[0m",
        finding.rule,
        quote(&before),
        quote(&after)
    )
}

/// A GitHub Actions `::warning` command; values are escaped as the runner expects.
fn github(finding: &Finding) -> String {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let line = finding.record.unwrap_or(finding.line);
    let column = if finding.record.is_some() {
        1
    } else {
        finding.column
    };
    let where_ = if finding.record.is_some() {
        format!(
            " (document {} {}:{})",
            finding.id, finding.line, finding.column
        )
    } else {
        String::new()
    };
    format!(
        "::warning file={},line={line},col={column},title={}::{}{}",
        property(&finding.path),
        property(&finding.rule),
        data(&finding.message),
        data(&where_)
    )
}

fn sarif_result(finding: &Finding) -> serde_json::Value {
    let (line, column) = match finding.record {
        Some(record) => (record, 1),
        None => (finding.line, finding.column),
    };
    json!({
        "ruleId": finding.rule,
        "level": "warning",
        "message": { "text": format!("{} ({} {}:{})", finding.message, finding.id, finding.line, finding.column) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": finding.path },
                "region": { "startLine": line, "startColumn": column }
            }
        }],
        "properties": { "id": finding.id, "before": finding.before, "after": finding.after }
    })
}

fn sarif(pipeline: &Pipeline, results: Vec<serde_json::Value>) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = pipeline
        .rules()
        .iter()
        .map(|rule| json!({ "id": rule.id, "shortDescription": { "text": rule.description } }))
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "textscrub",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    })
}
