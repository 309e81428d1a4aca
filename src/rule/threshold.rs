//! The `quality` kind: a threshold on one document signal. It never edits; the pipeline
//! reads the threshold to judge the cleaned document.

use std::ops::Range;

use super::compile::Behaviour;
use super::compile::{required, Located, Schemes};
use super::spec::RuleSpec;
use crate::quality::{Bound, Signal, Threshold};

impl Behaviour for Threshold {}

/// A quality rule's threshold: a known signal and exactly one bound.
pub(crate) fn compile(
    spec: &RuleSpec,
    _: &Schemes,
    at: &mut Located<'_>,
) -> Option<Box<dyn Behaviour>> {
    let name = required(&spec.signal, "signal", spec, at)?;
    let Some(signal) = Signal::from_name(name.get_ref()) else {
        let hint = Signal::ALL
            .iter()
            .map(|s| s.name())
            .min_by_key(|s| super::edit_distance(s, name.get_ref()))
            .map(|s| format!("\nhelp: did you mean `{s}`? (the README lists every signal)"))
            .unwrap_or_default();
        at.report(
            name.span(),
            format!("unknown signal `{}`{hint}", name.get_ref()),
        );
        return None;
    };
    let bounds: Vec<(Bound, Range<usize>)> = [
        spec.min
            .as_ref()
            .map(|v| (Bound::Min(*v.get_ref()), v.span())),
        spec.max
            .as_ref()
            .map(|v| (Bound::Max(*v.get_ref()), v.span())),
        spec.above
            .as_ref()
            .map(|v| (Bound::Above(*v.get_ref()), v.span())),
        spec.below
            .as_ref()
            .map(|v| (Bound::Below(*v.get_ref()), v.span())),
    ]
    .into_iter()
    .flatten()
    .collect();
    match bounds.as_slice() {
        [(bound, span)] => {
            if !bound.limit().is_finite() {
                at.report(span.clone(), "the threshold must be a finite number".into());
                return None;
            }
            Some(Box::new(Threshold {
                signal,
                bound: *bound,
            }))
        }
        [] => {
            at.report(
                spec.id.span(),
                "kind `quality` needs one of `min`, `max`, `above`, `below`".into(),
            );
            None
        }
        [_, (_, span), ..] => {
            // Two bounds are two rules: each threshold gets its own id, so a drop names
            // exactly the bound that failed.
            at.report(
                span.clone(),
                "a quality rule takes one bound; write a second rule for the other side".into(),
            );
            None
        }
    }
}
