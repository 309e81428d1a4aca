//! `rules test`: runs the `[[rule.test]]` cases a rule carries.
//!
//! Each case runs the one rule on its input. The outcome uses four words: pass, missing
//! (an expected change did not happen), noisy (text that must stay was changed) and wrong
//! (changed, but not into the expected text). A check-only rule is tested on what it
//! reports, one `word` or `word → suggestion` per line, in the same four words. For a quality
//! rule, missing means a document that should be dropped was kept, and noisy one that
//! should be kept was dropped. An edit rule must also leave its own output alone: a rule
//! whose output it would change again is unstable, even when the output is the expected one.

use super::{Role, Rule};
use crate::edit::apply;
use crate::quality::{measure, Verdict};

/// How one test case came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    /// The rule produced the expected text.
    Pass,
    /// A change was expected and none happened.
    Missing,
    /// The input was to be left alone and was changed.
    Noisy,
    /// The rule changed the input, but not into the expected text.
    Wrong,
    /// The rule gave the expected text, but changes it again when run on it: every run
    /// would change the text once more (`foo` → `foofoo`).
    Unstable,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's position among the rule's tests (0-based).
    pub index: usize,
    /// What happened.
    pub status: CaseStatus,
    /// The input.
    pub input: String,
    /// The expected text.
    pub expected: String,
    /// What the rule produced.
    pub actual: String,
}

impl Rule {
    /// Runs this rule's test cases.
    #[must_use]
    pub fn run_tests(&self) -> Vec<CaseResult> {
        self.tests
            .iter()
            .enumerate()
            .map(|(index, case)| {
                if let (Some(threshold), Some(expected)) = (self.threshold(), case.verdict) {
                    let value = measure(&case.input).get(threshold.signal);
                    let verdict = if threshold.bound.allows(value) {
                        Verdict::Keep
                    } else {
                        Verdict::Drop
                    };
                    let name = |v: Verdict| match v {
                        Verdict::Keep => "keep",
                        Verdict::Drop => "drop",
                        Verdict::Unjudged => "unjudged",
                    };
                    let status = match (expected, verdict) {
                        (e, v) if e == v => CaseStatus::Pass,
                        (Verdict::Drop, _) => CaseStatus::Missing,
                        _ => CaseStatus::Noisy,
                    };
                    return CaseResult {
                        index,
                        status,
                        input: case.input.clone(),
                        expected: name(expected).to_string(),
                        actual: format!(
                            "{} ({} = {}; {})",
                            name(verdict),
                            threshold.signal,
                            crate::quality::round6(value),
                            threshold.bound
                        ),
                    };
                }
                let (unchanged, actual, expected, left_alone) = if self.kind.role() == Role::Flags {
                    let actual = self
                        .flags(&case.input, &case.input)
                        .iter()
                        .map(|f| match &f.suggestion {
                            Some(s) => format!("{} → {s}", &case.input[f.range.clone()]),
                            None => case.input[f.range.clone()].to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    let expected = case.flagged.join("\n");
                    (String::new(), actual, expected, case.flagged.is_empty())
                } else {
                    let actual = apply(&case.input, &self.edits(&case.input));
                    let expected = case.output.clone().unwrap_or_else(|| case.input.clone());
                    (case.input.clone(), actual, expected, case.output.is_none())
                };
                // A rule must leave its own output alone, or each run changes it again.
                let stable = || {
                    self.kind.role() == Role::Flags
                        || apply(&actual, &self.edits(&actual)) == actual
                };
                let status = if actual == expected && stable() {
                    CaseStatus::Pass
                } else if actual == expected {
                    CaseStatus::Unstable
                } else if actual == unchanged {
                    CaseStatus::Missing
                } else if left_alone {
                    CaseStatus::Noisy
                } else {
                    CaseStatus::Wrong
                };
                CaseResult {
                    index,
                    status,
                    input: case.input.clone(),
                    expected,
                    actual,
                }
            })
            .collect()
    }
}
