//! Reading, validating and compiling rule files into a [`RuleSet`].
//!
//! Parse (serde, `spec.rs`), then validate what serde cannot (ids, regexes, templates,
//! which keys a kind takes), then compile. Every problem in every file is collected before
//! failing, so a user fixes a file in one round.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::compile::Scheme;
use super::compile::{Located, Schemes};
use super::spec::{RuleFileSpec, RuleSpec};
use super::{Kind, Role, Rule, RuleId, RuleSet, RuleTest, Within};
use crate::error::{Error, RuleFileErrors, RuleFileProblem};
use crate::position::line_column;
use crate::quality::Verdict;
use crate::source::{GroupBy, Scope};

/// The default rule files, embedded in the binary, in the order they run.
pub const DEFAULT_RULE_FILES: &[(&str, &str)] = &[
    // Glitch repair first, so the scraper and name rules see clean characters.
    (
        "rules/normalize.toml",
        include_str!("../../rules/normalize.toml"),
    ),
    (
        "rules/scraper.toml",
        include_str!("../../rules/scraper.toml"),
    ),
    // The generated list of the region's names runs before the hand-written name rules,
    // so the Turkish-letter check after them sees only the names nobody listed.
    (
        "rules/names-region.toml",
        include_str!("../../rules/names-region.toml"),
    ),
    ("rules/names.toml", include_str!("../../rules/names.toml")),
    // The quality families: their `quality` rules act only when quality is asked for
    // (`Options::quality`), their line filters only when selected (`default = false`), so
    // they change nothing in an ordinary run.
    (
        "rules/quality/gopher.toml",
        include_str!("../../rules/quality/gopher.toml"),
    ),
    (
        "rules/quality/c4.toml",
        include_str!("../../rules/quality/c4.toml"),
    ),
    (
        "rules/quality/fineweb.toml",
        include_str!("../../rules/quality/fineweb.toml"),
    ),
    (
        "rules/quality/refinedweb.toml",
        include_str!("../../rules/quality/refinedweb.toml"),
    ),
    // The line model, shipped off: it deletes whole lines a user must opt into
    // (`--extend-select 'boilerplate/*'`).
    (
        "rules/boilerplate.toml",
        include_str!("../../rules/boilerplate.toml"),
    ),
    // White space last: the rules before it leave some behind.
    ("rules/space.toml", include_str!("../../rules/space.toml")),
    // FineWeb-2's finishing touches, shipped off (`--recipe fineweb-2` selects them): after
    // every other edit, as FineWeb-2 makes them after its filters.
    (
        "rules/finishing.toml",
        include_str!("../../rules/finishing.toml"),
    ),
];

/// Where rules come from.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Start from the embedded default rules.
    pub default_rules: bool,
    /// Extra rule files or folders (searched for `*.toml`), in order, after the defaults.
    pub paths: Vec<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            default_rules: true,
            paths: Vec::new(),
        }
    }
}

impl RuleSet {
    /// The embedded default rules.
    pub fn defaults() -> Result<Self, Error> {
        Self::load(&LoadOptions::default())
    }

    /// Loads the defaults (if asked) and then every path, in order.
    pub fn load(options: &LoadOptions) -> Result<Self, Error> {
        let mut sources: Vec<(PathBuf, String)> = Vec::new();
        if options.default_rules {
            for (name, text) in DEFAULT_RULE_FILES {
                sources.push((
                    PathBuf::from(format!("<default>/{name}")),
                    (*text).to_string(),
                ));
            }
        }
        for path in &options.paths {
            for file in rule_files(path)? {
                let text = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                    path: file.clone(),
                    source,
                })?;
                sources.push((file, text));
            }
        }
        Self::from_sources(&sources)
    }

    /// Compiles rule files given as `(path, contents)`, in order.
    pub fn from_sources(sources: &[(PathBuf, String)]) -> Result<Self, Error> {
        let mut problems = Vec::new();
        let mut files = Vec::new();
        for (path, text) in sources {
            match toml::from_str::<RuleFileSpec>(text) {
                Ok(spec) => files.push((path, text, spec)),
                Err(e) => {
                    let offset = e.span().map_or(0, |s| s.start);
                    let (line, column) = line_column(text, offset);
                    problems.push(RuleFileProblem {
                        path: path.clone(),
                        line,
                        column,
                        rule: enclosing_rule_id(text, offset),
                        message: with_language_hint(e.message().trim(), text),
                    });
                }
            }
        }
        // Schemes first: a rule may use a scheme from any file.
        let mut schemes: HashMap<String, Scheme> = HashMap::new();
        let mut scheme_order: Vec<String> = Vec::new();
        for (path, text, spec) in &files {
            for scheme in &spec.scheme {
                let mut at = Located {
                    path,
                    text,
                    rule: None,
                    problems: &mut problems,
                };
                if schemes.contains_key(scheme.name.get_ref()) {
                    at.report(
                        scheme.name.span(),
                        format!("duplicate scheme `{}`", scheme.name.get_ref()),
                    );
                    continue;
                }
                let mut letters: Vec<(String, String)> = scheme
                    .letters
                    .get_ref()
                    .iter()
                    .map(|(from, to)| (from.to_lowercase(), to.to_lowercase()))
                    .collect();
                if letters.iter().any(|(from, _)| from.is_empty()) {
                    at.report(scheme.letters.span(), "a scheme letter is empty".into());
                }
                letters.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
                scheme_order.push(scheme.name.get_ref().clone());
                schemes.insert(scheme.name.get_ref().clone(), Scheme { letters });
            }
        }
        let mut rules = Vec::new();
        let mut first_seen: HashMap<String, PathBuf> = HashMap::new();
        for (path, text, spec) in files {
            for rule in spec.rule {
                let id = rule.id.get_ref().clone();
                let mut at = Located {
                    path,
                    text,
                    rule: Some(id.clone()),
                    problems: &mut problems,
                };
                if let Some(first) = first_seen.get(&id) {
                    let message =
                        format!("duplicate rule id (first defined in {})", first.display());
                    at.report(rule.id.span(), message);
                    continue;
                }
                first_seen.insert(id, path.clone());
                if let Some(rule) = compile_rule(rule, &schemes, &mut at) {
                    rules.push(rule);
                }
            }
        }
        if problems.is_empty() {
            // A flag's suggestion is confirmed by the names the name rules spell.
            let known = std::sync::Arc::new(
                Self {
                    rules: rules.clone(),
                    schemes: Vec::new(),
                }
                .known_names(),
            );
            for rule in &mut rules {
                rule.set_known_names(&known);
            }
            let schemes = scheme_order
                .into_iter()
                .filter_map(|name| Some((name.clone(), schemes.remove(&name)?)))
                .collect();
            Ok(Self { rules, schemes })
        } else {
            Err(RuleFileErrors(problems).into())
        }
    }
}

/// The `*.toml` files under `path` (itself, when it is a file), sorted.
pub(crate) fn rule_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?.path();
        if entry.is_dir() {
            found.extend(rule_files(&entry)?);
        } else if entry.extension().is_some_and(|e| e == "toml") && !is_language_file(&entry) {
            found.push(entry);
        }
    }
    found.sort();
    Ok(found)
}

/// A sentence-language file (`rules/lang/en.toml`: a top-level `language` key) sits beside
/// rule files but is read by the segmenter; a folder search skips it.
fn is_language_file(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| table.contains_key("language") && !table.contains_key("rule"))
}

/// Validates one rule and compiles it; `None` when it has problems (already reported).
fn compile_rule(spec: RuleSpec, schemes: &Schemes, at: &mut Located<'_>) -> Option<Rule> {
    let before = at.problems.len();
    let id = RuleId::parse(spec.id.get_ref());
    if id.is_none() {
        at.report(
            spec.id.span(),
            "rule ids are `group/name` in lower-case kebab-case, e.g. `scraper/ad-placeholder`"
                .into(),
        );
    }
    if spec.description.get_ref().trim().is_empty() {
        at.report(spec.description.span(), "`description` is empty".into());
    }
    let Some(kind) = Kind::named(spec.kind.get_ref()).filter(|k| k.def().compile.is_some()) else {
        let kinds: Vec<&str> = Kind::file_kinds().collect();
        at.report(
            spec.kind.span(),
            format!(
                "unknown kind `{}`\nhelp: kinds are {}",
                spec.kind.get_ref(),
                kinds.join(", ")
            ),
        );
        return None;
    };
    // Keys a kind does not use are errors: a misplaced key is almost always a mistake.
    let allowed = kind.def().keys;
    for (key, span) in spec.kind_keys() {
        if let Some(span) = span {
            if !allowed.contains(&key) {
                at.report(
                    span,
                    format!("key `{key}` does not apply to kind `{}`", kind.name()),
                );
            }
        }
    }
    let within = spec.within.as_ref().and_then(|w| {
        let parsed = Within::parse(w.get_ref());
        if parsed.is_none() {
            at.report(
                w.span(),
                format!(
                    "invalid `within` value `{}`: expected `head:N` or `tail:N`",
                    w.get_ref()
                ),
            );
        }
        parsed
    });
    let scope = source_scope(&spec, kind, at);

    let compile = kind.def().compile.expect("a rule-file kind");
    let action = compile(&spec, schemes, at);
    // A check-only rule never changes text, so its tests say what it reports instead.
    for test in &spec.test {
        let (wrong_key, right_key) = match kind.role() {
            Role::Flags if test.output.is_some() => ("output", "flagged"),
            Role::Flags => continue,
            _ if test.flagged.is_some() => ("flagged", "output"),
            _ => continue,
        };
        at.report(
            spec.id.span(),
            format!(
                "a test of kind `{}` cannot have `{wrong_key}`; use `{right_key}`",
                kind.name()
            ),
        );
    }
    let tests = compile_tests(&spec, kind, at);
    if at.problems.len() > before {
        return None;
    }
    Some(Rule {
        id: id?,
        kind,
        description: spec.description.get_ref().trim().to_string(),
        why: spec.why.clone(),
        source: at.path.to_path_buf(),
        line: line_column(at.text, spec.id.span().start).0,
        pattern: spec.pattern.as_ref().map(|p| p.get_ref().clone()),
        tests,
        enabled: spec.default.unwrap_or(true),
        action: action?,
        within,
        scope,
    })
}

/// The rule's `source` condition; `source-by` alone, or on a rule that judges whole
/// documents (whose verdicts a corpus must apply alike), is a problem.
fn source_scope(spec: &RuleSpec, kind: Kind, at: &mut Located<'_>) -> Option<Scope> {
    let Some(name) = &spec.source else {
        if let Some(by) = &spec.source_by {
            at.report(by.span(), "`source-by` needs `source`".into());
        }
        return None;
    };
    if kind.role() == Role::Judges {
        at.report(
            name.span(),
            format!("key `source` does not apply to kind `{}`", kind.name()),
        );
        return None;
    }
    let by = spec
        .source_by
        .as_ref()
        .map_or(GroupBy::File, |by| GroupBy::parse(by.get_ref()));
    // A file is named by its canonical path, however the rule spells it.
    let name = match by {
        GroupBy::File => crate::source::canonical_name(std::path::Path::new(name.get_ref())),
        _ => name.get_ref().clone(),
    };
    Some(Scope { by, name })
}

/// The rule's test cases; edit rules expect `output`, quality rules `verdict`.
fn compile_tests(spec: &RuleSpec, kind: Kind, at: &mut Located<'_>) -> Vec<RuleTest> {
    let mut tests = Vec::new();
    for (index, case) in spec.test.iter().enumerate() {
        let verdict = match (kind.role(), case.verdict.as_deref(), &case.output) {
            (Role::Judges, Some("keep"), None) => Some(Verdict::Keep),
            (Role::Judges, Some("drop"), None) => Some(Verdict::Drop),
            (Role::Judges, _, _) => {
                at.report(
                    spec.id.span(),
                    format!(
                        "test {}: a quality rule's test gives `verdict = \"keep\"` or `verdict = \"drop\"` (and no `output`)",
                        index + 1
                    ),
                );
                None
            }
            (_, Some(_), _) => {
                at.report(
                    spec.id.span(),
                    format!(
                        "test {}: `verdict` is for quality rules; kind `{}` tests give `output`",
                        index + 1,
                        kind.name()
                    ),
                );
                None
            }
            (_, None, _) => None,
        };
        tests.push(RuleTest {
            input: case.input.clone(),
            output: case.output.clone(),
            flagged: case.flagged.clone().unwrap_or_default(),
            verdict,
        });
    }
    tests
}

/// Names the mistake when a sentence-language file is given as a rule file.
fn with_language_hint(message: &str, text: &str) -> String {
    let is_language = text
        .parse::<toml::Table>()
        .is_ok_and(|table| table.contains_key("language") && !table.contains_key("rule"));
    if is_language {
        format!("{message}\nhelp: this is a sentence-language file (it sets `language`), not a rule file; the segmenter reads it (`--lang`)")
    } else {
        message.to_string()
    }
}

/// The id of the `[[rule]]` table around `offset`, for syntax errors found before serde
/// knows which rule it is in.
fn enclosing_rule_id(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind("[[rule]]")?;
    let end = text[start + 8..]
        .find("[[rule]]")
        .map_or(text.len(), |i| start + 8 + i);
    let id = regex::Regex::new(r#"(?m)^\s*id\s*=\s*["']([^"']+)["']"#).expect("static regex");
    id.captures(&text[start..end]).map(|c| c[1].to_string())
}
