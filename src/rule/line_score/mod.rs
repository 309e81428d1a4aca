//! `line-score`: a linear score per line over text-only features and their means over
//! neighbouring lines; lines scoring at or above the threshold are deleted.
//!
//! Menus, share bars, footers and teasers are named by no pattern, but they look alike:
//! short, capitalised, unpunctuated lines among others like them. The features, weights,
//! windows and threshold are data in the rule file; `fit` learns the weights from
//! line-labelled pages.

pub(crate) mod features;
pub mod fit;

use std::collections::BTreeMap;

use super::compile::Behaviour;
use super::compile::{required, Located, Schemes};
use super::spec::RuleSpec;
use super::Note;
use crate::edit::Edit;

/// A compiled line model: one weight per feature, a bias and a threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct LineModel {
    windows: Vec<usize>,
    bias: f64,
    weights: Vec<f64>,
    threshold: f64,
}

impl LineModel {
    /// A model from named weights (`bias` for the constant). Unknown names are returned
    /// as the error.
    pub fn new(
        windows: Vec<usize>,
        named: &BTreeMap<String, f64>,
        threshold: f64,
    ) -> Result<Self, Vec<String>> {
        let names = features::names(&windows);
        let mut weights = vec![0.0; names.len()];
        let mut bias = 0.0;
        let mut unknown = Vec::new();
        for (name, &weight) in named {
            if name == "bias" {
                bias = weight;
            } else if let Some(i) = names.iter().position(|n| n == name) {
                weights[i] = weight;
            } else {
                unknown.push(name.clone());
            }
        }
        if unknown.is_empty() {
            Ok(Self {
                windows,
                bias,
                weights,
                threshold,
            })
        } else {
            Err(unknown)
        }
    }

    /// Every feature name a model with these windows knows.
    #[must_use]
    pub fn feature_names(windows: &[usize]) -> Vec<String> {
        features::names(windows)
    }

    /// The score (0 to 1, higher is more likely boilerplate) of every non-blank line, with
    /// the line's byte range.
    #[must_use]
    pub fn scores(&self, text: &str) -> Vec<(std::ops::Range<usize>, f64)> {
        let rows = features::rows(text, &self.windows);
        rows.lines
            .iter()
            .enumerate()
            .map(|(i, span)| (span.start..span.end, self.score(rows.row(i))))
            .collect()
    }

    fn score(&self, row: &[f64]) -> f64 {
        let z = self.bias
            + row
                .iter()
                .zip(&self.weights)
                .map(|(x, w)| x * w)
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }

    /// One deletion per line at or above the threshold, each with the line's score; a run
    /// of deleted lines leaves no double blank line behind.
    ///
    /// Deleting lines changes the neighbourhood means of the lines around them, so the
    /// output, scored again, could lose more lines (and a third run more still). The
    /// output is scored again until it loses nothing, so cleaning twice is cleaning once.
    pub(crate) fn edits(&self, text: &str) -> Vec<(Edit, f64)> {
        let mut dropped = self.dropped(text);
        let mut edits = super::lines::delete_lines_noted(text, &dropped);
        for _ in 0..MAX_ROUNDS {
            let plain: Vec<Edit> = edits.iter().map(|(e, _)| e.clone()).collect();
            let more = self.dropped(&crate::edit::apply(text, &plain));
            if more.is_empty() {
                break;
            }
            dropped.extend(in_original(&plain, more));
            dropped.sort_unstable_by_key(|(start, _)| *start);
            edits = super::lines::delete_lines_noted(text, &dropped);
        }
        edits
    }

    /// The start and score of every line of `text` at or above the threshold.
    fn dropped(&self, text: &str) -> Vec<(usize, f64)> {
        self.scores(text)
            .into_iter()
            .filter(|(_, score)| *score >= self.threshold)
            .map(|(range, score)| (super::lines::line_at(text, range.start).start, score))
            .collect()
    }
}

/// Rounds of scoring the output again; each one seen so far needed three or fewer.
const MAX_ROUNDS: usize = 8;

/// Line starts in the text left by the deletions `edits` (in order), moved to where those
/// lines start in the text before them.
fn in_original(edits: &[Edit], starts: Vec<(usize, f64)>) -> Vec<(usize, f64)> {
    let mut shift = 0;
    let mut next = edits.iter().peekable();
    starts
        .into_iter()
        .map(|(start, score)| {
            while let Some(edit) = next.next_if(|e| e.range.start <= start + shift) {
                shift += edit.range.len();
            }
            (start + shift, score)
        })
        .collect()
}

impl Behaviour for LineModel {
    fn noted_edits(&self, text: &str) -> Option<Vec<(Edit, Note)>> {
        Some(
            self.edits(text)
                .into_iter()
                .map(|(e, score)| (e, Note::Score(score)))
                .collect(),
        )
    }
}

/// `line-score`: known feature names, a threshold between 0 and 1.
pub(crate) fn compile(
    spec: &RuleSpec,
    _: &Schemes,
    at: &mut Located<'_>,
) -> Option<Box<dyn Behaviour>> {
    let weights = required(&spec.weights, "weights", spec, at)?;
    let threshold = required(&spec.threshold, "threshold", spec, at)?;
    if !(0.0..=1.0).contains(threshold.get_ref()) {
        at.report(
            threshold.span(),
            "`threshold` must be between 0 and 1".into(),
        );
    }
    let windows = spec
        .windows
        .as_ref()
        .map_or_else(Vec::new, |w| w.get_ref().clone());
    match LineModel::new(windows.clone(), weights.get_ref(), *threshold.get_ref()) {
        Ok(model) => Some(Box::new(model)),
        Err(unknown) => {
            let known = LineModel::feature_names(&windows);
            let hint = known
                .iter()
                .min_by_key(|k| super::edit_distance(k, &unknown[0]))
                .map(|k| format!("\nhelp: did you mean `{k}`?"))
                .unwrap_or_default();
            at.report(
                weights.span(),
                format!("unknown feature `{}`{hint}", unknown.join("`, `")),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(threshold: f64) -> LineModel {
        let weights: BTreeMap<String, f64> = [
            ("bias".to_string(), 2.0),
            ("words".to_string(), -2.0),
            ("end-punct".to_string(), -3.0),
        ]
        .into_iter()
        .collect();
        LineModel::new(vec![4], &weights, threshold).unwrap()
    }

    #[test]
    fn unknown_feature_names_are_reported() {
        let weights: BTreeMap<String, f64> = [("nope".to_string(), 1.0)].into_iter().collect();
        assert_eq!(
            LineModel::new(vec![], &weights, 0.5).unwrap_err(),
            vec!["nope".to_string()]
        );
    }

    #[test]
    fn each_dropped_line_is_its_own_edit_and_no_hole_is_left() {
        let text = "Home\n\nNews\nSport\n\nThe court ruled on the appeal today.\n\nMenu\n";
        let model = model(0.5);
        let edits = model.edits(text);
        assert_eq!(edits.len(), 4, "{edits:?}");
        let plain: Vec<Edit> = edits.iter().map(|(e, _)| e.clone()).collect();
        let out = crate::edit::apply(text, &plain);
        assert_eq!(out, "The court ruled on the appeal today.\n");
        assert!(edits.iter().all(|(_, s)| *s >= 0.5));
    }

    #[test]
    fn a_high_threshold_keeps_everything() {
        assert!(model(0.999_999).edits("Home\n\nText.\n").is_empty());
    }
}
