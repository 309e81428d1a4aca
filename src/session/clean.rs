//! The clean job: every document cleaned, written where asked (standard output, a file,
//! or a folder mirroring the inputs), with its diff, change records and rejects.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::columns::{self, Added, ChangeRows};
use super::{record, refuse_overwriting_inputs, Observer, Session};
use crate::diff;
use crate::error::Error;
use crate::io::parquet::{Compression, ParquetOutput, Row, TableFile};
use crate::io::{Document, Event, Format, Input, OutputFile, Prepared, ReadOptions};
use crate::report::RunSummary;

/// Where a clean run writes. `Some("-")` is standard output.
#[derive(Debug, Clone, Default)]
pub struct CleanOutputs {
    /// Cleaned documents: a file (several inputs go into it in order), or a folder
    /// mirroring the inputs (when it is one, ends with `/`, or a folder was read); `None`
    /// is standard output.
    pub output: Option<PathBuf>,
    /// Unified diff of every changed document.
    pub diff: Option<PathBuf>,
    /// Colour the diff (only for a person's terminal: a diff file must stay byte-exact).
    pub colored_diff: bool,
    /// One JSON line per change.
    pub changes: Option<PathBuf>,
    /// Add `quality` to each JSONL record.
    pub quality_field: bool,
    /// Add `language` and `language_score` (detected from the cleaned text) to each JSONL
    /// record.
    pub language_field: bool,
    /// Label languages with this fastText model (and keep every label scoring above the
    /// threshold) instead of the built-in detector.
    pub lid_model: Option<(std::sync::Arc<crate::langid::LidModel>, Option<f64>)>,
    /// Leave documents the quality rules fail out of the output and write them here.
    pub rejects: Option<PathBuf>,
    /// Warn about each document the over-cleaning guard flags (it is counted in the
    /// summary, and JSONL records carry `guard`, either way).
    pub guard_warnings: bool,
    /// Also write an HTML review page of the run.
    pub review: Option<crate::review::ReviewOutput>,
    /// The format of `output` (`None`: by its extension; a mirrored file keeps its
    /// input's).
    pub output_format: Option<Format>,
    /// Compress Parquet outputs so (`None`: each column as the input's first row group
    /// had it).
    pub compression: Option<Compression>,
}

impl CleanOutputs {
    /// Whether the main output of `input` is Parquet, given the mirror folder if any.
    fn parquet_main(&self, input: &Input, read: &ReadOptions, mirror: bool) -> bool {
        if mirror {
            return input.format(read) == Format::Parquet;
        }
        match (&self.output, self.output_format) {
            (_, Some(format)) => format == Format::Parquet,
            (Some(path), None) => Format::from_path(path) == Format::Parquet,
            (None, None) => false,
        }
    }

    fn parquet_rejects(&self) -> bool {
        self.rejects
            .as_deref()
            .is_some_and(|p| Format::from_path(p) == Format::Parquet)
    }

    /// Whether documents read from Parquet rows need their rows as JSON records: when
    /// one goes to a JSONL (or text) output, the main one or the rejects.
    #[must_use]
    pub fn needs_records(&self, inputs: &[Input], read: &ReadOptions) -> bool {
        let mirror = mirror_folder(self.output.as_deref(), inputs).is_some();
        inputs
            .iter()
            .filter(|i| i.format(read) == Format::Parquet)
            .any(|i| {
                !self.parquet_main(i, read, mirror)
                    || (self.rejects.is_some() && !self.parquet_rejects())
            })
    }

    /// The columns a Parquet main output adds.
    fn added(&self, sentences: bool) -> Added {
        Added {
            sentences,
            guard: true,
            quality: self.quality_field,
            language: self.language_field,
            script: self.lid_model.is_some(),
        }
    }
}

/// The folder `output` names when the inputs are mirrored into it: an existing folder, a
/// path ending in `/`, or a new path without an extension when a folder was read.
fn mirror_folder<'o>(output: Option<&'o Path>, inputs: &[Input]) -> Option<&'o Path> {
    output.filter(|output| {
        output.is_dir()
            || output.as_os_str().to_string_lossy().ends_with('/')
            || (inputs.iter().any(|i| i.root.is_some())
                && !output.exists()
                && output.extension().is_none())
    })
}

/// What cleaning one document produced, rendered to bytes by a worker.
#[derive(Default)]
struct Rendered {
    main: Vec<u8>,
    /// For a Parquet output: the cleaned text and the added columns' values (`main` is
    /// empty).
    row: Option<(String, columns::Values)>,
    diff: String,
    changes: String,
    warning: Option<String>,
    /// The document failed a quality rule and `rejects` is set: `main` is empty and this
    /// line (or, for a Parquet rejects file, this row) goes to the rejects file.
    rejected: Option<Vec<u8>>,
    rejected_row: Option<(String, columns::Values)>,
    /// The document prepared for the review page.
    review: Option<crate::review::Entry>,
}

/// Where one kind of output goes.
enum Sink {
    Stdout,
    File(Box<OutputFile>, PathBuf),
    /// Rows of a Parquet file.
    Parquet(Box<ParquetOutput<Added>>, PathBuf),
    /// Change records as a Parquet table, and those not yet written.
    Table(Box<TableFile>, Box<ChangeRows>, PathBuf),
    None,
}

/// Change records written to a Parquet table at a time.
const CHANGE_ROWS: usize = 4096;

fn creating(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Output {
        context: format!("creating {}", path.display()),
        source,
    }
}

fn writing(what: String) -> impl FnOnce(io::Error) -> Error {
    move |source| Error::Output {
        context: what,
        source,
    }
}

impl Sink {
    fn open(path: Option<&Path>) -> Result<Self, Error> {
        match path {
            None => Ok(Self::None),
            Some(path) if path.as_os_str() == "-" => Ok(Self::Stdout),
            Some(path) => Ok(Self::File(
                Box::new(OutputFile::create(path).map_err(creating(path))?),
                path.to_path_buf(),
            )),
        }
    }

    /// A Parquet file of rows with `added` columns, or a JSONL/text file.
    fn open_rows(
        path: &Path,
        parquet: bool,
        added: Added,
        compression: Option<Compression>,
    ) -> Result<Self, Error> {
        if !parquet {
            return Self::open(Some(path));
        }
        Ok(Self::Parquet(
            Box::new(ParquetOutput::create(path, added, compression).map_err(creating(path))?),
            path.to_path_buf(),
        ))
    }

    /// Change records: a Parquet table for a `.parquet` file.
    fn open_changes(path: Option<&Path>, compression: Option<Compression>) -> Result<Self, Error> {
        match path {
            Some(path) if Format::from_path(path) == Format::Parquet => Ok(Self::Table(
                Box::new(
                    TableFile::create(path, columns::change_schema(), compression)
                        .map_err(creating(path))?,
                ),
                Box::default(),
                path.to_path_buf(),
            )),
            path => Self::open(path),
        }
    }

    /// Gives a Parquet output the columns of `input`, a Parquet file, before its rows.
    fn begin(&mut self, input: &Input, read: &ReadOptions) -> Result<(), Error> {
        if let Self::Parquet(output, path) = self {
            // An input whose footer cannot be read is reported by the reader.
            if let Some(source) = crate::io::parquet::source_of(input, read) {
                output
                    .begin(&source)
                    .map_err(writing(format!("writing {}", path.display())))?;
            }
        }
        Ok(())
    }

    /// Adds a cleaned row to a Parquet output.
    fn push(
        &mut self,
        document: &Document,
        (text, values): (String, columns::Values),
    ) -> Result<(), Error> {
        let Self::Parquet(output, path) = self else {
            return Ok(());
        };
        let row: &Row = document.row.as_ref().ok_or_else(|| Error::Usage {
            message: format!(
                "{}: Parquet output needs Parquet input (a JSONL record has no column types to keep)",
                document.id
            ),
        })?;
        output
            .push(row, text, values)
            .map_err(writing(format!("writing {}", path.display())))
    }

    /// Adds a document's change records to a Parquet table.
    fn add_changes(&mut self, id: &str, changes: &[crate::pipeline::Change]) -> Result<(), Error> {
        if let Self::Table(table, rows, path) = self {
            rows.add(id, changes);
            if rows.len() >= CHANGE_ROWS {
                table
                    .write(&rows.batch())
                    .map_err(writing(format!("writing {}", path.display())))?;
            }
        }
        Ok(())
    }

    fn write(&mut self, stdout: &mut dyn Write, bytes: &[u8]) -> Result<(), Error> {
        match self {
            Self::Parquet(..) | Self::Table(..) => Ok(()),
            Self::Stdout => stdout
                .write_all(bytes)
                .map_err(writing("writing standard output".into())),
            Self::File(file, path) => file
                .write_all(bytes)
                .map_err(writing(format!("writing {}", path.display()))),
            Self::None => Ok(()),
        }
    }

    /// The file, ready to be put in place with the run's other outputs.
    fn prepare(self, ready: &mut Vec<Prepared>) -> Result<(), Error> {
        let prepared = match self {
            Self::File(file, path) => file
                .prepare()
                .map_err(writing(format!("writing {}", path.display())))?,
            Self::Parquet(file, path) => file
                .prepare()
                .map_err(writing(format!("writing {}", path.display())))?,
            Self::Table(mut table, mut rows, path) => {
                let what = || writing(format!("writing {}", path.display()));
                if rows.len() > 0 {
                    table.write(&rows.batch()).map_err(what())?;
                }
                table.prepare().map_err(what())?
            }
            Self::Stdout | Self::None => return Ok(()),
        };
        ready.push(prepared);
        Ok(())
    }
}

fn is_stdout(path: Option<&Path>) -> bool {
    path.is_some_and(|p| p.as_os_str() == "-")
}

/// Cleans every document of `session` and writes the outputs. Outputs of inputs with
/// unreadable records are not written (the summary counts the errors); everything else is
/// committed at the end, all files together: an interrupted or failed run leaves every
/// previous file as it was.
pub fn clean(
    session: &Session,
    outputs: &CleanOutputs,
    stdout: &mut dyn Write,
    observer: &mut dyn Observer,
) -> Result<RunSummary, Error> {
    let inputs = session.inputs();
    refuse_overwriting_inputs(
        inputs,
        [
            &outputs.output,
            &outputs.diff,
            &outputs.changes,
            &outputs.rejects,
            &outputs.review.as_ref().map(|r| r.path.clone()),
        ]
        .into_iter()
        .flatten()
        .map(PathBuf::as_path),
    )?;
    if is_stdout(outputs.rejects.as_deref()) {
        return Err(Error::Usage {
            message: "--rejects needs a file: standard output carries the kept documents".into(),
        });
    }
    // A folder only when asked (an existing folder, a trailing `/`) or when a folder was
    // read into a new path without an extension; several files into `-o FILE` (`-o
    // merged.jsonl dir/`) go into that one file, in input order.
    let mirror = mirror_folder(outputs.output.as_deref(), inputs);
    if let Some(folder) = mirror {
        check_mirror_targets(folder, inputs)?;
    }
    let read = session.read_options();
    check_parquet_outputs(outputs, inputs, read, mirror.is_some())?;
    let added = outputs.added(session.main_pipeline().splits_sentences());
    let mut main = match (&outputs.output, mirror) {
        (_, Some(_)) => Sink::None,
        (Some(path), None) => Sink::open_rows(
            path,
            outputs.parquet_main(&Input::stdin(), read, false),
            added,
            outputs.compression,
        )?,
        (None, _)
            if is_stdout(outputs.diff.as_deref()) || is_stdout(outputs.changes.as_deref()) =>
        {
            Sink::None
        }
        (None, _) => Sink::Stdout,
    };
    let mut diff_sink = Sink::open(outputs.diff.as_deref())?;
    let mut changes_sink = Sink::open_changes(outputs.changes.as_deref(), outputs.compression)?;
    let mut rejects = match &outputs.rejects {
        Some(path) => Sink::open_rows(
            path,
            outputs.parquet_rejects(),
            Added {
                quality: true,
                ..Added::default()
            },
            outputs.compression,
        )?,
        None => Sink::None,
    };
    // A mirrored file is kept when its input was read without error; an input with a bad
    // record leaves no output file (and the run exits 2). Kept files wait, as temporaries,
    // for the commit of all outputs at the end.
    let mut current: Option<Sink> = None;
    let mut ready: Vec<Prepared> = Vec::new();
    let mut errors_before_input = 0;
    // Documents written to the current mirrored file, counted as written at its commit.
    let mut in_current = 0u64;
    // Text documents on one stream are kept apart by a line break.
    let mut needs_separator = false;
    let mut ids = DuplicateIds::default();
    let text_field = &session.read_options().text_field;
    let mut review = outputs
        .review
        .as_ref()
        .map(|r| crate::review::Review::new(session.main_pipeline().rules(), r.options.clone()));
    let mut unseen = crate::source::UnseenSources::of(session.main_pipeline().rules());
    let summary = session.run(
        observer,
        |input, document| {
            let mut outcome = session.clean(input, document);
            let mut rendered = Rendered::default();
            if outputs.diff.is_some() {
                let show = if outputs.colored_diff {
                    diff::unified_colored
                } else {
                    diff::unified
                };
                rendered.diff = show(&diff_name(&document.id), &document.text, &outcome.text);
            }
            if outputs.changes.as_deref().is_some_and(|p| Format::from_path(p) != Format::Parquet) {
                rendered.changes = diff::change_records(&document.id, &outcome.changes);
            }
            if let Some(guard) = outcome.guard.filter(|_| outputs.guard_warnings) {
                rendered.warning = Some(format!(
                    "{}: the rules removed {:.1}% of the words (guard: {:.1}%); please review",
                    document.id,
                    guard.removed_share * 100.0,
                    guard.threshold * 100.0
                ));
            }
            if outputs.review.is_some() {
                rendered.review = Some(crate::review::Entry::prepare(
                    &document.id,
                    &document.text,
                    &outcome,
                ));
            }
            let parquet_row = document.row.is_some();
            if outputs.rejects.is_some() {
                if parquet_row && outputs.parquet_rejects() {
                    if outcome.quality.as_ref().is_some_and(|q| !q.is_kept()) {
                        rendered.rejected_row = Some((
                            outcome.text.clone(),
                            columns::Values {
                                quality: outcome.quality.clone(),
                                ..columns::Values::default()
                            },
                        ));
                    }
                } else {
                    rendered.rejected = record::rejected(document, &outcome, text_field);
                }
            }
            let rejected = rendered.rejected.is_some() || rendered.rejected_row.is_some();
            if !rejected && parquet_row && outputs.parquet_main(input, read, mirror.is_some()) {
                let language = outputs.language_field.then(|| match &outputs.lid_model {
                    Some((model, keep_top)) => model.fields(&outcome.text, *keep_top),
                    None => record::detected_language(crate::sentence::detect::detect(
                        &outcome.text,
                    )),
                });
                let text = std::mem::take(&mut outcome.text);
                let values = columns::Values {
                    sentences: outcome.sentences.as_ref().map(|sentences| {
                        sentences.iter().map(|r| text[r.clone()].to_string()).collect()
                    }),
                    guard: outcome.guard,
                    quality: outcome.quality.clone().filter(|_| outputs.quality_field),
                    language,
                };
                rendered.row = Some((text, values));
            } else if !rejected {
                let language = outputs.language_field.then(|| match &outputs.lid_model {
                    Some((model, keep_top)) => model.fields(&outcome.text, *keep_top),
                    None => record::detected_language(crate::sentence::detect::detect(
                        &outcome.text,
                    )),
                });
                rendered.main =
                    record::cleaned(document, &mut outcome, text_field, outputs.quality_field);
                if let Some(fields) = language {
                    record::add_fields(&mut rendered.main, fields);
                }
            }
            // The outcome, its text moved into `main`, is kept for the run summary.
            (rendered, outcome)
        },
        |event, summary: &mut RunSummary, observer: &mut dyn Observer| -> Result<(), Error> {
            match event {
                Event::Begin(input) => {
                    errors_before_input = summary.errors;
                    in_current = 0;
                    if let Some(folder) = mirror {
                        let target = mirror_path(folder, input);
                        if let Some(parent) = target.parent() {
                            fs::create_dir_all(parent).map_err(creating(parent))?;
                        }
                        let mut sink = Sink::open_rows(
                            &target,
                            outputs.parquet_main(input, read, true),
                            added,
                            outputs.compression,
                        )?;
                        sink.begin(input, read)?;
                        current = Some(sink);
                    } else {
                        main.begin(input, read)?;
                    }
                    rejects.begin(input, read)?;
                }
                Event::Item(_, Err(_)) => {}
                Event::Item(input, Ok((document, (rendered, outcome)))) => {
                    summary.record(document.text.len(), outcome);
                    unseen.saw(input, document);
                    if let Some(warning) = &rendered.warning {
                        observer.warning(warning);
                    }
                    if (document.record.is_some() || document.row.is_some())
                        && ids.seen_before(&document.id)
                    {
                        summary.duplicate_ids += 1;
                        observer.warning(&format!(
                            "{}:{}: duplicate id `{}`: its diff and change records cannot be told apart from the earlier one's",
                            input.name(),
                            document.line,
                            document.id
                        ));
                    }
                    if let Some(line) = &rendered.rejected {
                        // Left out of the main output, kept in the rejects file.
                        rejects.write(stdout, line)?;
                        summary.dropped += 1;
                    } else if let Some(row) = rendered.rejected_row.take() {
                        rejects.push(document, row)?;
                        summary.dropped += 1;
                    } else if let Some(file) = current.as_mut() {
                        match rendered.row.take() {
                            Some(row) => file.push(document, row)?,
                            None => file.write(stdout, &rendered.main)?,
                        }
                        in_current += 1;
                    } else if let Some(row) = rendered.row.take() {
                        main.push(document, row)?;
                        summary.written += 1;
                    } else {
                        if document.record.is_none() && needs_separator {
                            main.write(stdout, b"\n")?;
                        }
                        needs_separator =
                            document.record.is_none() && !rendered.main.ends_with(b"\n");
                        main.write(stdout, &rendered.main)?;
                        if !matches!(main, Sink::None) {
                            summary.written += 1;
                        }
                    }
                    diff_sink.write(stdout, rendered.diff.as_bytes())?;
                    changes_sink.write(stdout, rendered.changes.as_bytes())?;
                    changes_sink.add_changes(&document.id, &outcome.changes)?;
                    if let (Some(review), Some(entry)) = (review.as_mut(), rendered.review.take()) {
                        review.add(entry);
                    }
                }
                Event::End(_) => {
                    if let Some(file) = current.take() {
                        if summary.errors == errors_before_input {
                            file.prepare(&mut ready)?;
                            summary.written += in_current;
                        } else {
                            summary.withheld += in_current;
                        }
                    }
                }
            }
            Ok(())
        },
    )?;
    stdout
        .flush()
        .map_err(writing("writing standard output".into()))?;
    for warning in unseen.warnings() {
        observer.warning(&warning);
    }
    let mut summary = summary;
    if summary.errors > 0 {
        // A partial result must not pass for a whole one: the temporary files are dropped.
        if matches!(main, Sink::File(..)) {
            summary.withheld += summary.written;
            summary.written = 0;
        }
        // Mirrored files of inputs read without error are whole results of their own.
        crate::io::commit_all(ready).map_err(writing("putting the outputs in place".into()))?;
        return Ok(summary);
    }
    rejects.prepare(&mut ready)?;
    main.prepare(&mut ready)?;
    diff_sink.prepare(&mut ready)?;
    changes_sink.prepare(&mut ready)?;
    if let (Some(review), Some(output)) = (review, &outputs.review) {
        ready.push(crate::review::prepare(review, &output.path)?);
    }
    crate::io::commit_all(ready).map_err(writing("putting the outputs in place".into()))?;
    Ok(summary)
}

/// Refuses Parquet outputs that cannot be made: Parquet from JSONL or text (a JSONL record
/// has no column types to keep), Parquet on standard output, a mirror told to change
/// formats, and fields whose names vary by document.
fn check_parquet_outputs(
    outputs: &CleanOutputs,
    inputs: &[Input],
    read: &ReadOptions,
    mirror: bool,
) -> Result<(), Error> {
    let usage = |message: &str| {
        Err(Error::Usage {
            message: message.into(),
        })
    };
    let not_parquet = inputs.iter().find(|i| i.format(read) != Format::Parquet);
    let parquet_main = outputs.parquet_main(&Input::stdin(), read, false);
    if mirror {
        if let Some(format) = outputs.output_format {
            if let Some(input) = inputs.iter().find(|i| i.format(read) != format) {
                return usage(&format!(
                    "--output-format cannot change the format of mirrored files ({} keeps its name and format)\nhelp: give -o a file name, or leave out --output-format",
                    input.name()
                ));
            }
        }
    } else if parquet_main {
        if outputs
            .output
            .as_deref()
            .is_none_or(|p| p.as_os_str() == "-")
        {
            return usage("Parquet output needs a file: -o FILE.parquet");
        }
        if let Some(input) = not_parquet {
            return usage(&format!(
                "Parquet output needs Parquet input, and {} is not (a JSONL record has no column types to keep)\nhelp: write JSONL (-o FILE.jsonl)",
                input.name()
            ));
        }
    }
    if outputs.parquet_rejects() {
        if let Some(input) = not_parquet {
            return usage(&format!(
                "a Parquet rejects file needs Parquet input, and {} is not\nhelp: write the rejects as JSONL (--rejects FILE.jsonl)",
                input.name()
            ));
        }
    }
    let any_parquet_out = (mirror && inputs.iter().any(|i| i.format(read) == Format::Parquet))
        || (!mirror && parquet_main);
    if any_parquet_out
        && outputs
            .lid_model
            .as_ref()
            .is_some_and(|(_, top)| top.is_some())
    {
        return usage(
            "--lid-keep-top adds fields named by each document's labels, which a Parquet file's fixed columns cannot hold\nhelp: write JSONL, or leave out --lid-keep-top",
        );
    }
    Ok(())
}

/// Refuses a mirror that would write two inputs to one file (`a/x.txt` and `b/x.txt`
/// both to `out/x.txt`) or an output over its input (`-o` naming the input folder).
fn check_mirror_targets(folder: &Path, inputs: &[Input]) -> Result<(), Error> {
    let mut targets: std::collections::HashMap<PathBuf, &Input> = std::collections::HashMap::new();
    for input in inputs {
        let target = mirror_path(folder, input);
        if let (Some(path), Ok(real)) = (&input.path, target.canonicalize()) {
            if path.canonicalize().is_ok_and(|p| p == real) {
                return Err(Error::Usage {
                    message: format!(
                        "refusing to write the cleaned {} over itself (-o {} is where the inputs are)\nhelp: name another output folder",
                        path.display(),
                        folder.display()
                    ),
                });
            }
        }
        if let Some(first) = targets.insert(target.clone(), input) {
            return Err(Error::Usage {
                message: format!(
                    "{} and {} would both be written to {}\nhelp: clean their folders instead (the tree below each is mirrored), or one at a time",
                    first.name(),
                    input.name(),
                    target.display()
                ),
            });
        }
    }
    Ok(())
}

/// Ids already seen, as 64-bit hashes: a few bytes per document, however long the ids.
#[derive(Default)]
struct DuplicateIds(std::collections::HashSet<u64>);

impl DuplicateIds {
    fn seen_before(&mut self, id: &str) -> bool {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        !self
            .0
            .insert(BuildHasherDefault::<DefaultHasher>::default().hash_one(id))
    }
}

/// Where an input's cleaned copy goes below `folder`: its path below the folder the user
/// named, or its file name.
fn mirror_path(folder: &Path, input: &Input) -> PathBuf {
    let path = input.path.as_deref().unwrap_or(Path::new("stdin.txt"));
    let relative = match &input.root {
        Some(root) => path.strip_prefix(root).unwrap_or(path),
        None => Path::new(path.file_name().unwrap_or(path.as_os_str())),
    };
    folder.join(relative)
}

/// A document name usable in `a/…` diff headers: no leading `./` or `/`.
fn diff_name(id: &str) -> String {
    id.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}
