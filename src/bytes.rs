//! Byte searches shared by the layers that scan text.

/// The first position in `bytes` holding a byte `wanted` accepts. Blocks of 32 bytes are
/// tested with a branch-free fold first, which the compiler vectorises, so text without
/// such bytes (most of a text, for the bytes callers look for) is passed over at memory
/// speed. `wanted` should use non-short-circuit operators (`&`, `|`) for that.
#[inline]
pub(crate) fn find_byte(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut at = 0;
    while at + BLOCK <= bytes.len() {
        let block = &bytes[at..at + BLOCK];
        if block.iter().fold(false, |any, &b| any | wanted(b)) {
            break;
        }
        at += BLOCK;
    }
    bytes[at..].iter().position(|&b| wanted(b)).map(|i| at + i)
}
