//! datatrove's `simplify_text` with its default `TextNormConfig`: what MinHash shingles are
//! cut from, so that documents differing only in case, numbers, punctuation, spacing or
//! accents share them.
//!
//! In datatrove's order: lower-case (Python's `str.lower`), every run of digits (any
//! script, with one decimal part) to `0`, its `PUNCTUATION` characters to spaces, white
//! space collapsed to one space (Python's `str.isspace`), then NFD with the non-spacing
//! marks (`Mn`) dropped, and the ends stripped.

use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// datatrove's `PUNCTUATION` above U+009F (every control character below U+00A0 but tab
/// and line feed is in it too; see [`is_punctuation`]).
const PUNCTUATION: &str =
    "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»";

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

use crate::quality::is_python_space as is_space;

/// datatrove's `NUMBERS_PATTERN`.
fn numbers() -> &'static Regex {
    static NUMBERS: OnceLock<Regex> = OnceLock::new();
    NUMBERS.get_or_init(|| {
        Regex::new(r"\p{Nd}+(?:[.,،٫⎖⎗⎘]\p{Nd}+)?").expect("static pattern compiles")
    })
}

/// The ranges of the non-spacing marks (`Mn`), sorted.
fn nonspacing_marks() -> &'static [(char, char)] {
    static MARKS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    MARKS.get_or_init(|| {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::Parser::new()
            .parse(r"\p{Mn}")
            .expect("static class parses");
        match hir.kind() {
            HirKind::Class(Class::Unicode(class)) => class
                .ranges()
                .iter()
                .map(|range| (range.start(), range.end()))
                .collect(),
            _ => unreachable!("a Unicode class"),
        }
    })
}

fn is_nonspacing_mark(c: char) -> bool {
    c >= '\u{300}'
        && nonspacing_marks()
            .binary_search_by(|&(start, end)| {
                if end < c {
                    std::cmp::Ordering::Less
                } else if start > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// `text` simplified as datatrove's `simplify_text` does, into `out` (cleared first).
pub fn simplify(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        simplify_ascii(text.as_bytes(), out);
        return;
    }
    let lowered = text.to_lowercase();
    let numbered = numbers().replace_all(&lowered, "0");
    // Punctuation to spaces and white space collapsed, in one pass: both only make spaces.
    let mut collapsed = String::with_capacity(numbered.len());
    let mut pending_space = false;
    for c in numbered.chars() {
        if is_punctuation(c) || is_space(c) {
            pending_space = !collapsed.is_empty();
        } else {
            if pending_space {
                collapsed.push(' ');
                pending_space = false;
            }
            collapsed.push(c);
        }
    }
    out.extend(collapsed.nfd().filter(|&c| !is_nonspacing_mark(c)));
    // Dropping marks can bare white space at the ends (a space before a lone mark).
    let trimmed = out.trim_matches(is_space);
    if trimmed.len() != out.len() {
        *out = trimmed.to_string();
    }
}

/// [`simplify`] for ASCII text: nothing to decompose, one pass over the bytes.
fn simplify_ascii(text: &[u8], out: &mut String) {
    let mut pending_space = false;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b.is_ascii_digit() {
            // A run of digits with at most one decimal part (`.` or `,` then digits).
            let mut end = i + 1;
            while end < text.len() && text[end].is_ascii_digit() {
                end += 1;
            }
            if end + 1 < text.len()
                && matches!(text[end], b'.' | b',')
                && text[end + 1].is_ascii_digit()
            {
                end += 2;
                while end < text.len() && text[end].is_ascii_digit() {
                    end += 1;
                }
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push('0');
            i = end;
            continue;
        }
        let c = b as char;
        if is_punctuation(c) || is_space(c) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c.to_ascii_lowercase());
        }
        i += 1;
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
    fn numbers_accents_and_marks() {
        assert_eq!(simplified("Café ÉTÉ 12,5 ١٢٣"), "cafe ete 0 0");
        assert_eq!(simplified("ΣΟΦΟΣ σοφός"), "σοφος σοφος");
        assert_eq!(simplified("a\x1cb x \u{301}"), "a b x");
        assert_eq!(simplified("a\u{a0}b\u{2003}c"), "a b c");
    }
}
