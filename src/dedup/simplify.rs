//! datatrove's `simplify_text` with its default `TextNormConfig`: what MinHash shingles are
//! cut from, so that documents differing only in case, numbers, punctuation, spacing or
//! accents share them.
//!
//! In datatrove's order: lower-case (Python's `str.lower`), every run of digits (any
//! script, with one decimal part) to `0`, its `PUNCTUATION` characters to spaces, white
//! space collapsed to one space (Python's `str.isspace`), then NFD with the non-spacing
//! marks (`Mn`) dropped, and the ends stripped.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// datatrove's `PUNCTUATION` above U+009F (every control character below U+00A0 but tab
/// and line feed is in it too; see [`is_punctuation`]).
const PUNCTUATION: &str =
    "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»";

/// The ASCII characters that are punctuation or white space: where words break.
const ASCII_BREAKS: [bool; 128] = {
    let mut breaks = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        // Control characters (tab and line feed are white space), white space, and the
        // ASCII characters of `PUNCTUATION`.
        breaks[b] = c < 0x20
            || c == 0x7f
            || matches!(
                c,
                b' ' | b'!'
                    | b'"'
                    | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b':'
                    | b';'
                    | b'<'
                    | b'='
                    | b'>'
                    | b'?'
                    | b'@'
                    | b'['
                    | b'\\'
                    | b']'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'{'
                    | b'|'
                    | b'}'
                    | b'~'
            );
        b += 1;
    }
    breaks
};

/// Whether `simplify_text` turns `c` into a space.
fn is_punctuation(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\0'..='\x1f' | '\x7f'..='\u{9f}' => true,
        _ => punctuation().binary_search(&c).is_ok(),
    }
}

fn punctuation() -> &'static [char] {
    static SORTED: OnceLock<Vec<char>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut chars: Vec<char> = PUNCTUATION.chars().collect();
        chars.sort_unstable();
        chars
    })
}

use crate::quality::{in_ranges, is_python_space as is_space};

/// The ranges of a Unicode class (`\p{Mn}`), sorted.
fn class_ranges(class: &str) -> Vec<(u32, u32)> {
    use regex_syntax::hir::{Class, HirKind};
    let hir = regex_syntax::Parser::new()
        .parse(class)
        .expect("static class parses");
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .map(|range| (u32::from(range.start()), u32::from(range.end())))
            .collect(),
        _ => unreachable!("a Unicode class"),
    }
}

/// A decimal digit of any script (`\p{Nd}`).
fn is_digit(c: char) -> bool {
    static DIGITS: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    c.is_ascii_digit()
        || (!c.is_ascii() && in_ranges(DIGITS.get_or_init(|| class_ranges(r"\p{Nd}")), c))
}

/// A non-spacing mark (`\p{Mn}`).
fn is_nonspacing_mark(c: char) -> bool {
    static MARKS: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    c >= '\u{300}' && in_ranges(MARKS.get_or_init(|| class_ranges(r"\p{Mn}")), c)
}

/// The decimal separators of datatrove's `NUMBERS_PATTERN`
/// (`\p{Nd}+([.,،٫⎖⎗⎘]{1}\p{Nd}+)?`).
fn is_decimal_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '،' | '٫' | '⎖' | '⎗' | '⎘')
}

/// The end of the number starting at `at` (a digit) in `text`, as `NUMBERS_PATTERN` matches
/// it: digits, then at most one separator with digits after it.
fn number_end(text: &str, at: usize) -> usize {
    let digits_from = |from: usize| {
        text[from..]
            .char_indices()
            .find(|&(_, c)| !is_digit(c))
            .map_or(text.len(), |(i, _)| from + i)
    };
    let end = digits_from(at);
    let mut rest = text[end..].chars();
    match (rest.next(), rest.next()) {
        (Some(separator), Some(digit)) if is_decimal_separator(separator) && is_digit(digit) => {
            digits_from(end + separator.len_utf8())
        }
        _ => end,
    }
}

/// `text` simplified as datatrove's `simplify_text` does, into `out` (cleared first).
pub fn simplify(text: &str, out: &mut String) {
    out.clear();
    // Lower-casing changes no digit, separator, punctuation or white space, and makes
    // none, so numbers and spaces are found in the text as it is, one character at a time.
    // Only `Σ` lower-cases by its context (a final sigma): such text is lowered whole.
    let lowered;
    let text = if text.contains('Σ') {
        lowered = text.to_lowercase();
        lowered.as_str()
    } else {
        text
    };
    let mut pending_space = false;
    let push =
        |out: &mut String, pending_space: &mut bool, piece: &mut dyn Iterator<Item = char>| {
            if std::mem::take(pending_space) {
                out.push(' ');
            }
            out.extend(piece);
        };
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        // ASCII, the common case, by its class alone.
        if b.is_ascii() && !b.is_ascii_digit() {
            at += 1;
            if ASCII_BREAKS[usize::from(b)] {
                pending_space = !out.is_empty();
            } else {
                if std::mem::take(&mut pending_space) {
                    out.push(' ');
                }
                out.push(char::from(b.to_ascii_lowercase()));
            }
            continue;
        }
        let c = text[at..].chars().next().expect("at a character boundary");
        if is_digit(c) {
            push(out, &mut pending_space, &mut std::iter::once('0'));
            at = number_end(text, at);
            continue;
        }
        at += c.len_utf8();
        if is_punctuation(c) || is_space(c) {
            pending_space = !out.is_empty();
        } else if c.is_ascii() {
            push(
                out,
                &mut pending_space,
                &mut std::iter::once(c.to_ascii_lowercase()),
            );
        } else {
            push(out, &mut pending_space, &mut c.to_lowercase());
        }
    }
    if out.is_ascii() {
        return;
    }
    // Decomposed, without the marks. An ASCII character is a starter that decomposes to
    // itself, so NFD applies to each run of other characters on its own.
    let spaced = std::mem::take(out);
    let mut rest = spaced.as_str();
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        out.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        let run = &rest[..other];
        let mut chars = run.chars();
        match (chars.next(), chars.next()) {
            // One character's decomposition is in canonical order already.
            (Some(c), None) => unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_nonspacing_mark(d) {
                    out.push(d);
                }
            }),
            _ => out.extend(run.nfd().filter(|&c| !is_nonspacing_mark(c))),
        }
        rest = &rest[other..];
    }
    // Dropping marks can bare white space at the ends (a space before a lone mark).
    let trimmed = out.trim_matches(is_space);
    if trimmed.len() != out.len() {
        *out = trimmed.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::simplify;

    fn simplified(text: &str) -> String {
        let mut out = String::new();
        simplify(text, &mut out);
        out
    }

    #[test]
    fn ascii_and_general_paths_agree() {
        for text in [
            "Hello, World!  It's 3.14 or 2,5 -- 1.2.3 on 10/12\r\n\tbye.",
            "  leading and trailing  ",
            "a1b22c333.d 4.",
            "",
            "...",
        ] {
            let general = {
                // The same text with one non-ASCII character appended and removed again
                // by the punctuation step (`»`), so the general path runs.
                simplified(&format!("{text}»"))
            };
            assert_eq!(simplified(text), general, "{text:?}");
        }
    }

    #[test]
    fn ascii_breaks_are_punctuation_or_white_space() {
        for b in 0u8..128 {
            let c = char::from(b);
            assert_eq!(
                super::ASCII_BREAKS[usize::from(b)],
                super::is_punctuation(c) || super::is_space(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn numbers_accents_and_marks() {
        assert_eq!(simplified("Café ÉTÉ 12,5 ١٢٣"), "cafe ete 0 0");
        assert_eq!(simplified("ΣΟΦΟΣ σοφός"), "σοφος σοφος");
        assert_eq!(simplified("a\x1cb x \u{301}"), "a b x");
        assert_eq!(simplified("a\u{a0}b\u{2003}c"), "a b c");
    }
}
