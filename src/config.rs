//! The project config file, `textscrub.toml`: which rules run, where, and what they must
//! never touch.
//!
//! Found by walking up from the working directory (or named with `--config`). Paths in it
//! are relative to the file. Command-line flags win over it. Errors name the file, line
//! and column, like rule-file errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, RuleFileErrors, RuleFileProblem};
use crate::position::line_column;
use crate::rule::RuleSet;

/// The name looked for in the working directory and its parents.
pub const CONFIG_FILE_NAME: &str = "textscrub.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigSpec {
    /// Extra rule files or folders, relative to the config file.
    #[serde(default)]
    rules: Vec<String>,
    /// Whether the embedded default rules are loaded (default true).
    default_rules: Option<bool>,
    /// Rule-id globs to run (default: all).
    #[serde(default)]
    select: Vec<Spanned<String>>,
    /// Rule-id globs to run on top of the selection (rules shipped off included).
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    /// Rule-id globs to skip.
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    /// Path globs (relative to the config file) → rule-id globs skipped for those files.
    #[serde(default)]
    per_path_ignores: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    /// Default sentence language.
    lang: Option<String>,
    /// Over-cleaning guard threshold.
    guard_share: Option<Spanned<f64>>,
    /// Exact phrases no rule may change.
    #[serde(default)]
    allow: Vec<String>,
    /// Document ids no rule may change.
    #[serde(default)]
    allow_ids: Vec<String>,
    /// Quality rule id → a new limit for its threshold.
    #[serde(default)]
    quality: BTreeMap<Spanned<String>, Spanned<f64>>,
    /// A fastText language-identification model (relative to the config file).
    lid_model: Option<PathBuf>,
}

/// A loaded, validated config.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (`None`: no config file).
    pub path: Option<PathBuf>,
    /// Extra rule paths, resolved against the config file's folder.
    pub rules: Vec<PathBuf>,
    /// Whether to load the default rules, if the file says.
    pub default_rules: Option<bool>,
    /// Rule-id globs to run.
    pub select: Vec<String>,
    /// Rule-id globs to run on top of the selection.
    pub extend_select: Vec<String>,
    /// Rule-id globs to skip.
    pub ignore: Vec<String>,
    /// Path glob (matched against input paths relative to the config folder, and as
    /// given) → rule-id globs skipped for those files, in file order.
    pub per_path_ignores: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// Default sentence language.
    pub lang: Option<String>,
    /// Over-cleaning guard threshold.
    pub guard_share: Option<f64>,
    /// Exact phrases no rule may change.
    pub allow: Vec<String>,
    /// Document ids no rule may change.
    pub allow_ids: Vec<String>,
    /// Quality rule id → the limit that replaces its published threshold.
    pub quality: Vec<(String, f64)>,
    /// The fastText model `--detect-lang` and quality read languages from (`lid-model`),
    /// resolved against the config file's folder.
    pub lid_model: Option<PathBuf>,
    text: String,
    spans: Spans,
}

#[derive(Debug, Clone, Default)]
struct Spans {
    select: Vec<std::ops::Range<usize>>,
    extend_select: Vec<std::ops::Range<usize>>,
    ignore: Vec<std::ops::Range<usize>>,
    per_path: Vec<Vec<std::ops::Range<usize>>>,
    quality: Vec<std::ops::Range<usize>>,
}

impl Config {
    /// The nearest `textscrub.toml` in `start` or its parents, loaded; an empty config
    /// when there is none.
    pub fn discover(start: &Path) -> Result<Self, Error> {
        for folder in start.ancestors() {
            let candidate = folder.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                return Self::load(&candidate);
            }
        }
        Ok(Self::default())
    }

    /// Loads and validates a config file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, text)
    }

    /// Validates the contents of the config file at `path` (which names it in messages
    /// and anchors its relative paths).
    pub fn parse(path: &Path, text: String) -> Result<Self, Error> {
        let problem = |offset: usize, message: String| problem_at(path, &text, offset, message);
        let spec: ConfigSpec = toml::from_str(&text).map_err(|e| {
            RuleFileErrors(vec![problem(
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_string(),
            )])
        })?;
        let folder = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut problems = Vec::new();
        let rule_globs = spec.select.iter().chain(&spec.ignore).chain(
            spec.per_path_ignores
                .values()
                .flat_map(|rules| rules.get_ref()),
        );
        for glob in rule_globs {
            if let Err(e) = globset::Glob::new(glob.get_ref()) {
                problems.push(problem(
                    glob.span().start,
                    format!("invalid glob `{}`: {e}", glob.get_ref()),
                ));
            }
        }
        let mut per_path_ignores = Vec::new();
        let mut per_path_spans = Vec::new();
        for (pattern, rules) in &spec.per_path_ignores {
            match globset::Glob::new(pattern) {
                Ok(glob) => {
                    per_path_ignores.push((
                        glob.compile_matcher(),
                        rules
                            .get_ref()
                            .iter()
                            .map(|r| r.get_ref().clone())
                            .collect(),
                    ));
                    per_path_spans.push(rules.get_ref().iter().map(Spanned::span).collect());
                }
                Err(e) => problems.push(problem(
                    rules.span().start,
                    format!("invalid path glob `{pattern}`: {e}"),
                )),
            }
        }
        if let Some(share) = &spec.guard_share {
            if !(0.0..=1.0).contains(share.get_ref()) {
                problems.push(problem(
                    share.span().start,
                    "`guard-share` must be between 0 and 1".into(),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(RuleFileErrors(problems).into());
        }
        Ok(Self {
            path: Some(path.to_path_buf()),
            rules: spec.rules.iter().map(|r| folder.join(r)).collect(),
            default_rules: spec.default_rules,
            select: spec.select.iter().map(|s| s.get_ref().clone()).collect(),
            extend_select: spec
                .extend_select
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            ignore: spec.ignore.iter().map(|s| s.get_ref().clone()).collect(),
            per_path_ignores,
            lang: spec.lang,
            lid_model: spec.lid_model.map(|model| folder.join(model)),
            guard_share: spec.guard_share.map(Spanned::into_inner),
            allow: spec.allow,
            allow_ids: spec.allow_ids,
            quality: spec
                .quality
                .iter()
                .map(|(id, limit)| (id.get_ref().clone(), *limit.get_ref()))
                .collect(),
            spans: Spans {
                quality: spec.quality.keys().map(Spanned::span).collect(),
                select: spec.select.iter().map(Spanned::span).collect(),
                extend_select: spec.extend_select.iter().map(Spanned::span).collect(),
                ignore: spec.ignore.iter().map(Spanned::span).collect(),
                per_path: per_path_spans,
            },
            text,
        })
    }

    /// Checks that every rule glob of the config matches a rule of `rules`; an unknown id
    /// is an error at its position in the file.
    pub fn check_rule_globs(&self, rules: &RuleSet) -> Result<(), Error> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut problems = Vec::new();
        let groups = [
            (&self.select, &self.spans.select),
            (&self.extend_select, &self.spans.extend_select),
            (&self.ignore, &self.spans.ignore),
        ]
        .into_iter()
        .chain(
            self.per_path_ignores
                .iter()
                .zip(&self.spans.per_path)
                .map(|((_, globs), spans)| (globs, spans)),
        );
        for (globs, spans) in groups {
            for (glob, span) in globs.iter().zip(spans) {
                if let Err(Error::Selection { message }) =
                    rules.clone().select(std::slice::from_ref(glob), &[])
                {
                    problems.push(self.problem(path, span.start, message));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(RuleFileErrors(problems).into())
        }
    }

    /// Applies the `[quality]` overrides to `rules`; an id that is not a quality rule is an
    /// error at its position in the file.
    pub fn apply_quality_overrides(&self, rules: &mut RuleSet) -> Result<(), Error> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut problems = Vec::new();
        for ((id, limit), span) in self.quality.iter().zip(&self.spans.quality) {
            if !rules.set_threshold(id, *limit) {
                problems.push(self.problem(
                    path,
                    span.start,
                    format!("`{id}` is not a quality rule"),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(RuleFileErrors(problems).into())
        }
    }

    fn problem(&self, path: &Path, offset: usize, message: String) -> RuleFileProblem {
        problem_at(path, &self.text, offset, message)
    }

    /// The rule-id globs to skip for an input path.
    #[must_use]
    pub fn ignores_for(&self, input: &Path) -> Vec<String> {
        let relative = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .and_then(|folder| {
                let absolute = std::fs::canonicalize(input).ok()?;
                let folder = std::fs::canonicalize(folder).ok()?;
                absolute.strip_prefix(folder).ok().map(Path::to_path_buf)
            });
        self.per_path_ignores
            .iter()
            .filter(|(glob, _)| {
                glob.is_match(input) || relative.as_deref().is_some_and(|r| glob.is_match(r))
            })
            .flat_map(|(_, rules)| rules.iter().cloned())
            .collect()
    }
}

/// A problem at byte `offset` of the config `text` read from `path`.
fn problem_at(path: &Path, text: &str, offset: usize, message: String) -> RuleFileProblem {
    let (line, column) = line_column(text, offset);
    RuleFileProblem {
        path: path.to_path_buf(),
        line,
        column,
        rule: None,
        message,
    }
}
