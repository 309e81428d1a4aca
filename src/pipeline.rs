//! The compiled rule set applied to one document.
//!
//! A [`Pipeline`] is built once and shared by reference across threads. Running it on a
//! text applies each rule in order to the output of the one before, keeps a
//! [`SourceMap`] back to the original, and records every edit as a [`Change`] in original
//! coordinates. Check-only rules add [`Finding`]s, positioned the same way, and edit
//! nothing. When asked, it then measures the cleaned text and applies the
//! `quality` rules to it ([`Quality`]).

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use crate::edit::{apply, SourceMap};
use crate::position::LineIndex;
use crate::quality::{Quality, Threshold};
use crate::rule::{Kind, Rule, RuleId, RuleSet};

/// Settings of a pipeline that are not rules.
#[derive(Debug, Clone)]
pub struct Options {
    /// Share of a document's words the rules may remove before the outcome is flagged for
    /// a person to look at (the over-cleaning guard).
    pub guard_share: f64,
    /// Exact phrases no rule may change: an edit touching one is dropped. The one-line fix
    /// for a false positive.
    pub allow: Vec<String>,
    /// Measure the cleaned text and apply the `quality` rules ([`Outcome::quality`]).
    /// Off by default: the quality families ship with the default rules, and measuring
    /// costs more than cleaning, so a plain run neither pays for it nor changes.
    pub quality: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            guard_share: 0.05,
            allow: Vec::new(),
            quality: false,
        }
    }
}

/// One edit as the user sees it, positioned in the original document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The rule that made it.
    pub rule: RuleId,
    /// Byte offset in the original document where the changed text starts.
    pub start: usize,
    /// Byte offset in the original document where it ends.
    pub end: usize,
    /// 1-based line of `start` in the original.
    pub line: usize,
    /// 1-based column of `start` in the original, in Unicode scalar values.
    pub column: usize,
    /// The text the rule replaced, as the rule saw it (equal to the original span unless
    /// an earlier rule changed that text).
    pub before: String,
    /// What the rule put in its place.
    pub after: String,
}

/// Something a check-only rule reports for a person to look at, positioned in the original
/// document. The text is not changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule that reported it.
    pub rule: RuleId,
    /// Byte offset in the original document where the reported text starts.
    pub start: usize,
    /// Byte offset in the original document where it ends.
    pub end: usize,
    /// 1-based line of `start` in the original.
    pub line: usize,
    /// 1-based column of `start` in the original, in Unicode scalar values.
    pub column: usize,
    /// The reported text, as the rule saw it.
    pub text: String,
    /// What is suspicious about it.
    pub message: String,
    /// A likely correct form, when the rule knows one.
    pub suggestion: Option<String>,
}

/// Raised when the rules removed more of a document's words than the guard allows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Guard {
    /// Share of the original's words that are gone.
    pub removed_share: f64,
    /// The threshold it exceeded.
    pub threshold: f64,
}

/// What cleaning one document produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The cleaned text.
    pub text: String,
    /// Every change, in the order the rules made them.
    pub changes: Vec<Change>,
    /// What check-only rules reported, in rule order.
    pub findings: Vec<Finding>,
    /// Set when the rules removed more words than [`Options::guard_share`].
    pub guard: Option<Guard>,
    /// The signals of the cleaned text and the verdict of the quality rules; `Some` only
    /// when [`Options::quality`] is set.
    pub quality: Option<Quality>,
}

impl Outcome {
    /// The outcome of leaving `text` as it is.
    #[must_use]
    pub fn unchanged(text: &str) -> Self {
        Self {
            text: text.to_string(),
            changes: Vec::new(),
            findings: Vec::new(),
            guard: None,
            quality: None,
        }
    }

    /// True when at least one rule changed the text.
    #[must_use]
    pub fn is_changed(&self) -> bool {
        !self.changes.is_empty()
    }
}

/// The immutable, compiled rule set. `Send + Sync`; share it by reference.
#[derive(Debug, Clone)]
pub struct Pipeline {
    rules: Vec<Rule>,
    guard_share: f64,
    /// The allow-list phrases, compiled once.
    allow: Option<AhoCorasick>,
    thresholds: Vec<(RuleId, Threshold)>,
    quality: bool,
}

impl Pipeline {
    /// Compiles a pipeline from the enabled rules of a rule set (rules shipped with
    /// `default = false` stay out unless [`RuleSet::select`] named them).
    #[must_use]
    pub fn new(rules: RuleSet, options: Options) -> Self {
        let phrases: Vec<&String> = options.allow.iter().filter(|p| !p.is_empty()).collect();
        let allow = (!phrases.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(phrases)
                .expect("literal phrases always compile")
        });
        let rules: Vec<Rule> = rules
            .rules()
            .iter()
            .filter(|r| r.enabled)
            .cloned()
            .collect();
        let thresholds = rules
            .iter()
            .filter_map(|r| Some((r.id.clone(), r.threshold()?)))
            .collect();
        Self {
            rules,
            thresholds,
            quality: options.quality,
            guard_share: options.guard_share,
            allow,
        }
    }

    /// The rules, in the order they run.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Cleans one text.
    #[must_use]
    pub fn run(&self, original: &str) -> Outcome {
        let mut current: Option<String> = None;
        let mut map = SourceMap::identity(original.len());
        let mut changes = Vec::new();
        let mut findings = Vec::new();
        let mut index: Option<LineIndex> = None;
        for rule in self.rules.iter().filter(|r| r.kind != Kind::Quality) {
            let text = current.as_deref().unwrap_or(original);
            if rule.kind == Kind::Flag {
                for flagged in rule.flags(text) {
                    let index = index.get_or_insert_with(|| LineIndex::new(original));
                    let span = map.to_original(flagged.range.clone());
                    let (line, column) = index.line_column(original, span.start);
                    findings.push(Finding {
                        rule: rule.id.clone(),
                        start: span.start,
                        end: span.end,
                        line,
                        column,
                        text: text[flagged.range].to_string(),
                        message: flagged.message,
                        suggestion: flagged.suggestion,
                    });
                }
                continue;
            }
            let mut edits = rule.edits(text);
            if let Some(allow) = &self.allow {
                spare_allowed(allow, text, &mut edits);
            }
            if edits.is_empty() {
                continue;
            }
            let index = index.get_or_insert_with(|| LineIndex::new(original));
            for edit in &edits {
                let span = map.to_original(edit.range.clone());
                let (line, column) = index.line_column(original, span.start);
                changes.push(Change {
                    rule: rule.id.clone(),
                    start: span.start,
                    end: span.end,
                    line,
                    column,
                    before: text[edit.range.clone()].to_string(),
                    after: edit.replacement.clone(),
                });
            }
            let next = apply(text, &edits);
            map.compose(&edits);
            current = Some(next);
        }
        let text = current.unwrap_or_else(|| original.to_string());
        let guard = self.guard(original, &changes);
        // Quality rules judge the final text, after every edit rule.
        let quality = self
            .quality
            .then(|| Quality::assess(&text, &self.thresholds));
        Outcome {
            text,
            changes,
            findings,
            guard,
            quality,
        }
    }
}

impl Pipeline {
    /// The over-cleaning guard. The words removed are counted in the changes alone (each
    /// change's words before minus after; the sum telescopes across rules), and the
    /// document's words only as far as needed to know the share is under the threshold,
    /// so a long document with a few deleted words costs a few dozen words of counting.
    fn guard(&self, original: &str, changes: &[Change]) -> Option<Guard> {
        let before: usize = changes.iter().map(|c| count_words(&c.before)).sum();
        let after: usize = changes.iter().map(|c| count_words(&c.after)).sum();
        let removed = before.saturating_sub(after);
        if removed == 0 {
            return None;
        }
        // share > threshold  ⇔  words < removed / threshold
        let enough = (removed as f64 / self.guard_share).ceil() as usize;
        let words = count_words_up_to(original, enough);
        let removed_share = removed as f64 / words.max(removed) as f64;
        (removed_share > self.guard_share).then_some(Guard {
            removed_share,
            threshold: self.guard_share,
        })
    }
}

/// Drops the edits that touch an allowed phrase.
fn spare_allowed(allow: &AhoCorasick, text: &str, edits: &mut Vec<crate::Edit>) {
    if edits.is_empty() {
        return;
    }
    let protected: Vec<(usize, usize)> = allow
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    edits.retain(|edit| {
        let (start, end) = (edit.range.start, edit.range.end);
        !protected.iter().any(|&(p_start, p_end)| {
            if start == end {
                p_start < start && start < p_end
            } else {
                start < p_end && p_start < end
            }
        })
    });
}

/// Words for the guard: white-space separated tokens that hold a letter or digit. One
/// pass over the bytes: any non-ASCII byte counts as a letter, which is what it almost
/// always is inside a token, and keeps this off the per-character path.
fn count_words(text: &str) -> usize {
    count_words_up_to(text, usize::MAX)
}

/// [`count_words`], stopping once `limit` words are seen.
fn count_words_up_to(text: &str, limit: usize) -> usize {
    let mut words = 0;
    let mut in_token = false;
    let mut counted = false;
    for &byte in text.as_bytes() {
        if byte.is_ascii_whitespace() {
            in_token = false;
            continue;
        }
        if !in_token {
            in_token = true;
            counted = false;
        }
        if !counted && (byte.is_ascii_alphanumeric() || byte >= 0x80) {
            words += 1;
            counted = true;
            if words >= limit {
                break;
            }
        }
    }
    words
}
