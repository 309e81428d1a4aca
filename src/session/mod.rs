//! The application layer: what every front end (the command line, the Python package, the
//! review page) does with a corpus, so none of them has to.
//!
//! A [`Session`] is built from [`Settings`] (layers: defaults, the project config, the
//! caller's flags) and the paths to read. It expands the inputs, compiles one pipeline per
//! distinct set of per-path ignores, and runs documents through the ordered parallel
//! driver, keeping the run [`RunSummary`]. It never prints: warnings, unreadable records and
//! progress are reported to an [`Observer`] the front end supplies.

pub mod baseline;
mod check;
mod clean;
mod columns;
mod dedup;
pub mod record;
pub mod review;
mod settings;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use check::{CheckReport, CheckResult, Diagnostic, ReportFormat};
pub use clean::{clean, CleanOutputs};
pub use dedup::{dedup, DedupOptions, DedupReport};
pub use settings::{Layer, Settings};

use crate::discover::lines::{Examples, Found, Options as LineOptions, Table};
use crate::error::Error;
use crate::io::{drive, expand, Document, Event, Input, Progress, ReadOptions, RecordError};
use crate::pipeline::Context;
use crate::pipeline::Outcome;
use crate::pipeline::Pipeline;
use crate::report::RunSummary;
use crate::source::GroupBy;

/// What a run must compute besides the cleaned text, and how it runs.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Files or folders to read; none (or `-`) reads standard input.
    pub paths: Vec<PathBuf>,
    /// How documents are read from them.
    pub read: ReadOptions,
    /// Measure quality and apply the quality rules.
    pub quality: bool,
    /// Which rules judge quality.
    pub recipe: crate::quality::Recipe,
    /// The language-identification model quality reads a document's language from when its
    /// record names none.
    pub lid: Option<std::sync::Arc<crate::langid::LidModel>>,
    /// Split the cleaned text into sentences.
    pub sentences: bool,
    /// Worker threads (`None`: one per core; never more than the cores).
    pub jobs: Option<usize>,
    /// Time every rule and stage ([`crate::report::RunSummary::seconds_per_stage`]).
    pub time: bool,
}

/// What a front end hears while a run goes on. Every method has an empty default.
pub trait Observer {
    /// Something a person should look at (a document the guard flagged).
    fn warning(&mut self, _message: &str) {}
    /// A record that could not be read; the run goes on and its status will be an error.
    fn record_error(&mut self, _input: &Input, _error: &RecordError) {}
    /// After each document: raw input bytes read so far and documents done.
    fn progress(&mut self, _bytes_read: u64, _documents: u64) {}
    /// A run of several passes starts one (`dedup`: `signatures`, `buckets`, …).
    fn stage(&mut self, _name: &str) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// A run over a set of inputs with compiled pipelines, ready to go.
pub struct Session {
    settings: Settings,
    inputs: Vec<Input>,
    /// Folders that could not be searched and symbolic-link loops, reported when the
    /// run starts (the rest of the tree is read).
    unsearched: Vec<Error>,
    read: ReadOptions,
    /// The pipeline variants: the first has every selected rule; the others skip the
    /// rules a `per-path-ignores` entry names.
    pipelines: Vec<Pipeline>,
    /// Input path → index into `pipelines` (absent: the first).
    chosen: HashMap<PathBuf, usize>,
    allow_ids: HashSet<String>,
    pool: rayon::ThreadPool,
    /// `discover/repeated-line` rules by source, when repeated lines are dropped.
    repeated: Option<(HashMap<String, crate::rule::Rule>, GroupBy)>,
}

impl Session {
    /// Expands the inputs, loads and selects the rules, and compiles the pipelines.
    pub fn new(settings: Settings, options: RunOptions) -> Result<Self, Error> {
        Self::build(settings, options, true)
    }

    /// A session that only reads documents: no rule is loaded (`dedup`).
    pub fn reading(options: RunOptions) -> Result<Self, Error> {
        Self::build(
            Settings::default(),
            RunOptions {
                quality: false,
                sentences: false,
                ..options
            },
            false,
        )
    }

    /// A session that only splits sentences (`split`): no edit or quality rule is loaded
    /// or compiled, which was a fifth of `split`'s time.
    pub fn sentences_only(settings: Settings, options: RunOptions) -> Result<Self, Error> {
        Self::build(
            settings,
            RunOptions {
                quality: false,
                sentences: true,
                ..options
            },
            false,
        )
    }

    fn build(settings: Settings, options: RunOptions, with_rules: bool) -> Result<Self, Error> {
        let expansion = expand(&options.paths)?;
        let inputs = expansion.inputs;
        let rules = if with_rules {
            settings.load()?
        } else {
            crate::rule::RuleSet::default()
        };
        let pipeline_options = crate::pipeline::Options {
            time: options.time,
            recipe: options.recipe,
            lid: options.lid.clone(),
            ..settings.options(options.quality, options.sentences)?
        };
        let mut pipelines = vec![Pipeline::new(rules.clone(), pipeline_options.clone())];
        let mut variants: HashMap<Vec<String>, usize> = HashMap::new();
        let mut chosen = HashMap::new();
        for path in inputs
            .iter()
            .filter_map(|i| i.path.as_ref())
            .filter(|_| with_rules)
        {
            let ignores = settings.config.ignores_for(path);
            if ignores.is_empty() {
                continue;
            }
            let index = match variants.get(&ignores) {
                Some(&index) => index,
                None => {
                    let mut subset = rules.clone();
                    subset.select(&[], &ignores)?;
                    pipelines.push(Pipeline::new(subset, pipeline_options.clone()));
                    variants.insert(ignores, pipelines.len() - 1);
                    pipelines.len() - 1
                }
            };
            chosen.insert(path.clone(), index);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(crate::io::worker_threads(options.jobs).0)
            .build()
            .map_err(|e| Error::Io {
                path: PathBuf::from("<worker threads>"),
                source: std::io::Error::other(e),
            })?;
        Ok(Self {
            allow_ids: settings.config.allow_ids.iter().cloned().collect(),
            settings,
            inputs,
            unsearched: expansion.problems,
            read: options.read,
            pipelines,
            chosen,
            pool,
            repeated: None,
        })
    }

    /// The settings the session was built from.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The expanded inputs, in the order they are read.
    #[must_use]
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    /// Leaves `path` out of the inputs: a file the run itself reads or writes (a `check`
    /// baseline kept beside the data) found in a folder named as input.
    pub fn leave_out(&mut self, path: &std::path::Path) {
        let Ok(path) = path.canonicalize() else {
            return;
        };
        self.inputs.retain(|input| {
            input
                .path
                .as_ref()
                .is_none_or(|p| p.canonicalize().ok().as_ref() != Some(&path))
        });
    }

    /// How documents are read.
    #[must_use]
    pub fn read_options(&self) -> &ReadOptions {
        &self.read
    }

    /// Whether documents of Parquet rows carry their rows as JSON records (for JSONL
    /// outputs; [`CleanOutputs::needs_records`]).
    pub fn set_parquet_records(&mut self, records: bool) {
        self.read.parquet_records = records;
    }

    /// The pipeline for documents of `input`.
    #[must_use]
    pub fn pipeline(&self, input: &Input) -> &Pipeline {
        let index = input
            .path
            .as_ref()
            .and_then(|p| self.chosen.get(p))
            .copied()
            .unwrap_or(0);
        &self.pipelines[index]
    }

    /// The pipeline every input without a per-path ignore uses.
    #[must_use]
    pub fn main_pipeline(&self) -> &Pipeline {
        &self.pipelines[0]
    }

    /// Cleans a document with its input's pipeline, unless its id is on the config's
    /// allow-list. The record's `lang` field picks the sentence rules.
    #[must_use]
    pub fn clean(&self, input: &Input, document: &Document) -> Outcome {
        if self.allow_ids.contains(&document.id) {
            let mut outcome = Outcome::unchanged(&document.text);
            outcome.sentences = self
                .pipeline(input)
                .sentences_of(&outcome.text, document.lang());
            return outcome;
        }
        let source = |by: &GroupBy| by.group(input, document);
        let first = self
            .repeated
            .as_ref()
            .and_then(|(rules, by)| rules.get(&source(by)));
        let (language, script, language_score) = document.language();
        let context = Context {
            lang: document.lang(),
            language,
            script,
            language_score,
            first,
            source: Some(&source),
        };
        self.pipeline(input).run_with(&document.text, &context)
    }

    /// Makes [`Session::clean`] drop the lines repeated across a share of their source's
    /// documents, counted now in a first pass over the inputs (which must be files).
    pub fn drop_repeated_lines(&mut self, options: &LineOptions) -> Result<(), Error> {
        let table = self.count_repeated_lines(options)?;
        let rules = table
            .groups()
            .map(|(group, _, lines)| (group.to_string(), crate::rule::Rule::repeated_lines(lines)))
            .collect();
        self.repeated = Some((rules, options.group_by.clone()));
        Ok(())
    }

    /// Counts repeated lines over the inputs (which must be files: they are read again).
    pub fn count_repeated_lines(&self, options: &LineOptions) -> Result<Table, Error> {
        if self.inputs.iter().any(|i| i.path.is_none()) {
            return Err(Error::Usage {
                message:
                    "repeated lines need two passes over the input: give files, not standard input"
                        .into(),
            });
        }
        let counter = crate::discover::lines::count(
            &self.inputs,
            &self.read,
            &self.pool,
            &Progress::default(),
            options,
            |_, _| {},
        )?;
        Ok(counter.finish())
    }

    /// The lines repeated across a share of their source's documents, with how each is
    /// spelt and where it occurs: a counting pass, then a pass for the examples, whose
    /// unreadable records are reported to `observer` and counted in the summary.
    pub fn find_repeated_lines(
        &self,
        options: &LineOptions,
        observer: &mut dyn Observer,
    ) -> Result<(Vec<Found>, RunSummary), Error> {
        let table = self.count_repeated_lines(options)?;
        let mut examples = Examples::default();
        let summary = self.run(
            observer,
            |input, document| options.group_by.group(input, document),
            |event, summary: &mut RunSummary, _: &mut dyn Observer| -> Result<(), Error> {
                if let Event::Item(_, Ok((document, group))) = event {
                    summary.documents += 1;
                    summary.text_bytes += document.text.len() as u64;
                    examples.add(&table, group, document);
                }
                Ok(())
            },
        )?;
        Ok((examples.finish(), summary))
    }

    /// Runs `work` on every document on the worker threads and hands the results to
    /// `sink` in input order, with the run summary to count them in. Unreadable records
    /// are counted and reported to `observer`; the run goes on.
    pub fn run<T, E>(
        &self,
        observer: &mut dyn Observer,
        work: impl Fn(&Input, &Document) -> T + Sync,
        mut sink: impl FnMut(Event<'_, T>, &mut RunSummary, &mut dyn Observer) -> Result<(), E>,
    ) -> Result<RunSummary, E>
    where
        T: Send,
        E: From<Error>,
    {
        let started = Instant::now();
        let progress = Progress::default();
        let mut summary = RunSummary::default();
        // Like an unreadable record: reported, counted, and the rest of the run goes on.
        for problem in &self.unsearched {
            let (path, message) = match problem {
                Error::Io { path, source } => (path.clone(), source.to_string()),
                other => (PathBuf::new(), other.to_string()),
            };
            summary.errors += 1;
            let input = Input {
                path: Some(path),
                root: None,
            };
            observer.record_error(&input, &RecordError { line: 0, message });
        }
        drive(
            &self.inputs,
            &self.read,
            &self.pool,
            &progress,
            work,
            |event| -> Result<(), E> {
                let is_item = matches!(event, Event::Item(..));
                match event {
                    Event::Item(input, Err(error)) => {
                        summary.errors += 1;
                        if error.message.starts_with("reading stopped") {
                            summary
                                .stopped
                                .push(format!("{}:{}", input.name(), error.line));
                        }
                        observer.record_error(input, error);
                    }
                    event => sink(event, &mut summary, observer)?,
                }
                if is_item {
                    observer.progress(
                        progress
                            .bytes_read
                            .load(std::sync::atomic::Ordering::Relaxed),
                        summary.documents,
                    );
                }
                Ok(())
            },
        )?;
        summary.finish(started.elapsed());
        Ok(summary)
    }
}

/// Outputs never replace an input: a misplaced argument must not destroy data.
pub(crate) fn refuse_overwriting_inputs<'a>(
    inputs: &[Input],
    outputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), Error> {
    for output in outputs {
        let Ok(output) = output.canonicalize() else {
            continue;
        };
        for input in inputs {
            if input
                .path
                .as_ref()
                .and_then(|p| p.canonicalize().ok())
                .as_ref()
                == Some(&output)
            {
                return Err(Error::Usage {
                    message: format!(
                        "refusing to write output over the input {}",
                        output.display()
                    ),
                });
            }
        }
    }
    Ok(())
}
