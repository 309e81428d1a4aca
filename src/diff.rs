//! Unified diffs of original and cleaned text.
//!
//! The diff is computed from the two texts with `similar`; the change records say which
//! rule did what. No timeout is set: output must not depend on machine speed.

use std::fmt::Write as _;

use similar::TextDiff;

/// A unified diff turning `original` into `cleaned`, with `a/NAME` and `b/NAME` headers,
/// that `patch -p1` and `git apply` apply exactly (a missing final newline is marked).
/// Empty when the texts are equal.
#[must_use]
pub fn unified(name: &str, original: &str, cleaned: &str) -> String {
    if original == cleaned {
        return String::new();
    }
    let diff = TextDiff::from_lines(original, cleaned);
    let mut out = String::new();
    let _ = write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .missing_newline_hint(true)
            .header(&format!("a/{name}"), &format!("b/{name}"))
    );
    out
}

/// The change records of one document as JSON lines: `{"id", "rule", "start", "end",
/// "line", "column", "before", "after"}`, positions in the original document.
#[must_use]
pub fn change_records(id: &str, changes: &[crate::pipeline::Change]) -> String {
    #[derive(serde::Serialize)]
    struct Record<'a> {
        id: &'a str,
        #[serde(flatten)]
        change: &'a crate::pipeline::Change,
    }
    let mut out = String::new();
    for change in changes {
        let record = Record { id, change };
        out.push_str(&serde_json::to_string(&record).expect("change records always serialize"));
        out.push('\n');
    }
    out
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const REVERSE: &str = "\x1b[7m";
const RESET: &str = "\x1b[0m";

/// The unified diff of [`unified`], coloured for a terminal: removed lines red, added
/// lines green, and inside changed lines the words that differ highlighted. Control,
/// zero-width and bidi characters are shown as `<U+XXXX>` so nothing hides on screen.
/// For people only: it does not apply as a patch.
#[must_use]
pub fn unified_colored(name: &str, original: &str, cleaned: &str) -> String {
    if original == cleaned {
        return String::new();
    }
    let diff = TextDiff::from_lines(original, cleaned);
    let mut out = format!("{BOLD}--- a/{name}\n+++ b/{name}{RESET}\n");
    let unified = diff.unified_diff();
    for hunk in unified.iter_hunks() {
        let _ = writeln!(out, "{CYAN}{}{RESET}", hunk.header());
        for op in hunk.ops() {
            for change in diff.iter_inline_changes(op) {
                let (sign, color) = match change.tag() {
                    similar::ChangeTag::Delete => ('-', RED),
                    similar::ChangeTag::Insert => ('+', GREEN),
                    similar::ChangeTag::Equal => (' ', ""),
                };
                out.push_str(color);
                out.push(sign);
                for (emphasized, value) in change.iter_strings_lossy() {
                    let value = sanitize(value.trim_end_matches(['\n', '\r']));
                    if emphasized {
                        let _ = write!(out, "{REVERSE}{value}{RESET}{color}");
                    } else {
                        out.push_str(&value);
                    }
                }
                out.push_str(RESET);
                out.push('\n');
                if change.missing_newline() {
                    out.push_str("\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// Makes invisible characters visible for a terminal: controls (but tab), zero-width
/// characters, bidi controls, BOM and soft hyphen become `<U+XXXX>`.
#[must_use]
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{00ad}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colored_diff_highlights_the_changed_words() {
        let out = unified_colored("x", "a Caparov b\n", "a Japarov b\n");
        assert!(
            out.contains(&format!("{RED}-a {REVERSE}Caparov")),
            "{out:?}"
        );
        assert!(
            out.contains(&format!("{GREEN}+a {REVERSE}Japarov")),
            "{out:?}"
        );
    }

    #[test]
    fn invisible_characters_are_shown() {
        assert_eq!(sanitize("a\u{200b}b\u{1b}"), "a<U+200B>b<U+001B>");
        assert_eq!(sanitize("plain\ttext"), "plain\ttext");
    }
}
