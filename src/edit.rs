//! Edits and the offset map back to the original document.
//!
//! A rule returns [`Edit`]s against the text it saw; [`apply`] turns them into the next
//! text in one linear pass. [`SourceMap`] remembers, for the current text, which byte
//! ranges were copied from the original and which were written by a rule, so every change
//! can be reported in original coordinates however many rules ran before it. This module
//! knows nothing about rules or lines.

use std::ops::Range;

/// One replacement of a byte range of the text a rule saw. An empty replacement deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte range in the text the rule saw; always on char boundaries.
    pub range: Range<usize>,
    /// The text that takes the range's place.
    pub replacement: String,
}

impl Edit {
    /// Delete `range`.
    #[must_use]
    pub fn delete(range: Range<usize>) -> Self {
        Self {
            range,
            replacement: String::new(),
        }
    }

    /// Replace `range` with `replacement`.
    #[must_use]
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Self {
            range,
            replacement: replacement.into(),
        }
    }
}

/// Sorts edits and merges those that touch or overlap, so the list can be applied in one
/// pass. Overlapping edits from one rule come from line deletions that share a blank line;
/// merging keeps the union of what they delete.
pub(crate) fn normalize(text: &str, edits: &mut Vec<Edit>) {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut merged: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits.drain(..) {
        debug_assert!(text.is_char_boundary(edit.range.start));
        debug_assert!(text.is_char_boundary(edit.range.end));
        if edit.range.is_empty() && edit.replacement.is_empty() {
            continue;
        }
        match merged.last_mut() {
            Some(last) if edit.range.start < last.range.end => {
                // Overlap: keep the union; replacements of overlapping edits are joined
                // in order so no rule output disappears silently.
                last.range.end = last.range.end.max(edit.range.end);
                last.replacement.push_str(&edit.replacement);
            }
            _ => merged.push(edit),
        }
    }
    *edits = merged;
}

/// Applies sorted, non-overlapping `edits` to `text`, returning the new text.
#[must_use]
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        assert!(edit.range.start >= at, "edits must be sorted and disjoint");
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Composes `first` (edits on `original`) with `second` (edits on the text `first` made)
/// into one list of edits on `original` whose result is `result`. Edits of the two lists
/// that overlap or touch merge into one, so each edit still says what became of a stretch
/// of the original.
///
/// Both lists are sorted and disjoint, so every offset lookup below moves forward through
/// them: the composition is linear in the number of edits (plus a sort of the spans),
/// however many there are on one line.
#[must_use]
pub fn compose(original: &str, first: &[Edit], second: &[Edit], result: &str) -> Vec<Edit> {
    // Where each `second` edit sits in `original`: offsets in the middle text map back
    // through `first`, widening to whole `first` edits they touch.
    let mut starts = Back::new(first, false);
    let mut ends = Back::new(first, true);
    let mut spans: Vec<Range<usize>> = Vec::with_capacity(first.len() + second.len());
    spans.extend(first.iter().map(|e| e.range.clone()));
    spans.extend(second.iter().map(|e| {
        let start = starts.map(e.range.start);
        start..ends.map(e.range.end).max(start)
    }));
    spans.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    // Each merged span holds whole edits of both lists, so its ends map exactly: shift by
    // the length change of every edit before it.
    let mut through_first = Forward::new(first);
    let mut through_second = Forward::new(second);
    let mut composed = Vec::with_capacity(merged.len());
    for span in merged {
        let middle_start = through_first.shift(span.start);
        let middle_end = through_first.shift(span.end);
        let start = through_second.shift(middle_start);
        let end = through_second.shift(middle_end);
        if original[span.clone()] != result[start..end] {
            composed.push(Edit::replace(span, &result[start..end]));
        }
    }
    composed
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

fn growth(edit: &Edit) -> isize {
    signed(edit.replacement.len()) - signed(edit.range.len())
}

/// Maps offsets of the text `edits` made back to the text they were made on, for queries
/// in ascending order. An offset inside written text widens to the edit's original start
/// (or, for the end of a range, its original end).
struct Back<'a> {
    edits: &'a [Edit],
    end: bool,
    /// Edits wholly before the last query, and their summed length change.
    passed: usize,
    delta: isize,
    last: usize,
}

impl<'a> Back<'a> {
    fn new(edits: &'a [Edit], end: bool) -> Self {
        Self {
            edits,
            end,
            passed: 0,
            delta: 0,
            last: 0,
        }
    }

    fn map(&mut self, offset: usize) -> usize {
        if offset < self.last {
            // Out of order (never from sorted lists): start over rather than be wrong.
            (self.passed, self.delta) = (0, 0);
        }
        self.last = offset;
        while let Some(edit) = self.edits.get(self.passed) {
            let written_start = edit.range.start.wrapping_add_signed(self.delta);
            let written_end = written_start + edit.replacement.len();
            let inside = if self.end {
                offset > written_start && offset <= written_end
            } else {
                offset >= written_start && offset < written_end
            };
            if inside {
                return if self.end {
                    edit.range.end
                } else {
                    edit.range.start
                };
            }
            if offset <= written_start {
                break;
            }
            self.delta += growth(edit);
            self.passed += 1;
        }
        offset.wrapping_add_signed(-self.delta)
    }
}

/// Maps offsets of a text forward through `edits` made on it, for ascending offsets that
/// never fall strictly inside an edit: each moves by the length change of the edits that
/// end at or before it.
struct Forward<'a> {
    edits: &'a [Edit],
    passed: usize,
    delta: isize,
    last: usize,
}

impl<'a> Forward<'a> {
    fn new(edits: &'a [Edit]) -> Self {
        Self {
            edits,
            passed: 0,
            delta: 0,
            last: 0,
        }
    }

    fn shift(&mut self, offset: usize) -> usize {
        if offset < self.last {
            (self.passed, self.delta) = (0, 0);
        }
        self.last = offset;
        while let Some(edit) = self.edits.get(self.passed) {
            if !(edit.range.end <= offset && edit.range.start < offset) {
                break;
            }
            self.delta += growth(edit);
            self.passed += 1;
        }
        offset.wrapping_add_signed(self.delta)
    }
}

/// A piece of the current text: either copied unchanged from the original, or written by
/// a rule in place of an original range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// Byte range of the piece in the current text.
    current: (usize, usize),
    /// Byte range of the original it stands for.
    original: (usize, usize),
    /// `true` when the piece is a byte-for-byte copy of its original range.
    copied: bool,
}

/// Maps byte offsets in the current text back to the original document.
///
/// Markers are kept only at edit boundaries, so the map grows with the number of edits,
/// not with the text.
#[derive(Debug, Clone)]
pub struct SourceMap {
    segments: Vec<Segment>,
    original_len: usize,
}

impl SourceMap {
    /// The identity map over a text of `len` bytes.
    #[must_use]
    pub fn identity(len: usize) -> Self {
        Self {
            segments: vec![Segment {
                current: (0, len),
                original: (0, len),
                copied: true,
            }],
            original_len: len,
        }
    }

    /// Maps a range of the current text to the original. A bound inside rule-written text
    /// widens to the whole original range that text replaced.
    #[must_use]
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        let start = self.map_start(range.start);
        if range.is_empty() {
            return start..start;
        }
        start..self.map_end(range.end).max(start)
    }

    /// Where a range starting at `offset` starts in the original.
    fn map_start(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|s| s.current.1 <= offset);
        match self.segments.get(index) {
            Some(s) if s.copied => s.original.0 + (offset - s.current.0),
            Some(s) => s.original.0,
            None => self.original_len,
        }
    }

    /// Where a range ending at `offset` ends in the original.
    fn map_end(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|s| s.current.1 < offset);
        match self.segments.get(index) {
            Some(s) if s.copied => s.original.0 + (offset - s.current.0),
            Some(s) => s.original.1,
            None => self.original_len,
        }
    }

    /// Updates the map after sorted, disjoint `edits` were applied to the current text.
    pub fn compose(&mut self, edits: &[Edit]) {
        if edits.is_empty() {
            return;
        }
        let mut next = Vec::with_capacity(self.segments.len() + 2 * edits.len());
        let mut cursor = 0; // in current coordinates, before the edits
        let mut written = 0; // in current coordinates, after the edits
        let mut index = 0; // first old segment that may still overlap `cursor`
        for edit in edits {
            self.copy_into(
                &mut next,
                &mut index,
                cursor,
                edit.range.start,
                &mut written,
            );
            let original = if edit.range.is_empty() {
                let at = self.map_start(edit.range.start);
                (at, at)
            } else {
                let start = self.map_start(edit.range.start);
                (start, self.map_end(edit.range.end).max(start))
            };
            next.push(Segment {
                current: (written, written + edit.replacement.len()),
                original,
                copied: false,
            });
            written += edit.replacement.len();
            cursor = edit.range.end;
        }
        let end = self.segments.last().map_or(0, |s| s.current.1);
        self.copy_into(&mut next, &mut index, cursor, end, &mut written);
        self.segments = next;
    }

    /// Pushes the old segments' parts within `[from, to)` (old current coordinates).
    fn copy_into(
        &self,
        next: &mut Vec<Segment>,
        index: &mut usize,
        from: usize,
        to: usize,
        written: &mut usize,
    ) {
        while let Some(s) = self.segments.get(*index) {
            if s.current.1 <= from && s.current.0 < s.current.1 {
                *index += 1;
                continue;
            }
            if s.current.0 >= to {
                break;
            }
            let (lo, hi) = (s.current.0.max(from), s.current.1.min(to));
            let len = hi.saturating_sub(lo);
            if len > 0 {
                let original = if s.copied {
                    let delta = lo - s.current.0;
                    (s.original.0 + delta, s.original.0 + delta + len)
                } else {
                    s.original
                };
                next.push(Segment {
                    current: (*written, *written + len),
                    original,
                    copied: s.copied,
                });
                *written += len;
            }
            if s.current.1 <= to {
                *index += 1;
            } else {
                break;
            }
        }
    }
}

/// Where rules wrote in the current text, and when: each range (empty where a rule only
/// deleted) with the stage that wrote it and whether it deleted whole lines and nothing
/// else, kept in current coordinates as later edits shift it. Unlike [`SourceMap`],
/// deletions stay visible after later rules run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Written(Vec<(Range<usize>, usize, bool)>);

impl Written {
    /// Records sorted, disjoint `edits` just applied to `text` at `stage`.
    pub(crate) fn record(&mut self, text: &str, edits: &[Edit], stage: usize) {
        // growth[i]: how much the edits before edit i lengthened the text.
        let mut growth = Vec::with_capacity(edits.len() + 1);
        let mut total = 0isize;
        for edit in edits {
            growth.push(total);
            total += edit.replacement.len() as isize - edit.range.len() as isize;
        }
        growth.push(total);
        let shift = |offset: usize, end: bool| {
            let i = edits.partition_point(|e| e.range.end <= offset && e.range.start < offset);
            match edits.get(i) {
                // Inside an edit: the bound moves to that edit's replacement.
                Some(e) if e.range.start < offset => {
                    let start = e.range.start.wrapping_add_signed(growth[i]);
                    if end {
                        start + e.replacement.len()
                    } else {
                        start
                    }
                }
                _ => offset.wrapping_add_signed(growth[i]),
            }
        };
        for (range, _, _) in &mut self.0 {
            *range = shift(range.start, false)..shift(range.end, true);
        }
        let bytes = text.as_bytes();
        for (i, edit) in edits.iter().enumerate() {
            let start = edit.range.start.wrapping_add_signed(growth[i]);
            let Range { start: from, end } = edit.range;
            let whole_lines = edit.replacement.is_empty()
                && (from == 0 || bytes[from - 1] == b'\n')
                && end > from
                && bytes[end - 1] == b'\n';
            self.0
                .push((start..start + edit.replacement.len(), stage, whole_lines));
        }
        self.0.sort_by_key(|(range, _, _)| (range.start, range.end));
    }

    /// The ranges written after `stage`, in order; without the deletions of whole lines
    /// when `lines_changed` (they leave every other line as it was).
    pub(crate) fn after(
        &self,
        stage: usize,
        lines_changed: bool,
    ) -> impl Iterator<Item = Range<usize>> + '_ {
        self.0
            .iter()
            .filter(move |(_, s, whole_lines)| *s > stage && !(lines_changed && *whole_lines))
            .map(|(range, _, _)| range.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, map: &mut SourceMap, edits: Vec<Edit>) -> String {
        let out = apply(text, &edits);
        map.compose(&edits);
        out
    }

    #[test]
    fn written_ranges_follow_later_edits_and_keep_deletions() {
        let mut written = Written::default();
        // "aa XX bb YY cc": stage 1 deletes "XX ", stage 2 replaces "YY" with "Z".
        written.record("aa XX bb YY cc", &[Edit::delete(3..6)], 1);
        written.record("aa bb YY cc", &[Edit::replace(6..8, "Z")], 2);
        let all: Vec<_> = written.after(0, false).collect();
        assert_eq!(all, [3..3, 6..7]);
        assert_eq!(written.after(1, false).collect::<Vec<_>>(), vec![6..7]);
        // An edit over an earlier write swallows it.
        written.record("aa bb Z cc", &[Edit::replace(2..8, "--")], 3);
        assert_eq!(
            written.after(0, false).collect::<Vec<_>>(),
            [2..4, 2..4, 2..4]
        );
    }

    #[test]
    fn deletions_of_whole_lines_change_no_line() {
        let mut written = Written::default();
        // Deletes the line "b\n", then the start of "c d".
        written.record("a\nb\nc d\n", &[Edit::delete(2..4), Edit::delete(4..6)], 1);
        assert_eq!(written.after(0, false).collect::<Vec<_>>(), [2..2, 2..2]);
        let changed: Vec<_> = written.after(0, true).collect();
        assert_eq!((changed.len(), &changed[0]), (1, &(2..2)));
        // Deleting a last line without its break leaves the line before it unended.
        let mut written = Written::default();
        written.record("a\nb", &[Edit::delete(2..3)], 1);
        assert_eq!(written.after(0, true).count(), 1);
    }

    #[test]
    fn empty_edit_list_is_identity() {
        assert_eq!(apply("abc", &[]), "abc");
        let map = SourceMap::identity(3);
        assert_eq!(map.to_original(1..2), 1..2);
    }

    #[test]
    fn offsets_survive_successive_rules() {
        let original = "aa XX bb YY cc";
        let mut map = SourceMap::identity(original.len());
        // Rule 1 deletes "XX " (3..6).
        let t1 = run(original, &mut map, vec![Edit::delete(3..6)]);
        assert_eq!(t1, "aa bb YY cc");
        // Rule 2 replaces "YY" (now 6..8) with "zzzz".
        assert_eq!(map.to_original(6..8), 9..11);
        let t2 = run(&t1, &mut map, vec![Edit::replace(6..8, "zzzz")]);
        assert_eq!(t2, "aa bb zzzz cc");
        // "cc" moved twice and still maps home.
        assert_eq!(map.to_original(11..13), 12..14);
        // A range inside rule-written text widens to what that text replaced.
        assert_eq!(map.to_original(7..8), 9..11);
        // A range spanning written and copied text covers both.
        assert_eq!(map.to_original(3..13), 6..14);
    }

    #[test]
    fn deletion_then_edit_across_the_gap() {
        let original = "one two three";
        let mut map = SourceMap::identity(original.len());
        let t1 = run(original, &mut map, vec![Edit::delete(3..7)]);
        assert_eq!(t1, "one three");
        // Deleting "one three" entirely covers the whole original.
        assert_eq!(map.to_original(0..t1.len()), 0..original.len());
        assert_eq!(map.to_original(4..9), 8..13);
    }

    #[test]
    fn normalize_merges_overlaps() {
        let text = "abcdef";
        let mut edits = vec![Edit::delete(2..4), Edit::delete(0..3), Edit::delete(5..5)];
        normalize(text, &mut edits);
        assert_eq!(edits, vec![Edit::delete(0..4)]);
    }
}
