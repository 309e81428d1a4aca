//! Mojibake: UTF-8 text that was decoded as Windows-1252 or Latin-1 (once or several
//! times), so `don’t` reads `donâ€™t` and `é` reads `Ã©`.
//!
//! Every mojibake sequence is a run of characters a single-byte decoder produces from bytes
//! 0x80–0xFF, starting with one decoded from a UTF-8 lead byte (`Â`–`ô`). The step finds
//! such runs, turns each back into the bytes it came from, and re-decodes the valid UTF-8
//! sequences among them, one run at a time, so a document where only some spans are
//! broken keeps its correct text. A sequence is fixed only when its bytes round-trip and
//! the character it gives is plausible where it stands (see [`plausible`]); correct text in
//! any language contains no such sequence, because a correct accented letter is almost
//! never followed by a character from the continuation-byte range.
//!
//! It also maps lone C1 control characters (U+0080–U+009F), which only a Latin-1 decoder
//! reading Windows-1252 text produces, to the Windows-1252 characters they stand for
//! (`U+0092` → `’`). It does not guess encodings other than Windows-1252 and Latin-1
//! (Mac Roman, KOI8-R, Shift-JIS).

use std::ops::Range;

use crate::edit::Edit;

/// Windows-1252 bytes 0x80–0x9F (WHATWG `windows-1252`); `None` for the five bytes it
/// leaves undefined, which decoders pass through as the C1 control of the same value.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The Windows-1252 character for a byte 0x80–0x9F, if it defines one.
pub(super) fn cp1252_high(byte: u8) -> Option<char> {
    CP1252_HIGH
        .get(usize::from(byte.wrapping_sub(0x80)))
        .copied()
        .flatten()
}

/// The byte ≥ 0x80 that a Windows-1252 or Latin-1 decoder turns into `c`, if any.
fn high_byte(c: char) -> Option<u8> {
    match u32::from(c) {
        // Latin-1 (and Windows-1252 above 0x9F, and the C1 controls a Latin-1 decoder or
        // a lenient Windows-1252 decoder gives for the undefined bytes).
        code @ 0x80..=0xFF => u8::try_from(code).ok(),
        0x0152..=0x2122 => CP1252_HIGH
            .iter()
            .position(|&m| m == Some(c))
            .and_then(|i| u8::try_from(0x80 + i).ok()),
        _ => None,
    }
}

/// One character of a run: what it is now, the byte it would encode to, and the stretch
/// of the text it stands for.
#[derive(Debug, Clone)]
struct Item {
    c: char,
    byte: Option<u8>,
    range: Range<usize>,
    /// Decoded to a character that is only plausible as a middle layer of repeated
    /// mojibake (a C1 control, `˜`, `ˆ`): kept only if a later pass consumes it.
    provisional: bool,
}

/// Passes of re-decoding tried on one run; text mis-decoded three times is seen in the
/// wild, four is a safety margin.
const MAX_PASSES: usize = 4;

/// Edits that re-decode every mojibake sequence in `text`.
pub(super) fn edits(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut resume = 0;
    // Every sequence starts with U+00C2–U+00F4 (UTF-8 `C3 82`–`C3 B4`) and C1 controls are
    // `C2 80`–`C2 9F`: text without a C2 or C3 byte has nothing to fix.
    for at in memchr::memchr2_iter(0xC2, 0xC3, bytes) {
        if at < resume {
            continue;
        }
        let Some(first) = text[at..].chars().next() else {
            continue;
        };
        let starts_run = match u32::from(first) {
            0x80..=0x9F => true,
            0xC2..=0xF4 => text[at + first.len_utf8()..]
                .chars()
                .next()
                .and_then(high_byte)
                .is_some_and(is_continuation),
            _ => false,
        };
        if !starts_run {
            continue;
        }
        let mut items = Vec::new();
        let mut end = at;
        for c in text[at..].chars() {
            let Some(byte) = high_byte(c) else { break };
            items.push(Item {
                c,
                byte: Some(byte),
                range: end..end + c.len_utf8(),
                provisional: false,
            });
            end += c.len_utf8();
        }
        resume = end;
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        fix_run(text, &mut items, before, after);
        push_changes(text, &items, &mut edits);
    }
    edits
}

fn is_continuation(byte: u8) -> bool {
    (0x80..=0xBF).contains(&byte)
}

/// Length of the UTF-8 sequence a lead byte starts (0 for a byte that starts none).
fn sequence_len(byte: u8) -> usize {
    match byte {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Re-decodes `items` in place, pass after pass while something changes, then maps lone
/// C1 controls through Windows-1252.
fn fix_run(text: &str, items: &mut Vec<Item>, before: Option<char>, after: Option<char>) {
    for _ in 0..MAX_PASSES {
        if !decode_pass(items, before, after) {
            break;
        }
    }
    // A middle layer no later pass consumed was not mojibake after all: put back what
    // the text had there.
    if items.iter().any(|item| item.provisional) {
        *items = std::mem::take(items)
            .into_iter()
            .flat_map(|item| {
                if !item.provisional {
                    return vec![item];
                }
                let mut at = item.range.start;
                text[item.range]
                    .chars()
                    .map(|c| {
                        let range = at..at + c.len_utf8();
                        at = range.end;
                        Item {
                            c,
                            byte: high_byte(c),
                            range,
                            provisional: false,
                        }
                    })
                    .collect()
            })
            .collect();
    }
    for item in items.iter_mut() {
        let code = u32::from(item.c);
        if (0x80..=0x9F).contains(&code) && text[item.range.clone()].chars().eq([item.c]) {
            if let Some(mapped) = u8::try_from(code).ok().and_then(cp1252_high) {
                item.c = mapped;
            }
        }
    }
}

/// One pass: every valid, plausible UTF-8 sequence among the items' bytes becomes the
/// character it encodes. Returns whether anything changed.
fn decode_pass(items: &mut Vec<Item>, before: Option<char>, after: Option<char>) -> bool {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    let mut changed = false;
    let mut i = 0;
    while i < items.len() {
        if let Some((decoded, len, provisional)) =
            decode_at(items, i, out.last().map(|p| p.c).or(before), after)
        {
            let range = items[i].range.start..items[i + len - 1].range.end;
            out.push(Item {
                c: decoded,
                byte: high_byte(decoded),
                range,
                provisional,
            });
            changed = true;
            i += len;
        } else {
            out.push(items[i].clone());
            i += 1;
        }
    }
    *items = out;
    changed
}

/// The character the sequence starting at item `i` encodes, how many items it takes and
/// whether it is provisional, when that is a plausible fix. `previous` is the character
/// before it (already fixed), `after` the one after the whole run.
fn decode_at(
    items: &[Item],
    i: usize,
    previous: Option<char>,
    after: Option<char>,
) -> Option<(char, usize, bool)> {
    let lead = items[i].byte?;
    let len = sequence_len(lead);
    let next_of = |k: usize| items.get(k).map(|it| it.c).or(after);
    if len == 0 || i + len > items.len() {
        return lost_quote(items, i, next_of(i + 2));
    }
    let mut buffer = [0u8; 4];
    for (k, slot) in buffer.iter_mut().enumerate().take(len) {
        let byte = items[i + k].byte?;
        if k > 0 && !is_continuation(byte) {
            return lost_quote(items, i, next_of(i + 2));
        }
        *slot = byte;
    }
    let decoded = std::str::from_utf8(&buffer[..len]).ok()?.chars().next()?;
    let fits = plausible(
        decoded,
        items[i].c,
        items[i + len - 1].c,
        previous,
        next_of(i + len),
    );
    if fits {
        return Some((decoded, len, false));
    }
    // Mojibake of mojibake: the middle layer holds Windows-1252's own characters, some
    // of which (C1 controls for its undefined bytes, `˜`, `ˆ`) are implausible as text.
    let middle_layer = high_byte(decoded).is_some_and(|b| (0x80..=0x9F).contains(&b));
    middle_layer.then_some((decoded, len, true))
}

/// `â€` whose third byte was lost: 0x9D is undefined in Windows-1252, so strict decoders
/// drop it, and `”` (`E2 80 9D`) is by far the commonest character it belonged to. Only
/// taken when nothing after `â€` could complete it; before U+FFFD (the byte was replaced,
/// not dropped, and could have been any of five) it is left for a person.
fn lost_quote(items: &[Item], i: usize, next: Option<char>) -> Option<(char, usize, bool)> {
    let is_pair = items[i].c == 'â' && items.get(i + 1).is_some_and(|it| it.c == '€');
    let completes = items
        .get(i + 2)
        .and_then(|it| it.byte)
        .is_some_and(is_continuation);
    (is_pair && !completes && next.is_none_or(|c| c != '\u{FFFD}')).then_some(('”', 2, false))
}

/// Whether `decoded` is a believable character to stand where its sequence stands.
///
/// The sequence's bytes already round-trip; this rejects what correct text produces by
/// chance: a character from a block that mojibake of real text almost never yields (NKo,
/// Syriac, IPA, private use, controls), a non-Latin letter glued to Latin letters, and an
/// upper-case accented letter ending an all-capitals word before a closing quote or
/// dash (`NAÇÃO”`, where `Ã”` would read as `Ô`).
fn plausible(
    decoded: char,
    lead: char,
    last: char,
    previous: Option<char>,
    next: Option<char>,
) -> bool {
    let code = u32::from(decoded);
    let allowed = match code {
        0xA0..=0x24F | 0x259 | 0x370..=0x3FF | 0x400..=0x52F | 0x531..=0x58A => true,
        0x591..=0x5F4 | 0x600..=0x6FF => true,
        // Combining marks: decomposed text (`e` + U+0301) broken the same way.
        0x300..=0x36F => previous.is_some_and(char::is_alphabetic),
        0x80..=0x9F | 0x250..=0x2FF | 0x700..=0x8FF => false,
        0xD800..=0xDFFF | 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xFFF0..=0xFFFF => false,
        0x900..=0xFFFF | 0x1_0000..=0x3_FFFF | 0xE_0000..=0xE_0FFF => true,
        _ => false,
    };
    if !allowed {
        return false;
    }
    let is_latin_letter = |c: char| c.is_ascii_alphabetic();
    let foreign_script = (0x370..=0x6FF).contains(&code);
    if foreign_script
        && (previous.is_some_and(is_latin_letter) || next.is_some_and(is_latin_letter))
    {
        return false;
    }
    let closing = matches!(last, '’' | '”' | '“' | '‘' | '»' | '›' | '…' | '–' | '—');
    let ends_capital_word = lead.is_uppercase()
        && previous.is_some_and(char::is_uppercase)
        && !next.is_some_and(char::is_alphanumeric);
    !(decoded.len_utf8() == 2 && closing && ends_capital_word)
}

/// Turns the fixed items into edits: each stretch of changed items is one edit.
fn push_changes(text: &str, items: &[Item], edits: &mut Vec<Edit>) {
    let mut pending: Option<Edit> = None;
    for item in items {
        let unchanged = text[item.range.clone()].chars().eq([item.c]);
        if unchanged {
            edits.extend(pending.take());
            continue;
        }
        match pending.as_mut() {
            Some(edit) if edit.range.end == item.range.start => {
                edit.range.end = item.range.end;
                edit.replacement.push(item.c);
            }
            _ => {
                edits.extend(pending.take());
                pending = Some(Edit::replace(item.range.clone(), item.c.to_string()));
            }
        }
    }
    edits.extend(pending);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn fix(text: &str) -> String {
        apply(text, &edits(text))
    }

    #[test]
    fn the_table_round_trips() {
        for byte in 0x80..=0x9Fu8 {
            if let Some(c) = cp1252_high(byte) {
                assert_eq!(high_byte(c), Some(byte));
            }
        }
        assert_eq!(high_byte('é'), Some(0xE9));
        assert_eq!(high_byte('ı'), None);
    }

    #[test]
    fn single_and_double_mojibake_is_fixed() {
        assert_eq!(fix("donâ€™t"), "don’t");
        assert_eq!(fix("cafÃ©"), "café");
        assert_eq!(fix("donÃ¢â‚¬â„¢t"), "don’t");
        assert_eq!(fix("ÐŸÑ€Ð¸Ð²ÐµÑ‚"), "Привет");
        assert_eq!(fix("Â£5"), "£5");
        assert_eq!(fix("ðŸ˜€"), "😀");
        assert_eq!(fix("â€œHiâ€\u{9d}"), "“Hi”");
        assert_eq!(fix("â€œHiâ€ she"), "“Hi” she");
    }

    #[test]
    fn latin1_decoding_and_lone_c1_controls_are_fixed() {
        assert_eq!(fix("don\u{e2}\u{80}\u{99}t"), "don’t");
        assert_eq!(fix("it\u{92}s"), "it’s");
    }

    #[test]
    fn edits_are_minimal() {
        let text = "Le cafÃ© et la crÃ¨me";
        let found = edits(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.clone()], "Ã©");
    }

    #[test]
    fn correct_text_is_left_alone() {
        for text in [
            "Müller façade naïve Ærø",
            "„Das ist groß“, sagte er.",
            "NAÇÃO” e IRMÃ”",
            "Привет, мир",
            "İstanbul’da şöyle",
            "Καλημέρα",
            "© 2020 · 5 °C ± 2",
            "«Ça va?»",
        ] {
            assert_eq!(fix(text), text);
        }
    }
}
