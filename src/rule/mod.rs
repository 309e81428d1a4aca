//! The rule engine: compiled rules and the ordered rule set.
//!
//! `spec` mirrors the TOML, `load` validates it and compiles each rule with its kind's
//! compiler from the one list in `kinds`, and the kind modules turn one rule into
//! [`Edit`]s against the text it is given. Top-level `rules/`
//! is data; this module is the engine.

pub(crate) mod compile;
mod flag;
mod kinds;
mod line_score;
mod lines;
mod load;
pub(crate) mod names;
pub(crate) mod normalize;
mod prefixed;
mod regex_kinds;
pub(crate) mod repeated;
mod required;
mod selftest;
mod spec;
mod syntax;
mod threshold;
mod whole_line;

use std::path::PathBuf;
use std::sync::Arc;

pub use crate::id::RuleId;
pub use line_score::fit;
pub use line_score::LineModel;
pub(crate) use load::rule_files;
pub use load::{LoadOptions, DEFAULT_RULE_FILES};
pub use selftest::{CaseResult, CaseStatus};
pub(crate) use spec::toml_string;

use crate::edit::Edit;
use crate::quality::{Threshold, Verdict};
use crate::source::Scope;
use compile::Behaviour;
use flag::FlagCheck;
pub(crate) use flag::Flagged;
pub use kinds::{Kind, Role};
pub(crate) use lines::delete_lines_noted;
use lines::Within;
use names::NameTable;

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
    action: Box<dyn Behaviour>,
    within: Option<Within>,
    /// The one source whose documents the rule runs on, if it is scoped.
    pub scope: Option<Scope>,
}

/// How far from a line what a rule finds there can depend on the text: what the pipeline
/// must look at again when later rules write near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// The line alone.
    Line,
    /// The line and the lines next to it.
    NearbyLines,
    /// Anything in the document (a line model's windows, `within`'s head or tail).
    Document,
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
        self.noted_edits(text).0
    }

    /// [`Rule::edits`], with what the kinds that judge whole lines say about each edit,
    /// keyed by the edit's start.
    pub(crate) fn noted_edits(&self, text: &str) -> (Vec<Edit>, Vec<(usize, Note)>) {
        let (mut edits, notes) = match self.action.noted_edits(text) {
            Some(noted) => {
                let notes = noted.iter().map(|(e, n)| (e.range.start, *n)).collect();
                (noted.into_iter().map(|(e, _)| e).collect(), notes)
            }
            None => (self.action.edits(text, self.within), Vec::new()),
        };
        crate::edit::normalize(text, &mut edits);
        (edits, notes)
    }

    /// How far from a line what the rule finds there can depend on the text.
    pub(crate) fn reach(&self) -> Reach {
        if self.kind.def().sees_document || self.within.is_some() {
            Reach::Document
        } else if self.action.reads_lines_alone() {
            Reach::Line
        } else {
            Reach::NearbyLines
        }
    }

    /// The kind's own data, when it is a `T` (a flag rule's check, a quality threshold).
    fn data<T: 'static>(&self) -> Option<&T> {
        (*self.action).as_any().downcast_ref()
    }

    /// The rule that deletes `repeated`'s lines: id `discover/repeated-line`.
    #[must_use]
    pub fn repeated_lines(repeated: Arc<repeated::Repeated>) -> Self {
        Self {
            id: RuleId::parse("discover/repeated-line").expect("a valid id"),
            kind: Kind::named("repeated-line").expect("a registered kind"),
            description: "Lines repeated across many documents of one source.".into(),
            why: None,
            source: PathBuf::from("<discover lines>"),
            line: 0,
            pattern: None,
            tests: Vec::new(),
            enabled: true,
            action: Box::new(repeated),
            within: None,
            scope: None,
        }
    }

    /// What a check-only rule reports in `text`, a stage of the document `original`
    /// (nothing for rules that edit).
    pub(crate) fn flags(&self, text: &str, original: &str) -> Vec<Flagged> {
        self.data::<FlagCheck>()
            .map_or_else(Vec::new, |check| check.find(text, original))
    }

    /// Whether this `flag` rule applies the suggestions that are confirmed
    /// (`fix = "confirmed"`).
    pub(crate) fn fixes_confirmed(&self) -> bool {
        self.data::<FlagCheck>()
            .is_some_and(FlagCheck::fixes_confirmed)
    }

    fn set_known_names(&mut self, known: &std::sync::Arc<std::collections::BTreeSet<String>>) {
        if let Some(check) = (*self.action).as_any_mut().downcast_mut::<FlagCheck>() {
            check.set_known(known.clone());
        }
    }

    /// The signal and bound of a `quality` rule.
    #[must_use]
    pub fn threshold(&self) -> Option<Threshold> {
        self.data::<Threshold>().copied()
    }
}

/// The ordered, effective set of rules.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Every letter scheme the rule files declare, by name (`discover names` uses them
    /// all, whether or not a rule does).
    schemes: Vec<(String, compile::Scheme)>,
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
    pub(crate) fn schemes(&self) -> &[(String, compile::Scheme)] {
        &self.schemes
    }

    /// The words of every canonical spelling the name rules (`lexicon`, `transliterate`)
    /// map to: names a shipped or user list confirms.
    #[must_use]
    pub fn known_names(&self) -> std::collections::BTreeSet<String> {
        self.rules
            .iter()
            .filter_map(|r| r.data::<NameTable>().map(NameTable::canonical))
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
                            // Rule ids and their families' globs (`scrapr/*` → `scraper/*`).
                            let families = self.rules.iter().filter_map(|r| {
                                r.id.as_str().split_once('/').map(|(f, _)| format!("{f}/*"))
                            });
                            let hint = self
                                .rules
                                .iter()
                                .map(|r| r.id.to_string())
                                .chain(families)
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
        match (*rule.action).as_any_mut().downcast_mut::<Threshold>() {
            Some(threshold) => {
                threshold.bound = threshold.bound.with_limit(limit);
                true
            }
            None => false,
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
