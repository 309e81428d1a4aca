//! Byte offsets to human line and column numbers.
//!
//! Everything inside the crate works in UTF-8 byte offsets; lines and columns are computed
//! here only, at the edge, for messages and change records. Lines and columns are 1-based;
//! a column counts Unicode scalar values from the start of the line.

/// Start offsets of every line of a text, for binary search.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text` (a line ends after `\n`).
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts }
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
}
