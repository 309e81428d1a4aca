//! Eight bytes at a time: the tests the tokenizer's hot loop makes on every byte, done on a
//! `u64` of bytes at once (SIMD within a register), without per-byte branches.

use super::hash::head;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is below `n` (at most 0x80), exact up to and
/// including the lowest such byte (a borrow may set bits above it).
fn below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH
}

/// The first position from `at` of a byte that is not ASCII or is at most `0x20` (every
/// ASCII white space is), or `bytes.len()`.
#[inline]
pub(crate) fn next_space_or_non_ascii(bytes: &[u8], mut at: usize) -> usize {
    while at + 8 <= bytes.len() {
        let word = head(&bytes[at..]);
        let stops = (word & HIGH) | below(word, 0x21);
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| !b.is_ascii() || b <= 0x20)
        .unwrap_or(bytes.len() - at)
}

/// What a chunk is made of, as far as the tokenizer's fast paths care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Letters,
    Digits,
    Other,
}

/// The shape of `bytes`: all ASCII letters, all ASCII digits, or anything else.
#[inline]
pub(crate) fn shape(bytes: &[u8]) -> Shape {
    let (mut letters, mut digits) = (true, true);
    for chunk in bytes.chunks(8) {
        let n = chunk.len();
        let word = head(chunk);
        // The high bit of every byte of the chunk (the head is zero-padded).
        let valid = if n == 8 {
            HIGH
        } else {
            HIGH & ((1u64 << (8 * n)) - 1)
        };
        if word & HIGH != 0 {
            return Shape::Other;
        }
        // For ASCII bytes, `b + (0x80 - lo)` has its high bit set exactly when `b >= lo`,
        // without a carry into the next byte.
        let within = |word: u64, lo: u8, hi: u8| {
            let at_least_lo = word.wrapping_add(ONES * u64::from(0x80 - lo));
            let above_hi = word.wrapping_add(ONES * u64::from(0x80 - hi - 1));
            at_least_lo & !above_hi & valid == valid
        };
        // Upper-case ASCII letters are lower-case ones less 0x20; nothing else turns into
        // a lower-case letter by setting that bit.
        letters &= within(word | (ONES * 0x20), b'a', b'z');
        digits &= within(word, b'0', b'9');
        if !letters && !digits {
            return Shape::Other;
        }
    }
    match (letters, digits, bytes.is_empty()) {
        (_, _, true) => Shape::Other,
        (true, _, _) => Shape::Letters,
        (_, true, _) => Shape::Digits,
        _ => Shape::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `shape` a byte at a time.
    fn reference(bytes: &[u8]) -> Shape {
        if bytes.is_empty() {
            Shape::Other
        } else if bytes.iter().all(u8::is_ascii_alphabetic) {
            Shape::Letters
        } else if bytes.iter().all(u8::is_ascii_digit) {
            Shape::Digits
        } else {
            Shape::Other
        }
    }

    #[test]
    fn every_byte_is_classified_as_one_at_a_time() {
        for b in 0..=255u8 {
            for len in 1..=17 {
                for at in 0..len {
                    for fill in [b'a', b'Z', b'7'] {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        assert_eq!(shape(&bytes), reference(&bytes), "{bytes:?}");
                        for from in 0..len {
                            let want = bytes[from..]
                                .iter()
                                .position(|&c| !c.is_ascii() || c <= 0x20)
                                .map_or(len, |k| from + k);
                            assert_eq!(
                                next_space_or_non_ascii(&bytes, from),
                                want,
                                "{bytes:?} {from}"
                            );
                        }
                    }
                }
            }
        }
        assert_eq!(shape(b""), Shape::Other);
    }
}
