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
//! non-ASCII spellings (`ı` → `y`, `ş` → `sh`), so `Sadır` suggests `Sadyr`.

use std::ops::Range;

use super::names::Scheme;

/// Share of a document's lower-case words that may hold a telltale letter before the
/// document counts as written in that orthography.
const MAX_TELLTALE_SHARE: f64 = 0.05;

/// One flagged word, in the text the rule saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flagged {
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
    pub(crate) suggestion: Option<String>,
}

/// A compiled `flag` rule.
#[derive(Debug, Clone)]
pub(crate) struct FlagCheck {
    letters: Vec<char>,
    /// A scheme's spelling (one non-ASCII letter, lower-case) → the canonical letters it
    /// stands for, where that is unambiguous.
    undo: Vec<(char, String)>,
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
        }
    }

    /// The flagged words of `text`.
    pub(crate) fn find(&self, text: &str) -> Vec<Flagged> {
        // Most documents hold none of the telltale letters: a memchr-backed search per
        // letter settles that without walking the words.
        if !self.letters.iter().any(|&c| text.contains(c)) {
            return Vec::new();
        }
        let mut words = 0usize;
        let mut telltale_words = 0usize;
        let mut found = Vec::new();
        for range in words_of(text) {
            let word = &text[range.clone()];
            let telltales: Vec<char> = word.chars().filter(|c| self.letters.contains(c)).collect();
            if !word.chars().next().is_some_and(char::is_uppercase) {
                words += 1;
                telltale_words += usize::from(!telltales.is_empty());
                continue;
            }
            if telltales.is_empty() {
                continue;
            }
            let mut listed: Vec<String> = telltales.iter().map(|c| format!("`{c}`")).collect();
            listed.dedup();
            found.push(Flagged {
                message: format!(
                    "`{word}` is written with {}, which English does not use: probably a name spelt through another language",
                    listed.join(", ")
                ),
                suggestion: self.suggest(word),
                range,
            });
        }
        if telltale_words as f64 > MAX_TELLTALE_SHARE * words as f64 {
            return Vec::new();
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

/// Byte ranges of the words (runs of letters) of `text`.
fn words_of(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(at, c)| match (c.is_alphabetic(), start) {
            (true, None) => {
                start = Some(at);
                None
            }
            (false, Some(s)) => {
                start = None;
                Some(s..at)
            }
            _ => None,
        })
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
        let flagged = check.find(text);
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
    fn text_written_in_the_orthography_is_left_alone() {
        let scheme = turkish();
        let check = FlagCheck::new("ışğİŞĞ", &[&scheme]);
        assert!(check
            .find("Kırgızistan’da seçim sonuçları protesto edildi, Başkent karıştı.")
            .is_empty());
        assert!(check.find("François met Müller in Bishkek.").is_empty());
    }
}
