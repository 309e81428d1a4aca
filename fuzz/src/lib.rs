//! Properties the fuzz targets check, shared between them.

use textscrub::edit::Edit;
use textscrub::{Outcome, Rule};

/// Edits of one rule on `text`: sorted, disjoint, inside the text, on char boundaries.
pub fn check_edits(text: &str, edits: &[Edit], rule: &str) {
    let mut end = 0;
    for edit in edits {
        let range = &edit.range;
        assert!(
            range.start <= range.end && range.end <= text.len(),
            "{rule}: edit {range:?} outside a text of {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "{rule}: edit {range:?} splits a character"
        );
        assert!(range.start >= end, "{rule}: edits overlap or are unsorted at {range:?}");
        end = range.end;
    }
}

/// Every change of `outcome` points at its text in `original`: inside it, on char
/// boundaries, with the line and column of its start; a change whose span no earlier change
/// touched quotes the original exactly.
pub fn check_changes(original: &str, outcome: &Outcome) {
    for (i, change) in outcome.changes.iter().enumerate() {
        let span = change.span;
        assert!(span.start <= span.end && span.end <= original.len());
        assert!(original.is_char_boundary(span.start) && original.is_char_boundary(span.end));
        let (line, column) = textscrub::position::line_column(original, span.start);
        assert_eq!((span.line, span.column), (line, column), "{change:?}");
        let touched = outcome.changes[..i]
            .iter()
            .any(|earlier| earlier.span.start <= span.end && span.start <= earlier.span.end);
        if !touched {
            assert_eq!(
                &original[span.range()],
                change.before,
                "a change on untouched text must quote the original: {change:?}"
            );
        }
    }
}

/// Replays the rules one by one on `original` and checks that their edits are the
/// outcome's changes, in order, and reproduce its text.
pub fn check_replay(rules: &[Rule], original: &str, outcome: &Outcome) {
    let mut text = original.to_string();
    let mut changes = outcome.changes.iter().peekable();
    // The pipeline repeats its pass while an earlier rule would still edit; so does this.
    loop {
        let mut edited = false;
        for rule in rules {
            if !matches!(rule.kind.name(), "flag" | "quality") {
                let edits = rule.edits(&text);
                check_edits(&text, &edits, rule.id.as_str());
                for edit in &edits {
                    let change = changes.next().expect("as many changes as edits");
                    assert_eq!(change.rule, rule.id);
                    assert_eq!(change.before, &text[edit.range.clone()]);
                    assert_eq!(change.after, edit.replacement);
                }
                edited |= !edits.is_empty();
                text = textscrub::edit::apply(&text, &edits);
            }
        }
        if !edited || changes.peek().is_none() {
            break;
        }
    }
    assert!(changes.next().is_none(), "more changes than edits");
    assert_eq!(text, outcome.text, "replaying the rules gives another text");
}
