//! Reading, validating and compiling rule files into a [`RuleSet`].
//!
//! Parse (serde, `spec.rs`), then validate what serde cannot (ids, regexes, templates,
//! which keys a kind takes), then compile. Every problem in every file is collected before
//! failing, so a user fixes a file in one round.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::flag::FlagCheck;
use super::names::{transliteration_entries, NameTable, Scheme};
use super::spec::{RuleFileSpec, RuleSpec};
use super::{regex_kinds, Action, Kind, Rule, RuleId, RuleSet, RuleTest, Scope, Within};
use crate::error::{Error, RuleFileErrors, RuleFileProblem};
use crate::position::line_column;
use crate::quality::{Bound, Signal, Threshold, Verdict};

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

/// Collects problems for one rule of one file.
struct Located<'a> {
    path: &'a Path,
    text: &'a str,
    rule: Option<String>,
    problems: &'a mut Vec<RuleFileProblem>,
}

impl Located<'_> {
    fn report(&mut self, span: Range<usize>, message: String) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(RuleFileProblem {
            path: self.path.to_path_buf(),
            line,
            column,
            rule: self.rule.clone(),
            message,
        });
    }
}

/// Validates one rule and compiles it; `None` when it has problems (already reported).
fn compile_rule(
    spec: RuleSpec,
    schemes: &HashMap<String, Scheme>,
    at: &mut Located<'_>,
) -> Option<Rule> {
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
    let kind = match spec.kind.get_ref().as_str() {
        "remove" => Some(Kind::Remove),
        "drop-line" => Some(Kind::DropLine),
        "replace" => Some(Kind::Replace),
        "lexicon" => Some(Kind::Lexicon),
        "transliterate" => Some(Kind::Transliterate),
        "normalize" => Some(Kind::Normalize),
        "flag" => Some(Kind::Flag),
        "quality" => Some(Kind::Quality),
        "line-score" => Some(Kind::LineScore),
        other => {
            at.report(
                spec.kind.span(),
                format!("unknown kind `{other}`\nhelp: kinds are remove, drop-line, replace, lexicon, transliterate, normalize, flag, quality, line-score"),
            );
            None
        }
    };
    let kind = kind?;
    // Keys a kind does not use are errors: a misplaced key is almost always a mistake.
    let allowed: &[&str] = match kind {
        Kind::Remove => &["pattern", "scope", "within"],
        Kind::DropLine => &["pattern", "within"],
        Kind::Replace => &["pattern", "replacement", "within"],
        Kind::Lexicon => &["entries", "within"],
        Kind::Transliterate => &["names", "schemes", "exclude", "within"],
        Kind::Normalize => &[
            "steps",
            "form",
            "style",
            "trailing-space",
            "space-runs",
            "max-blank-lines",
            "crlf",
            "lone-cr",
        ],
        Kind::Flag => &["letters", "schemes", "phrases", "fix"],
        Kind::Quality => &["signal", "min", "max", "above", "below"],
        Kind::LineScore => &["weights", "threshold", "windows"],
        Kind::RepeatedLine => &[],
    };
    let present: [(&str, Option<Range<usize>>); 26] = [
        ("weights", spec.weights.as_ref().map(Spanned::span)),
        ("threshold", spec.threshold.as_ref().map(Spanned::span)),
        ("windows", spec.windows.as_ref().map(Spanned::span)),
        ("pattern", spec.pattern.as_ref().map(Spanned::span)),
        ("scope", spec.scope.as_ref().map(Spanned::span)),
        ("replacement", spec.replacement.as_ref().map(Spanned::span)),
        ("entries", spec.entries.as_ref().map(Spanned::span)),
        ("names", spec.names.as_ref().map(Spanned::span)),
        ("schemes", spec.schemes.as_ref().map(Spanned::span)),
        ("within", spec.within.as_ref().map(Spanned::span)),
        ("steps", spec.steps.as_ref().map(Spanned::span)),
        ("form", spec.form.as_ref().map(Spanned::span)),
        ("style", spec.style.as_ref().map(Spanned::span)),
        (
            "trailing-space",
            spec.trailing_space.as_ref().map(Spanned::span),
        ),
        ("space-runs", spec.space_runs.as_ref().map(Spanned::span)),
        (
            "max-blank-lines",
            spec.max_blank_lines.as_ref().map(Spanned::span),
        ),
        ("crlf", spec.crlf.as_ref().map(Spanned::span)),
        ("lone-cr", spec.lone_cr.as_ref().map(Spanned::span)),
        ("letters", spec.letters.as_ref().map(Spanned::span)),
        ("phrases", spec.phrases.as_ref().map(Spanned::span)),
        ("fix", spec.fix.as_ref().map(Spanned::span)),
        ("signal", spec.signal.as_ref().map(Spanned::span)),
        ("min", spec.min.as_ref().map(Spanned::span)),
        ("max", spec.max.as_ref().map(Spanned::span)),
        ("above", spec.above.as_ref().map(Spanned::span)),
        ("below", spec.below.as_ref().map(Spanned::span)),
    ];
    for (key, span) in present {
        if let Some(span) = span {
            if !allowed.contains(&key) {
                at.report(
                    span,
                    format!("key `{key}` does not apply to kind `{}`", kind.name()),
                );
            }
        }
    }
    if spec.exclude.is_some() && kind != Kind::Transliterate {
        at.report(
            spec.id.span(),
            format!("key `exclude` does not apply to kind `{}`", kind.name()),
        );
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

    let action = match kind {
        Kind::Remove | Kind::DropLine | Kind::Replace => compile_regex_action(&spec, kind, at),
        Kind::Lexicon => {
            let entries = required(&spec.entries, "entries", &spec, at)?;
            if entries.get_ref().keys().any(|k| k.trim().is_empty()) {
                at.report(entries.span(), "a lexicon key is empty".into());
            }
            names_action(entries.get_ref(), entries.span(), at)
        }
        Kind::Transliterate => {
            let names = required(&spec.names, "names", &spec, at)?;
            let wanted = required(&spec.schemes, "schemes", &spec, at)?;
            let mut chosen = Vec::new();
            for name in wanted.get_ref() {
                match schemes.get(name) {
                    Some(scheme) => chosen.push(scheme),
                    None => at.report(wanted.span(), format!("unknown scheme `{name}`")),
                }
            }
            let exclude: BTreeSet<String> = spec.exclude.iter().flatten().cloned().collect();
            let entries = transliteration_entries(names.get_ref(), &chosen, &exclude);
            match NameTable::new(&entries) {
                Ok(table) => Some(Action::Names(Box::new(table.with_listed(names.get_ref())))),
                Err(e) => {
                    at.report(names.span(), format!("cannot build the name table: {e}"));
                    None
                }
            }
        }
        Kind::Normalize => match super::normalize::compile(&spec) {
            Ok(normalizer) => Some(Action::Normalize(Box::new(normalizer))),
            Err(problems) => {
                for (span, message) in problems {
                    at.report(span, message);
                }
                None
            }
        },
        Kind::Flag => {
            let letters = required(&spec.letters, "letters", &spec, at)?;
            if letters.get_ref().trim().is_empty() {
                at.report(letters.span(), "`letters` is empty".into());
            }
            let mut chosen = Vec::new();
            for name in spec.schemes.iter().flat_map(|s| s.get_ref()) {
                match schemes.get(name) {
                    Some(scheme) => chosen.push(scheme),
                    None => at.report(
                        spec.schemes.as_ref().map_or(spec.id.span(), Spanned::span),
                        format!("unknown scheme `{name}`"),
                    ),
                }
            }
            let fix = match spec.fix.as_ref().map(|f| (f.get_ref().as_str(), f.span())) {
                None => false,
                Some(("confirmed", _)) => true,
                Some((other, span)) => {
                    at.report(
                        span,
                        format!("invalid `fix` value `{other}`: the one value is `confirmed`"),
                    );
                    false
                }
            };
            let mut check = FlagCheck::new(letters.get_ref(), &chosen).fixing_confirmed(fix);
            if let Some(phrases) = &spec.phrases {
                if phrases.get_ref().keys().any(|k| k.trim().is_empty()) {
                    at.report(phrases.span(), "a phrase is empty".into());
                }
                check = check.with_phrases(phrases.get_ref());
            }
            Some(Action::Flag(Box::new(check)))
        }
        Kind::Quality => quality_action(&spec, at),
        Kind::LineScore => line_score_action(&spec, at),
        Kind::RepeatedLine => None,
    };
    // A check-only rule never changes text, so its tests say what it reports instead.
    for test in &spec.test {
        let (wrong_key, right_key) = match kind {
            Kind::Flag if test.output.is_some() => ("output", "flagged"),
            Kind::Flag => continue,
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
    })
}

/// A line model: known feature names, a threshold between 0 and 1.
fn line_score_action(spec: &RuleSpec, at: &mut Located<'_>) -> Option<Action> {
    let weights = required(&spec.weights, "weights", spec, at)?;
    let threshold = required(&spec.threshold, "threshold", spec, at)?;
    if !(0.0..=1.0).contains(threshold.get_ref()) {
        at.report(
            threshold.span(),
            "`threshold` must be between 0 and 1".into(),
        );
    }
    let windows = spec
        .windows
        .as_ref()
        .map_or_else(Vec::new, |w| w.get_ref().clone());
    match super::LineModel::new(windows.clone(), weights.get_ref(), *threshold.get_ref()) {
        Ok(model) => Some(Action::LineScore(Box::new(model))),
        Err(unknown) => {
            let known = super::LineModel::feature_names(&windows);
            let hint = known
                .iter()
                .min_by_key(|k| super::edit_distance(k, &unknown[0]))
                .map(|k| format!("\nhelp: did you mean `{k}`?"))
                .unwrap_or_default();
            at.report(
                weights.span(),
                format!("unknown feature `{}`{hint}", unknown.join("`, `")),
            );
            None
        }
    }
}

/// A quality rule's threshold: a known signal and exactly one bound.
fn quality_action(spec: &RuleSpec, at: &mut Located<'_>) -> Option<Action> {
    let name = required(&spec.signal, "signal", spec, at)?;
    let Some(signal) = Signal::from_name(name.get_ref()) else {
        let hint = Signal::ALL
            .iter()
            .map(|s| s.name())
            .min_by_key(|s| super::edit_distance(s, name.get_ref()))
            .map(|s| format!("\nhelp: did you mean `{s}`? (the README lists every signal)"))
            .unwrap_or_default();
        at.report(
            name.span(),
            format!("unknown signal `{}`{hint}", name.get_ref()),
        );
        return None;
    };
    let bounds: Vec<(Bound, Range<usize>)> = [
        spec.min
            .as_ref()
            .map(|v| (Bound::Min(*v.get_ref()), v.span())),
        spec.max
            .as_ref()
            .map(|v| (Bound::Max(*v.get_ref()), v.span())),
        spec.above
            .as_ref()
            .map(|v| (Bound::Above(*v.get_ref()), v.span())),
        spec.below
            .as_ref()
            .map(|v| (Bound::Below(*v.get_ref()), v.span())),
    ]
    .into_iter()
    .flatten()
    .collect();
    match bounds.as_slice() {
        [(bound, span)] => {
            if !bound.limit().is_finite() {
                at.report(span.clone(), "the threshold must be a finite number".into());
                return None;
            }
            Some(Action::Quality(Threshold {
                signal,
                bound: *bound,
            }))
        }
        [] => {
            at.report(
                spec.id.span(),
                "kind `quality` needs one of `min`, `max`, `above`, `below`".into(),
            );
            None
        }
        [_, (_, span), ..] => {
            // Two bounds are two rules: each threshold gets its own id, so a drop names
            // exactly the bound that failed.
            at.report(
                span.clone(),
                "a quality rule takes one bound; write a second rule for the other side".into(),
            );
            None
        }
    }
}

/// The rule's test cases; edit rules expect `output`, quality rules `verdict`.
fn compile_tests(spec: &RuleSpec, kind: Kind, at: &mut Located<'_>) -> Vec<RuleTest> {
    let mut tests = Vec::new();
    for (index, case) in spec.test.iter().enumerate() {
        let verdict = match (kind, case.verdict.as_deref(), &case.output) {
            (Kind::Quality, Some("keep"), None) => Some(Verdict::Keep),
            (Kind::Quality, Some("drop"), None) => Some(Verdict::Drop),
            (Kind::Quality, _, _) => {
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

fn required<'s, T>(
    value: &'s Option<Spanned<T>>,
    key: &str,
    spec: &RuleSpec,
    at: &mut Located<'_>,
) -> Option<&'s Spanned<T>> {
    if value.is_none() {
        at.report(
            spec.id.span(),
            format!("kind `{}` needs `{key}`", spec.kind.get_ref()),
        );
    }
    value.as_ref()
}

fn compile_regex_action(spec: &RuleSpec, kind: Kind, at: &mut Located<'_>) -> Option<Action> {
    let pattern = required(&spec.pattern, "pattern", spec, at)?;
    // A drop-line rule only ever runs its pattern anchored to a whole line: compile that
    // form alone (compiling is the bulk of start-up time).
    let compiled = if kind == Kind::DropLine {
        regex_kinds::compile_whole_line(pattern.get_ref())
    } else {
        regex_kinds::compile(pattern.get_ref())
    };
    let regex = match compiled {
        Ok(regex) => regex,
        Err(e) => {
            at.report(
                pattern.span(),
                format!(
                    "invalid regex `{}`: {}",
                    pattern.get_ref(),
                    first_line(&e.to_string())
                ),
            );
            return None;
        }
    };
    // Also for `replace`: a pattern that can match nothing rewrites text that is not there.
    if regex.is_match("") {
        at.report(
            pattern.span(),
            "pattern matches the empty string, so it would match everywhere".into(),
        );
        return None;
    }
    match kind {
        Kind::Remove => {
            let scope = match spec
                .scope
                .as_ref()
                .map(|s| (s.get_ref().as_str(), s.span()))
            {
                None | Some(("match", _)) => Scope::Match,
                Some(("line", _)) => Scope::Line,
                Some((other, span)) => {
                    at.report(
                        span,
                        format!("invalid scope `{other}`: expected `match` or `line`"),
                    );
                    return None;
                }
            };
            Some(Action::Remove { regex, scope })
        }
        Kind::DropLine => Some(Action::DropLine { whole: regex }),
        Kind::Replace => {
            let template = required(&spec.replacement, "replacement", spec, at)?;
            if let Some(group) = missing_group(&regex, template.get_ref()) {
                at.report(
                    template.span(),
                    format!(
                        "replacement refers to group `{group}`, which the pattern does not have"
                    ),
                );
                return None;
            }
            Some(Action::Replace {
                regex,
                template: template.get_ref().clone(),
            })
        }
        Kind::Lexicon
        | Kind::Transliterate
        | Kind::Normalize
        | Kind::Flag
        | Kind::Quality
        | Kind::LineScore
        | Kind::RepeatedLine => {
            unreachable!("regex kinds only")
        }
    }
}

fn names_action(
    entries: &BTreeMap<String, String>,
    span: Range<usize>,
    at: &mut Located<'_>,
) -> Option<Action> {
    match NameTable::new(entries) {
        Ok(table) => Some(Action::Names(Box::new(table))),
        Err(e) => {
            at.report(span, format!("cannot build the name table: {e}"));
            None
        }
    }
}

/// The first `$group` in `template` that `regex` lacks.
fn missing_group(regex: &regex::Regex, template: &str) -> Option<String> {
    let reference =
        regex::Regex::new(r"\$(?:\$|\{([^}]*)\}|([0-9A-Za-z_]+))").expect("static regex");
    for caps in reference.captures_iter(template) {
        let Some(name) = caps.get(1).or_else(|| caps.get(2)) else {
            continue;
        };
        let name = name.as_str();
        let exists = match name.parse::<usize>() {
            Ok(n) => n < regex.captures_len(),
            Err(_) => regex.capture_names().flatten().any(|n| n == name),
        };
        if !exists {
            return Some(name.to_string());
        }
    }
    None
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

fn first_line(s: &str) -> String {
    // regex errors are multi-line with a caret diagram; keep the last line (the reason).
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
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
