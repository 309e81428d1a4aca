//! Unicode normalisation: NFC (canonical composition), or NFKC when asked.
//!
//! Only the stretches that change are edited. The text is cut before every character that
//! is a starter (combining class 0) and passes the form's quick check: such a character
//! neither combines with what precedes it nor lets marks reorder across it, so each piece
//! normalises on its own (UAX #15, "stable code points"). Pieces whose characters all
//! pass the quick check are skipped without being normalised.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::edit::Edit;

/// The normalisation form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Canonical composition: changes how text is encoded, never what it says.
    Nfc,
    /// Compatibility composition: also folds ligatures, full-width forms, superscripts
    /// and the no-break space, which loses distinctions (`x²` → `x2`).
    Nfkc,
}

impl Form {
    fn is_quick_yes(self, c: char) -> bool {
        let once = std::iter::once(c);
        let quick = match self {
            Self::Nfc => is_nfc_quick(once),
            Self::Nfkc => is_nfkc_quick(once),
        };
        quick == IsNormalized::Yes
    }

    /// A character nothing before it interacts with, that is already in the form.
    fn is_stable(self, c: char) -> bool {
        // Below U+0300 every character is a starter in NFC; NFKC folds a few (`ª`, `²`,
        // the no-break space), so only ASCII is certain there.
        let certain = match self {
            Self::Nfc => u32::from(c) < 0x300,
            Self::Nfkc => c.is_ascii(),
        };
        certain
            || is_common_starter(c)
            || (canonical_combining_class(c) == 0 && self.is_quick_yes(c))
    }

    fn normalize(self, piece: &str) -> String {
        match self {
            Self::Nfc => piece.nfc().collect(),
            Self::Nfkc => piece.nfkc().collect(),
        }
    }
}

/// Letters of the big alphabets and syllabaries that are stable in both forms, so the
/// table lookups are skipped for most of a Cyrillic, Greek, Hebrew, Arabic, Japanese,
/// Chinese or Korean text (checked against the tables in the tests).
fn is_common_starter(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0391..=0x03A9
            | 0x03B1..=0x03C9
            | 0x0400..=0x0482
            | 0x048A..=0x052F
            | 0x05D0..=0x05EA
            | 0x0621..=0x064A
            | 0x3041..=0x3096
            | 0x30A1..=0x30FA
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7A3
    )
}

/// Edits bringing `text` into `form`.
pub(super) fn edits(text: &str, form: Form) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut piece_start = 0;
    let mut piece_stable = true;
    let mut at = 0;
    while at < text.len() {
        if piece_stable && form == Form::Nfc {
            // Characters below U+0300 are stable in NFC, and their UTF-8 has no byte of
            // 0xCC or more: skip such runs on bytes, without decoding characters.
            let run_end =
                crate::bytes::find_byte(&bytes[at..], |b| b >= 0xCC).map_or(text.len(), |i| at + i);
            if run_end > at {
                let mut last = run_end - 1;
                while !text.is_char_boundary(last) {
                    last -= 1;
                }
                piece_start = last;
                at = run_end;
                continue;
            }
        }
        let c = text[at..]
            .chars()
            .next()
            .expect("at is a char boundary inside the text");
        let stable = form.is_stable(c);
        if stable && at > piece_start {
            if !piece_stable {
                push_change(text, piece_start..at, form, &mut edits);
            }
            piece_start = at;
            piece_stable = true;
        }
        piece_stable &= stable;
        at += c.len_utf8();
    }
    if !piece_stable {
        push_change(text, piece_start..text.len(), form, &mut edits);
    }
    edits
}

/// Normalises one piece and records the part that differs.
fn push_change(text: &str, range: std::ops::Range<usize>, form: Form, edits: &mut Vec<Edit>) {
    let piece = &text[range.clone()];
    let normalized = form.normalize(piece);
    if normalized == piece {
        return;
    }
    let prefix: usize = piece
        .chars()
        .zip(normalized.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = piece[prefix..]
        .chars()
        .rev()
        .zip(normalized[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix = suffix
        .min(piece.len() - prefix)
        .min(normalized.len() - prefix);
    edits.push(Edit::replace(
        range.start + prefix..range.end - suffix,
        &normalized[prefix..normalized.len() - suffix],
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn fix(text: &str, form: Form) -> String {
        apply(text, &edits(text, form))
    }

    #[test]
    fn the_common_starters_are_stable_in_both_forms() {
        for c in (0..=0xD7A3u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_common_starter(c))
        {
            for form in [Form::Nfc, Form::Nfkc] {
                assert!(
                    canonical_combining_class(c) == 0 && form.is_quick_yes(c),
                    "U+{:04X} in {form:?}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn only_the_decomposed_stretch_is_edited() {
        let text = "Cafe\u{301} and re\u{301}sume\u{301}";
        let found = edits(text, Form::Nfc);
        assert_eq!(found.len(), 3);
        assert_eq!(&text[found[0].range.clone()], "e\u{301}");
        assert_eq!(found[0].replacement, "é");
        assert_eq!(fix(text, Form::Nfc), "Café and résumé");
    }

    #[test]
    fn nfc_text_is_left_alone_and_nfkc_folds_more() {
        for text in ["Müller", "한국어", "Tiếng Việt", "ﬁne x²", "日本語"] {
            assert_eq!(fix(text, Form::Nfc), text);
        }
        assert_eq!(fix("ﬁne x² ＡＢ", Form::Nfkc), "fine x2 AB");
        assert_eq!(fix("\u{1100}\u{1161}", Form::Nfc), "가");
    }
}
