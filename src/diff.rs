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
pub fn change_records(id: &str, changes: &[crate::Change]) -> String {
    #[derive(serde::Serialize)]
    struct Record<'a> {
        id: &'a str,
        #[serde(flatten)]
        change: &'a crate::Change,
    }
    let mut out = String::new();
    for change in changes {
        let record = Record { id, change };
        out.push_str(&serde_json::to_string(&record).expect("change records always serialize"));
        out.push('\n');
    }
    out
}
