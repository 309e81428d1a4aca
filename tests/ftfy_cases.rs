//! ftfy's own published test cases (vendored in `fixtures/ftfy/`, Apache-2.0) through the
//! `unicode/mojibake` rule: how many of the encoding-damage cases come out as ftfy's
//! `fix_encoding` gives them, and that no case whose encoding is already right changes.
//! Also every repair must be a change record quoting its exact original range.
// See: issue 12

use std::fs;

use serde::Deserialize;
use textscrub::{Options, Pipeline, RuleSet};

#[derive(Deserialize)]
struct Case {
    label: String,
    original: String,
    fixed: String,
    #[serde(rename = "fixed-encoding")]
    fixed_encoding: Option<String>,
}

/// The bar from issue 12: ftfy itself fixes 103 of the 112 (`fix_encoding`, 6.3.1).
const AT_LEAST: usize = 100;

fn mojibake_rule() -> Pipeline {
    let mut rules = RuleSet::defaults().unwrap();
    rules
        .select(&["unicode/mojibake".to_string()], &[])
        .unwrap();
    Pipeline::new(rules, Options::default())
}

/// White space compared loosely: a no-break space and a space, or runs of them, are the
/// same ("spacing aside").
fn spacing_aside(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn ftfy_test_cases() {
    let cases: Vec<Case> =
        serde_json::from_str(&fs::read_to_string("fixtures/ftfy/test_cases.json").unwrap())
            .unwrap();
    let pipeline = mojibake_rule();
    let (mut damaged, mut fixed, mut correct) = (0, 0, 0);
    let mut missed = Vec::new();
    let mut changed_correct = Vec::new();
    for case in &cases {
        let expected = case.fixed_encoding.as_deref().unwrap_or(&case.fixed);
        let outcome = pipeline.run(&case.original);
        for change in &outcome.changes {
            assert_eq!(
                &case.original[change.span.range()],
                change.before,
                "{}: a change that does not quote its original range",
                case.label
            );
        }
        if expected == case.original {
            correct += 1;
            if spacing_aside(&outcome.text) != spacing_aside(&case.original) {
                changed_correct.push(format!(
                    "{}\n  {:?}\n  → {:?}",
                    case.label, case.original, outcome.text
                ));
            }
            continue;
        }
        damaged += 1;
        if spacing_aside(&outcome.text) == spacing_aside(expected) {
            fixed += 1;
        } else {
            missed.push(format!(
                "{}\n  {:?}\n  expected {:?}\n  got      {:?}",
                case.label, case.original, expected, outcome.text
            ));
        }
    }
    eprintln!(
        "ftfy cases: {fixed} of {damaged} encoding-damage cases fixed; {} of {correct} correct cases changed",
        changed_correct.len()
    );
    for line in &missed {
        eprintln!("missed: {line}");
    }
    assert_eq!(damaged, 112, "the vendored file has 112 damage cases");
    assert!(
        changed_correct.is_empty(),
        "correct text changed:\n{}",
        changed_correct.join("\n")
    );
    assert!(
        fixed >= AT_LEAST,
        "only {fixed} of {damaged} damage cases fixed (bar: {AT_LEAST})"
    );
}
