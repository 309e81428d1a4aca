//! Document quality: signals measured on the cleaned text, thresholds that rule files set on
//! them, and the verdict (keep, or drop with the rules that failed and the values measured).
//!
//! The signals follow the published filters as datatrove implements them (Gopher quality and
//! repetition, C4, FineWeb); `signals.rs` says, signal by signal, what is measured and where
//! we depart from the reference. Words are split as datatrove splits them for the
//! document's language, and `recipe.rs` holds FineWeb-2's rules for each of its languages.
//! This module never edits text and knows nothing about rule files: `rule/load.rs` turns a
//! `kind = "quality"` rule into a [`Threshold`].

#[cfg(test)]
mod cases;
mod chinese;
mod hash;
mod indic;
mod memo;
pub mod recipe;
mod signals;
mod spacy;
mod summary;
mod swar;
mod thai;

use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::id::RuleId;

pub use signals::{count_tokens, measure, measure_in, Lexicon};
pub use summary::{Distribution, Summary, PERCENTILES};

pub(crate) use spacy::in_ranges;

/// Python's `str.isspace` for one character, as datatrove's text steps see white space.
pub(crate) fn is_python_space(c: char) -> bool {
    spacy::tables().is_space(c)
}

/// Declares the signals once: variant, name (in rule files and JSON), whether it is a count,
/// and a one-line definition (for `rules explain` and the README).
macro_rules! signals {
    ($($variant:ident $name:literal $count:literal $doc:literal,)*) => {
        /// One measured property of a document. See `signals.rs` for the exact definitions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Signal {
            $(#[doc = $doc] $variant,)*
        }

        impl Signal {
            /// Every signal, in the order they are reported.
            pub const ALL: &'static [Signal] = &[$(Signal::$variant,)*];

            /// The name used in rule files (`signal = "words"`) and in JSON output.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// True for counts (reported as integers), false for fractions and means.
            #[must_use]
            pub fn is_count(self) -> bool {
                match self { $(Self::$variant => $count,)* }
            }

            /// What the signal measures, in one line.
            #[must_use]
            pub fn definition(self) -> &'static str {
                match self { $(Self::$variant => $doc,)* }
            }
        }
    };
}

signals! {
    Tokens "tokens" true "Words as datatrove's split_into_words gives them for the document's language (English: spaCy's blank English tokenizer), white space left out (Gopher's n_words).",
    Words "words" true "Tokens with a character outside datatrove's PUNCTUATION_SET (Gopher's word count).",
    MeanWordLength "mean_word_length" false "Mean length in characters of those words.",
    HashRatio "hash_ratio" false "Number of `#` characters per token.",
    EllipsisRatio "ellipsis_ratio" false "Number of `...` and `…` per token.",
    BulletLineFraction "bullet_line_fraction" false "Share of lines whose first non-space character is `•` or `-`.",
    EllipsisLineFraction "ellipsis_line_fraction" false "Share of lines ending (before trailing space) in `...` or `…`.",
    AlphaWordFraction "alpha_word_fraction" false "Share of tokens with a character that Python's str.isalpha accepts.",
    StopWords "stop_words" true "How many different stop words occur as tokens, as written: Gopher's the, be, to, of, and, that, have, with for English; the language's own list in FineWeb-2's recipe.",
    DupLineFraction "dup_line_fraction" false "Share of lines (split on runs of line breaks) that repeat an earlier line.",
    DupLineCharFraction "dup_line_char_fraction" false "Characters in repeated lines, as a share of all characters.",
    DupParagraphFraction "dup_paragraph_fraction" false "Share of paragraphs (split on two or more line breaks) that repeat an earlier one.",
    DupParagraphCharFraction "dup_paragraph_char_fraction" false "Characters in repeated paragraphs, as a share of all characters.",
    Top2gramCharFraction "top_2gram_char_fraction" false "Characters covered by the most common token 2-gram (length x count), as a share of all characters.",
    Top3gramCharFraction "top_3gram_char_fraction" false "The same for the most common 3-gram.",
    Top4gramCharFraction "top_4gram_char_fraction" false "The same for the most common 4-gram.",
    Dup5gramCharFraction "dup_5gram_char_fraction" false "Characters in 5-grams that repeat an earlier 5-gram (scanning left to right, skipping past each repeat), as a share of all characters.",
    Dup6gramCharFraction "dup_6gram_char_fraction" false "The same for 6-grams.",
    Dup7gramCharFraction "dup_7gram_char_fraction" false "The same for 7-grams.",
    Dup8gramCharFraction "dup_8gram_char_fraction" false "The same for 8-grams.",
    Dup9gramCharFraction "dup_9gram_char_fraction" false "The same for 9-grams.",
    Dup10gramCharFraction "dup_10gram_char_fraction" false "The same for 10-grams.",
    LinePunctFraction "line_punct_fraction" false "Share of the non-blank lines (split on each line break) ending in one of datatrove's TERMINAL_PUNCTUATION (FineWeb).",
    ShortLineFraction "short_line_fraction" false "Share of the non-blank lines of at most 30 characters (FineWeb).",
    LanguageScore "language_score" false "The language identifier's score for the document's language: the record's `language_score` beside its `language`, or --lid-model's (FineWeb-2 keeps a language's documents from a threshold of GlotLID's score up).",
    NonBlankLines "non_blank_lines" true "Lines (split on each line break) with a character that is not white space (FineWeb's `len(lines)`).",
    DupLineCharShare "dup_line_char_share" false "Characters in repeated non-blank lines, as a share of the characters that are not line breaks (FineWeb).",
    NewlineRatio "newline_ratio" false "Line breaks per token (FineWeb's list ratio).",
    C4Sentences "c4_sentences" true "Sentences, as spaCy's sentencizer splits them, in the lines C4 keeps (its lorem-ipsum and curly-bracket checks aside).",
    C4LoremIpsum "c4_lorem_ipsum" true "1 when a line C4 keeps contains `lorem ipsum` (any case), else 0.",
    C4CurlyBracket "c4_curly_bracket" true "1 when a line C4 keeps contains `{`, else 0.",
    JavascriptLines "javascript_lines" true "Lines that mention `javascript` (any case).",
    PolicyLines "policy_lines" true "Lines that mention terms of use, privacy or cookie policies, or cookie use (C4's list).",
    UppercaseFraction "uppercase_fraction" false "Share of letters that are upper-case.",
    NonAsciiFraction "non_ascii_fraction" false "Share of characters outside ASCII.",
}

impl Signal {
    /// The signal with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.name() == name)
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every signal of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    values: Vec<f64>,
}

impl Signals {
    pub(crate) fn new() -> Self {
        Self {
            values: vec![0.0; Signal::ALL.len()],
        }
    }

    pub(crate) fn set(&mut self, signal: Signal, value: f64) {
        self.values[signal as usize] = value;
    }

    /// The value of one signal.
    #[must_use]
    pub fn get(&self, signal: Signal) -> f64 {
        self.values[signal as usize]
    }

    /// `(signal, value)` in the order of [`Signal::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Signal, f64)> + '_ {
        Signal::ALL.iter().map(|&s| (s, self.get(s)))
    }
}

impl Serialize for Signals {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Signal::ALL.len()))?;
        for (signal, value) in self.iter() {
            map.serialize_entry(signal.name(), &Number(signal, value))?;
        }
        map.end()
    }
}

/// A signal value as JSON: counts as integers, the rest as the exact `f64` (the shortest
/// text that reads back as the same number), so values compare with datatrove's to the bit.
struct Number(Signal, f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Self(signal, value) = *self;
        if signal.is_count() && value >= 0.0 && value.fract() == 0.0 {
            // Counts are whole numbers well below 2^53, so the cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            return serializer.serialize_u64(value as u64);
        }
        serializer.serialize_f64(if value.is_finite() { value } else { 0.0 })
    }
}

pub(crate) fn round6(value: f64) -> f64 {
    if value.is_finite() {
        (value * 1e6).round() / 1e6
    } else {
        0.0
    }
}

/// Which side of a threshold a document must be on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// At least this value (`min = 50`).
    Min(f64),
    /// At most this value (`max = 0.3`).
    Max(f64),
    /// Strictly more than this value (`above = 0.12`).
    Above(f64),
    /// Strictly less than this value (`below = 0.67`).
    Below(f64),
}

impl Bound {
    /// The same comparison with another limit (a config override).
    #[must_use]
    pub fn with_limit(self, limit: f64) -> Self {
        match self {
            Self::Min(_) => Self::Min(limit),
            Self::Max(_) => Self::Max(limit),
            Self::Above(_) => Self::Above(limit),
            Self::Below(_) => Self::Below(limit),
        }
    }

    /// True when `value` is on the allowed side.
    #[must_use]
    pub fn allows(self, value: f64) -> bool {
        match self {
            Self::Min(limit) => value >= limit,
            Self::Max(limit) => value <= limit,
            Self::Above(limit) => value > limit,
            Self::Below(limit) => value < limit,
        }
    }

    /// The rule-file key: `min`, `max`, `above` or `below`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Min(_) => "min",
            Self::Max(_) => "max",
            Self::Above(_) => "above",
            Self::Below(_) => "below",
        }
    }

    /// The threshold value.
    #[must_use]
    pub fn limit(self) -> f64 {
        match self {
            Self::Min(limit) | Self::Max(limit) | Self::Above(limit) | Self::Below(limit) => limit,
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.key(), self.limit())
    }
}

/// What a `quality` rule checks: one signal against one bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// The signal measured.
    pub signal: Signal,
    /// Where it must lie for the document to be kept.
    pub bound: Bound,
}

impl Threshold {
    /// True when the document's value of the signal is allowed.
    #[must_use]
    pub fn allows(&self, signals: &Signals) -> bool {
        self.bound.allows(signals.get(self.signal))
    }
}

/// Keep or drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every quality rule passed.
    Keep,
    /// At least one quality rule failed.
    Drop,
    /// No rules could judge the document (its language has none); it is kept.
    Unjudged,
}

/// Which rules judge a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recipe {
    #[default]
    /// English documents by the `quality` rules of the rule files (FineWeb's English
    /// recipe: Gopher, C4 and FineWeb's filters), every other language by FineWeb-2's
    /// rules for it; a language with neither is left unjudged.
    ByLanguage,
    /// Every document by the `quality` rules of the rule files, whatever its language.
    FineWeb,
    /// Every document by FineWeb-2's rules for its language.
    FineWeb2,
}

impl Recipe {
    /// The recipe a name on the command line or in the Python package stands for.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::ByLanguage, Self::FineWeb, Self::FineWeb2]
            .into_iter()
            .find(|recipe| recipe.name() == name)
    }

    /// The name on the command line and in JSON output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::ByLanguage => "by-language",
            Self::FineWeb => "fineweb",
            Self::FineWeb2 => "fineweb-2",
        }
    }
}

/// One failed quality rule: which, on what signal, the measured value and the bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// The rule that failed.
    pub rule: RuleId,
    /// The signal and bound it checks.
    pub threshold: Threshold,
    /// The value measured on the document.
    pub value: f64,
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("rule", &self.rule)?;
        map.serialize_entry("signal", self.threshold.signal.name())?;
        map.serialize_entry("value", &Number(self.threshold.signal, self.value))?;
        map.serialize_entry(self.threshold.bound.key(), &self.threshold.bound.limit())?;
        map.end()
    }
}

/// The quality of one document: its signals, the verdict and, when dropped, why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    /// Every signal, measured on the cleaned text (none when unjudged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signals: Option<Signals>,
    /// Keep, drop, or unjudged.
    pub verdict: Verdict,
    /// The failed rules, in rule order; empty when kept.
    pub reasons: Vec<Reason>,
    /// The recipe whose rules judged the document (`fineweb`, `fineweb-2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipe: Option<&'static str>,
    /// The language it was judged as (`en`, a FineWeb-2 label such as `deu_Latn`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Why it was left unjudged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Quality {
    /// Measures `text` with English words and checks it against `rules`, in order.
    #[must_use]
    pub fn assess(text: &str, rules: &[(RuleId, Threshold)]) -> Self {
        Self::assess_in(text, Lexicon::english(), rules)
    }

    /// A document no rules could judge, and why.
    #[must_use]
    pub fn unjudged(language: Option<String>, note: String) -> Self {
        Self {
            signals: None,
            verdict: Verdict::Unjudged,
            reasons: Vec::new(),
            recipe: None,
            language,
            note: Some(note),
        }
    }

    /// Measures `text` with `lexicon`'s words and checks it against `rules`, in order.
    #[must_use]
    pub fn assess_in(text: &str, lexicon: &Lexicon, rules: &[(RuleId, Threshold)]) -> Self {
        Self::assess_with_score(text, lexicon, rules, None)
    }

    /// The same, with the language identifier's score for the document's language: the
    /// rules on it are checked only where it is known.
    #[must_use]
    pub fn assess_with_score(
        text: &str,
        lexicon: &Lexicon,
        rules: &[(RuleId, Threshold)],
        language_score: Option<f64>,
    ) -> Self {
        let mut signals = measure_in(text, lexicon);
        if let Some(score) = language_score {
            signals.set(Signal::LanguageScore, score);
        }
        let reasons: Vec<Reason> = rules
            .iter()
            // A score nobody gave is not a low one.
            .filter(|(_, t)| t.signal != Signal::LanguageScore || language_score.is_some())
            .filter(|(_, threshold)| !threshold.allows(&signals))
            .map(|(rule, threshold)| Reason {
                rule: rule.clone(),
                threshold: *threshold,
                value: signals.get(threshold.signal),
            })
            .collect();
        let verdict = if reasons.is_empty() {
            Verdict::Keep
        } else {
            Verdict::Drop
        };
        Self {
            signals: Some(signals),
            verdict,
            reasons,
            recipe: None,
            language: None,
            note: None,
        }
    }

    /// The same, saying which recipe judged it and as what language.
    #[must_use]
    pub fn judged_by(mut self, recipe: &'static str, language: String) -> Self {
        self.recipe = Some(recipe);
        self.language = Some(language);
        self
    }

    /// True when the document is to be kept (unjudged documents are).
    #[must_use]
    pub fn is_kept(&self) -> bool {
        self.verdict != Verdict::Drop
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_follow_the_reference_comparisons() {
        assert!(Bound::Min(50.0).allows(50.0));
        assert!(!Bound::Min(50.0).allows(49.0));
        assert!(Bound::Max(0.3).allows(0.3));
        assert!(!Bound::Above(0.12).allows(0.12));
        assert!(!Bound::Below(0.67).allows(0.67));
    }

    #[test]
    fn signal_names_round_trip_and_are_unique() {
        for &signal in Signal::ALL {
            assert_eq!(Signal::from_name(signal.name()), Some(signal));
        }
        let mut names: Vec<&str> = Signal::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Signal::ALL.len());
    }

    #[test]
    fn a_failed_rule_is_a_reason_with_its_value() {
        let rules = vec![
            (
                RuleId::parse("quality/min-words").unwrap(),
                Threshold {
                    signal: Signal::Words,
                    bound: Bound::Min(3.0),
                },
            ),
            (
                RuleId::parse("quality/max-words").unwrap(),
                Threshold {
                    signal: Signal::Words,
                    bound: Bound::Max(10.0),
                },
            ),
        ];
        let quality = Quality::assess("Two words.", &rules);
        assert_eq!(quality.verdict, Verdict::Drop);
        assert_eq!(quality.reasons.len(), 1);
        assert_eq!(quality.reasons[0].rule.as_str(), "quality/min-words");
        assert_eq!(quality.reasons[0].value, 2.0);
        let json = serde_json::to_string(&quality.reasons[0]).unwrap();
        assert_eq!(
            json,
            r#"{"rule":"quality/min-words","signal":"words","value":2,"min":3.0}"#
        );
        assert!(Quality::assess("One two three.", &rules).is_kept());
    }
}
