//! The HTML review page: every change of a run, per document and per rule, in one
//! self-contained file a person opens from disk, marks changes "right" or "wrong" in,
//! and exports the marks from ([`decisions`]).
//!
//! Documents are prepared one by one ([`Entry::prepare`], pure, so workers can do it in
//! parallel) and handed to a [`Review`], which counts every document for the overview and
//! keeps a bounded, deterministic sample of the ones worth reviewing. This module does not
//! read inputs or run pipelines; the application layer does and hands outcomes in.

pub mod decisions;
mod entry;
mod page;
mod sample;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use entry::Entry;

use crate::io::AtomicFile;
use crate::rule::Rule;

pub use crate::error::ReviewError as Error;

/// Settings of a review page.
#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// The most documents embedded in the page; past it a sample is kept in which every
    /// rule keeps examples.
    pub max_docs: usize,
    /// Shown as the page title (the inputs, usually).
    pub title: String,
}

/// Default for [`ReviewOptions::max_docs`]: opens in about a second (see the README).
pub const DEFAULT_MAX_DOCS: usize = 1000;

impl Default for ReviewOptions {
    fn default() -> Self {
        Self {
            max_docs: DEFAULT_MAX_DOCS,
            title: "textscrub review".to_string(),
        }
    }
}

/// Totals of one rule over the whole run (not only the embedded sample).
#[derive(Debug, Clone, Default)]
struct RuleTotals {
    description: String,
    /// Position in the run order, for the default sort.
    order: usize,
    changes: u64,
    findings: u64,
    documents: u64,
}

/// The run's totals for the overview.
#[derive(Debug, Clone, Default)]
struct Totals {
    read: u64,
    changed: u64,
    dropped: u64,
    guarded: u64,
    flagged: u64,
    /// Documents with something to review (changed, dropped, guarded or flagged).
    reviewable: u64,
}

/// A review page being filled: counts every document, keeps a sample to show.
#[derive(Debug)]
pub struct Review {
    options: ReviewOptions,
    totals: Totals,
    rules: BTreeMap<String, RuleTotals>,
    sample: sample::Sampler,
}

impl Review {
    /// A review of a run of `rules` (the pipeline's rules, in run order: their
    /// descriptions label the changes).
    #[must_use]
    pub fn new(rules: &[Rule], options: ReviewOptions) -> Self {
        let rules: BTreeMap<String, RuleTotals> = rules
            .iter()
            .enumerate()
            .map(|(order, rule)| {
                (
                    rule.id.as_str().to_string(),
                    RuleTotals {
                        description: rule.description.clone(),
                        order,
                        ..RuleTotals::default()
                    },
                )
            })
            .collect();
        // Two pseudo-categories beside the rules keep examples of drops and guard flags.
        let categories = rules.len() + 2;
        let sample = sample::Sampler::new(options.max_docs, categories);
        Self {
            options,
            totals: Totals::default(),
            rules,
            sample,
        }
    }

    /// Counts a document and keeps it if it has something to review and the sample takes
    /// it. Call in input order: the sample depends on the order, not on timing.
    pub fn add(&mut self, entry: Entry) {
        let totals = &mut self.totals;
        totals.read += 1;
        totals.changed += u64::from(entry.is_changed());
        totals.dropped += u64::from(entry.is_dropped());
        totals.guarded += u64::from(entry.is_guarded());
        totals.flagged += u64::from(entry.is_flagged());
        for (rule, changes, findings) in entry.rule_counts() {
            let totals = self.rules.entry(rule.to_string()).or_default();
            totals.changes += changes;
            totals.findings += findings;
            totals.documents += 1;
        }
        if entry.is_reviewable() {
            self.totals.reviewable += 1;
            self.sample.offer(entry);
        }
    }

    /// The page: one HTML file with its CSS and script inline and no reference to
    /// anything outside it.
    pub fn render(self) -> Result<String, Error> {
        page::render(self)
    }
}

/// A review page to write beside a run (`clean --review`).
#[derive(Debug, Clone)]
pub struct ReviewOutput {
    /// Where the page goes.
    pub path: PathBuf,
    /// Its settings.
    pub options: ReviewOptions,
}

/// Renders a finished review and writes it to `path` atomically.
pub fn write(review: Review, path: &Path) -> Result<(), crate::error::Error> {
    let prepared = prepare(review, path)?;
    crate::io::commit_all(vec![prepared]).map_err(|source| crate::error::Error::Output {
        context: format!("writing {}", path.display()),
        source,
    })
}

/// Renders a finished review into a temporary file beside `path`, to be put in place
/// with the run's other outputs.
pub(crate) fn prepare(
    review: Review,
    path: &Path,
) -> Result<crate::io::Prepared, crate::error::Error> {
    let html = review.render()?;
    let output = |source| crate::error::Error::Output {
        context: format!("writing {}", path.display()),
        source,
    };
    let mut file = AtomicFile::create(path).map_err(output)?;
    std::io::Write::write_all(&mut file, html.as_bytes()).map_err(output)?;
    file.prepare().map_err(output)
}

/// Renders a review page of documents and their outcomes in one call: `(id, original,
/// outcome)` in input order.
pub fn render<'a>(
    rules: &[Rule],
    options: ReviewOptions,
    documents: impl IntoIterator<Item = (&'a str, &'a str, &'a crate::pipeline::Outcome)>,
) -> Result<String, Error> {
    let mut review = Review::new(rules, options);
    for (id, original, outcome) in documents {
        review.add(Entry::prepare(id, original, outcome));
    }
    review.render()
}
