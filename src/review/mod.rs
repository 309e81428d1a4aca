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

use crate::io::{AtomicFile, Event};
use crate::report::Summary;
use crate::session::{Observer, Session};
use crate::Rule;

/// Errors of the review page and of applying its decisions.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The page template failed to render (a bug, not a user error).
    #[error("rendering the review page: {0}")]
    Template(#[from] minijinja::Error),
    /// A decisions file is not what the review page exports.
    #[error("{path}: {message}")]
    Decisions {
        /// The decisions file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A config or rule file to update could not be read, parsed or written.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

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

impl ReviewOutput {
    /// An empty review of the rules `session` runs.
    #[must_use]
    pub fn start(&self, session: &Session) -> Review {
        Review::new(session.main_pipeline().rules(), self.options.clone())
    }
}

/// Runs `session` and collects every document into a review (`textscrub review`).
pub fn collect(
    session: &Session,
    options: ReviewOptions,
    observer: &mut dyn Observer,
) -> Result<(Review, Summary), crate::Error> {
    let mut review = Review::new(session.main_pipeline().rules(), options);
    let summary = session.run(
        observer,
        |input, document| {
            let outcome = session.clean(input, document);
            let entry = Entry::prepare(&document.id, &document.text, &outcome);
            (outcome, entry)
        },
        |event, summary: &mut Summary, _: &mut dyn Observer| -> Result<(), crate::Error> {
            if let Event::Item(_, Ok((document, (outcome, entry)))) = event {
                summary.record(document.text.len(), &outcome);
                if entry.is_dropped() {
                    summary.dropped += 1;
                }
                review.add(entry);
            }
            Ok(())
        },
    )?;
    Ok((review, summary))
}

/// Renders a finished review and writes it to `path` atomically.
pub fn write(review: Review, path: &Path) -> Result<(), crate::Error> {
    let html = review.render()?;
    let output = |source| crate::Error::Output {
        context: format!("writing {}", path.display()),
        source,
    };
    let mut file = AtomicFile::create(path).map_err(output)?;
    std::io::Write::write_all(&mut file, html.as_bytes()).map_err(output)?;
    file.commit().map_err(output)
}

/// Renders a review page of documents and their outcomes in one call: `(id, original,
/// outcome)` in input order.
pub fn render<'a>(
    rules: &[Rule],
    options: ReviewOptions,
    documents: impl IntoIterator<Item = (&'a str, &'a str, &'a crate::Outcome)>,
) -> Result<String, Error> {
    let mut review = Review::new(rules, options);
    for (id, original, outcome) in documents {
        review.add(Entry::prepare(id, original, outcome));
    }
    review.render()
}
