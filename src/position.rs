//! Byte offsets to human line and column numbers.
//!
//! Everything inside the crate works in UTF-8 byte offsets; lines and columns are computed
//! here only, at the edge, for messages and change records. Lines and columns are 1-based;
//! a column counts Unicode scalar values from the start of the line.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Where a change or finding sits in the original document: its byte range and the human
/// position of its start. Records flatten it, so these four fields sit beside the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset where the text starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in Unicode scalar values.
    pub column: usize,
}

impl Span {
    /// The byte range.
    #[must_use]
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Start offsets of every line of a text, for binary search.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last position [`LineIndex::locate`] counted to: (byte offset, 1-based column).
    cursor: (usize, usize),
}

impl LineIndex {
    /// Indexes the line starts of `text` (a line ends after `\n`).
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            starts,
            cursor: (0, 1),
        }
    }

    /// The 1-based line and column of byte `offset` in `text`.
    #[must_use]
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let offset = offset.min(text.len());
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

impl LineIndex {
    /// [`LineIndex::line_column`] for a run of queries in ascending order (the changes of
    /// one rule): counting resumes from the previous query when it is on the same line, so
    /// many positions on one long line cost one pass over it, not one pass each.
    pub fn locate(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let (from, column) = if self.cursor.0 >= start && self.cursor.0 <= offset {
            self.cursor
        } else {
            (start, 1)
        };
        let Some(between) = text.get(from..offset) else {
            return self.line_column(text, offset);
        };
        let column = column + between.chars().count();
        self.cursor = (offset, column);
        (line, column)
    }

    /// The [`Span`] of `range`, located with [`LineIndex::locate`].
    pub fn span(&mut self, text: &str, range: Range<usize>) -> Span {
        let (line, column) = self.locate(text, range.start);
        Span {
            start: range.start,
            end: range.end,
            line,
            column,
        }
    }
}

/// One-off conversion for error messages, where building an index is not worth it.
#[must_use]
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_column(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let text = "ab\nSadır x\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_column(text, 0), (1, 1));
        assert_eq!(index.line_column(text, 3), (2, 1));
        // "x" sits after the two-byte "ı": byte 10, character column 7.
        assert_eq!(index.line_column(text, 10), (2, 7));
        assert_eq!(index.line_column(text, text.len()), (3, 5));
    }

    #[test]
    fn locate_agrees_with_line_column_in_any_order() {
        let text = "ab\nSadır x\r\nlast ğ and more\n";
        let mut index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let backwards = offsets.iter().rev();
        for &offset in offsets
            .iter()
            .chain(backwards)
            .chain(offsets.iter().step_by(3))
        {
            assert_eq!(
                index.locate(text, offset),
                index.line_column(text, offset),
                "{offset}"
            );
        }
    }
}
