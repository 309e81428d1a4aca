//! The tokenizer's memo: the tokens of every chunk (run of non-space or space characters)
//! it has split, as lexeme numbers, so that a chunk seen before is not split again (spaCy
//! caches chunks the same way).

use super::hash::head;

/// The tokens of every chunk seen, as lexeme numbers: an open-addressing table keyed by the
/// chunk's hash, each entry checked against the chunk's bytes. An entry holds a chunk's
/// first eight bytes and its lexeme when it has one token, so that most look-ups read one
/// cache line.
#[derive(Default)]
pub(crate) struct Memo {
    /// At most half full; a hash of 0 marks an empty slot.
    slots: Vec<MemoEntry>,
    entries: usize,
    /// The bytes of chunks longer than eight bytes, one after another.
    bytes: Vec<u8>,
    /// The lexemes of chunks of more than one token, one after another; before an
    /// insertion, those of the chunk to insert (see [`Memo::lexemes_to_insert`]).
    lexemes: Vec<u32>,
    /// Where the lexemes of stored chunks end in `lexemes`.
    stored: usize,
}

#[derive(Clone, Copy, Default)]
struct MemoEntry {
    hash: u64,
    head: u64,
    len: u32,
    /// Where the chunk's bytes start in `bytes`, when it is longer than eight bytes.
    at: u32,
    /// The lexeme of a one-token chunk; else where its lexemes start in `lexemes`.
    lexeme: u32,
    tokens: u32,
}

/// Chunks memoised before the memo and the vocabulary start over (a few MB at most).
pub(crate) const MEMO_CAPACITY: usize = 1 << 16;

impl Memo {
    pub(crate) fn clear(&mut self) {
        self.slots.clear();
        self.entries = 0;
        self.bytes.clear();
        self.lexemes.clear();
        self.stored = 0;
    }

    #[inline]
    fn slot(&self, hash: u64) -> usize {
        // The high bits: the finaliser mixes them best.
        (hash >> 32) as usize & (self.slots.len() - 1)
    }

    /// The lexemes of `chunk`'s tokens, if it was stored.
    #[inline]
    pub(crate) fn get(&self, hash: u64, chunk: &[u8]) -> Option<&[u32]> {
        let hash = hash.max(1);
        if self.slots.is_empty() {
            return None;
        }
        let head = head(chunk);
        let mut i = self.slot(hash);
        loop {
            let entry = &self.slots[i];
            if entry.hash == 0 {
                return None;
            }
            if entry.hash == hash
                && entry.head == head
                && entry.len as usize == chunk.len()
                && (chunk.len() <= 8 || &self.bytes[entry.at as usize..][..chunk.len()] == chunk)
            {
                return Some(if entry.tokens == 1 {
                    std::slice::from_ref(&entry.lexeme)
                } else {
                    &self.lexemes[entry.lexeme as usize..][..entry.tokens as usize]
                });
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    /// Stores `chunk` (not stored yet) with the lexemes pushed to
    /// [`Memo::lexemes_to_insert`].
    pub(crate) fn insert(&mut self, hash: u64, chunk: &[u8]) {
        let hash = hash.max(1);
        let tokens = self.lexemes.len() - self.stored;
        let (Ok(len), Ok(at), Ok(count), Ok(start)) = (
            u32::try_from(chunk.len()),
            u32::try_from(self.bytes.len()),
            u32::try_from(tokens),
            u32::try_from(self.stored),
        ) else {
            self.lexemes.truncate(self.stored);
            return;
        };
        if self.entries >= MEMO_CAPACITY {
            self.lexemes.truncate(self.stored);
            return;
        }
        if (self.entries + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let lexeme = if tokens == 1 {
            self.lexemes.pop().expect("one lexeme")
        } else {
            self.stored = self.lexemes.len();
            start
        };
        if chunk.len() > 8 {
            self.bytes.extend_from_slice(chunk);
        }
        self.place(MemoEntry {
            hash,
            head: head(chunk),
            len,
            at,
            lexeme,
            tokens: count,
        });
        self.entries += 1;
    }

    fn place(&mut self, entry: MemoEntry) {
        let mut i = self.slot(entry.hash);
        while self.slots[i].hash != 0 {
            i = (i + 1) & (self.slots.len() - 1);
        }
        self.slots[i] = entry;
    }

    /// Doubles the slots (from 1024).
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![MemoEntry::default(); size]);
        for entry in old.into_iter().filter(|e| e.hash != 0) {
            self.place(entry);
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.entries >= MEMO_CAPACITY || self.bytes.len() >= 64 * MEMO_CAPACITY
    }

    /// Empties the list of lexemes of the chunk to insert next, and gives it.
    pub(crate) fn lexemes_to_insert(&mut self) -> &mut Vec<u32> {
        self.lexemes.truncate(self.stored);
        &mut self.lexemes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(memo: &mut Memo, hash: u64, chunk: &[u8], lexemes: &[u32]) {
        memo.lexemes_to_insert().extend_from_slice(lexemes);
        memo.insert(hash, chunk);
    }

    #[test]
    fn chunks_come_back_with_their_lexemes_and_only_their_own() {
        let mut memo = Memo::default();
        assert_eq!(memo.get(7, b"word"), None);
        store(&mut memo, 7, b"word", &[3]);
        store(&mut memo, 8, b"don't", &[4, 5]);
        store(&mut memo, 9, b"a-longer-chunk", &[6, 7, 8]);
        assert_eq!(memo.get(7, b"word"), Some(&[3][..]));
        assert_eq!(memo.get(8, b"don't"), Some(&[4, 5][..]));
        assert_eq!(memo.get(9, b"a-longer-chunk"), Some(&[6, 7, 8][..]));
        // The same hash with other bytes (a collision) is not the chunk stored.
        assert_eq!(memo.get(7, b"wore"), None);
        assert_eq!(memo.get(9, b"a-longer-chunx"), None);
        // A hash of 0 is kept apart from the mark of an empty slot.
        store(&mut memo, 0, b"zero", &[9]);
        assert_eq!(memo.get(0, b"zero"), Some(&[9][..]));
        // Growing keeps every entry.
        for i in 0..5000u64 {
            store(
                &mut memo,
                i.wrapping_mul(0x9e37_79b9_7f4a_7c15),
                &i.to_le_bytes(),
                &[i as u32],
            );
        }
        for i in 0..5000u64 {
            let got = memo.get(i.wrapping_mul(0x9e37_79b9_7f4a_7c15), &i.to_le_bytes());
            assert_eq!(got, Some(&[i as u32][..]), "{i}");
        }
        assert_eq!(memo.get(8, b"don't"), Some(&[4, 5][..]));
        memo.clear();
        assert_eq!(memo.get(7, b"word"), None);
    }
}
