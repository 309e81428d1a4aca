//! Mojibake: UTF-8 text that was decoded through a single-byte code page (once or several
//! times), so `don’t` reads `donâ€™t` and `é` reads `Ã©` (Windows-1252), `Ă©`
//! (Windows-1250), `├⌐` (cp437); the code pages are those of [`Codec::ALL`].
//!
//! Every mojibake sequence is a run of characters a single-byte decoder produces from bytes
//! 0x80–0xFF, starting with one decoded from a UTF-8 lead byte (`Â`–`ô`). A line that
//! looks broken (see [`super::weirdness`]) is first re-decoded whole, through the code
//! page that leaves it least weird. Damage inside otherwise correct text is repaired
//! stretch by stretch: for each code page, each maximal stretch that encodes to valid
//! UTF-8 (ASCII included; the correct letters around a damaged span seldom do, and so
//! bound it) is re-decoded as a whole when that makes the line less weird and every
//! character it gives is plausible where it stands (see [`plausible`]). Then the runs of
//! Windows-1252 and Latin-1 characters left are re-decoded sequence by sequence, with the
//! rules for text broken more than once. The line is repaired again until nothing changes,
//! so repairing the output changes nothing. Correct text in any language contains no such
//! sequence, because a correct accented letter is almost never followed by a character
//! from the continuation-byte range.
//!
//! It also maps lone C1 control characters (U+0080–U+009F), which only a Latin-1 decoder
//! reading Windows-1252 text produces, to the Windows-1252 characters they stand for
//! (`U+0092` → `’`). It does not guess multi-byte encodings (Shift-JIS, GBK) or KOI8-R.

use std::ops::Range;

use super::codec::{self, Codec, Table};
use super::weirdness::{glued, may_be_weird, weirdness, weirdness_of};
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

/// Edits that re-decode every mojibake sequence in `text`, line by line (a very long line
/// piece by piece, see [`piece_len`]).
pub(super) fn edits(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let roles = codec::roles();
    let mut edits = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
        let mut at = start;
        while at < end {
            let stop = at + piece_len(&text[at..end]);
            repair_piece(text, at..stop, roles, &mut edits);
            at = stop;
        }
        start = end + 1;
    }
    edits
}

/// Longest stretch of a line repaired as one. Every step of a repair looks at the whole
/// of what it repairs (the line is re-decoded whole, and left alone when it stays broken),
/// so a document flattened onto one line of many megabytes would cost time and memory out
/// of proportion, and one garbled word would keep the whole document from being repaired.
/// No line of prose is this long.
const PIECE: usize = 64 << 10;

/// How many bytes of `line` to repair as one piece: all of it up to [`PIECE`], else up to
/// a space between ASCII words after [`PIECE`] bytes (nothing a code page re-decodes
/// crosses it), else any space, else a character boundary, within twice that.
fn piece_len(line: &str) -> usize {
    if line.len() <= PIECE {
        return line.len();
    }
    let bytes = line.as_bytes();
    let window = PIECE..line.len().min(2 * PIECE);
    let quiet = |k: usize| bytes[k - 8..line.len().min(k + 9)].is_ascii();
    if let Some(k) = window.clone().find(|&k| bytes[k] == b' ' && quiet(k)) {
        return k + 1;
    }
    if let Some(k) = window.clone().rev().find(|&k| bytes[k] == b' ') {
        return k + 1;
    }
    let mut k = window.end;
    while !line.is_char_boundary(k) {
        k -= 1;
    }
    k
}

/// Repairs the piece `range` of a line of `text`, adding its edits to `edits`.
fn repair_piece(text: &str, range: Range<usize>, roles: &codec::Roles, edits: &mut Vec<Edit>) {
    let start = range.start;
    let line = &text[range];
    // Every repair needs the line to look broken somewhere: a line whose characters
    // merely could be mojibake (`l’été` holds Mac Roman's `’` + `é`) costs one scan.
    // `may_be_weird` is a table-driven over-approximation of `weirdness(..) > 0` that
    // passes over most correct lines in any script before the exact checks.
    if line.is_ascii()
        || !may_be_weird(line)
        || !suspicious(line, roles)
        || weirdness_of(line.chars()) == 0
    {
        return;
    }
    let mut items: Vec<Item> = line
        .char_indices()
        .map(|(i, c)| Item {
            c,
            byte: None,
            range: start + i..start + i + c.len_utf8(),
            provisional: false,
        })
        .collect();
    // Again until nothing changes: a fix can complete a sequence another code page
    // reads (a C1 control mapped to Windows-1252's `Œ`), and the output must be final.
    for _ in 0..MAX_PASSES {
        let before: Vec<char> = items.iter().map(|item| item.c).collect();
        repair_line(text, &mut items);
        if items.iter().map(|item| item.c).eq(before.iter().copied()) {
            break;
        }
    }
    push_changes(text, &items, edits);
}

/// Whether `line` holds a character that some code page decodes from a UTF-8 lead byte
/// followed by one it decodes from a continuation byte, a C1 control, or `Ã`/`Â` before a
/// space (a lost no-break space). Text without any of these has nothing to re-decode.
fn suspicious(line: &str, roles: &codec::Roles) -> bool {
    let mut lead = 0u16;
    let mut previous = ' ';
    for c in line.chars() {
        if c.is_ascii() {
            if c == ' ' && matches!(previous, 'Ã' | 'Â') {
                return true;
            }
            lead = 0;
            previous = c;
            continue;
        }
        let (as_lead, as_continuation) = roles.of(c);
        if lead & as_continuation != 0
            || (lead != 0 && c == '\u{FFFD}')
            || ('\u{80}'..='\u{9F}').contains(&c)
        {
            return true;
        }
        lead = as_lead;
        previous = c;
    }
    false
}

/// Repairs one line once: whole-line re-decoding first, then damaged spans inside correct
/// text (stretches through every code page, then Windows-1252 runs, then single sequences
/// of the other code pages).
fn repair_line(text: &str, items: &mut Vec<Item>) {
    redecode_whole(items);
    let whole = items.clone();
    fix_stretches(items);
    fix_cp1252_runs(text, items);
    let mut pairs = sequence_pairs(items);
    for codec in Codec::ALL {
        if !matches!(codec, Codec::Latin1 | Codec::Windows1252)
            && pairs & codec.bit() != 0
            && fix_spans(items, codec)
        {
            pairs = sequence_pairs(items);
        }
    }
    // A line that still looks thoroughly broken after the span fixes was not damage
    // inside correct text but a garble with no clean reading: leave it for a person.
    let left = weirdness_of(items.iter().map(|item| item.c));
    if left > GARBLE {
        *items = whole;
    }
}

/// Weirdness left after span fixes above which a line is taken as hopeless.
const GARBLE: usize = 4;

/// Re-decodes the whole line through the code page that turns it back into valid UTF-8
/// and makes it least weird (the first such, in [`Codec::ALL`]'s order, on a tie), again
/// while that helps (text broken more than once). Code pages that share most of their
/// letters (Windows-1250 and ISO-8859-2) often both give valid UTF-8; the wrong one
/// leaves letters of the wrong case inside words (`csÜkkenti` for `csökkenti`).
fn redecode_whole(items: &mut Vec<Item>) {
    let chars = |items: &[Item]| weirdness_of(items.iter().map(|item| item.c));
    let mut weird = chars(items);
    for _ in 0..MAX_PASSES {
        if weird == 0 {
            return;
        }
        let mut better: Option<(Vec<Item>, usize)> = None;
        for codec in Codec::ALL {
            let Some(candidate) = redecode(items, codec) else {
                continue;
            };
            let candidate_weird = chars(&candidate);
            let believable = candidate
                .windows(2)
                .all(|pair| believable(pair[1].c, Some(pair[0].c)))
                && candidate
                    .first()
                    .is_none_or(|item| believable(item.c, None));
            let best_so_far = better.as_ref().map_or(weird, |b| b.1);
            if believable && candidate_weird < best_so_far {
                better = Some((candidate, candidate_weird));
                if candidate_weird == 0 {
                    break;
                }
            }
        }
        let Some((candidate, candidate_weird)) = better else {
            return;
        };
        *items = candidate;
        weird = candidate_weird;
    }
}

/// Stands for a byte a lenient decoder replaced with U+FFFD.
const LOST: u16 = 0x100;

/// The line's items re-encoded through `codec` and decoded as UTF-8 (CESU-8 surrogate
/// pairs included), each decoded character covering the items it came from; `None` when
/// the line has a character the code page lacks or the bytes are not UTF-8.
fn redecode(items: &[Item], codec: Codec) -> Option<Vec<Item>> {
    let table = codec.table();
    // Grown as needed: most code pages give up after a few characters of a long line.
    let mut units: Vec<(u16, usize)> = Vec::new();
    let mut high = false;
    for (k, item) in items.iter().enumerate() {
        let unit = if item.c == '\u{FFFD}' && codec.marks_lost_bytes() {
            LOST
        } else {
            u16::from(table.encode(item.c)?)
        };
        // A continuation byte after an ASCII one that no space or `?` (which the decoding
        // may take as part of a sequence) can only start a sequence of its own, which is
        // not UTF-8: the line is not this code page's, wherever that is in a long line.
        if (0x80..=0xBF).contains(&unit)
            && units
                .last()
                .is_none_or(|&(u, _)| u < 0x80 && u != 0x20 && u != u16::from(b'?'))
        {
            return None;
        }
        high |= unit >= 0x80;
        units.push((unit, k));
    }
    if !high {
        return None;
    }
    // Only a code page whose byte A0 shows as a no-break space lets a process mistake
    // it for a space.
    if table.decode(0xA0) == '\u{A0}' {
        restore_spaces(&mut units);
    }
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < units.len() {
        let (decoded, len) = decode_units(&units[i..])?;
        let (first, last) = (units[i].1, units[i + len - 1].1);
        if len == 1 && decoded == items[first].c {
            out.push(items[first].clone());
        } else {
            match out.last_mut() {
                // An inserted no-break space belongs to the item before it.
                Some(previous) if previous.range.end > items[first].range.start => {
                    return None;
                }
                _ => out.push(Item {
                    c: decoded,
                    byte: None,
                    range: items[first].range.start..items[last].range.end,
                    provisional: false,
                }),
            }
        }
        i += len;
    }
    Some(out)
}

/// Puts back byte 0xA0 where a process turned it into a space: inside a UTF-8 sequence
/// that is only valid with it. `Ã ` followed by a word is `à` whose no-break space and
/// following space became one space, except before the Portuguese `s `, `quele`, `quela`,
/// `quilo` (`às`, `àquele`), where the space is the lost byte itself.
fn restore_spaces(units: &mut Vec<(u16, usize)>) {
    let byte_at = |units: &[(u16, usize)], i: usize| units.get(i).map(|u| u.0);
    let is_continuation_unit =
        |u: Option<u16>| u.is_some_and(|b| (0x80..=0xBF).contains(&b) && b != 0x85 && b != 0xA0);
    let mut i = 0;
    while i < units.len() {
        let lead = units[i].0;
        match lead {
            0xC3 if byte_at(units, i + 1) == Some(0x20) => {
                let rest: Vec<u8> = units[i + 2..]
                    .iter()
                    .take(6)
                    .map(|u| u8::try_from(u.0).unwrap_or(0))
                    .collect();
                let merged = !(rest.first() == Some(&b' ')
                    || rest.starts_with(b"quele")
                    || rest.starts_with(b"quela")
                    || rest.starts_with(b"quilo")
                    || rest.starts_with(b"s "));
                if merged {
                    units.insert(i + 1, (0xA0, units[i].1));
                } else {
                    units[i + 1].0 = 0xA0;
                }
                i += 2;
                continue;
            }
            0xC2 | 0xC5 | 0xCE | 0xD0 | 0xD9 if byte_at(units, i + 1) == Some(0x20) => {
                units[i + 1].0 = 0xA0;
            }
            // `â€ `: the third byte of `”` (0x9D, undefined in Windows-1252) was dropped,
            // not turned into a space; the span fixer's lost-quote rule handles it.
            0xE2 if byte_at(units, i + 1) == Some(0x80) && byte_at(units, i + 2) == Some(0x20) => {}
            0xE0..=0xE3 | 0xF0 => {
                let len = sequence_len(u8::try_from(lead).unwrap_or(0));
                let spaces: Vec<usize> = (1..len)
                    .filter(|&k| byte_at(units, i + k) == Some(0x20))
                    .collect();
                let others_continue = (1..len)
                    .filter(|k| !spaces.contains(k))
                    .all(|k| is_continuation_unit(byte_at(units, i + k)));
                if spaces.len() == 1 && others_continue {
                    units[i + spaces[0]].0 = 0xA0;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Decodes the UTF-8 (or CESU-8) sequence at the start of `units`: the character and how
/// many units it takes. A sequence with a lost byte (or one `?` where a continuation byte
/// should be) decodes to U+FFFD, as does a lost byte alone.
fn decode_units(units: &[(u16, usize)]) -> Option<(char, usize)> {
    let lead = units[0].0;
    if lead < 0x80 {
        return Some((char::from(u8::try_from(lead).ok()?), 1));
    }
    if lead == LOST {
        return Some(('\u{FFFD}', 1));
    }
    let byte = |k: usize| units.get(k).map(|u| u.0);
    // CESU-8: a UTF-16 surrogate pair, each half encoded as three bytes.
    if lead == 0xED && byte(1).is_some_and(|b| (0xA0..=0xAF).contains(&b)) {
        let parts: Option<Vec<u16>> = (0..6).map(byte).collect();
        if let Some(parts) = parts {
            let ok = parts[3] == 0xED
                && (0xB0..=0xBF).contains(&parts[4])
                && [2, 5].iter().all(|&k| (0x80..=0xBF).contains(&parts[k]));
            if ok {
                let high =
                    0xD800 | ((u32::from(parts[1]) & 0x0F) << 6) | (u32::from(parts[2]) & 0x3F);
                let low =
                    0xDC00 | ((u32::from(parts[4]) & 0x0F) << 6) | (u32::from(parts[5]) & 0x3F);
                let code = 0x1_0000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return Some((char::from_u32(code)?, 6));
            }
        }
    }
    let len = sequence_len(u8::try_from(lead).ok()?);
    if len == 0 {
        return None;
    }
    let mut buffer = [0u8; 4];
    let mut lost = 0;
    let mut questions = 0;
    for (k, slot) in buffer.iter_mut().enumerate().take(len) {
        let unit = byte(k)?;
        if k > 0 && unit == LOST {
            lost += 1;
        } else if k > 0 && unit == u16::from(b'?') {
            questions += 1;
        } else if k > 0 && !(0x80..=0xBF).contains(&unit) {
            return None;
        }
        *slot = u8::try_from(unit).unwrap_or(0);
    }
    if lost + questions > 0 {
        let question_ok =
            questions == 0 || (questions == 1 && (len > 2 || matches!(lead, 0xC2 | 0xC3)));
        return (question_ok && lost + questions < len).then_some(('\u{FFFD}', len));
    }
    let decoded = std::str::from_utf8(&buffer[..len]).ok()?.chars().next()?;
    Some((decoded, len))
}

/// Whether a character a whole-line re-decoding gives is believable text: not from a
/// block that mojibake of real text almost never yields, and a combining mark only after
/// something it can combine with.
fn believable(c: char, previous: Option<char>) -> bool {
    let code = u32::from(c);
    if c.is_ascii() || c == '\u{FFFD}' {
        return true;
    }
    match code {
        0x300..=0x36F => previous.is_some_and(|p| !p.is_whitespace()),
        0x591..=0x5C7 => previous.is_some_and(|p| (0x5D0..=0x5EA).contains(&u32::from(p))),
        0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6ED => {
            previous.is_some_and(|p| (0x620..=0x6FF).contains(&u32::from(p)))
        }
        // A C1 control is a middle layer of text broken twice; the next pass consumes it.
        0x80..=0x9F => true,
        0x180..=0x24F => common_extended_b(code),
        0xA0..=0x17F | 0x259 | 0x2B0..=0x2FF | 0x370..=0x3FF | 0x400..=0x4FF | 0x531..=0x58A => {
            true
        }
        0x5D0..=0x5F4 | 0x600..=0x6FF => true,
        _ => common_block(code),
    }
}

/// Letters of Latin Extended-B that living languages use (`ƒ`, Vietnamese `ơ ư`, Pinyin
/// `ǎ`, Romanian `ș ț`); the rest (`Ƥ`, `ƞ`) is what byte noise gives.
fn common_extended_b(code: u32) -> bool {
    matches!(
        code,
        0x192 | 0x1A0 | 0x1A1 | 0x1AF | 0x1B0 | 0x1CD..=0x1DC | 0x218..=0x21B
    )
}

/// Whether a character above U+07FF is from a block real text is written in (scripts,
/// punctuation, symbols, CJK, Hangul, emoji), not one that byte noise lands in by chance
/// (phonetic extensions, rare historic scripts, private use).
fn common_block(code: u32) -> bool {
    matches!(
        code,
        0x900..=0xEFF
            | 0x10A0..=0x10FF
            | 0x1200..=0x137F
            | 0x1780..=0x17FF
            | 0x1D62..=0x1D6A
            | 0x1E00..=0x1FFF
            | 0x2000..=0x2BFF
            | 0x2E80..=0x9FFF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFB00..=0xFB06
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF
            | 0xFFFD
            | 0x1_F000..=0x1_FAFF
    )
}

/// Whether replacing `old` by `new` between `before` and `after` makes the stretch less
/// weird: what a span fix must do, so correct text that merely round-trips stays.
fn less_weird(
    before: &[char],
    old: impl Iterator<Item = char>,
    new: impl Iterator<Item = char>,
    after: &[char],
) -> bool {
    let with = |middle: &mut dyn Iterator<Item = char>| -> usize {
        weirdness_of(
            before
                .iter()
                .copied()
                .chain(middle)
                .chain(after.iter().copied()),
        )
    };
    let (mut old, mut new) = (old, new);
    with(&mut new) < with(&mut old)
}

/// Up to two characters of context after the items before `end`.
fn after_context(items: &[Item], end: usize) -> Vec<char> {
    items[end..items.len().min(end + 2)]
        .iter()
        .map(|item| item.c)
        .collect()
}

/// What a span fixer leaves of a line's items: the runs it replaced, and the items
/// between them, which are copied only when a replacement comes after them (most pieces
/// of a long line keep nearly all of theirs).
#[derive(Default)]
struct Rebuilt {
    out: Vec<Item>,
    /// Items before this one are in `out`.
    copied: usize,
    replaced: bool,
}

impl Rebuilt {
    /// Puts `new` in the place of `items[range]`, after the items before it.
    fn replace(&mut self, items: &[Item], range: Range<usize>, new: Vec<Item>) {
        self.out.extend_from_slice(&items[self.copied..range.start]);
        self.out.extend(new);
        self.copied = range.end;
        self.replaced = true;
    }

    /// Up to two characters the fixer leaves right before item `at`.
    fn before(&self, items: &[Item], at: usize) -> Vec<char> {
        let kept = &items[self.copied.max(at.saturating_sub(2))..at];
        let from_out = 2 - kept.len().min(2);
        self.out[self.out.len().saturating_sub(from_out)..]
            .iter()
            .chain(kept)
            .map(|item| item.c)
            .collect()
    }

    /// The items with the replacements made.
    fn finish(mut self, items: &mut Vec<Item>) {
        if self.replaced {
            self.out.extend_from_slice(&items[self.copied..]);
            *items = self.out;
        }
    }
}

/// A stretch of the line that one code page re-decodes: items `start..end`, the
/// sequences in it that become other characters (the ASCII between them stays), and what
/// speaks for it.
struct Stretch {
    start: usize,
    end: usize,
    decoded: Vec<Sequence>,
    /// How many weird pairs the re-decoding removes.
    gain: usize,
    /// Some sequence in it looks broken by itself, or glued to the character before it
    /// in a way names do not explain (see [`glued`]).
    evident: bool,
    /// How many multi-byte sequences it re-decodes: of two readings equally less weird,
    /// the one that explains more of the damage.
    sequences: usize,
    /// Decoded characters that the rest of the line has too: a damaged span is in the
    /// language around it (`Ĺž` is `ž`, not `Ş`, beside `gužve`).
    shared: usize,
    /// Decoded characters the code page has itself: text is mostly mis-read through the
    /// code page of its own language, so on a tie this picks ISO-8859-2's `á` over
    /// Windows-1250's `å` for the same bytes.
    native: usize,
    /// The code page's place in [`Codec::ALL`].
    rank: usize,
}

/// A multi-byte sequence of a stretch: items `at..at + len`, and the item they become.
struct Sequence {
    at: usize,
    len: usize,
    item: Item,
}

/// The characters of the stretch of `items` from `start` to the end of its last sequence,
/// each of `decoded` re-decoded.
fn redecoded<'a>(
    items: &'a [Item],
    start: usize,
    decoded: &'a [Sequence],
) -> impl Iterator<Item = char> + 'a {
    let mut at = start;
    decoded.iter().flat_map(move |sequence| {
        let ascii = items[at..sequence.at].iter().map(|item| item.c);
        at = sequence.at + sequence.len;
        ascii.chain([sequence.item.c])
    })
}

impl Stretch {
    /// Enough evidence to re-decode: less weirdness, and more than one glitch that correct
    /// text has too (`DrÃ¥ber` is a name, one lower-case letter before a capital).
    fn convincing(&self) -> bool {
        self.gain > 0 && (self.evident || self.gain >= 2)
    }
}

/// Damage inside correct text, repaired stretch by stretch. For each code page, every
/// maximal stretch of the line that it encodes to valid UTF-8 holding a multi-byte
/// sequence is a candidate, ASCII included: so `fÃ¶reslÃ¥r` and `MÃ¥nga Ã¤ldre` are one
/// stretch each, and `Ã¥`, which correct text may hold, goes with the `Ã¶` and `Ã¤`
/// that it cannot; and the correct letters around a damaged span, which seldom form valid
/// UTF-8, bound it. A stretch is re-decoded as a whole when every character it gives is
/// plausible where it stands and the evidence convinces (see [`Stretch::convincing`]).
/// Where the stretches of several code pages overlap, the one that removes most
/// weirdness wins, then the one that is evident by itself, then the one whose characters
/// its code page has, then the likelier code page.
fn fix_stretches(items: &mut Vec<Item>) {
    let mut found: Vec<Stretch> = Vec::new();
    let pairs = sequence_pairs(items);
    // Stretches run over ASCII: each code page's scan jumps from one other character to
    // the next.
    let marks: Vec<usize> = (0..items.len())
        .filter(|&k| !items[k].c.is_ascii())
        .collect();
    for (rank, codec) in Codec::ALL.into_iter().enumerate() {
        if pairs & codec.bit() == 0 {
            continue;
        }
        let table = codec.table();
        let mut i = 0;
        while i < items.len() {
            let (stretch, next) = stretch_at(items, &marks, i, table, rank);
            found.extend(stretch.filter(Stretch::convincing));
            i = next;
        }
    }
    if found.is_empty() {
        return;
    }
    // Where each non-ASCII character of the line is, to count what a reading shares with
    // the rest of it.
    let mut positions: Vec<(char, usize)> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| !item.c.is_ascii())
        .map(|(k, item)| (item.c, k))
        .collect();
    positions.sort_unstable();
    for stretch in &mut found {
        stretch.shared = stretch
            .decoded
            .iter()
            .map(|sequence| &sequence.item)
            .filter(|item| !item.c.is_ascii())
            .filter(|item| {
                let from = positions.partition_point(|&(c, _)| c < item.c);
                positions[from..]
                    .iter()
                    .take_while(|&&(c, _)| c == item.c)
                    .any(|&(_, k)| k < stretch.start || k >= stretch.end)
            })
            .count();
    }
    let key = |s: &Stretch| (s.gain, s.evident, s.sequences, s.shared, s.native);
    found.sort_by(|a, b| key(b).cmp(&key(a)).then(a.rank.cmp(&b.rank)));
    let mut taken: Vec<Stretch> = Vec::new();
    for stretch in found {
        if taken
            .iter()
            .all(|t| t.end <= stretch.start || stretch.end <= t.start)
        {
            taken.push(stretch);
        }
    }
    taken.sort_by_key(|t| t.start);
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    let mut at = 0;
    for stretch in taken {
        for sequence in stretch.decoded {
            out.extend_from_slice(&items[at..sequence.at]);
            out.push(sequence.item);
            at = sequence.at + sequence.len;
        }
    }
    out.extend_from_slice(&items[at..]);
    *items = out;
}

/// The stretch `table`'s code page re-decodes from item `i` on, if it holds a multi-byte
/// sequence whose characters are all plausible, and the item to look from next. `marks`
/// are the indices of the items that are not ASCII.
fn stretch_at(
    items: &[Item],
    marks: &[usize],
    i: usize,
    table: &Table,
    rank: usize,
) -> (Option<Stretch>, usize) {
    let mut j = i;
    // ASCII is not copied: a stretch can run over most of a line.
    let mut decoded: Vec<Sequence> = Vec::new();
    let (mut start, mut end) = (None, i);
    let mut evident = false;
    let (mut sequences, mut native) = (0, 0);
    while let Some(item) = items.get(j) {
        if item.c.is_ascii() {
            j = marks
                .get(marks.partition_point(|&k| k < j))
                .map_or(items.len(), |&k| k);
            continue;
        }
        let Some((c, len)) = sequence_at(table, items, j) else {
            break;
        };
        // The sequence and the character after it, as the Windows-1252 fixer judges a run.
        let mut alone = ['\0'; 5];
        let mut n = 0;
        for item in items.iter().skip(j).take(len + 1) {
            alone[n] = item.c;
            n += 1;
        }
        evident |= weirdness(&alone[..n]) > 0
            || j.checked_sub(1).is_some_and(|k| {
                glued(
                    items[k].c,
                    items[j].c,
                    items.get(j + 1).map_or(' ', |it| it.c),
                )
            });
        sequences += 1;
        native += usize::from(table.encode(c).is_some());
        start.get_or_insert(j);
        decoded.push(Sequence {
            at: j,
            len,
            item: Item {
                c,
                byte: None,
                range: items[j].range.start..items[j + len - 1].range.end,
                provisional: false,
            },
        });
        j += len;
        end = j;
    }
    // The item at `j` is in no stretch of this code page.
    let next = j + 1;
    let Some(start) = start else {
        return (None, next);
    };
    let before = start.checked_sub(1).map(|k| items[k].c);
    // Each sequence between the characters around it, as re-decoded.
    let fits = decoded.iter().enumerate().all(|(k, sequence)| {
        let previous = match k.checked_sub(1).map(|p| &decoded[p]) {
            Some(p) if p.at + p.len == sequence.at => Some(p.item.c),
            _ if sequence.at == start => before,
            _ => Some(items[sequence.at - 1].c),
        };
        let following = sequence.at + sequence.len;
        let next = match decoded.get(k + 1) {
            Some(n) if n.at == following => Some(n.item.c),
            _ => items.get(following).map(|item| item.c),
        };
        let (lead, last) = (items[sequence.at].c, items[following - 1].c);
        plausible(sequence.item.c, lead, last, previous, next)
    });
    if !fits {
        return (None, next);
    }
    let left: Vec<char> = items[start.saturating_sub(2)..start]
        .iter()
        .map(|item| item.c)
        .collect();
    let right: Vec<char> = items[end..items.len().min(end + 2)]
        .iter()
        .map(|item| item.c)
        .collect();
    let with = |middle: &mut dyn Iterator<Item = char>| -> usize {
        weirdness_of(
            left.iter()
                .copied()
                .chain(middle)
                .chain(right.iter().copied()),
        )
    };
    let old = with(&mut items[start..end].iter().map(|item| item.c));
    let new = with(&mut redecoded(items, start, &decoded));
    // A stretch that leaves its surroundings still looking broken is part of something
    // else: an outer layer of text broken more than once, which the Windows-1252 fixer
    // peels with its own rules, or a piece of a longer stretch another code page reads.
    if new > 0 {
        return (None, next);
    }
    let stretch = Stretch {
        start,
        end,
        decoded,
        gain: old.saturating_sub(new),
        evident,
        sequences,
        shared: 0,
        native,
        rank,
    };
    (Some(stretch), next)
}

/// The span fixer for Windows-1252 and Latin-1: runs of characters from their upper
/// halves, re-decoded in place.
fn fix_cp1252_runs(text: &str, items: &mut Vec<Item>) {
    let mut out = Rebuilt::default();
    let mut i = 0;
    while i < items.len() {
        i += ascii_run(&items[i..]);
        if i == items.len() {
            break;
        }
        let first = items[i].c;
        let starts_run = match u32::from(first) {
            0x80..=0x9F => true,
            0xC2..=0xF4 => items
                .get(i + 1)
                .and_then(|item| high_byte(item.c))
                .is_some_and(is_continuation),
            _ => false,
        };
        if !starts_run {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < items.len() {
            let Some(byte) = high_byte(items[end].c) else {
                break;
            };
            items[end].byte = Some(byte);
            end += 1;
        }
        let mut run = items[i..end].to_vec();
        let left = out.before(items, i);
        let before = left.last().copied();
        let after = items.get(end).map(|item| item.c);
        fix_run(text, &mut run, before, after);
        let right = after_context(items, end);
        let only_c1 = items[i..end]
            .iter()
            .all(|item| ('\u{80}'..='\u{9F}').contains(&item.c));
        // A control inside Cyrillic or Greek mojibake (`С\u{98}`) is a byte that code
        // page leaves undefined: its span fixer needs it as it is.
        if only_c1 && before.is_some_and(|c| matches!(u32::from(c), 0x370..=0x52F)) {
            i = end;
            continue;
        }
        // The run must look broken by itself, not only beside its neighbours: `Ã¥` in
        // otherwise correct text may be meant.
        let original: Vec<char> = items[i..=end.min(items.len() - 1)]
            .iter()
            .map(|item| item.c)
            .collect();
        if only_c1
            || weirdness(&original) > 0
                && less_weird(
                    &left,
                    items[i..end].iter().map(|item| item.c),
                    run.iter().map(|item| item.c),
                    &right,
                )
        {
            out.replace(items, i..end, run);
        }
        i = end;
    }
    out.finish(items);
}

/// The span fixer for the other code pages: maximal runs of valid multi-byte UTF-8
/// sequences in `codec`, each re-decoded when that makes its surroundings less weird and
/// every character it gives fits where it stands. Whether it re-decoded any.
fn fix_spans(items: &mut Vec<Item>, codec: Codec) -> bool {
    let table = codec.table();
    let sequence_at = |items: &[Item], j: usize| sequence_at(table, items, j);
    let mut out = Rebuilt::default();
    let mut changed = false;
    let mut i = 0;
    while i < items.len() {
        i += ascii_run(&items[i..]);
        if i == items.len() {
            break;
        }
        let mut j = i;
        let mut decoded: Vec<Item> = Vec::new();
        // The first and last character each decoded one came from.
        let mut ends: Vec<(char, char)> = Vec::new();
        while let Some((c, len)) = sequence_at(items, j) {
            ends.push((items[j].c, items[j + len - 1].c));
            decoded.push(Item {
                c,
                byte: None,
                range: items[j].range.start..items[j + len - 1].range.end,
                provisional: false,
            });
            j += len;
        }
        if decoded.is_empty() {
            i += 1;
            continue;
        }
        let left = out.before(items, i);
        let before = left.last().copied();
        let after = items.get(j).map(|item| item.c);
        let right = after_context(items, j);
        let original: Vec<char> = items[i..=j.min(items.len() - 1)]
            .iter()
            .map(|item| item.c)
            .collect();
        let better = weirdness(&original) > 0
            && less_weird(
                &left,
                items[i..j].iter().map(|item| item.c),
                decoded.iter().map(|item| item.c),
                &right,
            );
        let fits = decoded.iter().enumerate().all(|(k, item)| {
            let previous = if k == 0 {
                before
            } else {
                Some(decoded[k - 1].c)
            };
            let next = decoded.get(k + 1).map(|d| d.c).or(after);
            plausible(item.c, ends[k].0, ends[k].1, previous, next)
        });
        if better && fits {
            out.replace(items, i..j, decoded);
            changed = true;
        }
        i = j;
    }
    out.finish(items);
    changed
}

/// How many items `items` starts with that are ASCII, which every code page encodes as
/// itself and so starts no sequence: the span fixers copy them in one go.
fn ascii_run(items: &[Item]) -> usize {
    items.iter().take_while(|item| item.c.is_ascii()).count()
}

/// The code pages (as [`Codec::bit`]s) in which some character of `items` encodes to a
/// UTF-8 lead byte and the next to a continuation byte: [`sequence_at`] finds nothing in
/// the others, so their span fixers can be skipped.
fn sequence_pairs(items: &[Item]) -> u16 {
    let roles = codec::roles();
    let mut pairs = 0;
    let mut lead = 0;
    for item in items {
        let (as_lead, as_continuation) = if item.c.is_ascii() {
            (0, 0)
        } else {
            roles.of(item.c)
        };
        pairs |= lead & as_continuation;
        lead = as_lead;
    }
    pairs
}

/// The character of the multi-byte UTF-8 sequence whose bytes, in `table`'s code page,
/// the items from `j` on are, and how many items it takes.
fn sequence_at(table: &Table, items: &[Item], j: usize) -> Option<(char, usize)> {
    let lead = table.encode(items.get(j)?.c)?;
    let len = sequence_len(lead);
    if len < 2 {
        return None;
    }
    let mut buffer = [0u8; 4];
    buffer[0] = lead;
    for (k, slot) in buffer.iter_mut().enumerate().take(len).skip(1) {
        let byte = table.encode(items.get(j + k)?.c)?;
        if !is_continuation(byte) {
            return None;
        }
        *slot = byte;
    }
    let decoded = std::str::from_utf8(&buffer[..len]).ok()?.chars().next()?;
    Some((decoded, len))
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
        0x180..=0x24F => common_extended_b(code),
        0xA0..=0x17F | 0x259 | 0x370..=0x3FF | 0x400..=0x52F | 0x531..=0x58A => true,
        0x591..=0x5F4 | 0x600..=0x6FF => true,
        // Combining marks: decomposed text (`e` + U+0301) broken the same way.
        0x300..=0x36F => previous.is_some_and(char::is_alphabetic),
        0x80..=0x9F | 0x250..=0x2FF | 0x700..=0x8FF => false,
        0xD800..=0xDFFF | 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xFFF0..=0xFFFF => false,
        _ => common_block(code),
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
    // A lower-case letter ending a word of capitals (`SÖÄ£` would read `SÖģ`).
    if decoded.is_lowercase()
        && (0xC0..=0x24F).contains(&code)
        && previous.is_some_and(|p| !p.is_ascii() && p.is_uppercase())
        && !next.is_some_and(char::is_lowercase)
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
        let unchanged = (item.c.is_ascii() && item.range.len() == 1)
            || text[item.range.clone()].chars().eq([item.c]);
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
    fn long_lines_are_cut_between_ascii_words() {
        assert_eq!(piece_len("short line"), 10);
        let words = "word ".repeat(PIECE / 5);
        let line = format!("{}cafÃ© {words}", &words[6..]);
        let first = piece_len(&line);
        assert!(PIECE < first && first <= 2 * PIECE, "{first}");
        assert!(line[first - 9..first + 8].is_ascii() && line[..first].ends_with(' '));
        // No space at all: a character boundary.
        let wide = "é".repeat(PIECE);
        let cut = piece_len(&wide);
        assert!(wide.is_char_boundary(cut) && PIECE < cut && cut <= 2 * PIECE);
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
    fn damaged_spans_inside_correct_text_are_fixed() {
        // `Ã¥` alone may be meant; beside `Ã¤` in the same stretch it is not.
        assert_eq!(
            fix("MÃ¥nga Ã¤ldre kÃ¤nner sig ensamma under vintermånaderna."),
            "Många äldre känner sig ensamma under vintermånaderna."
        );
        // Windows-1250 reads the same bytes as `å`, which it lacks itself.
        assert_eq!(
            fix("VlĂĄda schvĂĄlila zvĂ˝ĹĄenĂ\u{ad} důchodů o čtyři procenta."),
            "Vláda schválila zvýšení důchodů o čtyři procenta."
        );
        assert_eq!(
            fix("El Ministerio de Educaci├│n anunci├│ que el año escolar comenzará."),
            "El Ministerio de Educación anunció que el año escolar comenzará."
        );
        assert_eq!(
            fix("Ξ£Ο„Ξ·Ξ½ Ξ‘ΞΈΞ®Ξ½Ξ± Ξ· θερμοκρασία έφτασε τους 40 βαθμούς."),
            "Στην Αθήνα η θερμοκρασία έφτασε τους 40 βαθμούς."
        );
        assert_eq!(
            fix("Lietuvos vyriausybÄ— pritarÄ— naujam švietimo įstatymo projektui."),
            "Lietuvos vyriausybė pritarė naujam švietimo įstatymo projektui."
        );
        // The inner layer of twice-broken text keeps the Windows-1252 fixer's rules.
        assert_eq!(fix("in town Ã¢â‚¬â€ isn’t it"), "in town — isn’t it");
    }

    #[test]
    fn repairs_are_final() {
        for text in [
            "MÃ¥nga Ã¤ldre kÃ¤nner",
            "\u{94}¯€ƒ\u{8c}ë",
            "ÅŤ˙ģ‘\u{89}°",
            "Ζóé\u{9c}èÎ¶¬†–ŰΫÃ¶‡ç–\u{83}Ω",
        ] {
            let once = fix(text);
            assert_eq!(fix(&once), once, "{text:?}");
        }
    }

    /// The lines of the encoding fixtures and of ftfy's cases, and each correct one
    /// mis-decoded through every code page, once and twice, whole and in its middle word.
    fn damaged_lines() -> Vec<String> {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut lines = Vec::new();
        let strings = |value: &serde_json::Value, lines: &mut Vec<String>| {
            if let Some(fields) = value.as_object() {
                for field in ["input", "output", "original", "fixed", "fixed-encoding"] {
                    if let Some(text) = fields.get(field).and_then(|v| v.as_str()) {
                        lines.extend(text.lines().map(String::from));
                    }
                }
            }
        };
        let cases = std::fs::read_to_string(format!("{root}/fixtures/encoding/cases.jsonl"))
            .expect("encoding fixtures");
        for line in cases.lines() {
            strings(&serde_json::from_str(line).expect("a case"), &mut lines);
        }
        let ftfy = std::fs::read_to_string(format!("{root}/fixtures/ftfy/test_cases.json"))
            .expect("ftfy cases");
        let ftfy: serde_json::Value = serde_json::from_str(&ftfy).expect("ftfy json");
        for case in ftfy.as_array().expect("a list") {
            strings(case, &mut lines);
        }
        let mis_decode = |text: &str, codec: Codec| -> String {
            let table = codec.table();
            text.bytes().map(|b| table.decode(b)).collect()
        };
        let correct: Vec<String> = lines.iter().filter(|l| !l.is_ascii()).cloned().collect();
        for line in &correct {
            for codec in Codec::ALL {
                let once = mis_decode(line, codec);
                lines.push(mis_decode(&once, Codec::Windows1252));
                lines.push(mis_decode(&once, codec));
                lines.push(once);
                let words: Vec<&str> = line.split(' ').collect();
                let middle = words.len() / 2;
                let span: Vec<String> = words
                    .iter()
                    .enumerate()
                    .map(|(k, w)| {
                        if k == middle {
                            mis_decode(w, codec)
                        } else {
                            w.to_string()
                        }
                    })
                    .collect();
                lines.push(span.join(" "));
            }
        }
        lines
    }

    #[test]
    fn the_fast_check_never_passes_over_a_line_the_full_check_flags() {
        let roles = codec::roles();
        let mut flagged = 0;
        let lines = damaged_lines();
        for line in &lines {
            let full = suspicious(line, roles) && weirdness(&line.chars().collect::<Vec<_>>()) > 0;
            if full {
                flagged += 1;
                assert!(may_be_weird(line), "{line:?}");
            }
        }
        // The sample must exercise the check: most mis-decoded lines are flagged.
        assert!(flagged * 2 > lines.len(), "{flagged} of {}", lines.len());
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
            "Bremer/Mccoy – DrÃ¥ber",
            "(-1/2)! = √π",
            "├┤a┼┐a┼┐a┼┐a┼┐a",
            "Łąka i Účet",
        ] {
            assert_eq!(fix(text), text);
        }
    }
}
