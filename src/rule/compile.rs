//! What every kind's compiler shares: where the rule is (for `path:line:column` problems)
//! and the keys it must have.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::names::Scheme;
use super::spec::RuleSpec;
use crate::error::RuleFileProblem;
use crate::position::line_column;

/// The letter schemes the rule files declare, by name.
pub(crate) type Schemes = HashMap<String, Scheme>;

/// Collects problems for one rule of one file.
pub(crate) struct Located<'a> {
    pub(crate) path: &'a Path,
    pub(crate) text: &'a str,
    pub(crate) rule: Option<String>,
    pub(crate) problems: &'a mut Vec<RuleFileProblem>,
}

impl Located<'_> {
    pub(crate) fn report(&mut self, span: Range<usize>, message: String) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(RuleFileProblem {
            path: self.path.to_path_buf(),
            line,
            column,
            rule: self.rule.clone(),
            message,
        });
    }
}

/// `value`, or a problem saying that the rule's kind needs `key`.
pub(crate) fn required<'s, T>(
    value: &'s Option<Spanned<T>>,
    key: &str,
    spec: &RuleSpec,
    at: &mut Located<'_>,
) -> Option<&'s Spanned<T>> {
    if value.is_none() {
        at.report(
            spec.id.span(),
            format!("kind `{}` needs `{key}`", spec.kind.get_ref()),
        );
    }
    value.as_ref()
}
