//! Byte-level scanning: where a sentence could end, and what surrounds that place.
//!
//! This module finds candidates (sentence terminators and line breaks) with a table-driven
//! byte scan and reads the punctuation and whitespace around them. It knows scripts and
//! Unicode properties but no language: deciding whether a candidate is a boundary is
//! `fixups.rs`'s job. Every function here looks at a bounded window or consumes what it
//! reads, so the whole pass stays linear in the text.
//!
//! The terminators are those of Unicode's `Sentence_Terminal` property (UAX #29 `STerm`
//! and `ATerm`) that occur in running text, plus the ellipsis `…`.

/// Bytes that may begin a candidate: ASCII terminators and line breaks, and the lead bytes
/// of every multi-byte terminator or line break below. Continuation bytes are never in
/// the table, so the scan always stops on a char boundary.
pub(crate) static CANDIDATE: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = [
        b'.', b'?', b'!', b'\n', b'\r', 0x0B, 0x0C, // ASCII terminators and line breaks
        b')', // the end of an inline list label (`2)`)
        0xC2, // U+0085 NEL
        0xD6, // U+0589 Armenian full stop
        0xD8, // U+061F Arabic question mark
        0xDB, // U+06D4 Arabic full stop
        0xE0, // U+0964, U+0965 Devanagari danda, double danda
        0xE1, // U+104B Myanmar, U+1362/U+1367/U+1368 Ethiopic
        0xE2, // U+2026 …, U+203C ‼, U+203D ‽, U+2047-2049 ⁇⁈⁉, U+2028/U+2029 separators
        0xE3, // U+3002 ideographic full stop
        0xEF, // U+FF01 ！, U+FF0E ．, U+FF1F ？, U+FF61 ｡
    ];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// How a terminator character behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Terminator {
    /// `.`: ambiguous; abbreviations, initials and numbers apply.
    Dot,
    /// `…`: an ellipsis.
    Ellipsis,
    /// `?`, `!`, `‽`, danda, Arabic question mark: ends a sentence before whitespace.
    Strong,
    /// A clause mark that pySBD's rules end a segment at (Arabic `،`): before white space,
    /// unless a list goes on.
    Clause,
    /// `。`, `！`, `？`, `።`, `။`: ends a sentence even with no space after it (CJK, Ethiopic
    /// and Myanmar text often has none).
    Spaceless,
}

/// The terminator at `at`, with its length in bytes.
#[inline]
pub(crate) fn terminator_at(bytes: &[u8], at: usize) -> Option<(usize, Terminator)> {
    let b0 = *bytes.get(at)?;
    let b1 = bytes.get(at + 1).copied().unwrap_or(0);
    let b2 = bytes.get(at + 2).copied().unwrap_or(0);
    let found = match (b0, b1, b2) {
        (b'.', _, _) => (1, Terminator::Dot),
        (b'?' | b'!', _, _) => (1, Terminator::Strong),
        (0xD6, 0x89, _) | (0xD8, 0x9F, _) | (0xDB, 0x94, _) => (2, Terminator::Strong),
        (0xE0, 0xA5, 0xA4 | 0xA5) => (3, Terminator::Strong),
        // Ethiopic and Myanmar text often has no space after its full stop and question
        // mark (`አለህ፧መልካም`, `လဲ။၇ွင္`).
        (0xE1, 0x81, 0x8B) | (0xE1, 0x8D, 0xA2 | 0xA7 | 0xA8) => (3, Terminator::Spaceless),
        (0xE2, 0x80, 0xA6) => (3, Terminator::Ellipsis),
        (0xE2, 0x80, 0xBC | 0xBD) | (0xE2, 0x81, 0x87..=0x89) => (3, Terminator::Strong),
        (0xE3, 0x80, 0x82) => (3, Terminator::Spaceless),
        (0xEF, 0xBC, 0x81 | 0x9F) | (0xEF, 0xBD, 0xA1) => (3, Terminator::Spaceless),
        (0xEF, 0xBC, 0x8E) => (3, Terminator::Dot),
        _ => return None,
    };
    Some(found)
}

/// What a whitespace character does to the line structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Space {
    /// A space, tab or other blank.
    Blank,
    /// LF, CR, CRLF, NEL, VT or U+2028: ends a line.
    LineBreak,
    /// U+2029 or form feed: ends a paragraph by itself.
    ParagraphBreak,
}

/// The whitespace character at `at` (CRLF counts as one), with its length in bytes.
/// Whitespace is Unicode `White_Space`, the same test as `char::is_whitespace`, so that
/// trimmed sentences and the gaps between them agree with `str::trim`.
#[inline]
pub(crate) fn space_at(text: &str, at: usize) -> Option<(usize, Space)> {
    let bytes = text.as_bytes();
    let b = *bytes.get(at)?;
    match b {
        b' ' | b'\t' => Some((1, Space::Blank)),
        b'\n' | 0x0B => Some((1, Space::LineBreak)),
        b'\r' if bytes.get(at + 1) == Some(&b'\n') => Some((2, Space::LineBreak)),
        b'\r' => Some((1, Space::LineBreak)),
        0x0C => Some((1, Space::ParagraphBreak)),
        _ if b < 0x80 => None,
        _ => {
            let c = text.get(at..)?.chars().next()?;
            match c {
                '\u{85}' | '\u{2028}' => Some((c.len_utf8(), Space::LineBreak)),
                '\u{2029}' => Some((c.len_utf8(), Space::ParagraphBreak)),
                _ if c.is_whitespace() => Some((c.len_utf8(), Space::Blank)),
                _ => None,
            }
        }
    }
}

/// A run of whitespace between two non-whitespace characters (or the text's ends).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gap {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// How many line breaks the run holds.
    pub(crate) line_breaks: u32,
    /// Two line breaks (a blank line) or a paragraph separator.
    pub(crate) paragraph: bool,
    /// Where the last line in the run starts (after its last line break), if any.
    pub(crate) last_line_start: Option<usize>,
}

impl Gap {
    /// Reads the whitespace run that starts at `start`.
    pub(crate) fn scan(text: &str, start: usize) -> Gap {
        let mut gap = Gap {
            start,
            end: start,
            line_breaks: 0,
            paragraph: false,
            last_line_start: None,
        };
        while let Some((len, space)) = space_at(text, gap.end) {
            gap.end += len;
            match space {
                Space::Blank => {}
                Space::LineBreak => {
                    gap.line_breaks += 1;
                    gap.last_line_start = Some(gap.end);
                }
                Space::ParagraphBreak => {
                    gap.paragraph = true;
                    gap.last_line_start = Some(gap.end);
                }
            }
        }
        gap.paragraph |= gap.line_breaks >= 2;
        gap
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub(crate) fn breaks_line(&self) -> bool {
        self.line_breaks > 0 || self.paragraph
    }
}

/// Where trailing whitespace before `end` begins.
pub(crate) fn trim_end(text: &str, end: usize) -> usize {
    text.get(..end).map_or(end, |before| {
        before.trim_end_matches(char::is_whitespace).len()
    })
}

/// Closing punctuation that may directly follow a terminator: `."`, `!)`, `?»`, `。」`.
/// Quotes are included in both directions because conventions differ (German closes with
/// `“`, English opens with it); directly after a terminator any quote closes.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '”'
            | '’'
            | '“'
            | '‘'
            | '»'
            | '«'
            | '›'
            | '‹'
            | '」'
            | '』'
            | '）'
            | '］'
            | '〉'
            | '》'
            | '】'
            | '〕'
            | '＂'
            | '｣'
    )
}

/// Opening punctuation that may precede the first word of a sentence.
pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '('
            | '['
            | '{'
            | '“'
            | '‘'
            | '„'
            | '‚'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '¿'
            | '¡'
            | '「'
            | '『'
            | '（'
            | '［'
            | '〈'
            | '《'
            | '【'
            | '〔'
            | '＂'
            | '｢'
            | '*'
            | '_'
    )
}

/// Characters that mark a list item: `-`, `*`, `•`, `⁃` and other bullets and dashes.
pub(crate) fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '*' | '•' | '◦' | '▪' | '‣' | '⁃' | '·' | '●' | '○' | '■' | '□' | '►'
    ) || is_dash(c)
}

/// Dashes that introduce speech or an aside: `— сказал он`, `-- and then`.
pub(crate) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '―' | '−')
}

/// The Unicode class of the first character of a word, as far as sentence starts care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Upper,
    Lower,
    Digit,
    /// A letter of a script without case (CJK, Arabic, Devanagari, Hebrew, Thai …).
    Caseless,
    /// Anything else: symbols, emoji, punctuation.
    Other,
}

pub(crate) fn classify(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            'A'..='Z' => Class::Upper,
            'a'..='z' => Class::Lower,
            '0'..='9' => Class::Digit,
            _ => Class::Other,
        };
    }
    if c.is_uppercase() {
        Class::Upper
    } else if c.is_lowercase() {
        Class::Lower
    } else if c.is_numeric() {
        Class::Digit
    } else if c.is_alphabetic() {
        Class::Caseless
    } else {
        Class::Other
    }
}

/// The number of characters in UTF-8 bytes (lines are measured in characters because hard
/// wrapping counts characters).
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_multibyte_terminator_lead_byte_is_a_candidate() {
        for c in [
            '…', '‼', '‽', '⁇', '⁈', '⁉', '。', '！', '？', '｡', '．', '।', '॥', '؟', '۔', '։',
            '።', '፧', '፨', '။', '\u{85}', '\u{2028}', '\u{2029}',
        ] {
            let mut buffer = [0; 4];
            let encoded = c.encode_utf8(&mut buffer).as_bytes();
            assert!(CANDIDATE[encoded[0] as usize], "{c:?}");
            let is_terminator = terminator_at(encoded, 0).is_some();
            let is_space = space_at(c.encode_utf8(&mut [0; 4]), 0).is_some();
            assert!(is_terminator || is_space, "{c:?} is neither");
        }
    }

    #[test]
    fn continuation_bytes_are_never_candidates() {
        assert!(CANDIDATE[0x80..0xC0].iter().all(|&candidate| !candidate));
    }

    #[test]
    fn gaps_count_lines_and_paragraphs() {
        let text = "a \r\n  b\n\t\nc\u{2029}d";
        let gap = Gap::scan(text, 1);
        assert_eq!((gap.end, gap.line_breaks, gap.paragraph), (6, 1, false));
        assert_eq!(gap.last_line_start, Some(4));
        let gap = Gap::scan(text, 7);
        assert_eq!((gap.end, gap.line_breaks, gap.paragraph), (10, 2, true));
        let gap = Gap::scan(text, 11);
        assert!(gap.paragraph);
        assert!(Gap::scan(text, 0).is_empty());
    }

    #[test]
    fn whitespace_agrees_with_char_is_whitespace() {
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(space_at(&text, 0).is_some(), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(char_count("naïve …".as_bytes()), 7);
    }
}
