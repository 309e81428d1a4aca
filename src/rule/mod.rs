//! The rule engine: compiled rules and the ordered rule set.
//!
//! `spec` mirrors the TOML, `load` validates and compiles it into [`Rule`]s, and the kind
//! modules turn one rule into [`Edit`]s against the text it is given. Top-level `rules/`
//! is data; this module is the engine.

mod flag;
mod line_score;
mod lines;
mod load;
pub(crate) mod names;
mod normalize;
mod regex_kinds;
pub(crate) mod repeated;
mod selftest;
mod spec;

use std::path::PathBuf;
use std::sync::Arc;

use regex::Regex;

pub use crate::id::RuleId;
pub use line_score::fit;
pub use line_score::LineModel;
pub(crate) use load::rule_files;
pub use load::{LoadOptions, DEFAULT_RULE_FILES};
pub use selftest::{CaseResult, CaseStatus};
pub(crate) use spec::toml_string;

use crate::edit::Edit;
use crate::quality::{Threshold, Verdict};
pub(crate) use flag::Flagged;
pub(crate) use lines::delete_lines_noted;
use lines::Within;
use names::NameTable;
use regex_kinds::Scope;

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
    /// Deletes lines a linear model over line features scores as boilerplate.
    LineScore,
    /// Deletes lines repeated across a source's documents (built by a corpus pass, not
    /// written in rule files).
    RepeatedLine,
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
            Self::LineScore => "line-score",
            Self::RepeatedLine => "repeated-line",
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
    LineScore(Box<LineModel>),
    RepeatedLine(Arc<repeated::Repeated>),
}

/// What a change record says besides its text: a line model's score, or how many of its
/// source's documents hold a repeated line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Note {
    /// The line's score (0 to 1).
    Score(f64),
    /// Documents of the source holding the line.
    Count(u64),
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
            Action::LineScore(_) | Action::RepeatedLine(_) => {
                return self.noted_edits(text).0;
            }
        };
        crate::edit::normalize(text, &mut edits);
        edits
    }

    /// [`Rule::edits`], with what the kinds that judge whole lines say about each edit,
    /// keyed by the edit's start.
    pub(crate) fn noted_edits(&self, text: &str) -> (Vec<Edit>, Vec<(usize, Note)>) {
        let noted: Vec<(Edit, Note)> = match &self.action {
            Action::LineScore(model) => model
                .edits(text)
                .into_iter()
                .map(|(e, s)| (e, Note::Score(s)))
                .collect(),
            Action::RepeatedLine(repeated) => repeated
                .edits(text)
                .into_iter()
                .map(|(e, c)| (e, Note::Count(c)))
                .collect(),
            _ => return (self.edits(text), Vec::new()),
        };
        let notes = noted.iter().map(|(e, n)| (e.range.start, *n)).collect();
        let mut edits: Vec<Edit> = noted.into_iter().map(|(e, _)| e).collect();
        crate::edit::normalize(text, &mut edits);
        (edits, notes)
    }

    /// The rule that deletes `repeated`'s lines: id `discover/repeated-line`.
    #[must_use]
    pub fn repeated_lines(repeated: Arc<repeated::Repeated>) -> Self {
        Self {
            id: RuleId::parse("discover/repeated-line").expect("a valid id"),
            kind: Kind::RepeatedLine,
            description: "Lines repeated across many documents of one source.".into(),
            why: None,
            source: PathBuf::from("<discover lines>"),
            line: 0,
            pattern: None,
            tests: Vec::new(),
            enabled: true,
            action: Action::RepeatedLine(repeated),
            within: None,
        }
    }

    /// What a check-only rule reports in `text`, a stage of the document `original`
    /// (nothing for rules that edit).
    pub(crate) fn flags(&self, text: &str, original: &str) -> Vec<Flagged> {
        match &self.action {
            Action::Flag(check) => check.find(text, original),
            _ => Vec::new(),
        }
    }

    /// Whether this `flag` rule applies the suggestions that are confirmed
    /// (`fix = "confirmed"`).
    pub(crate) fn fixes_confirmed(&self) -> bool {
        matches!(&self.action, Action::Flag(check) if check.fixes_confirmed())
    }

    fn set_known_names(&mut self, known: &std::sync::Arc<std::collections::BTreeSet<String>>) {
        if let Action::Flag(check) = &mut self.action {
            check.set_known(known.clone());
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
    /// Every letter scheme the rule files declare, by name (`discover names` uses them
    /// all, whether or not a rule does).
    schemes: Vec<(String, names::Scheme)>,
}

impl RuleSet {
    /// The rules in the order they run.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The names of the letter schemes the rule files declare, in order.
    #[must_use]
    pub fn scheme_names(&self) -> Vec<&str> {
        self.schemes.iter().map(|(name, _)| name.as_str()).collect()
    }

    /// The letter schemes, in the order the rule files declare them.
    pub(crate) fn schemes(&self) -> &[(String, names::Scheme)] {
        &self.schemes
    }

    /// The words of every canonical spelling the name rules (`lexicon`, `transliterate`)
    /// map to: names a shipped or user list confirms.
    #[must_use]
    pub fn known_names(&self) -> std::collections::BTreeSet<String> {
        self.rules
            .iter()
            .filter_map(|r| match &r.action {
                Action::Names(table) => Some(table.canonical()),
                _ => None,
            })
            .flatten()
            .flat_map(|name| name.split_whitespace())
            .map(str::to_string)
            .collect()
    }

    /// Keeps the rules whose ids match a `select` glob (when there is none: the rules that
    /// are on by default) and no `ignore` glob; a rule shipped with `default = false` runs
    /// only when a `select` glob names it. A glob that matches no rule is an error, so a
    /// typo cannot silently disable a selection.
    pub fn select(
        &mut self,
        select: &[String],
        ignore: &[String],
    ) -> Result<(), crate::error::Error> {
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
    ) -> Result<(), crate::error::Error> {
        let compile =
            |patterns: &[String]| -> Result<Vec<globset::GlobMatcher>, crate::error::Error> {
                patterns
                    .iter()
                    .map(|p| {
                        let matcher = globset::Glob::new(p)
                            .map_err(|e| crate::error::Error::Selection {
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
                            return Err(crate::error::Error::Selection {
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
