//! The compiled rule set applied to one document.
//!
//! A [`Pipeline`] is built once and shared by reference across threads. Running it on a
//! text applies each rule in order to the output of the one before, keeps a
//! [`SourceMap`] back to the original, and records every edit as a [`Change`] in original
//! coordinates. Check-only rules add [`Finding`]s, positioned the same way, and edit
//! nothing. When asked, it then measures the cleaned text and applies the
//! `quality` rules to it ([`Quality`]) and splits it into sentences.

use std::fmt;
use std::ops::Range;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use crate::edit::{apply, Edit, SourceMap, Written};
use crate::id::RuleId;
use crate::position::{LineIndex, Span};
use crate::quality::recipe::fineweb2;
use crate::quality::{Quality, Recipe, Threshold};
use crate::rule::{Note, Reach, Role, Rule, RuleSet};
use crate::sentence::RuleChoice;
use crate::source::{GroupBy, Scope};

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
    /// Which rules judge each document's quality: by default, those of its language.
    pub recipe: Recipe,
    /// The model that tells a document's language where its record does not (else the
    /// built-in detector).
    pub lid: Option<std::sync::Arc<crate::langid::LidModel>>,
    /// Split the cleaned text into sentences ([`Outcome::sentences`]), with the rules this
    /// chooses: a document's own language ([`Pipeline::run_in`]) when it has rules, else
    /// the default language, else the detected one.
    pub sentences: Option<RuleChoice>,
    /// Time every rule and the stages after them ([`Outcome::time`]).
    pub time: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            // Calibrated on real pages: correct cleaning of the 138 labelled pages in
            // fixtures/scraped-dev and the two seeds removes at most 6.3% of the words.
            guard_share: 0.10,
            allow: Vec::new(),
            quality: false,
            recipe: Recipe::ByLanguage,
            lid: None,
            sentences: None,
            time: false,
        }
    }
}

/// A part of cleaning a document that [`Outcome::time`] times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// A rule: its passes and re-checks, with its edits applied and recorded.
    Rule(RuleId),
    /// Measuring the quality signals and applying the quality rules.
    Quality,
    /// Splitting the cleaned text into sentences.
    Sentences,
}

impl Stage {
    /// The rule's id, or the stage's name in parentheses.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Rule(id) => id.as_str(),
            Self::Quality => "(quality signals)",
            Self::Sentences => "(sentence split)",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One edit as the user sees it, positioned in the original document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The rule that made it.
    pub rule: RuleId,
    /// Where the changed text sits in the original document.
    #[serde(flatten)]
    pub span: Span,
    /// The text the rule replaced, as the rule saw it (equal to the original span unless
    /// an earlier rule changed that text).
    pub before: String,
    /// What the rule put in its place.
    pub after: String,
    /// A line model's score for the line it removed (`line-score` rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    /// Documents of the source holding the line it removed (`discover/repeated-line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// A score between 0 and 1, kept to three decimals so change records compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score(u16);

impl Score {
    fn new(score: f64) -> Self {
        Self((score.clamp(0.0, 1.0) * 1000.0).round() as u16)
    }

    /// The score.
    #[must_use]
    pub fn get(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.get())
    }
}

/// Something a check-only rule reports for a person to look at, positioned in the original
/// document. The text is not changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule that reported it.
    pub rule: RuleId,
    /// Where the reported text sits in the original document.
    #[serde(flatten)]
    pub span: Span,
    /// The reported text, as the rule saw it.
    pub text: String,
    /// What is suspicious about it.
    pub message: String,
    /// A likely correct form, when the rule knows one.
    pub suggestion: Option<String>,
}

/// What a front end knows of a document besides its text, for [`Pipeline::run_with`].
#[derive(Clone, Copy, Default)]
pub struct Context<'a> {
    /// The document's language code (the record's `lang`): it picks the sentence rules.
    pub lang: Option<&'a str>,
    /// The document's language as a language identifier labels it (the record's
    /// `language`: `de`, `deu`, `deu_Latn`) and its script (`language_script`), which
    /// pick the quality rules.
    pub language: Option<&'a str>,
    /// See `language`.
    pub script: Option<&'a str>,
    /// The identifier's score for `language` (the record's `language_score`).
    pub language_score: Option<f64>,
    /// A rule of the document's source to run before the pipeline's own, such as its
    /// repeated lines ([`Rule::repeated_lines`]).
    pub first: Option<&'a Rule>,
    /// The document's source under a grouping. Without it, rules scoped to a source
    /// (`source = ...`) do not run: the document is of no known source.
    pub source: Option<&'a dyn Fn(&GroupBy) -> String>,
}

/// A document's sources, each read once, however many scoped rules ask.
struct Sources<'a> {
    read: Option<&'a dyn Fn(&GroupBy) -> String>,
    known: Vec<(GroupBy, String)>,
}

impl<'a> Sources<'a> {
    fn new(read: Option<&'a dyn Fn(&GroupBy) -> String>) -> Self {
        Self {
            read,
            known: Vec::new(),
        }
    }

    /// Whether the document is of `scope`'s source.
    fn holds(&mut self, scope: &Scope) -> bool {
        let Some(read) = self.read else {
            return false;
        };
        if let Some((_, name)) = self.known.iter().find(|(by, _)| *by == scope.by) {
            return *name == scope.name;
        }
        let name = read(&scope.by);
        let holds = name == scope.name;
        self.known.push((scope.by.clone(), name));
        holds
    }
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
    /// The sentences of the cleaned text as byte ranges into [`Outcome::text`]; `Some` only
    /// when [`Options::sentences`] is set.
    pub sentences: Option<Vec<std::ops::Range<usize>>>,
    /// The time each rule and each later stage took on this document, in the order they
    /// ran; empty unless [`Options::time`] is set.
    pub time: Vec<(Stage, Duration)>,
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
            sentences: None,
            time: Vec::new(),
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
    recipe: Recipe,
    lid: Option<std::sync::Arc<crate::langid::LidModel>>,
    sentences: Option<RuleChoice>,
    time: bool,
}

impl Pipeline {
    /// Whether outcomes carry sentences.
    #[must_use]
    pub fn splits_sentences(&self) -> bool {
        self.sentences.is_some()
    }

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
            recipe: options.recipe,
            lid: options.lid,
            sentences: options.sentences,
            guard_share: options.guard_share,
            allow,
            time: options.time,
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
        self.run_in(original, None)
    }

    /// Cleans one text written in `lang` (a code such as `de`, from the document's
    /// record); it picks the sentence rules when there are rules for it.
    #[must_use]
    pub fn run_in(&self, original: &str, lang: Option<&str>) -> Outcome {
        self.run_with(
            original,
            &Context {
                lang,
                ..Context::default()
            },
        )
    }

    /// Cleans one text with what the front end knows of its document: its language, a
    /// rule of its source to run first, and its source for the rules scoped to one.
    #[must_use]
    pub fn run_with(&self, original: &str, context: &Context<'_>) -> Outcome {
        let lang = context.lang;
        let mut sources = Sources::new(context.source);
        let rules: Vec<&Rule> = context
            .first
            .into_iter()
            .chain(&self.rules)
            .filter(|r| r.kind.role() != Role::Judges)
            .filter(|r| r.scope.as_ref().is_none_or(|s| sources.holds(s)))
            .collect();
        let mut run = Run::new(original);
        if self.time {
            run.times.resize(rules.len(), Duration::ZERO);
        }
        let mut edited = self.pass(&mut run, &rules);
        // A later rule can leave text an earlier one would change (deleting a date exposes
        // a credit line; `\r` → `\n` splits one): passes repeat while a rule would edit
        // what rules after it wrote, so cleaning cleaned text changes nothing.
        for _ in 1..MAX_PASSES {
            if !(edited && self.would_edit(&mut run, &rules)) {
                break;
            }
            edited = self.pass(&mut run, &rules);
        }
        let Run {
            current,
            mut changes,
            findings,
            times,
            ..
        } = run;
        let mut time: Vec<(Stage, Duration)> = rules
            .iter()
            .zip(times)
            .map(|(rule, took)| (Stage::Rule(rule.id.clone()), took))
            .collect();
        let mut timed = |stage: Stage, started: Option<Instant>| {
            if let Some(started) = started {
                time.push((stage, started.elapsed()));
            }
        };
        let text = current.unwrap_or_else(|| original.to_string());
        // Rules that undo each other (`cat` → `dog` → `cat`) changed nothing: a document
        // whose text came back whole is reported unchanged, not as two changes.
        if !changes.is_empty() && text == original {
            changes.clear();
        }
        let guard = self.guard(original, &changes);
        // Quality rules judge the final text, after every edit rule.
        let started = (self.time && self.quality).then(Instant::now);
        let quality = self.quality.then(|| self.judge(&text, context));
        timed(Stage::Quality, started);
        let started = (self.time && self.sentences.is_some()).then(Instant::now);
        let sentences = self.sentences_of(&text, lang);
        timed(Stage::Sentences, started);
        Outcome {
            text,
            changes,
            findings,
            guard,
            quality,
            sentences,
            time,
        }
    }
}

impl Pipeline {
    /// The language-identification model quality reads languages from, if any.
    #[must_use]
    pub fn lid_model(&self) -> Option<&crate::langid::LidModel> {
        self.lid.as_deref()
    }

    /// The quality of the cleaned `text`, judged by the rules of the recipe for its
    /// language: the record's, else the one detected.
    fn judge(&self, text: &str, context: &Context<'_>) -> Quality {
        let english = || Quality::assess(text, &self.thresholds).judged_by("fineweb", "en".into());
        if self.recipe == Recipe::FineWeb {
            return english();
        }
        let named = context
            .language
            .map(|code| (code, context.script))
            .or(context.lang.map(|code| (code, None)));
        let labelled;
        let detected;
        // The identifier's score, where it is the one that named the language.
        let mut score = context.language.and(context.language_score);
        let (code, script) = match named {
            Some(named) => named,
            None if self.lid.is_some() => {
                let model = self.lid.as_ref().expect("a model");
                labelled = model.predict(text).into_iter().next();
                match &labelled {
                    Some((label, best)) => {
                        score = Some(f64::from(*best));
                        (label.as_str(), None)
                    }
                    None => return english(),
                }
            }
            None => {
                detected = crate::sentence::detect::detect_sample(text, QUALITY_SAMPLE_BYTES)
                    .filter(crate::sentence::Detection::is_reliable);
                match detected {
                    Some(detection) => (detection.code, None),
                    // Nothing to go on (no letters, or no clear language): English rules,
                    // as before languages were told apart.
                    None if self.recipe == Recipe::ByLanguage => return english(),
                    None => {
                        return Quality::unjudged(
                            None,
                            "no language: give records a `language` field (a FineWeb-2 label) or a --lid-model".into(),
                        )
                    }
                }
            }
        };
        if self.recipe == Recipe::ByLanguage && is_english(code) {
            return english();
        }
        let recipe = fineweb2();
        let Some(language) = recipe
            .resolve(code, script)
            .and_then(|label| recipe.language(label))
        else {
            let note = if is_english(code) {
                "FineWeb-2 has no rules for English: FineWeb's are `--recipe fineweb`".to_string()
            } else {
                format!("no quality rules for language `{code}`")
            };
            return Quality::unjudged(Some(code.to_string()), note);
        };
        let Some(lexicon) = &language.lexicon else {
            return Quality::unjudged(
                Some(language.label.clone()),
                format!(
                    "{}'s word tokenizer ({}) is not ported, so its words cannot be counted as FineWeb-2 counts them",
                    language.label, language.config.tokenizer
                ),
            );
        };
        Quality::assess_with_score(text, lexicon, &language.thresholds, score)
            .judged_by(Recipe::FineWeb2.name(), language.label.clone())
    }
}

/// Whether a language code names English (`en`, `eng`, `eng_Latn`).
fn is_english(code: &str) -> bool {
    matches!(
        code.strip_prefix("__label__").unwrap_or(code),
        "en" | "eng" | "eng_Latn"
    )
}

/// How much of a document the quality rules' language detection reads: more than the
/// sentence rules' sample, since a page's first lines are often its menu.
const QUALITY_SAMPLE_BYTES: usize = 2048;

/// What a rule does to one stage of a document: its edits, their notes, and what it
/// reports without fixing.
type RuleEdits = (Vec<Edit>, Vec<(usize, Note)>, Vec<crate::rule::Flagged>);

/// Most passes over one document: each repeats only because an earlier rule found
/// something in what a later rule left, which a third pass almost never does.
const MAX_PASSES: usize = 4;

/// One document being cleaned: its text so far, the map back to the original, and what
/// the rules did.
struct Run<'a> {
    original: &'a str,
    current: Option<String>,
    map: SourceMap,
    changes: Vec<Change>,
    findings: Vec<Finding>,
    index: Option<LineIndex>,
    /// Where rules wrote, by stage: a rule is checked again only where later ones wrote.
    written: Written,
    /// Rules run so far, in all passes.
    stage: usize,
    /// The stage at which each rule last ran.
    seen_at: Vec<usize>,
    /// Passes begun.
    passes: usize,
    /// The time each rule took so far, when timing.
    times: Vec<Duration>,
}

impl<'a> Run<'a> {
    fn new(original: &'a str) -> Self {
        Self {
            original,
            current: None,
            map: SourceMap::identity(original.len()),
            changes: Vec::new(),
            findings: Vec::new(),
            index: None,
            written: Written::default(),
            stage: 0,
            seen_at: Vec::new(),
            passes: 0,
            times: Vec::new(),
        }
    }

    fn text(&self) -> &str {
        self.current.as_deref().unwrap_or(self.original)
    }

    fn span(&mut self, range: Range<usize>) -> Span {
        let original = self.original;
        let range = self.map.to_original(range);
        self.index
            .get_or_insert_with(|| LineIndex::new(original))
            .span(original, range)
    }

    /// Records a finding, unless an earlier pass reported it already (looked up only in
    /// later passes, so the first costs nothing per finding).
    fn report(&mut self, finding: Finding) {
        let seen = self.passes > 1
            && self
                .findings
                .iter()
                .any(|f| f.rule == finding.rule && f.span == finding.span);
        if !seen {
            self.findings.push(finding);
        }
    }
}

impl Pipeline {
    /// Runs `rules` once over the document, in order; whether one edited.
    fn pass(&self, run: &mut Run<'_>, rules: &[&Rule]) -> bool {
        let mut edited = false;
        run.passes += 1;
        run.seen_at.resize(rules.len(), 0);
        for (at, rule) in rules.iter().enumerate() {
            run.stage += 1;
            run.seen_at[at] = run.stage;
            let started = self.time.then(Instant::now);
            edited |= self.run_rule(run, rule);
            if let Some(started) = started {
                run.times[at] += started.elapsed();
            }
        }
        edited
    }

    /// Runs `rule` on the document's text so far; whether it edited.
    fn run_rule(&self, run: &mut Run<'_>, rule: &Rule) -> bool {
        let (edits, notes, flagged) = self.edits_of(rule, run.text(), run.original);
        for flagged in flagged {
            let finding = Finding {
                rule: rule.id.clone(),
                text: run.text()[flagged.range.clone()].to_string(),
                span: run.span(flagged.range),
                message: flagged.message,
                suggestion: flagged.suggestion,
            };
            run.report(finding);
        }
        if edits.is_empty() {
            return false;
        }
        let next = apply(run.text(), &edits);
        for edit in &edits {
            let note = notes
                .binary_search_by_key(&edit.range.start, |n| n.0)
                .ok()
                .map(|i| notes[i].1);
            let before = run.text()[edit.range.clone()].to_string();
            let span = run.span(edit.range.clone());
            run.changes.push(Change {
                rule: rule.id.clone(),
                span,
                before,
                after: edit.replacement.clone(),
                score: match note {
                    Some(Note::Score(s)) => Some(Score::new(s)),
                    _ => None,
                },
                count: match note {
                    Some(Note::Count(c)) => Some(c),
                    _ => None,
                },
            });
        }
        run.map.compose(&edits);
        let before = run.current.as_deref().unwrap_or(run.original);
        run.written.record(before, &edits, run.stage);
        run.current = Some(next);
        true
    }

    /// The edits `rule` makes to `text` (a stage of `original`), with the allow-list
    /// applied, their notes, and what a check-only rule reports without fixing it.
    fn edits_of(&self, rule: &Rule, text: &str, original: &str) -> RuleEdits {
        let mut reported = Vec::new();
        let (mut edits, notes) = if rule.kind.role() == Role::Flags {
            let fixing = rule.fixes_confirmed();
            let mut edits = Vec::new();
            for flagged in rule.flags(text, original) {
                match &flagged.suggestion {
                    Some(suggestion) if fixing && flagged.confirmed => {
                        edits.push(Edit::replace(flagged.range.clone(), suggestion.clone()));
                    }
                    _ => reported.push(flagged),
                }
            }
            crate::edit::normalize(text, &mut edits);
            (edits, Vec::new())
        } else {
            rule.noted_edits(text)
        };
        if let Some(allow) = &self.allow {
            spare_allowed(allow, text, &mut edits);
        }
        (edits, notes, reported)
    }

    /// Whether one of `rules` would edit what rules after it wrote. Rules that look only
    /// at nearby lines are tried on the lines near those writes, the others on the whole
    /// text; check-only rules that never edit are skipped.
    fn would_edit(&self, run: &mut Run<'_>, rules: &[&Rule]) -> bool {
        for (at, rule) in rules.iter().enumerate() {
            let started = self.time.then(Instant::now);
            let found = self.would_edit_after(run, rule, run.seen_at[at]);
            if let Some(started) = started {
                run.times[at] += started.elapsed();
            }
            if found {
                return true;
            }
        }
        false
    }

    /// Whether `rule`, last run at stage `seen_at`, would edit what later rules wrote.
    fn would_edit_after(&self, run: &Run<'_>, rule: &Rule, seen_at: usize) -> bool {
        if rule.kind.role() == Role::Flags && !rule.fixes_confirmed() {
            return false;
        }
        // Its own writes do not count: each rule is idempotent on its own (`rules test`
        // checks that on its tests), and checking every rule around its own writes
        // would cost more than half as much again as the cleaning.
        let text = run.text();
        let reach = rule.reach();
        let mut later = run.written.after(seen_at, reach == Reach::Line).peekable();
        if later.peek().is_none() {
            return false;
        }
        let near;
        let seen = match reach {
            Reach::Document => text,
            Reach::NearbyLines => {
                near = near_written(text, later, 1);
                &near
            }
            Reach::Line => {
                near = near_written(text, later, 0);
                &near
            }
        };
        !self.edits_of(rule, seen, run.original).0.is_empty()
    }
}

/// The lines of `text` around the ranges rules wrote (ascending), `context` lines either
/// side, in order: where a rule that looks at a line and `context` lines around it could
/// find something new.
fn near_written(text: &str, written: impl Iterator<Item = Range<usize>>, context: usize) -> String {
    let bytes = text.as_bytes();
    // Where the line `context` lines above `at` starts, searching only from `floor` (the end
    // of what is taken already: an earlier start would be cut back to it), so the search
    // never covers the same bytes twice however many writes share one long line.
    let line_start = |mut at: usize, floor: usize| {
        for _ in 0..=context {
            at = match memchr::memrchr(b'\n', &bytes[floor..at]) {
                Some(i) => floor + i,
                None => return floor,
            };
            if at == 0 {
                return 0;
            }
        }
        at + 1
    };
    // Where the line `context` lines below the one ending at `first` (a line break, or the
    // end of the text) ends.
    let line_end = |first: usize| {
        let mut at = (first + 1).min(bytes.len());
        for _ in 0..context {
            if at == bytes.len() {
                break;
            }
            at = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        }
        at
    };
    // The last end found, as (from, the first line break at or after it, the end): it
    // holds for every position up to that break.
    let mut last_end: Option<(usize, usize, usize)> = None;
    let mut near = String::new();
    let mut taken = 0;
    for range in written {
        let start = if range.start <= taken {
            taken
        } else {
            line_start(range.start, taken)
        };
        let end = match last_end {
            Some((from, first, end)) if (from..=first).contains(&range.end) => end,
            _ => {
                let first = memchr::memchr(b'\n', &bytes[range.end..])
                    .map_or(bytes.len(), |i| range.end + i);
                let end = line_end(first);
                last_end = Some((range.end, first, end));
                end
            }
        };
        if end > start {
            near.push_str(&text[start..end]);
            taken = end;
        }
    }
    near
}

impl Pipeline {
    /// The sentences of `text` when [`Options::sentences`] asked for them: with the rules
    /// of `lang` when there are some, else the default or detected ones.
    #[must_use]
    pub fn sentences_of(
        &self,
        text: &str,
        lang: Option<&str>,
    ) -> Option<Vec<std::ops::Range<usize>>> {
        let choice = self.sentences.as_ref()?;
        Some(choice.segmenter(lang, text).split(text))
    }

    /// The over-cleaning guard. The words removed are counted in the changes alone (each
    /// change's words before minus after; the sum telescopes across rules), and the
    /// document's words only as far as needed to know the share is under the threshold,
    /// so a long document with a few deleted words costs a few dozen words of counting.
    fn guard(&self, original: &str, changes: &[Change]) -> Option<Guard> {
        // Repairs (`normalize`: entities, tags, invisible characters) remove no words a
        // reader would miss: `&amp;` or `<div class="x">` is not content.
        let removals = || {
            changes.iter().filter(|c| {
                self.rules
                    .iter()
                    .find(|r| r.id == c.rule)
                    .is_none_or(|r| r.kind.role() != Role::Repairs)
            })
        };
        let before: usize = removals().map(|c| count_words(&c.before)).sum();
        let after: usize = removals().map(|c| count_words(&c.after)).sum();
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
fn spare_allowed(allow: &AhoCorasick, text: &str, edits: &mut Vec<Edit>) {
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
