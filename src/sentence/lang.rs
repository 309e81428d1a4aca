//! Language data for the segmenter: the rule-file schema, the embedded files under
//! `rules/lang/`, their validation, and the compiled lookup tables.
//!
//! A language is data, not code: abbreviations (split into those that never end a
//! sentence and those that may), the words that typically start a sentence, and a few
//! switches. Adding a language means adding a TOML file; nothing here knows English. This
//! module does not look at text to segment: the rules that use the tables live in
//! `fixups.rs`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use toml::Spanned;

use super::Error;

/// The longest abbreviation (without its final period), in bytes. The segmenter looks back
/// at most this far for the word before a period, which keeps every candidate O(1).
pub(crate) const MAX_ABBREVIATION_BYTES: usize = 32;

/// A language with embedded segmentation rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// English (`en`), from `rules/lang/en.toml`.
    English,
    /// German (`de`), from `rules/lang/de.toml`.
    German,
    /// French (`fr`), from `rules/lang/fr.toml`.
    French,
    /// Spanish (`es`), from `rules/lang/es.toml`.
    Spanish,
    /// Russian (`ru`), from `rules/lang/ru.toml`.
    Russian,
    /// Turkish (`tr`), from `rules/lang/tr.toml`.
    Turkish,
}

impl Language {
    /// Every language with embedded rules, in a fixed order.
    pub const ALL: [Language; 6] = [
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Russian,
        Language::Turkish,
    ];

    /// The ISO 639-1 code: `en`, `de`, `fr`, `es`, `ru` or `tr`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Russian => "ru",
            Language::Turkish => "tr",
        }
    }

    /// Parses a language code. Case does not matter and a region or script subtag is
    /// ignored, so `en`, `EN`, `en-GB` and `en_US` all mean English.
    pub fn from_code(code: &str) -> Result<Language, Error> {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Language::ALL
            .into_iter()
            .find(|language| language.code() == primary)
            .ok_or_else(|| Error::UnknownLanguage {
                code: code.to_owned(),
            })
    }

    fn index(self) -> usize {
        match self {
            Language::English => 0,
            Language::German => 1,
            Language::French => 2,
            Language::Spanish => 3,
            Language::Russian => 4,
            Language::Turkish => 5,
        }
    }

    fn source(self) -> (&'static str, &'static str) {
        match self {
            Language::English => (
                "rules/lang/en.toml",
                include_str!("../../rules/lang/en.toml"),
            ),
            Language::German => (
                "rules/lang/de.toml",
                include_str!("../../rules/lang/de.toml"),
            ),
            Language::French => (
                "rules/lang/fr.toml",
                include_str!("../../rules/lang/fr.toml"),
            ),
            Language::Spanish => (
                "rules/lang/es.toml",
                include_str!("../../rules/lang/es.toml"),
            ),
            Language::Russian => (
                "rules/lang/ru.toml",
                include_str!("../../rules/lang/ru.toml"),
            ),
            Language::Turkish => (
                "rules/lang/tr.toml",
                include_str!("../../rules/lang/tr.toml"),
            ),
        }
    }

    /// The compiled rules, built on first use and shared afterwards, so that creating a
    /// `Segmenter` per document costs an `Arc` clone, not a TOML parse.
    pub(crate) fn rules(self) -> Arc<Rules> {
        static CACHE: [OnceLock<Arc<Rules>>; 6] = [const { OnceLock::new() }; 6];
        CACHE[self.index()]
            .get_or_init(|| {
                let (name, source) = self.source();
                match Rules::from_toml(name, source) {
                    Ok(rules) => Arc::new(rules),
                    // The embedded files are checked by the unit test
                    // `every_embedded_language_compiles`, so this is a build defect, not
                    // bad input.
                    Err(error) => panic!("embedded sentence rules are invalid: {error}"),
                }
            })
            .clone()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = Error;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Language::from_code(code)
    }
}

/// The rule file as written, field for field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageSpec {
    /// The language code, for messages.
    language: String,
    /// A human-readable name.
    #[allow(dead_code)]
    name: String,
    /// Whether `3.` before a capitalised word is an ordinal (German `am 3. Oktober`,
    /// Turkish `3. Ordu`) rather than the end of a sentence.
    #[serde(default)]
    ordinal_dot: bool,
    /// Closing quotes that may follow the terminator after a space (French `« Non ! »`).
    #[serde(default)]
    closing_quotes_after_space: Vec<Spanned<String>>,
    #[serde(default)]
    abbreviations: AbbreviationSpec,
    #[serde(default)]
    starters: StarterSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbreviationSpec {
    /// Abbreviations after which a sentence never ends (`Mr.`, `e.g.`).
    #[serde(default)]
    never_end: Vec<Spanned<String>>,
    /// Abbreviations that end a sentence only when a typical sentence start follows
    /// (`etc.`, `Inc.`).
    #[serde(default)]
    may_end: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StarterSpec {
    /// Words that typically start a sentence, capitalised (`The`, `He`).
    #[serde(default)]
    words: Vec<Spanned<String>>,
}

/// Whether a sentence can end after an abbreviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbreviationKind {
    /// `Mr.`, `Dr.`, `e.g.`: something always follows.
    NeverEnd,
    /// `etc.`, `Inc.`: ends a sentence when a sentence starter follows.
    MayEnd,
}

/// Compiled language data: hash tables keyed by the word without its final period.
#[derive(Debug)]
pub(crate) struct Rules {
    pub(crate) code: String,
    pub(crate) ordinal_dot: bool,
    pub(crate) closing_quotes_after_space: Vec<char>,
    /// Entries with a capital letter, as written and in full capitals: `Mr`, `MR`.
    exact: HashMap<String, AbbreviationKind>,
    /// Entries written in lower case, matched case-insensitively: `etc` matches `Etc.`.
    folded: HashMap<String, AbbreviationKind>,
    /// Sentence starters as written, plus full-capital forms for headlines.
    starters: HashSet<String>,
}

impl Rules {
    /// Parses, validates and compiles one rule file; `name` is used in messages.
    pub(crate) fn from_toml(name: &str, source: &str) -> Result<Rules, Error> {
        let spec: LanguageSpec = toml::from_str(source).map_err(|error| {
            let (line, column) = line_column(source, error.span().map_or(0, |span| span.start));
            Error::RuleFile {
                name: name.to_owned(),
                message: format!("{name}:{line}:{column}: {}", error.message()),
            }
        })?;
        let mut problems = Vec::new();
        let mut problem = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = line_column(source, span.start);
            problems.push(format!("{name}:{line}:{column}: {message}"));
        };

        let mut exact = HashMap::new();
        let mut folded = HashMap::new();
        let lists = [
            (&spec.abbreviations.never_end, AbbreviationKind::NeverEnd),
            (&spec.abbreviations.may_end, AbbreviationKind::MayEnd),
        ];
        for (entries, kind) in lists {
            for entry in entries {
                let written = entry.get_ref();
                let Some(key) = written.strip_suffix('.') else {
                    problem(
                        entry.span(),
                        format!("abbreviation {written:?} must end with a period"),
                    );
                    continue;
                };
                if key.is_empty() || key.chars().any(char::is_whitespace) {
                    problem(
                        entry.span(),
                        format!("abbreviation {written:?} must be one word with no spaces"),
                    );
                    continue;
                }
                if key.len() > MAX_ABBREVIATION_BYTES {
                    problem(
                        entry.span(),
                        format!(
                            "abbreviation {written:?} is longer than {MAX_ABBREVIATION_BYTES} bytes"
                        ),
                    );
                    continue;
                }
                let (table, keys) = if key.chars().any(char::is_uppercase) {
                    (&mut exact, vec![key.to_owned(), key.to_uppercase()])
                } else {
                    (&mut folded, vec![key.to_owned()])
                };
                for key in keys {
                    if let Some(previous) = table.insert(key, kind) {
                        if previous != kind {
                            problem(
                                entry.span(),
                                format!(
                                    "abbreviation {written:?} is listed both as never_end and may_end"
                                ),
                            );
                        }
                    }
                }
            }
        }

        let mut starters = HashSet::new();
        for entry in &spec.starters.words {
            let word = entry.get_ref();
            if word.is_empty() || !word.chars().all(char::is_alphabetic) {
                problem(
                    entry.span(),
                    format!("sentence starter {word:?} must be one word of letters"),
                );
                continue;
            }
            starters.insert(word.clone());
            starters.insert(word.to_uppercase());
        }

        let mut closing_quotes_after_space = Vec::new();
        for entry in &spec.closing_quotes_after_space {
            let mut chars = entry.get_ref().chars();
            match (chars.next(), chars.next()) {
                (Some(quote), None) if !quote.is_alphanumeric() && !quote.is_whitespace() => {
                    closing_quotes_after_space.push(quote);
                }
                _ => problem(
                    entry.span(),
                    format!(
                        "closing quote {:?} must be one punctuation character",
                        entry.get_ref()
                    ),
                ),
            }
        }

        if !problems.is_empty() {
            return Err(Error::RuleFile {
                name: name.to_owned(),
                message: problems.join("\n"),
            });
        }
        Ok(Rules {
            code: spec.language,
            ordinal_dot: spec.ordinal_dot,
            closing_quotes_after_space,
            exact,
            folded,
            starters,
        })
    }

    /// Looks up the word before a period (without the period). `scratch` is reused for
    /// lower-casing so the hot path does not allocate.
    pub(crate) fn abbreviation(
        &self,
        word: &str,
        scratch: &mut String,
    ) -> Option<AbbreviationKind> {
        if let Some(kind) = self.exact.get(word) {
            return Some(*kind);
        }
        if self.folded.is_empty() {
            return None;
        }
        if !word.chars().any(char::is_uppercase) {
            return self.folded.get(word).copied();
        }
        scratch.clear();
        scratch.extend(word.chars().flat_map(char::to_lowercase));
        self.folded.get(scratch.as_str()).copied()
    }

    /// Whether `word` (letters only) typically starts a sentence.
    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }
}

/// 1-based line and column (in characters) of a byte offset, for messages.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_language_compiles() {
        for language in Language::ALL {
            let (name, source) = language.source();
            let rules = Rules::from_toml(name, source)
                .unwrap_or_else(|error| panic!("{name} does not compile: {error}"));
            assert_eq!(rules.code, language.code(), "{name} declares another code");
        }
    }

    #[test]
    fn codes_parse_with_regions_and_any_case() {
        assert_eq!(Language::from_code("en").ok(), Some(Language::English));
        assert_eq!(Language::from_code("EN-gb").ok(), Some(Language::English));
        assert_eq!(Language::from_code("tr_TR").ok(), Some(Language::Turkish));
        assert_eq!("ru".parse::<Language>().ok(), Some(Language::Russian));
        assert!(matches!(
            Language::from_code("xx"),
            Err(Error::UnknownLanguage { code }) if code == "xx"
        ));
        assert!(Language::from_code("").is_err());
    }

    #[test]
    fn lowercase_entries_match_any_case_capitalised_entries_do_not_fold() {
        let mut scratch = String::new();
        let rules = Language::English.rules();
        assert_eq!(
            rules.abbreviation("etc", &mut scratch),
            Some(AbbreviationKind::MayEnd)
        );
        assert_eq!(
            rules.abbreviation("Etc", &mut scratch),
            Some(AbbreviationKind::MayEnd)
        );
        assert_eq!(
            rules.abbreviation("Mr", &mut scratch),
            Some(AbbreviationKind::NeverEnd)
        );
        assert_eq!(
            rules.abbreviation("MR", &mut scratch),
            Some(AbbreviationKind::NeverEnd)
        );
        // "no." at the end of a sentence is the word, not the abbreviation "No."
        assert_eq!(rules.abbreviation("no", &mut scratch), None);
    }

    #[test]
    fn bad_entries_are_reported_with_line_and_column() {
        let source = "language = \"xx\"\nname = \"Test\"\n[abbreviations]\nnever_end = [\"Mr\", \"a b.\"]\nmay_end = [\"etc.\"]\n[starters]\nwords = [\"The1\"]\n";
        let error = Rules::from_toml("test.toml", source)
            .err()
            .map(|e| e.to_string());
        let message = error.unwrap_or_default();
        assert!(
            message.contains("test.toml:4:14: abbreviation \"Mr\" must end with a period"),
            "{message}"
        );
        assert!(
            message.contains("test.toml:4:20: abbreviation \"a b.\""),
            "{message}"
        );
        assert!(
            message.contains("test.toml:7:10: sentence starter \"The1\""),
            "{message}"
        );
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let source = "language = \"xx\"\nname = \"Test\"\nabbreviation = []\n";
        let message = Rules::from_toml("test.toml", source)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.starts_with("test.toml:3:1: "), "{message}");
        assert!(
            message.contains("unknown field `abbreviation`"),
            "{message}"
        );
    }

    #[test]
    fn conflicting_lists_are_rejected() {
        let source = "language = \"xx\"\nname = \"T\"\n[abbreviations]\nnever_end = [\"etc.\"]\nmay_end = [\"etc.\"]\n";
        assert!(Rules::from_toml("t.toml", source).is_err());
    }
}
