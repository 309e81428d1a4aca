//! The `normalize` kind: its keys, and how a rule of it compiles and runs.

use super::super::compile::Behaviour;
use super::super::compile::{Located, Schemes};
use super::super::lines::Within;
use super::super::spec::RuleSpec;
use super::Normalizer;
use crate::edit::Edit;

/// The keys a `normalize` rule takes: its steps and their options.
pub(crate) const KEYS: &[&str] = &[
    "steps",
    "form",
    "style",
    "trailing-space",
    "space-runs",
    "max-blank-lines",
    "crlf",
    "lone-cr",
];

impl Behaviour for Normalizer {
    fn edits(&self, text: &str, _: Option<Within>) -> Vec<Edit> {
        Normalizer::edits(self, text)
    }

    fn reads_lines_alone(&self) -> bool {
        Normalizer::reads_lines_alone(self)
    }
}

pub(crate) fn compile_rule(
    spec: &RuleSpec,
    _: &Schemes,
    at: &mut Located<'_>,
) -> Option<Box<dyn Behaviour>> {
    match super::compile(spec) {
        Ok(normalizer) => Some(Box::new(normalizer)),
        Err(problems) => {
            for (span, message) in problems {
                at.report(span, message);
            }
            None
        }
    }
}
