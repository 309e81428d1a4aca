//! The `flag` kind: check-only rules that report words for a person to look at and never
//! edit the text.
//!
//! A `flag` rule names telltale `letters` (for Turkish orthography `ı`, `ş`, `ğ`) and
//! reports every capitalised word holding one in a document that is otherwise not written
//! with them: typically a name carried into English through another language (`Sadır`),
//! which a `transliterate` rule fixes once it is known. Names are capitalised, so telltale
//! letters in ordinary lower-case words mean the document is written in that
//! orthography: when more than one lower-case word in twenty holds one, the document is
//! left alone. When the rule names letter `schemes`, the suggestion undoes the scheme's
//! non-ASCII spellings (`ı` → `y`, `ş` → `sh`), so `Sadır` suggests `Sadyr`. A suggestion
//! is *confirmed* when a name rule spells it so (the shipped lists, or a rule file
//! `discover names` wrote) or the document itself uses it; with `fix = "confirmed"`,
//! `clean` applies confirmed suggestions.
//!
//! With `phrases`, the rule reports phrases instead (literal translations such as
//! `sound bombs` for stun grenades), and only in documents that show the telltale letters
//! in a capitalised word: a sign of a translation through that language, so ordinary
//! English that happens to say `the show` is left alone. Phrases are never fixed.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use super::compile::Scheme;

use super::compile::Behaviour;
use super::compile::{required, Located, Schemes};
use super::spec::RuleSpec;

/// Share of a document's lower-case words that may hold a telltale letter before the
/// document counts as written in that orthography.
const MAX_TELLTALE_SHARE: f64 = 0.05;

/// One flagged word, in the text the rule saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flagged {
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
    pub(crate) suggestion: Option<String>,
    /// A name rule or the document itself confirms the suggestion.
    pub(crate) confirmed: bool,
}

/// Literal translations to report, compiled for one pass.
#[derive(Debug, Clone)]
struct Phrases {
    automaton: AhoCorasick,
    /// (phrase, what English says), by pattern index.
    entries: Vec<(String, String)>,
}

/// A compiled `flag` rule.
#[derive(Debug, Clone)]
pub(crate) struct FlagCheck {
    letters: Vec<char>,
    /// A scheme's spelling (one non-ASCII letter, lower-case) → the canonical letters it
    /// stands for, where that is unambiguous.
    undo: Vec<(char, String)>,
    phrases: Option<Phrases>,
    fix: bool,
    known: Arc<BTreeSet<String>>,
}

impl FlagCheck {
    /// Compiles the check; `schemes` give the suggestions.
    pub(crate) fn new(letters: &str, schemes: &[&Scheme]) -> Self {
        let mut undo: Vec<(char, String)> = Vec::new();
        let mut ambiguous = Vec::new();
        for scheme in schemes {
            for (canonical, spelling) in &scheme.letters {
                let mut chars = spelling.chars();
                let (Some(c), None) = (chars.next(), chars.next()) else {
                    continue;
                };
                if c.is_ascii() {
                    // `c` for `j` cannot be undone: English has its own `c`.
                    continue;
                }
                match undo.iter().find(|(k, _)| *k == c) {
                    Some((_, existing)) if existing != canonical => ambiguous.push(c),
                    Some(_) => {}
                    None => undo.push((c, canonical.clone())),
                }
            }
        }
        undo.retain(|(c, _)| !ambiguous.contains(c));
        Self {
            letters: letters.chars().collect(),
            undo,
            phrases: None,
            fix: false,
            known: Arc::default(),
        }
    }

    /// Reports `phrases` (phrase → what English says) instead of words.
    pub(crate) fn with_phrases(mut self, phrases: &BTreeMap<String, String>) -> Self {
        let entries: Vec<(String, String)> = phrases
            .iter()
            .filter(|(k, _)| !k.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(entries.iter().map(|(k, _)| k))
            .expect("literal phrases always compile");
        self.phrases = Some(Phrases { automaton, entries });
        self
    }

    /// `fix = "confirmed"`.
    pub(crate) fn fixing_confirmed(mut self, fix: bool) -> Self {
        self.fix = fix;
        self
    }

    pub(crate) fn fixes_confirmed(&self) -> bool {
        self.fix
    }

    /// The names the rule set's name rules spell, which confirm a suggestion.
    pub(crate) fn set_known(&mut self, known: Arc<BTreeSet<String>>) {
        self.known = known;
    }

    /// What the rule reports in `text`, a stage of the document `original`.
    pub(crate) fn find(&self, text: &str, original: &str) -> Vec<Flagged> {
        let Some(phrases) = &self.phrases else {
            return self.find_words(text);
        };
        // Phrases only where the document as it came in shows the telltale letters.
        if !self.shows_telltales(original) {
            return Vec::new();
        }
        let mut found = Vec::new();
        for m in phrases.automaton.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            let joins = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if joins(text[..start].chars().next_back()) || joins(text[end..].chars().next()) {
                continue;
            }
            let (phrase, english) = &phrases.entries[m.pattern().as_usize()];
            let seen = &text[start..end];
            let suggestion = if seen.starts_with(char::is_uppercase) {
                let mut chars = english.chars();
                chars
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase)
                    .chain(chars)
                    .collect()
            } else {
                english.clone()
            };
            found.push(Flagged {
                range: start..end,
                message: format!(
                    "`{seen}` reads like a literal translation (`{phrase}` for `{english}`) in a document that shows other signs of translation"
                ),
                suggestion: Some(suggestion),
                confirmed: false,
            });
        }
        found
    }

    /// Whether `text` has a capitalised word with a telltale letter and is not written in
    /// that orthography. Telltales are found in one `memchr` pass over their first bytes
    /// (`ı ş ğ İ Ş Ğ` all begin with 0xC4 or 0xC5) and their words read around them; only
    /// a document with telltales in lower-case words is walked word by word, to count its
    /// words.
    fn shows_telltales(&self, text: &str) -> bool {
        let letters = self.letters.iter().filter(|c| c.is_alphabetic());
        let mut firsts: Vec<u8> = letters.clone().map(|&c| first_byte(c)).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let is_telltale = |at: usize| {
            text[at..]
                .chars()
                .next()
                .is_some_and(|c| self.letters.contains(&c) && c.is_alphabetic())
        };
        let found: Vec<usize> = match firsts[..] {
            [] => Vec::new(),
            [a] => memchr::memchr_iter(a, text.as_bytes())
                .filter(|&at| is_telltale(at))
                .collect(),
            [a, b] => memchr::memchr2_iter(a, b, text.as_bytes())
                .filter(|&at| is_telltale(at))
                .collect(),
            [a, b, c] => memchr::memchr3_iter(a, b, c, text.as_bytes())
                .filter(|&at| is_telltale(at))
                .collect(),
            _ => {
                let mut found: Vec<usize> = letters
                    .flat_map(|&c| text.match_indices(c).map(|(at, _)| at))
                    .collect();
                found.sort_unstable();
                found
            }
        };
        let (mut named, mut telltale_words, mut read_to) = (false, 0usize, 0);
        for at in found {
            // A word with several telltales is read once.
            if at < read_to {
                continue;
            }
            let word = word_around(text, at);
            read_to = word.end;
            if starts_upper(&text[word]) {
                named = true;
            } else {
                telltale_words += 1;
            }
        }
        if !named || telltale_words == 0 {
            return named;
        }
        let words = words_of(text)
            .filter(|w| !starts_upper(&text[w.clone()]))
            .count();
        telltale_words as f64 <= MAX_TELLTALE_SHARE * words as f64
    }

    /// The flagged words of `text`.
    fn find_words(&self, text: &str) -> Vec<Flagged> {
        if !self.shows_telltales(text) {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut whole_words = None;
        for range in words_of(text) {
            let word = &text[range.clone()];
            if !starts_upper(word) {
                continue;
            }
            let mut listed: Vec<String> = word
                .chars()
                .filter(|c| self.letters.contains(c))
                .map(|c| format!("`{c}`"))
                .collect();
            if listed.is_empty() {
                continue;
            }
            listed.dedup();
            let suggestion = self.suggest(word);
            let confirmed = suggestion
                .as_deref()
                .is_some_and(|s| self.known.contains(s) || has_word(text, s, &mut whole_words));
            found.push(Flagged {
                message: format!(
                    "`{word}` is written with {}, which English does not use: probably a name spelt through another language{}",
                    listed.join(", "),
                    if confirmed { " (the suggestion is confirmed by a name rule or the document)" } else { "" }
                ),
                suggestion,
                confirmed,
                range,
            });
        }
        found
    }

    /// `word` with every scheme spelling undone, if the scheme undoes all its telltales.
    fn suggest(&self, word: &str) -> Option<String> {
        let mut out = String::with_capacity(word.len());
        for c in word.chars() {
            let lower = c.to_lowercase().next().unwrap_or(c);
            match self.undo.iter().find(|(k, _)| *k == lower) {
                Some((_, canonical)) if c.is_uppercase() => {
                    let mut letters = canonical.chars();
                    out.extend(letters.next().into_iter().flat_map(char::to_uppercase));
                    out.extend(letters);
                }
                Some((_, canonical)) => out.push_str(canonical),
                None if self.letters.contains(&c) => return None,
                None => out.push(c),
            }
        }
        Some(out)
    }
}

/// Whether `word` occurs in `text` as a whole word. A word of letters, digits and `_` is
/// looked up in `whole_words`, the text's runs of them (collected on the first call), so
/// that many words asked of one long text cost one pass over it, not one each.
fn has_word<'t>(text: &'t str, word: &str, whole_words: &mut Option<HashSet<&'t str>>) -> bool {
    let joins = |c: char| c.is_alphanumeric() || c == '_';
    if !word.is_empty() && word.chars().all(joins) {
        return whole_words
            .get_or_insert_with(|| text.split(|c: char| !joins(c)).collect())
            .contains(word);
    }
    text.match_indices(word).any(|(at, m)| {
        !text[..at].chars().next_back().is_some_and(joins)
            && !text[at + m.len()..].chars().next().is_some_and(joins)
    })
}

/// Byte ranges of the words (runs of letters) of `text`.
fn words_of(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < text.len() {
            let (letter, len) = letter_at(text, at);
            if letter {
                break;
            }
            at += len;
        }
        if at == text.len() {
            return None;
        }
        let start = at;
        while at < text.len() {
            let (letter, len) = letter_at(text, at);
            if !letter {
                break;
            }
            at += len;
        }
        Some(start..at)
    })
}

/// Whether a letter starts at `at`, and the length of the character there; ASCII is
/// decided by its byte, without decoding.
fn letter_at(text: &str, at: usize) -> (bool, usize) {
    let byte = text.as_bytes()[at];
    if byte.is_ascii() {
        return (byte.is_ascii_alphabetic(), 1);
    }
    let c = text[at..].chars().next().expect("at a character boundary");
    (c.is_alphabetic(), c.len_utf8())
}

/// The word (run of letters) holding the letter at `at`.
fn word_around(text: &str, at: usize) -> Range<usize> {
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(at, |(i, _)| i);
    let mut end = at;
    while end < text.len() {
        let (letter, len) = letter_at(text, end);
        if !letter {
            break;
        }
        end += len;
    }
    start..end
}

fn first_byte(c: char) -> u8 {
    let mut buffer = [0; 4];
    c.encode_utf8(&mut buffer);
    buffer[0]
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

impl Behaviour for FlagCheck {}

/// `flag`: a check-only rule; it reports words, never edits.
pub(crate) fn compile(
    spec: &RuleSpec,
    schemes: &Schemes,
    at: &mut Located<'_>,
) -> Option<Box<dyn Behaviour>> {
    let letters = required(&spec.letters, "letters", spec, at)?;
    if letters.get_ref().trim().is_empty() {
        at.report(letters.span(), "`letters` is empty".into());
    }
    let mut chosen = Vec::new();
    for name in spec.schemes.iter().flat_map(|s| s.get_ref()) {
        match schemes.get(name) {
            Some(scheme) => chosen.push(scheme),
            None => at.report(
                spec.schemes
                    .as_ref()
                    .map_or(spec.id.span(), toml::Spanned::span),
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
    Some(Box::new(check))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turkish() -> Scheme {
        let mut letters: Vec<(String, String)> = [
            ("j", "c"),
            ("y", "ı"),
            ("sh", "ş"),
            ("ch", "ç"),
            ("gh", "ğ"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect();
        letters.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Scheme { letters }
    }

    #[test]
    fn capitalised_words_with_telltales_are_flagged_with_a_suggestion() {
        let scheme = turkish();
        let check = FlagCheck::new("ışğİŞĞ", &[&scheme]);
        let text = "Opposition leader Sadır met Kılıç and the Şahin family in Bishkek.";
        let flagged = check.find(text, text);
        let found: Vec<(&str, Option<&str>)> = flagged
            .iter()
            .map(|f| (&text[f.range.clone()], f.suggestion.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("Sadır", Some("Sadyr")),
                ("Kılıç", Some("Kylych")),
                ("Şahin", Some("Shahin"))
            ]
        );
    }

    #[test]
    fn phrases_are_reported_only_in_documents_with_telltale_names() {
        let scheme = turkish();
        let phrases = BTreeMap::from([("sound bombs".to_string(), "stun grenades".to_string())]);
        let check = FlagCheck::new("ışğİŞĞ", &[&scheme]).with_phrases(&phrases);
        let translated = "Sadır Caparov spoke. Police used Sound bombs.";
        let found = check.find(translated, translated);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].suggestion.as_deref(), Some("Stun grenades"));
        let english = "Police used sound bombs, Sadyr Japarov said.";
        assert!(check.find(english, english).is_empty());
    }

    #[test]
    fn suggestions_are_confirmed_by_known_names_or_the_document() {
        let scheme = turkish();
        let mut check = FlagCheck::new("ışğİŞĞ", &[&scheme]);
        check.set_known(Arc::new(BTreeSet::from(["Mamytov".to_string()])));
        let text = "Mamıtov met Kanıbek and Sadır; Sadyr spoke.";
        let confirmed: Vec<bool> = check.find(text, text).iter().map(|f| f.confirmed).collect();
        assert_eq!(confirmed, vec![true, false, true]);
    }

    #[test]
    fn text_written_in_the_orthography_is_left_alone() {
        let scheme = turkish();
        let check = FlagCheck::new("ışğİŞĞ", &[&scheme]);
        assert!(check
            .find_words("Kırgızistan’da seçim sonuçları protesto edildi, Başkent karıştı.")
            .is_empty());
        assert!(check
            .find_words("François met Müller in Bishkek.")
            .is_empty());
    }
}
