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

use super::scan::{self, Terminator};
use super::Error;

/// The longest abbreviation (without its final period), in bytes. The segmenter looks back
/// at most this far for the word before a period, which keeps every candidate O(1).
pub(crate) const MAX_ABBREVIATION_BYTES: usize = 32;

/// Declares the embedded languages once: variant, code, English name and rule file.
macro_rules! languages {
    ($($variant:ident $code:literal $name:literal,)+) => {
        /// A language with embedded segmentation rules (`rules/lang/<code>.toml`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Language {
            $(
                #[doc = concat!($name, " (`", $code, "`), from `rules/lang/", $code, ".toml`.")]
                $variant,
            )+
        }

        impl Language {
            /// Every language with embedded rules, in a fixed order.
            pub const ALL: &'static [Language] = &[$(Language::$variant),+];

            /// The ISO 639-1 code: `en`, `de`, `hy`, `zh` …
            #[must_use]
            pub fn code(self) -> &'static str {
                match self {
                    $(Language::$variant => $code,)+
                }
            }

            /// The language's English name.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $(Language::$variant => $name,)+
                }
            }

            fn source(self) -> (&'static str, &'static str) {
                match self {
                    $(Language::$variant => (
                        concat!("rules/lang/", $code, ".toml"),
                        include_str!(concat!("../../rules/lang/", $code, ".toml")),
                    ),)+
                }
            }
        }
    };
}

languages! {
    English "en" "English",
    German "de" "German",
    French "fr" "French",
    Spanish "es" "Spanish",
    Russian "ru" "Russian",
    Turkish "tr" "Turkish",
    Amharic "am" "Amharic",
    Arabic "ar" "Arabic",
    Armenian "hy" "Armenian",
    Bulgarian "bg" "Bulgarian",
    Burmese "my" "Burmese",
    Chinese "zh" "Chinese",
    Danish "da" "Danish",
    Dutch "nl" "Dutch",
    Greek "el" "Greek",
    Hindi "hi" "Hindi",
    Italian "it" "Italian",
    Japanese "ja" "Japanese",
    Kazakh "kk" "Kazakh",
    Marathi "mr" "Marathi",
    Persian "fa" "Persian",
    Polish "pl" "Polish",
    Slovak "sk" "Slovak",
    Ukrainian "uk" "Ukrainian",
    Urdu "ur" "Urdu",
}

/// How many languages are embedded.
const LANGUAGE_COUNT: usize = 25;

impl Language {
    /// Parses a language code. Case does not matter and a region or script subtag is
    /// ignored, so `en`, `EN`, `en-GB` and `en_US` all mean English. ISO 639-2/3 codes
    /// of the embedded languages (`eng`, `deu`, `ger`, `zho`, `cmn`) are accepted too, as
    /// language identifiers and corpora use them.
    pub fn from_code(code: &str) -> Result<Language, Error> {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let primary = match primary.as_str() {
            "eng" => "en",
            "deu" | "ger" => "de",
            "fra" | "fre" => "fr",
            "spa" => "es",
            "rus" => "ru",
            "tur" => "tr",
            "amh" => "am",
            "ara" | "arb" => "ar",
            "hye" | "arm" => "hy",
            "bul" => "bg",
            "mya" | "bur" => "my",
            "zho" | "chi" | "cmn" => "zh",
            "dan" => "da",
            "nld" | "dut" => "nl",
            "ell" | "gre" => "el",
            "hin" => "hi",
            "ita" => "it",
            "jpn" => "ja",
            "kaz" => "kk",
            "mar" => "mr",
            "fas" | "per" | "pes" => "fa",
            "pol" => "pl",
            "slk" | "slo" => "sk",
            "ukr" => "uk",
            "urd" => "ur",
            other => other,
        };
        Language::ALL
            .iter()
            .copied()
            .find(|language| language.code() == primary)
            .ok_or_else(|| Error::UnknownLanguage {
                code: code.to_owned(),
            })
    }

    /// The codes of every embedded language, comma-separated, for messages.
    #[must_use]
    pub fn codes() -> String {
        let codes: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
        codes.join(", ")
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The compiled rules, built on first use and shared afterwards, so that creating a
    /// `Segmenter` per document costs an `Arc` clone, not a TOML parse.
    pub(crate) fn rules(self) -> Arc<Rules> {
        static CACHE: [OnceLock<Arc<Rules>>; LANGUAGE_COUNT] =
            [const { OnceLock::new() }; LANGUAGE_COUNT];
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
    /// Whether a lower-case word may start a sentence after `.`, `?` or `!` (Greek and
    /// Kazakh prose does; English `"Stop!" he said` does not). Abbreviations, initials
    /// and a dash before the word (`— деді`) still keep the sentence going.
    #[serde(default)]
    lower_case_starts: bool,
    /// End marks of this language besides the shared ones (`.?!…` and the script marks
    /// in `scan.rs`): Greek `;` is its question mark, Armenian writes `:` as a full stop.
    #[serde(default)]
    terminators: TerminatorSpec,
    /// Words that, right after a closing quotation mark, make the quotation part of the
    /// sentence: Japanese `「すごい！」と言った` (the quotative particle `と`).
    #[serde(default)]
    quote_particles: Vec<Spanned<String>>,
    #[serde(default)]
    abbreviations: AbbreviationSpec,
    #[serde(default)]
    starters: StarterSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TerminatorSpec {
    /// Marks that end a sentence before white space, like `?`.
    #[serde(default)]
    strong: Vec<Spanned<String>>,
    /// Marks that end a sentence even with no space after them, like `。`.
    #[serde(default)]
    spaceless: Vec<Spanned<String>>,
    /// Clause marks that end a segment before white space except inside a list, like the
    /// Arabic comma `،`.
    #[serde(default)]
    clause: Vec<Spanned<String>>,
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
    pub(crate) lower_case_starts: bool,
    pub(crate) quote_particles: Vec<String>,
    /// The language's own end marks, looked up after the shared ones.
    extra_terminators: Vec<(char, Terminator)>,
    /// Lead bytes that may begin a candidate: the shared table plus the extra marks'.
    candidate: [bool; 256],
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

        let mut extra_terminators = Vec::new();
        let mut candidate = scan::CANDIDATE;
        let marks = [
            (&spec.terminators.strong, Terminator::Strong),
            (&spec.terminators.spaceless, Terminator::Spaceless),
            (&spec.terminators.clause, Terminator::Clause),
        ];
        for (entries, kind) in marks {
            for entry in entries {
                let mut chars = entry.get_ref().chars();
                match (chars.next(), chars.next()) {
                    (Some(mark), None)
                        if !mark.is_alphanumeric()
                            && !mark.is_whitespace()
                            && scan::terminator_at(entry.get_ref().as_bytes(), 0).is_none() =>
                    {
                        let mut buffer = [0; 4];
                        candidate[mark.encode_utf8(&mut buffer).as_bytes()[0] as usize] = true;
                        extra_terminators.push((mark, kind));
                    }
                    _ => problem(
                        entry.span(),
                        format!(
                            "terminator {:?} must be one punctuation character that is not already a shared end mark",
                            entry.get_ref()
                        ),
                    ),
                }
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
            lower_case_starts: spec.lower_case_starts,
            quote_particles: spec
                .quote_particles
                .iter()
                .map(|p| p.get_ref().clone())
                .filter(|p| !p.is_empty())
                .collect(),
            extra_terminators,
            candidate,
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

    /// The position of the next byte that may begin a candidate, at or after `from`.
    #[inline]
    pub(crate) fn next_candidate(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let rest = bytes.get(from..)?;
        rest.iter()
            .position(|&b| self.candidate[b as usize])
            .map(|i| from + i)
    }

    /// The terminator at `at` (a shared one or one of the language's own), with its length
    /// in bytes.
    #[inline]
    pub(crate) fn terminator_at(&self, text: &str, at: usize) -> Option<(usize, Terminator)> {
        let bytes = text.as_bytes();
        if let Some(found) = scan::terminator_at(bytes, at) {
            return Some(found);
        }
        if self.extra_terminators.is_empty() || !self.candidate[*bytes.get(at)? as usize] {
            return None;
        }
        let c = text.get(at..)?.chars().next()?;
        self.extra_terminators
            .iter()
            .find(|&&(mark, _)| mark == c)
            .map(|&(mark, kind)| (mark.len_utf8(), kind))
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
        assert_eq!(Language::ALL.len(), LANGUAGE_COUNT);
        for &language in Language::ALL {
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
