//! One document as the review page shows it: its diff hunks with word-level highlights,
//! each change under the hunk it falls in, findings, guard, quality and sentences.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;
use similar::{ChangeTag, DiffOp, TextDiff};

use crate::position::Span;
use crate::{Outcome, Verdict};

/// Lines of context around each hunk.
const CONTEXT_LINES: usize = 2;
/// Above this many bytes in one diff operation, lines are shown without word-level
/// highlights: a size bound, never a time bound, so the page does not depend on speed.
const MAX_INLINE_BYTES: usize = 32 * 1024;
/// Longest `before`/`after` shown in full in a change label.
const MAX_SHOWN_CHARS: usize = 240;
/// Longest context kept for a decision (an allow phrase or a rule test input).
const MAX_CONTEXT_BYTES: usize = 240;

/// A document prepared for the page.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    id: String,
    changed: bool,
    guard: Option<f64>,
    verdict: Option<&'static str>,
    reasons: Vec<String>,
    hunks: Vec<Hunk>,
    findings: Vec<FindingView>,
    sentences: Option<Vec<String>>,
    /// Rule ids that changed or flagged this document, sorted.
    rules: Vec<String>,
    #[serde(skip)]
    counts: BTreeMap<String, (u64, u64)>,
    changes: usize,
}

#[derive(Debug, Clone, Serialize)]
struct Hunk {
    /// 1-based first line in the original.
    line: usize,
    rows: Vec<Row>,
    changes: Vec<ChangeView>,
    rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Row {
    kind: &'static str,
    old: Option<usize>,
    new: Option<usize>,
    /// (highlighted, text) pieces of the line, without its line break.
    parts: Vec<(bool, String)>,
}

#[derive(Debug, Clone, Serialize)]
struct ChangeView {
    rule: String,
    #[serde(flatten)]
    span: Span,
    before: String,
    after: String,
    before_shown: String,
    after_shown: String,
    context: String,
}

#[derive(Debug, Clone, Serialize)]
struct FindingView {
    rule: String,
    #[serde(flatten)]
    span: Span,
    text: String,
    message: String,
    suggestion: Option<String>,
}

impl Entry {
    /// Prepares a document: `original` is its text before cleaning, `outcome` what the
    /// pipeline made of it (with its sentences, when they were computed).
    #[must_use]
    pub fn prepare(id: &str, original: &str, outcome: &Outcome) -> Self {
        let sentences = outcome.sentences.as_ref().map(|ranges| {
            ranges
                .iter()
                .map(|r| outcome.text[r.clone()].to_string())
                .collect()
        });
        let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for change in &outcome.changes {
            counts
                .entry(change.rule.as_str().to_string())
                .or_default()
                .0 += 1;
        }
        for finding in &outcome.findings {
            counts
                .entry(finding.rule.as_str().to_string())
                .or_default()
                .1 += 1;
        }
        let (verdict, reasons) = match &outcome.quality {
            Some(quality) => (
                Some(match quality.verdict {
                    Verdict::Keep => "keep",
                    Verdict::Drop => "drop",
                    Verdict::Unjudged => "unjudged",
                }),
                quality
                    .reasons
                    .iter()
                    .map(|r| {
                        format!(
                            "{}: {} = {} ({} {})",
                            r.rule,
                            r.threshold.signal.name(),
                            r.value,
                            r.threshold.bound.key(),
                            r.threshold.bound.limit()
                        )
                    })
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        let mut entry = Self {
            id: id.to_string(),
            changed: outcome.is_changed(),
            guard: outcome.guard.map(|g| g.removed_share),
            verdict,
            reasons,
            hunks: Vec::new(),
            findings: outcome
                .findings
                .iter()
                .map(|f| FindingView {
                    rule: f.rule.as_str().to_string(),
                    span: f.span,
                    text: f.text.clone(),
                    message: f.message.clone(),
                    suggestion: f.suggestion.clone(),
                })
                .collect(),
            sentences,
            rules: counts.keys().cloned().collect(),
            counts,
            changes: outcome.changes.len(),
        };
        if entry.is_reviewable() {
            entry.hunks = hunks(original, outcome);
        } else {
            // Nothing will show it: keep the entry light.
            entry.sentences = None;
        }
        entry
    }

    /// The document's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(super) fn is_changed(&self) -> bool {
        self.changed
    }

    pub(crate) fn is_dropped(&self) -> bool {
        self.verdict == Some("drop")
    }

    pub(super) fn is_guarded(&self) -> bool {
        self.guard.is_some()
    }

    pub(super) fn is_flagged(&self) -> bool {
        !self.findings.is_empty()
    }

    pub(super) fn is_reviewable(&self) -> bool {
        self.changed || self.is_dropped() || self.is_guarded() || self.is_flagged()
    }

    /// (rule, changes, findings) for every rule that acted on the document.
    pub(super) fn rule_counts(&self) -> impl Iterator<Item = (&str, u64, u64)> {
        self.counts.iter().map(|(r, &(c, f))| (r.as_str(), c, f))
    }

    /// The sampling categories the document belongs to.
    pub(super) fn categories(&self) -> impl Iterator<Item = String> + '_ {
        let extra = [
            self.is_dropped().then(|| "<dropped>".to_string()),
            self.is_guarded().then(|| "<guard>".to_string()),
        ];
        self.rules
            .iter()
            .cloned()
            .chain(extra.into_iter().flatten())
    }

    /// The status words the page filters on.
    pub(super) fn statuses(&self) -> String {
        let mut words = Vec::new();
        if self.changed {
            words.push("changed");
        }
        if self.is_dropped() {
            words.push("dropped");
        }
        if self.is_guarded() {
            words.push("guard");
        }
        if self.is_flagged() {
            words.push("flagged");
        }
        words.join(" ")
    }
}

/// The line diff of original and cleaned text, grouped into hunks, with every change
/// placed under the hunk that holds its start in the original. Changes whose effect
/// another rule undid show in a last hunk without lines, so none goes unreviewed.
fn hunks(original: &str, outcome: &Outcome) -> Vec<Hunk> {
    let cleaned = outcome.text.as_str();
    // No timeout: the page must not depend on the machine's speed.
    let diff = TextDiff::configure().diff_lines(original, cleaned);
    let mut line_starts = Vec::with_capacity(diff.old_slices().len() + 1);
    let mut offset = 0;
    for line in diff.old_slices() {
        line_starts.push(offset);
        offset += line.len();
    }
    line_starts.push(offset);
    let mut placed = vec![false; outcome.changes.len()];
    let mut hunks = Vec::new();
    for group in diff.grouped_ops(CONTEXT_LINES) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let bytes = line_starts[first.old_range().start]..line_starts[last.old_range().end];
        let mut rows = Vec::new();
        for op in &group {
            rows.extend(op_rows(&diff, op));
        }
        let mut changes = Vec::new();
        for (i, change) in outcome.changes.iter().enumerate() {
            let Span { start, end, .. } = change.span;
            let inside = bytes.contains(&start) || (start == bytes.end && start == end);
            if !placed[i] && inside {
                placed[i] = true;
                changes.push(change_view(original, change));
            }
        }
        hunks.push(Hunk {
            line: first.old_range().start + 1,
            rows,
            rules: rules_of(&changes),
            changes,
        });
    }
    let rest: Vec<ChangeView> = outcome
        .changes
        .iter()
        .zip(&placed)
        .filter(|(_, &placed)| !placed)
        .map(|(change, _)| change_view(original, change))
        .collect();
    if !rest.is_empty() {
        hunks.push(Hunk {
            line: rest[0].span.line,
            rows: Vec::new(),
            rules: rules_of(&rest),
            changes: rest,
        });
    }
    hunks
}

fn rules_of(changes: &[ChangeView]) -> Vec<String> {
    let mut rules: Vec<String> = changes.iter().map(|c| c.rule.clone()).collect();
    rules.sort();
    rules.dedup();
    rules
}

fn op_rows<'a>(diff: &'a TextDiff<'a, 'a, 'a, str>, op: &DiffOp) -> Vec<Row> {
    let size: usize = diff.old_slices()[op.old_range()]
        .iter()
        .chain(&diff.new_slices()[op.new_range()])
        .map(|l| l.len())
        .sum();
    let mut rows = Vec::new();
    if size <= MAX_INLINE_BYTES {
        for change in diff.iter_inline_changes_deadline(op, None) {
            let parts = change
                .iter_strings_lossy()
                .map(|(emphasized, text)| (emphasized, text.into_owned()))
                .collect();
            rows.push(row(
                change.tag(),
                change.old_index(),
                change.new_index(),
                parts,
            ));
        }
    } else {
        for change in diff.iter_changes(op) {
            let parts = vec![(false, change.value().to_string())];
            rows.push(row(
                change.tag(),
                change.old_index(),
                change.new_index(),
                parts,
            ));
        }
    }
    rows
}

fn row(
    tag: ChangeTag,
    old: Option<usize>,
    new: Option<usize>,
    mut parts: Vec<(bool, String)>,
) -> Row {
    // The line break is shown by the table row, not as text.
    if let Some((_, last)) = parts.last_mut() {
        if last.ends_with('\n') {
            last.pop();
            if last.ends_with('\r') {
                last.pop();
            }
        }
    }
    parts.retain(|(_, text)| !text.is_empty());
    Row {
        kind: match tag {
            ChangeTag::Equal => "ctx",
            ChangeTag::Delete => "del",
            ChangeTag::Insert => "ins",
        },
        old: old.map(|i| i + 1),
        new: new.map(|i| i + 1),
        parts,
    }
}

fn change_view(original: &str, change: &crate::pipeline::Change) -> ChangeView {
    ChangeView {
        rule: change.rule.as_str().to_string(),
        span: change.span,
        before_shown: visible(&change.before),
        after_shown: visible(&change.after),
        before: change.before.clone(),
        after: change.after.clone(),
        context: context(original, change.span.range()),
    }
}

/// Text of a change label: line breaks, tabs and invisible characters made visible
/// (a zero-width space removed by a rule must not look like nothing), long text cut.
fn visible(text: &str) -> String {
    if text.is_empty() {
        return "∅".to_string();
    }
    let mut shown = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == MAX_SHOWN_CHARS {
            shown.push('…');
            break;
        }
        match c {
            '\n' => shown.push('↵'),
            '\r' => shown.push_str("⟨CR⟩"),
            '\t' => shown.push('⇥'),
            ' ' => shown.push('·'),
            c if c.is_control() || is_invisible(c) => {
                shown.push_str(&format!("⟨U+{:04X}⟩", c as u32));
            }
            c => shown.push(c),
        }
    }
    shown
}

/// Format characters and odd spaces that show as nothing or as a plain space.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00A0}' | '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}'
        | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180E}' | '\u{2000}'..='\u{200F}'
        | '\u{2028}'..='\u{202F}' | '\u{205F}'..='\u{206F}' | '\u{3000}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// The original text around a change, as a decision's allow phrase and rule test input:
/// the lines the change touches, trimmed; a window of whole words around the change when
/// they are long.
fn context(original: &str, span: Range<usize>) -> String {
    let line_start = original[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = original[span.end..]
        .find('\n')
        .map_or(original.len(), |i| span.end + i);
    // A deleted line break sits at the end of its line.
    let line_end = line_end.max(span.end.min(original.len()));
    let mut start = line_start;
    let mut end = line_end;
    if end - start > MAX_CONTEXT_BYTES {
        let room = MAX_CONTEXT_BYTES.saturating_sub(span.len()) / 2;
        start = floor_boundary(original, span.start.saturating_sub(room).max(line_start));
        end = ceil_boundary(original, (span.end + room).min(line_end));
        // Whole words only: move inwards to white space, never past the change.
        if let Some(i) = original[start..span.start].find(char::is_whitespace) {
            start += i;
        }
        if let Some(i) = original[span.end..end].rfind(char::is_whitespace) {
            end = span.end + i;
        }
    }
    original[start..end].trim().to_string()
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, Pipeline, RuleSet};

    fn run(text: &str) -> Outcome {
        Pipeline::new(RuleSet::defaults().unwrap(), Options::default()).run(text)
    }

    #[test]
    fn every_change_is_placed_once() {
        let text = "Intro line.\n\nAdvertisement\n\nBody with a[ad_1] slot.\nMore   text.\n";
        let outcome = run(text);
        let entry = Entry::prepare("d", text, &outcome);
        let placed: usize = entry.hunks.iter().map(|h| h.changes.len()).sum();
        assert_eq!(placed, outcome.changes.len());
        assert!(outcome.changes.len() >= 3);
        assert!(entry.rules.contains(&"scraper/ad-label".to_string()));
    }

    #[test]
    fn unchanged_documents_are_not_reviewable() {
        let text = "Nothing to clean here.\n";
        let entry = Entry::prepare("d", text, &run(text));
        assert!(!entry.is_reviewable());
        assert!(entry.hunks.is_empty());
    }

    #[test]
    fn invisible_text_is_shown() {
        assert_eq!(visible("a\u{200B}b\n"), "a⟨U+200B⟩b↵");
        assert_eq!(visible(""), "∅");
    }

    #[test]
    fn context_is_the_line_or_a_word_window() {
        let text = "first\nthe Advertisement line\nlast";
        let start = text.find("Advertisement").unwrap();
        assert_eq!(context(text, start..start + 13), "the Advertisement line");
        let long = format!("{} MARK {}", "word ".repeat(100), "tail ".repeat(100));
        let start = long.find("MARK").unwrap();
        let window = context(&long, start..start + 4);
        assert!(window.len() <= MAX_CONTEXT_BYTES && window.contains("MARK"));
        assert!(window.starts_with("word") && window.ends_with("tail"));
    }
}
