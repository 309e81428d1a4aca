//! Hashing of tokens and lines for the signals' tables.

use std::hash::{BuildHasherDefault, Hasher};

const MULTIPLIER: u64 = 0x517c_c1b7_2722_0a95;

/// A fast non-cryptographic hash of a token or line (FxHash's step, eight bytes at a time).
#[inline]
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    finish(fx(bytes))
}

/// FxHash's steps over `bytes`, without the finaliser: the high bits are mixed by the last
/// multiplication, enough for keys that are only candidates (n-grams), and the finaliser's
/// cost saved on every one.
#[inline]
pub(crate) fn fx(bytes: &[u8]) -> u64 {
    let step = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    let mut hash = bytes.len() as u64;
    // Most words and short n-grams: the same steps, without the loop.
    match bytes.len() {
        0 => return hash,
        1..=8 => return step(hash, head(bytes)),
        9..=16 => return step(step(hash, head(bytes)), head(&bytes[8..])),
        _ => {}
    }
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        hash = step(hash, head(chunk));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        hash = step(hash, head(rest));
    }
    hash
}

/// The first eight bytes of `bytes` (or fewer, zero-padded) as a little-endian number,
/// read without a call to `memcpy` (a hot path: most words are short).
#[inline]
pub(crate) fn head(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if n >= 8 {
        return u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes"));
    }
    // Two reads that overlap hold the same bytes where they do: or-ing them is exact.
    let le32 = |at: usize| {
        u64::from(u32::from_le_bytes(
            bytes[at..at + 4].try_into().expect("four bytes"),
        ))
    };
    if n >= 4 {
        return le32(0) | le32(n - 4) << (8 * (n - 4));
    }
    if n == 0 {
        return 0;
    }
    let byte = |at: usize| u64::from(bytes[at]) << (8 * at);
    byte(0) | byte(n / 2) | byte(n - 1)
}

/// MurmurHash3's finaliser: spreads every input bit over the output, so the hash can key a
/// table directly.
#[inline]
pub(crate) fn finish(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// Keys are already well-mixed 64-bit hashes; hashing them again would only cost time.
#[derive(Default)]
pub(crate) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    /// Strings (the vocabulary's keys) hash as [`hash_bytes`] does, mixed into what came
    /// before.
    fn write(&mut self, bytes: &[u8]) {
        self.0 = (self.0.rotate_left(5) ^ hash_bytes(bytes)).wrapping_mul(MULTIPLIER);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type BuildIdentity = BuildHasherDefault<Identity>;

/// A table keyed by well-mixed 64-bit hashes (lines, n-grams of one document), with a count
/// and a first position per key. Open addressing with linear probing, at most half full,
/// sized for each document (small, so it stays in cache) and emptied by clearing only the
/// slots it used: it is emptied once per signal per document.
#[derive(Default)]
pub(crate) struct Table {
    slots: Vec<Slot>,
    used: Vec<usize>,
    mask: usize,
}

/// One key (0 when empty; a key of 0 is stored as 1) and what the table holds for it, in
/// 16 bytes so that a probe reads one cache line.
#[derive(Clone, Copy, Default)]
pub(crate) struct Slot {
    key: u64,
    /// Times the key was counted.
    pub(crate) count: u32,
    /// Where the key was first seen (positions of words: a document has fewer than 2^32).
    pub(crate) first: u32,
}

impl Table {
    /// Empties the table, with room for `n` keys.
    pub(crate) fn reset(&mut self, n: usize) {
        for &i in &self.used {
            self.slots[i].key = 0;
        }
        self.used.clear();
        let size = (n * 2).next_power_of_two().max(16);
        if self.slots.len() < size {
            self.slots.resize(size, Slot::default());
        }
        self.mask = size - 1;
    }

    /// The slot of `key` and whether it is new (then with count 0 and `first` as given).
    /// At most as many keys as `reset` made room for.
    pub(crate) fn entry(&mut self, key: u64, first: usize) -> (&mut Slot, bool) {
        self.entry_with(key, first, |_| true)
    }

    /// As [`Self::entry`], but a slot with the same key is the item's only when `same`
    /// says its `first` holds an equal item: items whose hashes collide get slots of their
    /// own. At most as many items as `reset` made room for.
    pub(crate) fn entry_with(
        &mut self,
        key: u64,
        first: usize,
        same: impl Fn(usize) -> bool,
    ) -> (&mut Slot, bool) {
        let key = key.max(1);
        // The high bits: the finaliser mixes them best.
        let mut i = (key >> 32) as usize & self.mask;
        loop {
            match self.slots[i].key {
                0 => break,
                k if k == key && same(self.slots[i].first as usize) => {
                    return (&mut self.slots[i], false)
                }
                _ => i = (i + 1) & self.mask,
            }
        }
        self.used.push(i);
        let slot = &mut self.slots[i];
        *slot = Slot {
            key,
            count: 0,
            first: u32::try_from(first).unwrap_or(u32::MAX),
        };
        (slot, true)
    }

    /// Adds `key`; true when it was not there.
    pub(crate) fn insert(&mut self, key: u64) -> bool {
        self.entry(key, 0).1
    }
}

/// Which keys of a set of n-grams occur more than once, as two bit sets indexed by the
/// key's high bits: a key whose bit was set once only is that of a single n-gram, which
/// can repeat nothing and be repeated by nothing, so it needs no table look-up. The sets
/// take 16 bits per n-gram (a few kilobytes: they stay in the fastest cache), so about one
/// single n-gram in 16 still shares its bit and goes to the table; equal n-grams always do.
#[derive(Default)]
pub(crate) struct Repeats {
    /// Each word of the bits set once beside the word of those set twice: one cache line.
    bits: Vec<[u64; 2]>,
    /// 64 minus the bits of an index.
    shift: u32,
}

impl Repeats {
    /// Empties both sets, sized for `n` keys.
    pub(crate) fn reset(&mut self, n: usize) {
        let bits = n.saturating_mul(16).next_power_of_two().max(64);
        self.bits.clear();
        self.bits.resize(bits / 64, [0; 2]);
        self.shift = 64 - bits.trailing_zeros();
    }

    fn bit(&self, key: u64) -> (usize, u64) {
        let bit = (key >> self.shift) as usize;
        (bit >> 6, 1u64 << (bit & 63))
    }

    /// Adds a key (at most as many as `reset` sized the sets for, or more bits collide).
    pub(crate) fn add(&mut self, key: u64) {
        let (word, mask) = self.bit(key);
        let [once, twice] = &mut self.bits[word];
        *twice |= *once & mask;
        *once |= mask;
    }

    /// False when `key` was added once only.
    pub(crate) fn may_repeat(&self, key: u64) -> bool {
        let (word, mask) = self.bit(key);
        self.bits[word][1] & mask != 0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn head_is_the_zero_padded_first_eight_bytes() {
        let bytes: Vec<u8> = (1..=12).collect();
        for n in 0..=12 {
            let mut word = [0u8; 8];
            let k = n.min(8);
            word[..k].copy_from_slice(&bytes[..k]);
            assert_eq!(super::head(&bytes[..n]), u64::from_le_bytes(word), "{n}");
        }
    }
}
