//! What every kind's module shares: where the rule is (for `path:line:column` problems),
//! the keys it must have, the letter schemes, and what a compiled rule does.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::lines::Within;
use super::spec::RuleSpec;
use super::Note;
use crate::edit::Edit;
use crate::error::RuleFileProblem;
use crate::position::line_column;

/// A letter scheme: canonical letter groups → their spelling in another orthography.
#[derive(Debug, Clone)]
pub(crate) struct Scheme {
    /// Sorted longest first, so `sh` is tried before `s`.
    pub(crate) letters: Vec<(String, String)>,
}

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

/// What a compiled rule does with a text.
pub(crate) trait Behaviour: AsAny + CloneBehaviour + fmt::Debug + Send + Sync {
    /// The edits to `text` (within the region `within` limits the rule to, where the kind
    /// honours it), in any order; the rule sorts and merges them.
    fn edits(&self, _text: &str, _within: Option<Within>) -> Vec<Edit> {
        Vec::new()
    }

    /// For kinds that judge whole lines: each edit with what the kind says of it.
    fn noted_edits(&self, _text: &str) -> Option<Vec<(Edit, Note)>> {
        None
    }

    /// Whether what the rule does on a line depends on that line alone (the `\n`-separated
    /// stretch), not on the lines around it.
    fn reads_lines_alone(&self) -> bool {
        false
    }
}

/// Lets a rule reach its kind's own data (a flag rule's check, a quality threshold).
pub(crate) trait AsAny {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Rules are cloned with their rule set.
pub(crate) trait CloneBehaviour {
    fn clone_box(&self) -> Box<dyn Behaviour>;
}

impl<T: Behaviour + Clone + 'static> CloneBehaviour for T {
    fn clone_box(&self) -> Box<dyn Behaviour> {
        Box::new(self.clone())
    }
}

impl Clone for Box<dyn Behaviour> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}
