//! White space: trailing spaces and tabs, runs of spaces inside a line, too many blank
//! lines in a row, and CRLF or lone CR line endings. Each can be switched off.
//!
//! Indentation at the start of a line is kept (it is structure: code, verse, lists), and
//! so are tabs inside a line (they separate table cells). Collapsing runs of spaces
//! loses the alignment of plain-text tables; switch `space-runs` off for such corpora.

use crate::edit::Edit;

/// Which white-space fixes to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Options {
    /// Delete spaces and tabs at the end of a line.
    pub(crate) trailing_space: bool,
    /// Collapse runs of spaces between words to one.
    pub(crate) space_runs: bool,
    /// Most blank lines kept in a row; `None` keeps them all.
    pub(crate) max_blank_lines: Option<usize>,
    /// `\r\n` → `\n`.
    pub(crate) crlf: bool,
    /// A lone `\r` (old Mac line ending) → `\n`.
    pub(crate) lone_cr: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            trailing_space: true,
            space_runs: true,
            max_blank_lines: Some(1),
            crlf: true,
            lone_cr: true,
        }
    }
}

/// One line: content, then its terminator (`\n`, `\r\n`, `\r` or nothing).
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

/// The lines of `text`; a lone `\r` ends a line only when `lone_cr` is on.
fn lines(text: &str, lone_cr: bool) -> impl Iterator<Item = Line> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let mut search = at;
        loop {
            let found = if lone_cr {
                memchr::memchr2(b'\n', b'\r', &bytes[search..])
            } else {
                memchr::memchr(b'\n', &bytes[search..])
            };
            let Some(offset) = found else {
                at = bytes.len();
                return Some(Line {
                    start,
                    end: bytes.len(),
                    next: bytes.len(),
                });
            };
            let i = search + offset;
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                at = i + 2;
                return Some(Line {
                    start,
                    end: i,
                    next: at,
                });
            }
            if bytes[i] == b'\n' && i > start && bytes[i - 1] == b'\r' {
                at = i + 1;
                return Some(Line {
                    start,
                    end: i - 1,
                    next: at,
                });
            }
            if bytes[i] == b'\r' && !lone_cr {
                search = i + 1;
                continue;
            }
            at = i + 1;
            return Some(Line {
                start,
                end: i,
                next: at,
            });
        }
    })
}

/// True when nothing in `text` is for this step to fix; several SIMD scans are cheaper
/// than walking the lines of a clean document.
fn is_clean(text: &str, options: Options) -> bool {
    let bytes = text.as_bytes();
    let finder = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    let cr = (options.crlf || options.lone_cr) && memchr::memchr(b'\r', bytes).is_some();
    let trailing = options.trailing_space
        && (finder(b" \n")
            || finder(b"\t\n")
            || finder(b" \r")
            || finder(b"\t\r")
            || text.ends_with([' ', '\t']));
    let runs = options.space_runs && finder(b"  ");
    // Too many blank lines means `max + 2` line breaks in a row; with spaces or CRs
    // between them, `trailing` or `cr` has already sent the text the slow way.
    let blank = options
        .max_blank_lines
        .is_some_and(|max| finder("\n".repeat(max + 2).as_bytes()));
    !(cr || trailing || runs || blank)
}

/// Edits making the white space of `text` regular.
pub(super) fn edits(text: &str, options: Options) -> Vec<Edit> {
    if is_clean(text, options) {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut edits: Vec<Edit> = Vec::new();
    let mut push = |edit: Edit| match edits.last_mut() {
        // Neighbouring deletions (a run of surplus blank lines) read best as one change.
        Some(last)
            if last.range.end == edit.range.start
                && last.replacement.is_empty()
                && edit.replacement.is_empty() =>
        {
            last.range.end = edit.range.end;
        }
        _ => edits.push(edit),
    };
    let mut blank_run = 0;
    for line in lines(text, options.lone_cr) {
        let content = &text[line.start..line.end];
        let blank = content.bytes().all(|b| b == b' ' || b == b'\t') && line.next > line.end;
        if blank {
            blank_run += 1;
            if options.max_blank_lines.is_some_and(|max| blank_run > max) {
                push(Edit::delete(line.start..line.next));
                continue;
            }
        } else {
            blank_run = 0;
        }
        let indent = content
            .bytes()
            .take_while(|&b| b == b' ' || b == b'\t')
            .count();
        let body_end = line.start + content.trim_end_matches([' ', '\t']).len();
        if options.space_runs && line.start + indent < body_end {
            let mut at = line.start + indent;
            while let Some(offset) = memchr::memmem::find(&bytes[at..body_end], b"  ") {
                let run_start = at + offset;
                let run_len = bytes[run_start..body_end]
                    .iter()
                    .take_while(|&&b| b == b' ')
                    .count();
                push(Edit::delete(run_start + 1..run_start + run_len));
                at = run_start + run_len;
            }
        }
        if options.trailing_space && body_end < line.end {
            push(Edit::delete(body_end..line.end));
        }
        let terminator = &bytes[line.end..line.next];
        if terminator == b"\r\n" && options.crlf {
            push(Edit::delete(line.end..line.end + 1));
        } else if terminator == b"\r" && options.lone_cr {
            push(Edit::replace(line.end..line.next, "\n"));
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn fix(text: &str) -> String {
        apply(text, &edits(text, Options::default()))
    }

    #[test]
    fn white_space_is_regularised() {
        assert_eq!(fix("a  b   c \n"), "a b c\n");
        assert_eq!(fix("one\n\n\n\ntwo\n \n\t\nthree"), "one\n\ntwo\n\nthree");
        assert_eq!(fix("dos\r\nlines\r\n"), "dos\nlines\n");
        assert_eq!(fix("mac\rlines\r"), "mac\nlines\n");
        assert_eq!(fix("trailing \t"), "trailing");
        assert_eq!(fix("last\n   "), "last\n");
    }

    #[test]
    fn regular_white_space_and_indentation_stay() {
        for text in [
            "one\n\ntwo\n",
            "    indented code\n\tand a tab",
            "cell\tcell",
            "",
            "\n",
        ] {
            assert_eq!(fix(text), text);
        }
    }

    #[test]
    fn each_fix_can_be_switched_off() {
        let options = Options {
            trailing_space: false,
            space_runs: false,
            max_blank_lines: None,
            crlf: false,
            lone_cr: false,
        };
        let text = "a  b \r\n\n\n\nc\rd";
        assert!(edits(text, options).is_empty());
        let only_crlf = Options {
            crlf: true,
            ..options
        };
        assert_eq!(apply(text, &edits(text, only_crlf)), "a  b \n\n\n\nc\rd");
    }
}
