//! Invisible characters: zero-width spaces, soft hyphens, byte-order marks, bidi controls
//! and C0/C1 control characters. Tabs and line breaks are kept; form feed and vertical
//! tab become line breaks so the words on either side stay apart, and so does a lone
//! carriage return (an old Mac line ending, or a stray one), here rather than with the
//! other line endings at the end: the line rules that run in between would otherwise read
//! the two lines it separates as one (and drop a sentence with a credit glued to it).
//!
//! Some invisible characters are correct text in some scripts, and those are kept where
//! they do work: zero-width (non-)joiners next to a non-Latin letter or an emoji (Persian
//! `می‌خواهم`, Devanagari conjuncts, `👨‍👩‍👧`), zero-width spaces between Thai, Lao,
//! Khmer or Myanmar letters (word boundaries in scripts without spaces), and the
//! directional marks LRM, RLM and ALM near right-to-left letters on their line. Embedding,
//! override and isolate controls (U+202A–U+202E, U+2066–U+2069) always go: they change
//! how text displays, never what it says, and they are how "Trojan source" text hides.

use crate::edit::Edit;

/// What to do with one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Keep,
    Delete,
    LineBreak,
    /// A joiner: kept next to a letter of a script that uses it.
    Joiner,
    /// A zero-width space: kept between letters of scripts written without spaces.
    ZeroWidthSpace,
    /// LRM, RLM, ALM: kept on lines with right-to-left letters.
    DirectionalMark,
}

fn verdict(c: char) -> Verdict {
    match c {
        '\t' | '\n' | '\r' => Verdict::Keep,
        '\u{0B}' | '\u{0C}' => Verdict::LineBreak,
        '\u{00}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Verdict::Delete,
        '\u{AD}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' => {
            Verdict::Delete
        }
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Verdict::Delete,
        '\u{200B}' => Verdict::ZeroWidthSpace,
        '\u{200C}' | '\u{200D}' => Verdict::Joiner,
        '\u{200E}' | '\u{200F}' | '\u{061C}' => Verdict::DirectionalMark,
        _ => Verdict::Keep,
    }
}

/// What the step puts in place of the character `c` at `start..end`: `None` keeps it.
fn replacement(text: &str, c: char, start: usize, end: usize) -> Option<&'static str> {
    if c == '\r' {
        return (!ends_crlf(text, end)).then_some("\n");
    }
    match verdict(c) {
        Verdict::Keep => None,
        Verdict::Delete => Some(""),
        Verdict::LineBreak => Some("\n"),
        Verdict::Joiner if joins(text, start, end) => None,
        Verdict::ZeroWidthSpace if separates_words(text, start, end) => None,
        Verdict::DirectionalMark if near_right_to_left(text, start) => None,
        Verdict::Joiner | Verdict::ZeroWidthSpace | Verdict::DirectionalMark => Some(""),
    }
}

/// Whether the `\r` before `end` is half of a CRLF: a `\n` follows, once the characters
/// this step deletes are gone.
fn ends_crlf(text: &str, end: usize) -> bool {
    text[end..]
        .char_indices()
        .find(|&(i, c)| !deletes(text, c, end + i))
        .is_some_and(|(_, c)| c == '\n')
}

/// Whether this step deletes the character `c` at `start` of `text`. Steps that run before
/// it treat such characters as not there, so deleting them cannot assemble something those
/// steps would have changed (`&g\u{0}t;` is `&gt;`).
pub(super) fn deletes(text: &str, c: char, start: usize) -> bool {
    // A `\r` is never deleted; asking what replaces it would look ahead to the next one.
    c != '\r' && replacement(text, c, start, start + c.len_utf8()) == Some("")
}

/// Bytes that can start an invisible character: ASCII controls and the UTF-8 lead bytes
/// of U+0080–U+00BF (`C2`), U+061C (`D8`), U+200B–U+206F (`E2`) and U+FEFF/U+FFF9 (`EF`).
pub(super) fn is_suspect(byte: u8) -> bool {
    // Non-short-circuit operators, so a block of bytes is tested without branches.
    let control = (byte < 0x20) & (byte != b'\t') & (byte != b'\n');
    control | (byte == 0x7F) | (byte == 0xC2) | (byte == 0xD8) | (byte == 0xE2) | (byte == 0xEF)
}

/// Edits deleting invisible characters (adjacent ones as one edit).
pub(super) fn edits(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut edits: Vec<Edit> = Vec::new();
    let mut at = 0;
    while let Some(offset) = crate::bytes::find_byte(&bytes[at..], is_suspect) {
        let start = at + offset;
        let Some(c) = text[start..].chars().next() else {
            break;
        };
        at = start + c.len_utf8();
        let Some(replacement) = replacement(text, c, start, at) else {
            continue;
        };
        match edits.last_mut() {
            Some(last) if last.range.end == start => {
                last.range.end = at;
                last.replacement.push_str(replacement);
            }
            _ => edits.push(Edit::replace(start..at, replacement)),
        }
    }
    edits
}

/// How many characters a joiner or zero-width space looks past other invisible characters
/// for its neighbours, and a directional mark along its line for a right-to-left letter:
/// far enough for real text, near enough that a long run of invisible characters (or a
/// long line of marks) costs time in proportion to its length.
const NEAR: usize = 128;

/// The visible neighbours of the character at `start..end`, skipping other invisible
/// characters (up to [`NEAR`] on each side).
fn neighbours(text: &str, start: usize, end: usize) -> (Option<char>, Option<char>) {
    let visible = |c: &char| verdict(*c) == Verdict::Keep || c.is_whitespace();
    (
        text[..start].chars().rev().take(NEAR).find(visible),
        text[end..].chars().take(NEAR).find(visible),
    )
}

/// A joiner does work next to a letter outside the Latin blocks or next to an emoji.
fn joins(text: &str, start: usize, end: usize) -> bool {
    let uses_joiners = |c: char| u32::from(c) > 0x36F && !c.is_whitespace();
    let (before, after) = neighbours(text, start, end);
    before.is_some_and(uses_joiners) || after.is_some_and(uses_joiners)
}

/// A zero-width space between letters of Thai, Lao, Khmer or Myanmar marks a word break.
fn separates_words(text: &str, start: usize, end: usize) -> bool {
    let spaceless =
        |c: char| matches!(u32::from(c), 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF);
    let (before, after) = neighbours(text, start, end);
    before.is_some_and(spaceless) && after.is_some_and(spaceless)
}

/// A Hebrew, Arabic, Syriac, Thaana or NKo letter within [`NEAR`] characters of `at` on
/// its line.
fn near_right_to_left(text: &str, at: usize) -> bool {
    let on_line = |c: &char| *c != '\n';
    let before = text[..at].chars().rev().take_while(on_line).take(NEAR);
    let after = text[at..].chars().take_while(on_line).take(NEAR);
    before
        .chain(after)
        .any(|c| matches!(u32::from(c), 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFC))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn fix(text: &str) -> String {
        apply(text, &edits(text))
    }

    #[test]
    fn invisible_characters_go() {
        assert_eq!(fix("\u{feff}Zero\u{200b}width"), "Zerowidth");
        assert_eq!(fix("Netan\u{ad}yahu"), "Netanyahu");
        assert_eq!(fix("a\u{202e}b\u{202c}c"), "abc");
        assert_eq!(fix("tab\there\u{0}\u{7}"), "tab\there");
        assert_eq!(fix("page\u{c}next"), "page\nnext");
        assert_eq!(fix("old\rMac\r\nWindows"), "old\nMac\r\nWindows");
        assert_eq!(fix("half\r\u{200b}\nCRLF"), "half\r\nCRLF");
        assert_eq!(fix("@viticci:\u{200f} hi"), "@viticci: hi");
        assert_eq!(fix("foo\u{200c}bar"), "foobar");
    }

    #[test]
    fn invisible_characters_that_do_work_stay() {
        for text in [
            "می\u{200c}خواهم",
            "👨\u{200d}👩\u{200d}👧",
            "क्\u{200d}ष",
            "(العربية\u{200f}) مصر",
            "ภาษา\u{200b}ไทย",
            "line\r\nbreaks\n",
        ] {
            assert_eq!(fix(text), text);
        }
    }
}
