//! datatrove 0.10.1's quality filters and formatters, computed by textscrub, for the Python
//! package's drop-in steps (`textscrub.datatrove.GopherQualityFilter`, ...).
//!
//! Each step is built from the arguments of datatrove's class (as a JSON object of the
//! instance's attributes) and judges or formats one text at a time exactly as that class
//! does. Where an argument value or a language is not reproduced exactly, building the step
//! fails with the reason, and the Python class runs datatrove's own code instead.

use serde_json::{Map, Value};

use crate::quality::recipe::{dup_ngram_signal, fineweb2, lexicon_of, top_ngram_signal};
use crate::quality::{measure_in, Bound, Lexicon, Signal, Threshold};
pub use crate::rule::normalize::finishing::{symbol_lines, PiiRotation};

/// Gopher's default stop words (datatrove's `STOP_WORDS`).
const GOPHER_STOP_WORDS: [&str; 8] = ["the", "be", "to", "of", "and", "that", "have", "with"];

/// Why a step cannot be computed here: datatrove's own code must run.
pub type Unsupported = String;

/// The words of a language, owned or shared.
enum Words {
    Shared(&'static Lexicon),
    Owned(Lexicon),
}

impl Words {
    fn get(&self) -> &Lexicon {
        match self {
            Self::Shared(lexicon) => lexicon,
            Self::Owned(lexicon) => lexicon,
        }
    }
}

/// A check before the signals: an empty document.
#[derive(Clone, Copy)]
enum Empty {
    /// `if not text: return False, "empty"` (GopherRepetitionFilter).
    Text,
    /// No line with a character other than white space (FineWebQualityFilter).
    Lines,
}

/// One of datatrove's quality filters, ready to judge texts.
pub struct FilterStep {
    words: Words,
    empty: Option<Empty>,
    checks: Vec<(Threshold, String)>,
}

impl FilterStep {
    /// The filter `name` (`GopherQualityFilter`, `GopherRepetitionFilter`,
    /// `FineWebQualityFilter`) with the attributes `args` of datatrove's instance.
    pub fn new(name: &str, args: &Value) -> Result<Self, Unsupported> {
        let args = args
            .as_object()
            .ok_or_else(|| "the arguments are not an object".to_string())?;
        match name {
            "GopherQualityFilter" => gopher_quality(args),
            "GopherRepetitionFilter" => gopher_repetition(args),
            "FineWebQualityFilter" => fineweb_quality(args),
            other => Err(format!("no filter `{other}`")),
        }
    }

    /// `None` when datatrove keeps `text`, else the reason its filter gives.
    #[must_use]
    pub fn judge(&self, text: &str) -> Option<&str> {
        match self.empty {
            Some(Empty::Text) if text.is_empty() => return Some("empty"),
            Some(Empty::Lines)
                if text
                    .split('\n')
                    .all(|l| l.trim_matches(crate::quality::is_python_space).is_empty()) =>
            {
                return Some("empty")
            }
            _ => {}
        }
        if self.checks.is_empty() {
            return None;
        }
        let signals = measure_in(text, self.words.get());
        self.checks
            .iter()
            .find(|(threshold, _)| !threshold.allows(&signals))
            .map(|(_, reason)| reason.as_str())
    }
}

/// A number argument: `None` (or `0`, as datatrove's `if self.x and ...` reads it) is off.
fn number(args: &Map<String, Value>, key: &str) -> Result<Option<f64>, Unsupported> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(false)) => Ok(None),
        Some(value) => match value.as_f64() {
            Some(0.0) => Ok(None),
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(format!("{key}={value} is not a number")),
        },
    }
}

/// A number argument that datatrove reads without testing it first.
fn always(args: &Map<String, Value>, key: &str) -> Result<f64, Unsupported> {
    args.get(key)
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("{key} is not a number"))
}

/// The language argument: its words, with `stop_words` where the filter reads them.
fn words_of(
    args: &Map<String, Value>,
    stop_words: Option<&[String]>,
) -> Result<Words, Unsupported> {
    let language = args
        .get("language")
        .and_then(Value::as_str)
        .unwrap_or("eng");
    let english = matches!(language, "eng" | "en" | "eng_Latn");
    let gopher = stop_words.is_none_or(|words| {
        let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
        words.sort_unstable();
        words.dedup();
        let mut default = GOPHER_STOP_WORDS;
        default.sort_unstable();
        words == default
    });
    let gopher_list: Vec<String> = GOPHER_STOP_WORDS.iter().map(|w| w.to_string()).collect();
    let stop_words = stop_words.unwrap_or(&gopher_list);
    if stop_words.len() > 64 {
        return Err(format!(
            "{} stop words (at most 64 are counted)",
            stop_words.len()
        ));
    }
    if english {
        if gopher {
            return Ok(Words::Shared(Lexicon::english()));
        }
        return lexicon_of("spacy:en", stop_words)
            .map(Words::Owned)
            .ok_or_else(|| "English with these stop words".to_string());
    }
    let recipe = fineweb2();
    let label = recipe
        .resolve(language, None)
        .filter(|label| *label == language || label.split('_').next() == Some(language))
        .ok_or_else(|| format!("language {language:?} is not one textscrub tokenizes"))?;
    let config = &recipe
        .language(label)
        .ok_or_else(|| format!("language {language:?}"))?
        .config;
    lexicon_of(&config.tokenizer, stop_words)
        .map(Words::Owned)
        .ok_or_else(|| {
            format!(
                "language {language:?}: its word tokenizer ({}) is not ported",
                config.tokenizer
            )
        })
}

fn strings(value: Option<&Value>) -> Result<Option<Vec<String>>, Unsupported> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "a stop word is not a string".to_string())
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!("stop words {other}")),
    }
}

fn check(signal: Signal, bound: Bound, reason: &str) -> (Threshold, String) {
    (Threshold { signal, bound }, reason.to_string())
}

/// `GopherQualityFilter.filter`, check by check.
fn gopher_quality(args: &Map<String, Value>) -> Result<FilterStep, Unsupported> {
    let stop_words = strings(args.get("stop_words"))?;
    let words = words_of(args, stop_words.as_deref())?;
    let mut checks = Vec::new();
    // In datatrove's order: the first failing check is its reason.
    let min = Bound::Min as fn(f64) -> Bound;
    let max = Bound::Max as fn(f64) -> Bound;
    for (key, signal, bound, reason) in [
        ("min_doc_words", Signal::Words, min, "gopher_short_doc"),
        ("max_doc_words", Signal::Words, max, "gopher_long_doc"),
        (
            "min_avg_word_length",
            Signal::MeanWordLength,
            min,
            "gopher_below_avg_threshold",
        ),
        (
            "max_avg_word_length",
            Signal::MeanWordLength,
            max,
            "gopher_above_avg_threshold",
        ),
        (
            "max_symbol_word_ratio",
            Signal::HashRatio,
            max,
            "gopher_too_many_hashes",
        ),
        (
            "max_symbol_word_ratio",
            Signal::EllipsisRatio,
            max,
            "gopher_too_many_ellipsis",
        ),
        (
            "max_bullet_lines_ratio",
            Signal::BulletLineFraction,
            max,
            "gopher_too_many_bullets",
        ),
        (
            "max_ellipsis_lines_ratio",
            Signal::EllipsisLineFraction,
            max,
            "gopher_too_many_end_ellipsis",
        ),
        (
            "max_non_alpha_words_ratio",
            Signal::AlphaWordFraction,
            min,
            "gopher_below_alpha_threshold",
        ),
        (
            "min_stop_words",
            Signal::StopWords,
            min,
            "gopher_enough_stop_words",
        ),
    ] {
        if let Some(x) = number(args, key)? {
            checks.push(check(signal, bound(x), reason));
        }
    }
    Ok(FilterStep {
        words,
        empty: None,
        checks,
    })
}

/// `(n, fraction)` pairs.
fn pairs(args: &Map<String, Value>, key: &str) -> Result<Vec<(usize, f64)>, Unsupported> {
    let Some(Value::Array(items)) = args.get(key) else {
        return match args.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(other) => Err(format!("{key}={other}")),
        };
    };
    items
        .iter()
        .map(|item| match item.as_array().map(Vec::as_slice) {
            Some([n, x]) => match (n.as_u64(), x.as_f64()) {
                (Some(n), Some(x)) => Ok((n as usize, x)),
                _ => Err(format!("{key}: {item}")),
            },
            _ => Err(format!("{key}: {item}")),
        })
        .collect()
}

/// `GopherRepetitionFilter.filter`, check by check.
fn gopher_repetition(args: &Map<String, Value>) -> Result<FilterStep, Unsupported> {
    let words = words_of(args, None)?;
    let mut checks = Vec::new();
    for (key, signal, reason) in [
        (
            "dup_para_frac",
            Signal::DupParagraphFraction,
            "dup_para_frac",
        ),
        (
            "dup_para_char_frac",
            Signal::DupParagraphCharFraction,
            "dup_para_char_frac",
        ),
        ("dup_line_frac", Signal::DupLineFraction, "dup_line_frac"),
        (
            "dup_line_char_frac",
            Signal::DupLineCharFraction,
            "dup_line_char_frac",
        ),
    ] {
        if let Some(x) = number(args, key)? {
            checks.push(check(signal, Bound::Max(x), reason));
        }
    }
    for (n, x) in pairs(args, "top_n_grams")? {
        let signal = top_ngram_signal(n).ok_or_else(|| format!("top_n_grams: {n}-grams"))?;
        checks.push(check(signal, Bound::Max(x), &format!("top_{n}_gram")));
    }
    for (n, x) in pairs(args, "dup_n_grams")? {
        let signal = dup_ngram_signal(n).ok_or_else(|| format!("dup_n_grams: {n}-grams"))?;
        checks.push(check(
            signal,
            Bound::Max(x),
            &format!("duplicated_{n}_n_grams"),
        ));
    }
    Ok(FilterStep {
        words,
        empty: Some(Empty::Text),
        checks,
    })
}

/// `FineWebQualityFilter.filter`, check by check.
fn fineweb_quality(args: &Map<String, Value>) -> Result<FilterStep, Unsupported> {
    if args.get("line_punct_exclude_zero").and_then(Value::as_bool) != Some(false) {
        return Err("line_punct_exclude_zero is not False".to_string());
    }
    if args.get("stop_chars_default").and_then(Value::as_bool) != Some(true) {
        return Err("stop_chars is not datatrove's TERMINAL_PUNCTUATION".to_string());
    }
    if always(args, "short_line_length")? != 30.0 {
        return Err("short_line_length is not 30".to_string());
    }
    let words = words_of(args, None)?;
    let checks = vec![
        check(
            Signal::LinePunctFraction,
            Bound::Min(always(args, "line_punct_thr")?),
            "line_punct_ratio",
        ),
        check(
            Signal::ShortLineFraction,
            Bound::Max(always(args, "short_line_thr")?),
            "short_line_ratio",
        ),
        check(
            Signal::DupLineCharShare,
            Bound::Max(always(args, "char_duplicates_ratio")?),
            "char_dup_ratio",
        ),
        check(
            Signal::NewlineRatio,
            Bound::Max(always(args, "new_line_ratio")?),
            "list_ratio",
        ),
    ];
    Ok(FilterStep {
        words,
        empty: Some(Empty::Lines),
        checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gopher_defaults_drop_a_short_text_and_unknown_arguments_are_refused() {
        let args = json!({"min_doc_words": 50, "max_doc_words": 100000, "min_avg_word_length": 3,
            "max_avg_word_length": 10, "max_symbol_word_ratio": 0.1, "max_bullet_lines_ratio": 0.9,
            "max_ellipsis_lines_ratio": 0.3, "max_non_alpha_words_ratio": 0.8, "min_stop_words": 2,
            "stop_words": null, "language": "eng"});
        let step = FilterStep::new("GopherQualityFilter", &args).unwrap();
        assert_eq!(step.judge("Too short."), Some("gopher_short_doc"));
        let repetition = json!({"top_n_grams": [[11, 0.2]], "language": "eng"});
        assert!(FilterStep::new("GopherRepetitionFilter", &repetition).is_err());
        let unknown = json!({"language": "xx_Nope"});
        assert!(FilterStep::new("GopherRepetitionFilter", &unknown).is_err());
    }

    #[test]
    fn pii_rotation_goes_on_across_documents() {
        let mut pii = PiiRotation::default();
        assert_eq!(pii.format("a@b.example"), "email@example.com");
        assert_eq!(pii.format("a@b.example"), "firstname.lastname@example.org");
    }
}
