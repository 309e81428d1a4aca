//! Homoglyphs: a word written in one script with a few look-alike letters of another
//! inside, such as `Кyrgyzstan` with a Cyrillic `К`, or Ukrainian `вiйна` with a Latin `i`.
//!
//! Such words come from keyboard-layout slips, OCR and deliberate filter evasion; they
//! break search, dictionaries and tokenisers. A word (a run of letters) is rewritten only
//! when it mixes Latin with Cyrillic or Greek, one script has strictly more of its letters,
//! and every letter of the other script has a look-alike in it. Words wholly in one script
//! are never touched, and neither is a mixed word with a letter that has no look-alike
//! (`Xжx`), which is more likely deliberate than a slip.

use crate::edit::Edit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Other,
}

fn script(c: char) -> Script {
    match u32::from(c) {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => Script::Latin,
        0x370..=0x3FF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        _ => Script::Other,
    }
}

/// Cyrillic letters that look like Latin ones (Unicode `confusables.txt`, restricted to
/// letters that are indistinguishable in common fonts).
const CYRILLIC_LATIN: &[(char, char)] = &[
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('һ', 'h'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('ё', 'ë'),
    ('ї', 'ï'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('Ԛ', 'Q'),
    ('Ԝ', 'W'),
    ('Ё', 'Ë'),
    ('Ї', 'Ï'),
];

/// Greek letters that look like Latin ones.
const GREEK_LATIN: &[(char, char)] = &[
    ('ο', 'o'),
    ('ν', 'v'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
];

/// The look-alike of `c` in `target`, if it has one.
fn look_alike(c: char, target: Script) -> Option<char> {
    let (table, forward) = match (script(c), target) {
        (Script::Cyrillic, Script::Latin) => (CYRILLIC_LATIN, true),
        (Script::Greek, Script::Latin) => (GREEK_LATIN, true),
        (Script::Latin, Script::Cyrillic) => (CYRILLIC_LATIN, false),
        (Script::Latin, Script::Greek) => (GREEK_LATIN, false),
        _ => return None,
    };
    table.iter().find_map(|&(other, latin)| match forward {
        true => (other == c).then_some(latin),
        false => (latin == c).then_some(other),
    })
}

/// Edits rewriting mixed-script words into their majority script.
pub(super) fn edits(text: &str) -> Vec<Edit> {
    // A mixed word has a Cyrillic or Greek letter (UTF-8 lead byte CD–D4, two bytes)
    // touching a Latin one (an ASCII letter, or lead byte C3–C9): look only there.
    let bytes = text.as_bytes();
    let is_latin_at = |at: usize| {
        bytes
            .get(at)
            .is_some_and(|&b| b.is_ascii_alphabetic() || (0xC3..=0xC9).contains(&b))
    };
    let mut edits = Vec::new();
    let mut done = 0;
    let mut at = 0;
    while let Some(offset) = crate::bytes::find_byte(&bytes[at..], |b| (0xCD..=0xD4).contains(&b)) {
        let start = at + offset;
        let end = (start + 2).min(bytes.len());
        at = end;
        let latin_before = start > 0
            && (bytes[start - 1].is_ascii_alphabetic()
                || (start >= 2 && (0xC3..=0xC9).contains(&bytes[start - 2])));
        if start < done || !(latin_before || is_latin_at(end)) {
            continue;
        }
        let word_start = text[..start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map_or(start, |(i, _)| i);
        let word_end = text[start..]
            .char_indices()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map_or(end, |(i, c)| start + i + c.len_utf8());
        fix_word(text, word_start, &text[word_start..word_end], &mut edits);
        done = word_end;
        at = at.max(word_end);
    }
    edits
}

fn fix_word(text: &str, start: usize, word: &str, edits: &mut Vec<Edit>) {
    let (mut latin, mut cyrillic, mut greek) = (0, 0, 0);
    for c in word.chars() {
        match script(c) {
            Script::Latin => latin += 1,
            Script::Cyrillic => cyrillic += 1,
            Script::Greek => greek += 1,
            Script::Other => return,
        }
    }
    let majority = if latin > cyrillic + greek {
        Script::Latin
    } else if cyrillic > latin && greek == 0 {
        Script::Cyrillic
    } else if greek > latin && cyrillic == 0 {
        Script::Greek
    } else {
        return;
    };
    if [latin, cyrillic, greek].iter().filter(|&&n| n > 0).count() < 2 {
        return;
    }
    let mut rewritten = Vec::new();
    for (offset, c) in word.char_indices() {
        if script(c) == majority {
            continue;
        }
        let Some(replacement) = look_alike(c, majority) else {
            return;
        };
        rewritten.push((start + offset, c, replacement));
    }
    debug_assert!(text.is_char_boundary(start));
    for (at, c, replacement) in rewritten {
        match edits.last_mut() {
            Some(last) if last.range.end == at => {
                last.range.end += c.len_utf8();
                last.replacement.push(replacement);
            }
            _ => edits.push(Edit::replace(
                at..at + c.len_utf8(),
                replacement.to_string(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn fix(text: &str) -> String {
        apply(text, &edits(text))
    }

    #[test]
    fn mixed_words_take_their_majority_script() {
        assert_eq!(fix("Кyrgyzstan"), "Kyrgyzstan");
        assert_eq!(fix("вiйна"), "війна");
        assert_eq!(fix("pаypаl"), "paypal");
        assert_eq!(fix("ΑΘΗΝA"), "ΑΘΗΝΑ");
    }

    #[test]
    fn words_in_one_script_and_deliberate_mixes_stay() {
        for text in [
            "Москва and Moscow",
            "Αθήνα",
            "Xжx",
            "Кy",
            "α-helix and β-sheet",
            "СССР",
        ] {
            assert_eq!(fix(text), text);
        }
    }
}
