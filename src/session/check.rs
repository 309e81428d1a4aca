//! The check job: what `clean` would change or drop, located for a person (`human`), a
//! machine (`json`), a GitHub workflow (`github`) or a code-scanning tool (`sarif`), and
//! whether it is over the budget.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use serde::Serialize;
use serde_json::json;

use super::baseline::{path_key, Baseline};
use super::{Observer, Session};
use crate::diff;
use crate::error::Error;
use crate::io::{Document, Event};
use crate::pipeline::Change;
use crate::pipeline::Pipeline;
use crate::pipeline::{Outcome, Stage};
use crate::position::Span;
use crate::report::RunSummary;

/// How findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// `path:line:col: rule-id message`, grouped per file, with a summary.
    #[default]
    Human,
    /// One JSON object per finding.
    Json,
    /// GitHub Actions workflow commands (`::warning file=…`), shown as annotations.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// How a check run reports and what counts as failing.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// The report's form.
    pub format: ReportFormat,
    /// Only count findings per rule.
    pub statistics: bool,
    /// Colour the human report.
    pub color: bool,
    /// Fail only when more than this share (0–1) would change.
    pub max_changed_share: Option<f64>,
    /// Measure that share over text bytes instead of documents.
    pub share_of_text: bool,
    /// Findings already known: left out of the report and of what fails.
    pub baseline: Option<Baseline>,
    /// Record every finding of the run here (a new baseline).
    pub write_baseline: Option<std::path::PathBuf>,
}

/// The outcome of a check run.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The run summary.
    pub summary: RunSummary,
    /// Findings in all.
    pub findings: usize,
    /// The share that would change, as [`CheckReport::max_changed_share`] measures it.
    pub share: f64,
    /// True when the findings fail the check (any finding, or over the budget).
    pub failed: bool,
    /// Findings left out because the baseline holds them.
    pub known: usize,
}

impl CheckReport {
    /// Checks every document of `session` and writes the report to `out`.
    pub fn run(
        &self,
        session: &Session,
        out: &mut dyn Write,
        observer: &mut dyn Observer,
    ) -> Result<CheckResult, Error> {
        let io = |source| Error::Output {
            context: "writing the report".into(),
            source,
        };
        let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
        let (mut affected, mut changed_bytes) = (0usize, 0usize);
        let mut sarif_results = Vec::new();
        let mut last_path: Option<String> = None;
        let mut baseline = self.baseline.clone();
        let mut recorded = self.write_baseline.as_ref().map(|_| Baseline::default());
        let mut known = 0;
        let mut summary = session.run(
            observer,
            |input, document| check_document(session.clean(input, document), document),
            |event, summary: &mut RunSummary, _: &mut dyn Observer| -> Result<(), Error> {
                let Event::Item(input, Ok((document, checked))) = event else {
                    return Ok(());
                };
                summary.documents += 1;
                summary.text_bytes += document.text.len() as u64;
                summary.add_time(&checked.time);
                changed_bytes += checked.changed_bytes;
                if baseline.is_some() || recorded.is_some() {
                    let path = path_key(input);
                    if let Some(recorded) = recorded.as_mut() {
                        for finding in &checked.findings {
                            recorded.add(&path, finding);
                        }
                    }
                    if let Some(baseline) = baseline.as_mut() {
                        let before = checked.findings.len();
                        checked.findings.retain(|f| !baseline.take(&path, f));
                        known += before - checked.findings.len();
                    }
                }
                if !checked.findings.is_empty() {
                    affected += 1;
                }
                for mut finding in std::mem::take(&mut checked.findings) {
                    finding.path = input.name();
                    *per_rule.entry(finding.rule.clone()).or_default() += 1;
                    if self.statistics {
                        continue;
                    }
                    match self.format {
                        ReportFormat::Human => {
                            if last_path.as_deref() != Some(finding.path.as_str()) {
                                if last_path.is_some() {
                                    writeln!(out).map_err(io)?;
                                }
                                last_path = Some(finding.path.clone());
                            }
                            writeln!(out, "{}", human(&finding, self.color)).map_err(io)?;
                        }
                        ReportFormat::Json => writeln!(
                            out,
                            "{}",
                            serde_json::to_string(&finding).expect("a finding serializes")
                        )
                        .map_err(io)?,
                        ReportFormat::Github => {
                            writeln!(out, "{}", github(&finding)).map_err(io)?
                        }
                        ReportFormat::Sarif => sarif_results.push(sarif_result(&finding)),
                    }
                }
                Ok(())
            },
        )?;
        let findings: usize = per_rule.values().sum();
        match self.format {
            ReportFormat::Sarif => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&sarif(session.main_pipeline(), sarif_results))
                    .expect("a SARIF log serializes")
            )
            .map_err(io)?,
            ReportFormat::Json if self.statistics => writeln!(
                out,
                "{}",
                serde_json::to_string(&per_rule).expect("counts serialize")
            )
            .map_err(io)?,
            ReportFormat::Human | ReportFormat::Github if self.statistics => {
                for (rule, count) in &per_rule {
                    writeln!(out, "{count:>8}  {rule}").map_err(io)?;
                }
            }
            _ => {}
        }
        let documents = summary.documents as usize;
        let in_baseline = if known > 0 {
            format!(" ({known} more in the baseline)")
        } else {
            String::new()
        };
        if self.format == ReportFormat::Human && !self.statistics && findings == 0 {
            // Clean data says so, in one line.
            let what = if known > 0 {
                "no new findings"
            } else {
                "no findings"
            };
            writeln!(
                out,
                "{what} in {} document(s){in_baseline}",
                summary.documents
            )
            .map_err(io)?;
        }
        if self.format == ReportFormat::Human && !self.statistics && findings > 0 {
            let rules: Vec<String> = per_rule
                .iter()
                .map(|(rule, n)| format!("{n} {rule}"))
                .collect();
            let new = if self.baseline.is_some() { " new" } else { "" };
            writeln!(
                out,
                "\n{findings}{new} finding(s) in {affected} of {documents} document(s): {}{in_baseline}",
                rules.join(", ")
            )
            .map_err(io)?;
        }
        out.flush().map_err(io)?;
        summary.changed = affected as u64;
        // The summary (`--summary`) splits the counts as `clean`'s does: changes, and what
        // check-only rules report; quality drops are counted as findings only.
        let roles: BTreeMap<&str, crate::rule::Role> = session
            .main_pipeline()
            .rules()
            .iter()
            .map(|r| (r.id.as_str(), r.kind.role()))
            .collect();
        for (rule, count) in &per_rule {
            match roles.get(rule.as_str()) {
                Some(crate::rule::Role::Flags) => {
                    summary
                        .findings_per_rule
                        .insert(rule.clone(), *count as u64);
                }
                Some(crate::rule::Role::Judges) => {}
                _ => {
                    summary.changes_per_rule.insert(rule.clone(), *count as u64);
                }
            }
        }
        let share = if self.share_of_text {
            ratio(changed_bytes, summary.text_bytes as usize)
        } else {
            ratio(affected, documents)
        };
        let failed = match self.max_changed_share {
            // What the run records as the baseline is known from now on.
            None => findings > 0 && recorded.is_none(),
            Some(limit) => share > limit,
        };
        if let (Some(recorded), Some(path)) = (&recorded, &self.write_baseline) {
            if summary.errors == 0 {
                recorded.write(path)?;
            }
        }
        Ok(CheckResult {
            summary,
            findings,
            share,
            failed,
            known,
        })
    }
}

/// One change `clean` would make (or a flagged word, or a drop), located for the user. The `json` format is this type
/// serialized, so it cannot drift from the other formats.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// The input file (`<stdin>` for standard input).
    pub path: String,
    /// For JSONL input, the record's line in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<usize>,
    /// The document id (the path for text files).
    pub id: String,
    /// The rule that would make the change.
    pub rule: String,
    /// Where the change sits in the document text.
    #[serde(flatten)]
    pub span: Span,
    /// The text the rule would replace.
    pub before: String,
    /// Its replacement.
    pub after: String,
    /// A one-line description.
    pub message: String,
}

/// What one document contributes.
struct Checked {
    findings: Vec<Diagnostic>,
    changed_bytes: usize,
    time: Vec<(Stage, Duration)>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn check_document(outcome: Outcome, document: &Document) -> Checked {
    let changed_bytes = outcome
        .changes
        .iter()
        .map(|c| c.span.range().len().max(c.after.len()))
        .sum();
    let record = document.record.as_ref().map(|_| document.line);
    let mut findings: Vec<Diagnostic> = outcome
        .changes
        .iter()
        .map(|change| finding(document, record, change))
        .collect();
    // What check-only rules report, with their suggestion as the replacement.
    findings.extend(outcome.findings.iter().map(|flagged| Diagnostic {
        path: String::new(),
        record,
        id: document.id.clone(),
        rule: flagged.rule.to_string(),
        span: flagged.span,
        before: flagged.text.clone(),
        after: flagged.suggestion.clone().unwrap_or_default(),
        message: match &flagged.suggestion {
            Some(suggestion) => format!("{} (maybe {})", flagged.message, quote(suggestion)),
            None => flagged.message.clone(),
        },
    }));
    // Documents the quality rules would drop, one finding per failed rule.
    if let Some(quality) = outcome.quality.as_ref().filter(|q| !q.is_kept()) {
        findings.extend(quality.reasons.iter().map(|reason| Diagnostic {
            path: String::new(),
            record,
            id: document.id.clone(),
            rule: reason.rule.to_string(),
            span: Span {
                start: 0,
                end: document.text.len(),
                line: 1,
                column: 1,
            },
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
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    Checked {
        findings,
        changed_bytes,
        time: outcome.time,
    }
}

fn finding(document: &Document, record: Option<usize>, change: &Change) -> Diagnostic {
    Diagnostic {
        path: String::new(),
        record,
        id: document.id.clone(),
        rule: change.rule.to_string(),
        span: change.span,
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
    // A deleted line's own line break goes unsaid; removed line breaks alone are shown.
    let trimmed = text.trim_end_matches('\n');
    let text = if trimmed.is_empty() { text } else { trimmed };
    let mut excerpt: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        excerpt.push('…');
    }
    format!("{:?}", excerpt)
}

/// Where a finding is: `path:line:col` for text files; for JSONL the record's line and
/// the document id, then the position inside its text.
fn location(finding: &Diagnostic) -> String {
    match finding.record {
        None => format!(
            "{}:{}:{}",
            finding.path, finding.span.line, finding.span.column
        ),
        Some(record) => format!(
            "{}:{record}: {}:{}:{}",
            finding.path, finding.id, finding.span.line, finding.span.column
        ),
    }
}

fn human(finding: &Diagnostic, color: bool) -> String {
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
fn github(finding: &Diagnostic) -> String {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let line = finding.record.unwrap_or(finding.span.line);
    let column = if finding.record.is_some() {
        1
    } else {
        finding.span.column
    };
    let where_ = if finding.record.is_some() {
        format!(
            " (document {} {}:{})",
            finding.id, finding.span.line, finding.span.column
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

fn sarif_result(finding: &Diagnostic) -> serde_json::Value {
    let (line, column) = match finding.record {
        Some(record) => (record, 1),
        None => (finding.span.line, finding.span.column),
    };
    json!({
        "ruleId": finding.rule,
        "level": "warning",
        "message": { "text": format!("{} ({} {}:{})", finding.message, finding.id, finding.span.line, finding.span.column) },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_line_breaks_are_shown_and_a_removed_line_s_own_is_not() {
        assert_eq!(message("\n\n", ""), r#"removes "\n\n""#);
        assert_eq!(message("Advertisement\n", ""), r#"removes "Advertisement""#);
    }
}
