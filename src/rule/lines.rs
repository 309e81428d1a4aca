//! Line geometry shared by the kinds that delete lines or work near the top or bottom of a
//! document: finding a line, deleting runs of lines without leaving a hole of blank lines,
//! and the `within = "head:N" | "tail:N"` regions.

use std::ops::Range;

use crate::edit::Edit;

/// A line: `start..end` is its content, `next` the start of the following line (after the
/// `\n`, `\r\n` or lone `\r`, or the text's end). A lone `\r` ends a line as it does
/// for the patterns' `^` and `$`: read as one line, `Protests erupted.\rGetty Images`
/// would be a credit line and take the sentence with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) next: usize,
}

/// The line containing byte `offset`.
pub(crate) fn line_at(text: &str, offset: usize) -> Line {
    let bytes = text.as_bytes();
    let mut before = &bytes[..offset];
    let start = loop {
        match memchr::memrchr2(b'\n', b'\r', before) {
            None => break 0,
            // The `\r` of the `\r\n` at `offset` ends this very line.
            Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => {
                before = &bytes[..i];
            }
            Some(i) => break i + 1,
        }
    };
    line_ending(text, start, offset)
}

/// The line beginning at byte `start` (the text's start or just after a line break),
/// without looking back for where it begins.
pub(crate) fn line_from(text: &str, start: usize) -> Line {
    line_ending(text, start, start)
}

/// The line beginning at `start` and holding byte `offset`.
fn line_ending(text: &str, start: usize, offset: usize) -> Line {
    let bytes = text.as_bytes();
    let (end, next) = match memchr::memchr2(b'\n', b'\r', &bytes[offset..]) {
        Some(i) => {
            let at = offset + i;
            match bytes[at] {
                b'\r' if bytes.get(at + 1) == Some(&b'\n') => (at, at + 2),
                // A CRLF line's content stops before the CR, when `offset` is its `\n`.
                b'\n' if at > start && bytes[at - 1] == b'\r' => (at - 1, at + 1),
                _ => (at, at + 1),
            }
        }
        None => (text.len(), text.len()),
    };
    Line { start, end, next }
}

/// True when `s` has nothing but white space.
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

fn line_is_blank(text: &str, line: Line) -> bool {
    is_blank(&text[line.start..line.end])
}

/// Edits that delete the lines starting at `starts`, so that the text reads as if they had
/// never been there: consecutive deleted lines (and blank lines between them) go as one
/// run, and a run that stood between two blank lines takes one of them along, so no double
/// blank line is left behind.
pub(crate) fn delete_lines(text: &str, starts: &mut Vec<usize>) -> Vec<Edit> {
    starts.sort_unstable();
    starts.dedup();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < starts.len() {
        let first = line_at(text, starts[i]);
        let mut run_end = first.next;
        i += 1;
        // Extend the run over further deleted lines, bridging blank lines between them.
        while i < starts.len() {
            let mut at = run_end;
            while at < text.len() && at < starts[i] {
                let line = line_at(text, at);
                if !line_is_blank(text, line) {
                    break;
                }
                at = line.next;
            }
            if at != starts[i] {
                break;
            }
            run_end = line_at(text, starts[i]).next;
            i += 1;
        }
        edits.push(Edit::delete(widen_run(text, first.start, run_end)));
    }
    edits
}

/// [`delete_lines`] for lines that each carry a note (a score, a count): `dropped` holds
/// line starts, sorted. Runs are cut at the starts of their lines so that every line is
/// its own edit with its own note; the pieces touch and apply as the run would.
pub(crate) fn delete_lines_noted<T: Copy>(text: &str, dropped: &[(usize, T)]) -> Vec<(Edit, T)> {
    let mut starts: Vec<usize> = dropped.iter().map(|(s, _)| *s).collect();
    let runs = delete_lines(text, &mut starts);
    let mut out = Vec::with_capacity(dropped.len());
    let mut next = 0;
    for run in runs {
        let first = next;
        while next < dropped.len() && dropped[next].0 < run.range.end {
            next += 1;
        }
        for k in first..next {
            let start = if k == first {
                run.range.start
            } else {
                dropped[k].0
            };
            let end = if k + 1 == next {
                run.range.end
            } else {
                dropped[k + 1].0
            };
            out.push((Edit::delete(start..end), dropped[k].1));
        }
    }
    out
}

/// Widens the deleted run `start..end` over one neighbouring blank line when the run sat
/// between blank lines (or the document's edges), and over the line break before it when
/// it ends the document.
fn widen_run(text: &str, start: usize, end: usize) -> Range<usize> {
    let previous = (start > 0).then(|| line_at(text, start - 1));
    let previous_blank = previous.is_none_or(|line| line_is_blank(text, line));
    if end >= text.len() {
        let mut from = start;
        if let Some(line) = previous.filter(|_| previous_blank) {
            from = line.start;
        }
        if !text.ends_with('\n') || end > text.len() {
            // The run holds the last line, which has no line break: drop the break before.
            from = from.saturating_sub(1);
        }
        return from..text.len();
    }
    let next = line_at(text, end);
    if previous_blank && line_is_blank(text, next) {
        return start..next.next;
    }
    start..end
}

/// Where a rule limited by `within` may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Within {
    /// The first N non-blank lines.
    Head(usize),
    /// The last N non-blank lines.
    Tail(usize),
}

impl Within {
    /// Parses `head:N` / `tail:N`.
    pub(crate) fn parse(value: &str) -> Option<Self> {
        let (side, count) = value.split_once(':')?;
        let count: usize = count.trim().parse().ok().filter(|&n| n > 0)?;
        match side.trim() {
            "head" => Some(Self::Head(count)),
            "tail" => Some(Self::Tail(count)),
            _ => None,
        }
    }

    /// The byte range of `text` the rule may act on.
    pub(crate) fn region(self, text: &str) -> Range<usize> {
        match self {
            Self::Head(n) => {
                let mut seen = 0;
                let mut at = 0;
                while at < text.len() {
                    let line = line_from(text, at);
                    if !line_is_blank(text, line) {
                        seen += 1;
                        if seen == n {
                            return 0..line.next;
                        }
                    }
                    at = line.next;
                }
                0..text.len()
            }
            Self::Tail(n) => {
                let mut seen = 0;
                let mut end = text.len();
                while end > 0 {
                    let line = line_at(text, end - 1);
                    if !line_is_blank(text, line) {
                        seen += 1;
                        if seen == n {
                            return line.start..text.len();
                        }
                    }
                    end = line.start;
                }
                0..text.len()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn delete(text: &str, lines: &[&str]) -> String {
        let mut starts: Vec<usize> = lines.iter().map(|l| text.find(l).unwrap()).collect();
        let edits = delete_lines(text, &mut starts);
        apply(text, &edits)
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_and_crlf_is_one_break() {
        let text = "a\rbc\r\nd\ne";
        let line = |start, end, next| Line { start, end, next };
        assert_eq!(line_at(text, 0), line(0, 1, 2));
        assert_eq!(line_at(text, 1), line(0, 1, 2));
        for offset in 2..=5 {
            assert_eq!(line_at(text, offset), line(2, 4, 6), "{offset}");
        }
        assert_eq!(line_from(text, 2), line(2, 4, 6));
        assert_eq!(line_at(text, 6), line(6, 7, 8));
        assert_eq!(line_at(text, 8), line(8, 9, 9));
    }

    #[test]
    fn deleting_a_line_between_blank_lines_leaves_one_blank_line() {
        assert_eq!(delete("A\n\nAd\n\nB\n", &["Ad"]), "A\n\nB\n");
        assert_eq!(delete("A\nAd\nB", &["Ad"]), "A\nB");
    }

    #[test]
    fn deleting_at_the_edges_leaves_no_stray_line_breaks() {
        assert_eq!(delete("Ad\nThe text", &["Ad"]), "The text");
        assert_eq!(delete("Ad\n\nThe text", &["Ad"]), "The text");
        assert_eq!(delete("Text\nAd", &["Ad"]), "Text");
        assert_eq!(delete("Text\n\nAd", &["Ad"]), "Text");
        assert_eq!(delete("Text\n\nAd\n", &["Ad"]), "Text\n");
    }

    #[test]
    fn neighbouring_deleted_lines_form_one_run() {
        assert_eq!(delete("A\n\nX\n\nY\n\nB", &["X", "Y"]), "A\n\nB");
        assert_eq!(delete("A\n\nX\nY\n\nB", &["X", "Y"]), "A\n\nB");
    }

    #[test]
    fn within_counts_non_blank_lines() {
        let text = "a\n\nb\nc\n\nd\n";
        assert_eq!(&text[Within::Head(2).region(text)], "a\n\nb\n");
        assert_eq!(&text[Within::Tail(2).region(text)], "c\n\nd\n");
        assert_eq!(Within::parse("head:5"), Some(Within::Head(5)));
        assert_eq!(Within::parse("middle:5"), None);
        assert_eq!(Within::parse("tail:0"), None);
    }
}
