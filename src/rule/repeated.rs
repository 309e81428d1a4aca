//! The `discover/repeated-line` rule: deletes the lines that `discover lines` found
//! repeated across a source's documents. Lines are compared by the hash of a normalised
//! form (case folded, digits as `0`, white space collapsed).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::compile::Behaviour;
use super::Note;
use crate::edit::Edit;

/// A line's normalised form, piece by piece: trimmed, inner white space runs as one
/// `Space`, every digit as `Digit`. The counting and the rules it writes both read this, so
/// a written rule matches exactly the lines that were counted together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folded {
    Space,
    Digit,
    Char(char),
}

fn folded(line: &str) -> impl Iterator<Item = Folded> + '_ {
    let mut space = false;
    line.trim()
        .chars()
        .flat_map(move |c| {
            if c.is_whitespace() {
                space = true;
                return [None, None];
            }
            let gap = std::mem::take(&mut space).then_some(Folded::Space);
            let piece = if c.is_numeric() {
                Folded::Digit
            } else {
                Folded::Char(c)
            };
            [gap, Some(piece)]
        })
        .flatten()
}

/// The hash of a line's normalised form (case folded too); `None` for a blank line.
#[must_use]
pub(crate) fn line_key(line: &str) -> Option<u64> {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut any = false;
    for piece in folded(line) {
        any = true;
        match piece {
            Folded::Space => ' '.hash(&mut hasher),
            Folded::Digit => '0'.hash(&mut hasher),
            Folded::Char(c) if c.is_ascii() => c.to_ascii_lowercase().hash(&mut hasher),
            Folded::Char(c) => {
                for l in c.to_lowercase() {
                    l.hash(&mut hasher);
                }
            }
        }
    }
    any.then(|| hasher.finish())
}

/// One source's repeated lines: key → documents holding it.
#[derive(Debug, Default)]
pub struct Repeated {
    lines: HashMap<u64, u64>,
}

impl Repeated {
    /// The lines that repeat: key ([`line_key`]) → documents of the source holding it.
    pub(crate) fn new(lines: HashMap<u64, u64>) -> Self {
        Self { lines }
    }

    /// One deletion per repeated line of `text`, with its count.
    pub(crate) fn edits(&self, text: &str) -> Vec<(Edit, u64)> {
        let mut dropped = Vec::new();
        let mut at = 0;
        for line in text.split('\n') {
            if let Some(count) = line_key(line).and_then(|k| self.lines.get(&k)) {
                dropped.push((at, *count));
            }
            at += line.len() + 1;
        }
        super::delete_lines_noted(text, &dropped)
    }

    /// Documents of the source holding the line of `key`, when it is repeated.
    pub(crate) fn count(&self, key: u64) -> Option<u64> {
        self.lines.get(&key).copied()
    }

    /// Lines held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no line is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A whole-line pattern for `line` that, like the counting, ignores case, digits and
/// spacing.
pub(crate) fn line_pattern(line: &str) -> String {
    let mut out = String::from(r"(?i)\s*");
    for piece in folded(line) {
        match piece {
            Folded::Space => out.push_str(r"\s+"),
            Folded::Digit => out.push_str(r"\d"),
            Folded::Char(c) => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out.push_str(r"\s*");
    out
}

impl Behaviour for std::sync::Arc<Repeated> {
    fn noted_edits(&self, text: &str) -> Option<Vec<(Edit, Note)>> {
        Some(
            Repeated::edits(self, text)
                .into_iter()
                .map(|(e, count)| (e, Note::Count(count)))
                .collect(),
        )
    }
}
