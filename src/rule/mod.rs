//! The rule engine: compiled rules and the ordered rule set.
//!
//! `spec` mirrors the TOML, `load` validates and compiles it into [`Rule`]s, and the kind
//! modules turn one rule into [`Edit`]s against the text it is given. Top-level `rules/`
//! is data; this module is the engine.

mod flag;
mod lines;
mod load;
mod names;
mod normalize;
mod regex_kinds;
mod selftest;
mod spec;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use regex::Regex;

pub use load::{LoadOptions, DEFAULT_RULE_FILES};
pub use selftest::{CaseResult, CaseStatus};

use crate::edit::Edit;
use crate::quality::{Threshold, Verdict};
pub(crate) use flag::Flagged;
use lines::Within;
use names::NameTable;
use regex_kinds::Scope;

/// A rule id, `group/name` in kebab-case (`scraper/ad-placeholder`). Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(Arc<str>);

impl RuleId {
    /// Parses an id, checking its form.
    pub fn parse(id: &str) -> Option<Self> {
        let is_part = |p: &str| {
            !p.is_empty()
                && p.split('-').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        };
        let (group, name) = id.split_once('/')?;
        (is_part(group) && is_part(name)).then(|| Self(id.into()))
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// The kinds of rule a rule file can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Delete matches of a regex, or the lines holding them.
    Remove,
    /// Delete lines a regex matches as a whole.
    DropLine,
    /// Rewrite matches of a regex with a template.
    Replace,
    /// Literal variants to canonical spellings.
    Lexicon,
    /// Canonical names and letter schemes that generate their variants.
    Transliterate,
    /// Built-in normalisers (mojibake, HTML, invisible characters, NFC, white space…).
    Normalize,
    /// Check-only: reports words for a person to look at, never edits.
    Flag,
    /// A threshold on a document signal; never edits, sets the verdict.
    Quality,
}

impl Kind {
    /// The name used in rule files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Remove => "remove",
            Self::DropLine => "drop-line",
            Self::Replace => "replace",
            Self::Lexicon => "lexicon",
            Self::Transliterate => "transliterate",
            Self::Normalize => "normalize",
            Self::Flag => "flag",
            Self::Quality => "quality",
        }
    }
}

/// One test case carried by a rule: `input` becomes `output` (`None`: stays unchanged).
/// A quality rule's case gives the expected `verdict` instead; `keep` counts as the case
/// that shows what the rule leaves alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTest {
    /// Text the rule runs on.
    pub input: String,
    /// Expected text, or `None` when the input must be left alone.
    pub output: Option<String>,
    /// `flag` rules: the expected findings, `word` or `word → suggestion`.
    pub flagged: Vec<String>,
    /// Quality rules: the expected verdict on `input`.
    pub verdict: Option<Verdict>,
}

/// A compiled rule, immutable and shared by all threads.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule's id.
    pub id: RuleId,
    /// Its kind.
    pub kind: Kind,
    /// What it matches and why that is noise.
    pub description: String,
    /// Longer reasoning, if the file gives one.
    pub why: Option<String>,
    /// The file the rule came from.
    pub source: PathBuf,
    /// The line of its `id` in that file.
    pub line: usize,
    /// The regex, for the kinds that have one (shown by `rules explain`).
    pub pattern: Option<String>,
    /// Its test cases.
    pub tests: Vec<RuleTest>,
    /// Whether the rule runs: true unless its file says `default = false`, and true once a
    /// `select` glob names it.
    pub enabled: bool,
    action: Action,
    within: Option<Within>,
}

#[derive(Debug, Clone)]
enum Action {
    Remove { regex: Regex, scope: Scope },
    DropLine { whole: Regex },
    Replace { regex: Regex, template: String },
    Names(Box<NameTable>),
    Normalize(Box<normalize::Normalizer>),
    Flag(Box<flag::FlagCheck>),
    Quality(Threshold),
}

impl Rule {
    /// The edits this rule makes to `text`: sorted and non-overlapping.
    #[must_use]
    pub fn edits(&self, text: &str) -> Vec<Edit> {
        let mut edits = match &self.action {
            Action::Remove { regex, scope } => {
                regex_kinds::remove(regex, *scope, self.within, text)
            }
            Action::DropLine { whole } => regex_kinds::drop_line(whole, self.within, text),
            Action::Replace { regex, template } => {
                regex_kinds::replace(regex, template, self.within, text)
            }
            Action::Names(table) => {
                let region = self.within.map_or(0..text.len(), |w| w.region(text));
                let mut edits = table.edits(text);
                edits.retain(|e| region.contains(&e.range.start));
                edits
            }
            Action::Normalize(normalizer) => normalizer.edits(text),
            Action::Flag(_) => Vec::new(),
            // Quality rules judge the cleaned document; they never edit it.
            Action::Quality(_) => Vec::new(),
        };
        crate::edit::normalize(text, &mut edits);
        edits
    }

    /// What a check-only rule reports in `text` (nothing for rules that edit).
    pub(crate) fn flags(&self, text: &str) -> Vec<Flagged> {
        match &self.action {
            Action::Flag(check) => check.find(text),
            _ => Vec::new(),
        }
    }

    /// The signal and bound of a `quality` rule.
    #[must_use]
    pub fn threshold(&self) -> Option<Threshold> {
        match &self.action {
            Action::Quality(threshold) => Some(*threshold),
            _ => None,
        }
    }
}

/// The ordered, effective set of rules.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules in the order they run.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Keeps the rules whose ids match a `select` glob (when there is none: the rules that
    /// are on by default) and no `ignore` glob; a rule shipped with `default = false` runs
    /// only when a `select` glob names it. A glob that matches no rule is an error, so a
    /// typo cannot silently disable a selection.
    pub fn select(&mut self, select: &[String], ignore: &[String]) -> Result<(), crate::Error> {
        self.select_extended(select, &[], ignore)
    }

    /// [`RuleSet::select`], also keeping the rules an `extend` glob names, even those
    /// shipped off (`default = false`): `--extend-select 'c4/*'` adds C4's line filters to
    /// whatever else runs.
    pub fn select_extended(
        &mut self,
        select: &[String],
        extend: &[String],
        ignore: &[String],
    ) -> Result<(), crate::Error> {
        let compile = |patterns: &[String]| -> Result<Vec<globset::GlobMatcher>, crate::Error> {
            patterns
                .iter()
                .map(|p| {
                    let matcher = globset::Glob::new(p)
                        .map_err(|e| crate::Error::Selection {
                            message: format!("invalid rule glob `{p}`: {e}"),
                        })?
                        .compile_matcher();
                    if !self.rules.iter().any(|r| matcher.is_match(r.id.as_str())) {
                        let hint = self
                            .rules
                            .iter()
                            .map(|r| r.id.as_str())
                            .min_by_key(|id| edit_distance(id, p))
                            .map(|id| format!("\nhelp: did you mean `{id}`?"))
                            .unwrap_or_default();
                        return Err(crate::Error::Selection {
                            message: format!("no rule matches `{p}`{hint}"),
                        });
                    }
                    Ok(matcher)
                })
                .collect()
        };
        let select = compile(select)?;
        let extend = compile(extend)?;
        let ignore = compile(ignore)?;
        self.rules.retain_mut(|r| {
            let id = r.id.as_str();
            let wanted = if select.is_empty() {
                r.enabled
            } else {
                select.iter().any(|m| m.is_match(id))
            } || extend.iter().any(|m| m.is_match(id));
            r.enabled = wanted && !ignore.iter().any(|m| m.is_match(id));
            r.enabled
        });
        Ok(())
    }
}

impl RuleSet {
    /// Moves the limit of the `quality` rule `id` to `limit`, keeping its comparison.
    /// `false` when there is no such quality rule.
    pub fn set_threshold(&mut self, id: &str, limit: f64) -> bool {
        let Some(rule) = self.rules.iter_mut().find(|r| r.id.as_str() == id) else {
            return false;
        };
        match &mut rule.action {
            Action::Quality(threshold) => {
                threshold.bound = threshold.bound.with_limit(limit);
                true
            }
            _ => false,
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}
