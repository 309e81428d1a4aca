//! FineWeb-2's quality recipe, language by language.
//!
//! FineWeb-2 filters each language with three datatrove filters (`GopherRepetitionFilter`,
//! `FineWebQualityFilter`, `GopherQualityFilter`) configured from one YAML file per
//! language (`configs/{iso3}_{Script}.yml`: thresholds and stop words), as its
//! `fineweb-2-pipeline.py` shows, and splits words with the tokenizer datatrove assigns to
//! the language. `scripts/gen_fineweb2_recipe.py` turns the configs and datatrove's
//! assignment into `rules/quality/fineweb-2.json`; this module builds each language's
//! rules from it, in the order datatrove checks them, so the first failed rule is the
//! filter and reason datatrove reports.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::signals::Lexicon;
use super::{Bound, Signal, Threshold};
use crate::id::RuleId;

const DATA: &str = include_str!("../../rules/quality/fineweb-2.json");

/// The prefix of every rule of the recipe.
pub const FAMILY: &str = "fineweb-2";

#[derive(Deserialize)]
struct Data {
    aliases: HashMap<String, String>,
    languages: HashMap<String, Config>,
}

/// One language's configuration, as FineWeb-2's YAML file holds it.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// datatrove's word tokenizer for the language (`spacy:xx`, `stanza:kmr`, `thai`).
    pub tokenizer: String,
    /// The least GlotLID score FineWeb-2 kept the language at.
    pub language_score: f64,
    dup_line_frac: f64,
    top_n_grams: Vec<(usize, f64)>,
    dup_n_grams: Vec<(usize, f64)>,
    line_punct_thr: f64,
    new_line_ratio: f64,
    min_avg_word_length: f64,
    max_avg_word_length: f64,
    max_non_alpha_words_ratio: f64,
    /// The language's stop words.
    pub stopwords: Vec<String>,
}

/// One rule of a language's recipe: its id, what it checks, and where the number is from.
#[derive(Debug, Clone)]
pub struct RecipeRule {
    /// `fineweb-2/top-2gram`.
    pub id: RuleId,
    /// The signal and the bound.
    pub threshold: Threshold,
    /// The datatrove filter and the reason it reports when the rule fails.
    pub datatrove: (&'static str, String),
    /// Where the bound comes from: a key of the language's config, or the pipeline.
    pub source: String,
}

/// A language's recipe, ready to judge with.
pub struct Language {
    /// The FineWeb-2 label (`deu_Latn`).
    pub label: String,
    /// Its configuration.
    pub config: Config,
    /// Its words, when its tokenizer is ported; `None` when it is not (the language is
    /// then left unjudged).
    pub lexicon: Option<Lexicon>,
    /// Its rules, in datatrove's order.
    pub rules: Vec<RecipeRule>,
    /// The same as `(id, threshold)` pairs, as [`super::Quality::assess_in`] takes them.
    pub thresholds: Vec<(RuleId, Threshold)>,
}

/// Every language of the recipe, each built on first use.
pub struct FineWeb2 {
    aliases: HashMap<String, String>,
    languages: HashMap<String, (Config, OnceLock<Language>)>,
    labels: Vec<String>,
}

/// The recipe, parsed once.
pub fn fineweb2() -> &'static FineWeb2 {
    static RECIPE: OnceLock<FineWeb2> = OnceLock::new();
    RECIPE.get_or_init(|| {
        let data: Data = serde_json::from_str(DATA).expect("generated recipe parses");
        let mut labels: Vec<String> = data.languages.keys().cloned().collect();
        labels.sort_unstable();
        FineWeb2 {
            aliases: data.aliases,
            languages: data
                .languages
                .into_iter()
                .map(|(label, config)| (label, (config, OnceLock::new())))
                .collect(),
            labels,
        }
    })
}

impl FineWeb2 {
    /// Every language label, sorted.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(String::as_str)
    }

    /// The label a document's language names: a label (`deu_Latn`), an ISO 639-3 code
    /// with its script (`deu` + `Latn`), or a code datatrove reads as one label (`de`,
    /// `deu`). `None` when the recipe has no such language.
    #[must_use]
    pub fn resolve(&self, code: &str, script: Option<&str>) -> Option<&str> {
        let code = code.strip_prefix("__label__").unwrap_or(code);
        let joined;
        let label = match script {
            Some(script) if !code.contains('_') => {
                joined = format!("{code}_{script}");
                joined.as_str()
            }
            _ => code,
        };
        if let Some((label, _)) = self.languages.get_key_value(label) {
            return Some(label);
        }
        let alias = self.aliases.get(code)?;
        self.languages
            .get_key_value(alias)
            .map(|(label, _)| label.as_str())
    }

    /// The recipe of a label (as [`Self::resolve`] gives it).
    #[must_use]
    pub fn language(&self, label: &str) -> Option<&Language> {
        let (label, (config, built)) = self.languages.get_key_value(label)?;
        Some(built.get_or_init(|| Language::new(label, config.clone())))
    }
}

impl Language {
    fn new(label: &str, config: Config) -> Self {
        let lexicon = lexicon_of(&config.tokenizer, &config.stopwords);
        let rules = rules(&config);
        let thresholds = rules
            .iter()
            .map(|rule| (rule.id.clone(), rule.threshold))
            .collect();
        Self {
            label: label.to_string(),
            config,
            lexicon,
            rules,
            thresholds,
        }
    }
}

/// The words of datatrove's word tokenizer `tokenizer` (`spacy:de`, `indicnlp:hi`,
/// `thai`) with these stop words; `None` when that tokenizer is not ported.
#[must_use]
pub fn lexicon_of(tokenizer: &str, stop_words: &[String]) -> Option<Lexicon> {
    match tokenizer.split_once(':') {
        Some(("spacy", "zh")) => Some(Lexicon::chinese(stop_words)),
        Some(("spacy", code)) => Lexicon::spacy(code, stop_words),
        Some(("indicnlp", code)) => Some(Lexicon::indic(code, stop_words)),
        None if tokenizer == "thai" => Some(Lexicon::thai(stop_words)),
        _ => None,
    }
}

/// The three filters' checks as `fineweb-2-pipeline.py` configures them, in the order
/// datatrove runs them. Where datatrove tests `if self.threshold and ...`, a threshold of 0
/// switches the check off; so does `line_punct_thr = 0` (no ratio is below it), and the
/// pipeline's own `0` and `999`.
fn rules(config: &Config) -> Vec<RecipeRule> {
    const REPETITION: &str = "GopherRepetitionFilter";
    const FINEWEB: &str = "FineWebQualityFilter";
    const GOPHER: &str = "GopherQualityFilter";
    let mut rules = Vec::new();
    let mut add = |name: &str,
                   signal: Signal,
                   bound: Bound,
                   datatrove: (&'static str, &str),
                   source: &str| {
        rules.push(RecipeRule {
            id: RuleId::parse(&format!("{FAMILY}/{name}")).expect("a valid rule id"),
            threshold: Threshold { signal, bound },
            datatrove: (datatrove.0, datatrove.1.to_string()),
            source: source.to_string(),
        });
    };
    // FineWeb-2's step before its filters: a language's documents from a GlotLID score up.
    add(
        "language-score",
        Signal::LanguageScore,
        Bound::Min(config.language_score),
        ("LambdaFilter", "language_score"),
        "language_score",
    );
    // An empty text (repetition filter) or one of blank lines only (FineWeb's).
    add(
        "empty",
        Signal::NonBlankLines,
        Bound::Min(1.0),
        (FINEWEB, "empty"),
        "datatrove",
    );
    if config.dup_line_frac > 0.0 {
        add(
            "dup-lines",
            Signal::DupLineFraction,
            Bound::Max(config.dup_line_frac),
            (REPETITION, "dup_line_frac"),
            "dup_line_frac",
        );
    }
    for &(n, limit) in &config.top_n_grams {
        if let Some(signal) = top_ngram_signal(n) {
            add(
                &format!("top-{n}gram"),
                signal,
                Bound::Max(limit),
                (REPETITION, &format!("top_{n}_gram")),
                &format!("top_n_grams[{n}]"),
            );
        }
    }
    for &(n, limit) in &config.dup_n_grams {
        if let Some(signal) = dup_ngram_signal(n) {
            add(
                &format!("dup-{n}gram"),
                signal,
                Bound::Max(limit),
                (REPETITION, &format!("duplicated_{n}_n_grams")),
                &format!("dup_n_grams[{n}]"),
            );
        }
    }
    if config.line_punct_thr > 0.0 {
        add(
            "line-punct",
            Signal::LinePunctFraction,
            Bound::Min(config.line_punct_thr),
            (FINEWEB, "line_punct_ratio"),
            "line_punct_thr",
        );
    }
    // short_line_thr=999: off.
    add(
        "dup-line-chars",
        Signal::DupLineCharShare,
        Bound::Max(0.1),
        (FINEWEB, "char_dup_ratio"),
        "pipeline: char_duplicates_ratio=0.1",
    );
    add(
        "list-ratio",
        Signal::NewlineRatio,
        Bound::Max(config.new_line_ratio),
        (FINEWEB, "list_ratio"),
        "new_line_ratio",
    );
    add(
        "min-words",
        Signal::Words,
        Bound::Min(50.0),
        (GOPHER, "gopher_short_doc"),
        "datatrove default: min_doc_words=50",
    );
    add(
        "max-words",
        Signal::Words,
        Bound::Max(100_000.0),
        (GOPHER, "gopher_long_doc"),
        "datatrove default: max_doc_words=100000",
    );
    if config.min_avg_word_length > 0.0 {
        add(
            "min-word-length",
            Signal::MeanWordLength,
            Bound::Min(config.min_avg_word_length),
            (GOPHER, "gopher_below_avg_threshold"),
            "min_avg_word_length",
        );
    }
    if config.max_avg_word_length > 0.0 {
        add(
            "max-word-length",
            Signal::MeanWordLength,
            Bound::Max(config.max_avg_word_length),
            (GOPHER, "gopher_above_avg_threshold"),
            "max_avg_word_length",
        );
    }
    // Gopher's checks FineWeb-2 leaves at datatrove's defaults.
    for (name, signal, limit, reason, source) in [
        (
            "hash-ratio",
            Signal::HashRatio,
            0.1,
            "gopher_too_many_hashes",
            "max_symbol_word_ratio=0.1",
        ),
        (
            "ellipsis-ratio",
            Signal::EllipsisRatio,
            0.1,
            "gopher_too_many_ellipsis",
            "max_symbol_word_ratio=0.1",
        ),
        (
            "bullet-lines",
            Signal::BulletLineFraction,
            0.9,
            "gopher_too_many_bullets",
            "max_bullet_lines_ratio=0.9",
        ),
        (
            "ellipsis-lines",
            Signal::EllipsisLineFraction,
            0.3,
            "gopher_too_many_end_ellipsis",
            "max_ellipsis_lines_ratio=0.3",
        ),
    ] {
        add(
            name,
            signal,
            Bound::Max(limit),
            (GOPHER, reason),
            &format!("datatrove default: {source}"),
        );
    }
    if config.max_non_alpha_words_ratio > 0.0 {
        add(
            "alpha-words",
            Signal::AlphaWordFraction,
            Bound::Min(config.max_non_alpha_words_ratio),
            (GOPHER, "gopher_below_alpha_threshold"),
            "max_non_alpha_words_ratio",
        );
    }
    add(
        "stop-words",
        Signal::StopWords,
        Bound::Min(2.0),
        (GOPHER, "gopher_enough_stop_words"),
        "pipeline: min_stop_words=2, stopwords",
    );
    rules
}

/// The signal of the top `n`-gram check (2 to 4).
pub(crate) fn top_ngram_signal(n: usize) -> Option<Signal> {
    Some(match n {
        2 => Signal::Top2gramCharFraction,
        3 => Signal::Top3gramCharFraction,
        4 => Signal::Top4gramCharFraction,
        _ => return None,
    })
}

/// The signal of the duplicated `n`-gram check (5 to 10).
pub(crate) fn dup_ngram_signal(n: usize) -> Option<Signal> {
    Some(match n {
        5 => Signal::Dup5gramCharFraction,
        6 => Signal::Dup6gramCharFraction,
        7 => Signal::Dup7gramCharFraction,
        8 => Signal::Dup8gramCharFraction,
        9 => Signal::Dup9gramCharFraction,
        10 => Signal::Dup10gramCharFraction,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_config_has_the_n_grams_the_signals_measure() {
        for label in fineweb2().labels() {
            let language = fineweb2().language(label).unwrap();
            for &(n, _) in &language.config.top_n_grams {
                assert!(top_ngram_signal(n).is_some(), "{label}: top {n}-grams");
            }
            for &(n, _) in &language.config.dup_n_grams {
                assert!(
                    dup_ngram_signal(n).is_some(),
                    "{label}: duplicated {n}-grams"
                );
            }
            assert!(language.config.stopwords.len() <= 64, "{label}");
        }
    }

    #[test]
    fn labels_resolve_from_every_spelling() {
        let recipe = fineweb2();
        assert_eq!(recipe.resolve("deu_Latn", None), Some("deu_Latn"));
        assert_eq!(recipe.resolve("deu", Some("Latn")), Some("deu_Latn"));
        assert_eq!(recipe.resolve("__label__deu_Latn", None), Some("deu_Latn"));
        assert_eq!(recipe.resolve("de", None), Some("deu_Latn"));
        assert_eq!(recipe.resolve("deu", None), Some("deu_Latn"));
        assert_eq!(recipe.resolve("xx_Nope", None), None);
    }

    #[test]
    fn a_zero_threshold_switches_its_check_off() {
        let language = fineweb2().language("deu_Latn").unwrap();
        // deu_Latn: line_punct_thr 0.0, min_avg_word_length 0.
        let ids: Vec<&str> = language.rules.iter().map(|r| r.id.as_str()).collect();
        assert!(!ids.contains(&"fineweb-2/line-punct"), "{ids:?}");
        assert!(!ids.contains(&"fineweb-2/min-word-length"), "{ids:?}");
        assert!(ids.contains(&"fineweb-2/stop-words"));
        assert!(language.lexicon.is_some());
    }
}
