//! The compiled rule set applied to one document.
//!
//! A [`Pipeline`] is built once and shared by reference across threads. Running it on a
//! text applies each rule in order to the output of the one before, keeps a
//! [`SourceMap`] back to the original, and records every edit as a [`Change`] in original
//! coordinates. When asked, it then measures the cleaned text and applies the `quality`
//! rules to it ([`Quality`]).

use serde::Serialize;

use crate::edit::{apply, SourceMap};
use crate::position::LineIndex;
use crate::quality::{Quality, Threshold};
use crate::rule::{Kind, Rule, RuleId, RuleSet};

/// Settings of a pipeline that are not rules.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Share of a document's words the rules may remove before the outcome is flagged for
    /// a person to look at (the over-cleaning guard).
    pub guard_share: f64,
    /// Measure the cleaned text and apply the `quality` rules ([`Outcome::quality`]).
    /// Off by default: the quality families ship with the default rules, and measuring
    /// costs more than cleaning, so a plain run neither pays for it nor changes.
    pub quality: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            guard_share: 0.05,
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
    /// Set when the rules removed more words than [`Options::guard_share`].
    pub guard: Option<Guard>,
    /// The signals of the cleaned text and the verdict of the quality rules; `Some` only
    /// when [`Options::quality`] is set.
    pub quality: Option<Quality>,
}

impl Outcome {
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
    thresholds: Vec<(RuleId, Threshold)>,
    options: Options,
}

impl Pipeline {
    /// Compiles a pipeline from the enabled rules of a rule set (rules shipped with
    /// `default = false` stay out unless [`RuleSet::select`] named them).
    #[must_use]
    pub fn new(rules: RuleSet, options: Options) -> Self {
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
            options,
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
        let mut index: Option<LineIndex> = None;
        for rule in self.rules.iter().filter(|r| r.kind != Kind::Quality) {
            let text = current.as_deref().unwrap_or(original);
            let edits = rule.edits(text);
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
        let guard = if changes.is_empty() {
            None
        } else {
            let before = count_words(original);
            let after = count_words(&text);
            let removed_share = if before == 0 {
                0.0
            } else {
                before.saturating_sub(after) as f64 / before as f64
            };
            (removed_share > self.options.guard_share).then_some(Guard {
                removed_share,
                threshold: self.options.guard_share,
            })
        };
        // Quality rules judge the final text, after every edit rule.
        let quality = self
            .options
            .quality
            .then(|| Quality::assess(&text, &self.thresholds));
        Outcome {
            text,
            changes,
            guard,
            quality,
        }
    }
}

/// Words for the guard: white-space separated tokens that hold a letter or digit.
fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}
