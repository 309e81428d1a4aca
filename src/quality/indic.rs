//! datatrove's `IndicNLPTokenizer`: indic-nlp-library 0.92's `trivial_tokenize(text, lang)`
//! (`indicnlp/tokenize/indic_tokenize.py`), then datatrove's `strip_strings`. FineWeb-2 uses
//! it for 56 languages of India and its neighbours (Hindi, Bengali, Tamil, Urdu, …).
//!
//! The library puts a space on each side of every punctuation character of its set, turns
//! tabs into spaces, collapses runs of spaces, joins the numbers it split back up, and splits
//! on the space alone: a line break stays inside a word (`क\nख` is one word), as it does in
//! datatrove. Its quirks are kept: the backslash is not in its set (`string.punctuation`
//! pasted into a class, where `\]` escapes the bracket), and a number at the very start of
//! the text is not joined (`1 , 000`), where the same number later is (`1,000`). Urdu (`ur`)
//! has a set of its own and no joining of numbers; every other code takes the Indic path.

use std::sync::OnceLock;

use regex::Regex;

/// Buffers reused from text to text.
#[derive(Default)]
pub(crate) struct Scratch {
    spaced: String,
    joined: String,
}

/// Whether `c` is in the library's punctuation set for the path.
fn is_punctuation(c: char, urdu: bool) -> bool {
    let ascii = matches!(c, '!'..='/' | ':'..='@' | '[' | ']'..='`' | '{'..='~');
    ascii
        || if urdu {
            matches!(
                c,
                '\u{609}' | '\u{60A}' | '\u{60C}' | '\u{61E}' | '\u{66A}'..='\u{66D}' | '\u{6D4}'
            )
        } else {
            matches!(
                c,
                '\u{964}'
                    | '\u{965}'
                    | '\u{1C7E}'
                    | '\u{1C7F}'
                    | '\u{AAF0}'
                    | '\u{AAF1}'
                    | '\u{ABEB}'..='\u{ABEF}'
            )
        }
}

/// `pat_num_seq`: numbers the punctuation step split (`1 , 000`).
fn number_sequence() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"(?:[0-9]+ [,.:/] )+[0-9]+").expect("the number pattern compiles")
    })
}

/// The words of `text`, before `strip_strings` (the caller strips them and drops the empty
/// ones, with Python's `str.isspace`), each passed to `word`.
pub(crate) fn for_each_word(
    text: &str,
    urdu: bool,
    scratch: &mut Scratch,
    mut word: impl FnMut(&str),
) {
    // Steps 1-3: tabs to spaces, a space each side of punctuation, runs of spaces as one,
    // and the spaces at both ends gone.
    let spaced = &mut scratch.spaced;
    spaced.clear();
    let push_space = |spaced: &mut String| {
        if !spaced.is_empty() && !spaced.ends_with(' ') {
            spaced.push(' ');
        }
    };
    for c in text.chars() {
        if c == ' ' || c == '\t' {
            push_space(spaced);
        } else if is_punctuation(c, urdu) {
            push_space(spaced);
            spaced.push(c);
            spaced.push(' ');
        } else {
            spaced.push(c);
        }
    }
    if spaced.ends_with(' ') {
        spaced.pop();
    }
    // Step 4 (Indic only): each number sequence after the start, without its spaces.
    let words: &str = if urdu {
        spaced
    } else {
        let joined = &mut scratch.joined;
        joined.clear();
        let mut previous = 0;
        for found in number_sequence().find_iter(spaced) {
            if found.start() > previous {
                joined.push_str(&spaced[previous..found.start()]);
                joined.extend(found.as_str().chars().filter(|&c| c != ' '));
                previous = found.end();
            }
        }
        joined.push_str(&spaced[previous..]);
        joined
    };
    if words.is_empty() {
        return;
    }
    for piece in words.split(' ') {
        word(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, urdu: bool) -> Vec<String> {
        crate::quality::cases::stripped(|word| {
            for_each_word(text, urdu, &mut Scratch::default(), word);
        })
    }

    #[test]
    fn punctuation_splits_and_numbers_join_back_except_at_the_start() {
        assert_eq!(
            words("राम ने कहा। ठीक है!", false),
            ["राम", "ने", "कहा", "।", "ठीक", "है", "!"]
        );
        assert_eq!(words("x 1,000 और 2.5", false), ["x", "1,000", "और", "2.5"]);
        assert_eq!(words("1,000 रुपये", false), ["1", ",", "000", "रुपये"]);
        assert_eq!(words("a\\b\tc", false), ["a\\b", "c"]);
        assert_eq!(words("क\nख", false), ["क\nख"]);
    }

    /// datatrove's own words for the multilingual fixture's documents in these languages
    /// and strings for each path (`quality::cases`).
    #[test]
    fn words_equal_datatrove_s() {
        let indic = |lang: &str| lang.starts_with("indic:");
        crate::quality::cases::check_all(indic, 250, |case| {
            words(&case.text, case.lang == "indic:ur")
        });
    }

    #[test]
    fn urdu_has_its_own_set_and_no_joining() {
        assert_eq!(
            words("یہ، وہ۔ x 1,000", true),
            ["یہ", "،", "وہ", "۔", "x", "1", ",", "000"]
        );
    }
}
