//! The clean job: every document cleaned, written where asked (standard output, a file,
//! or a folder mirroring the inputs), with its diff, change records and rejects.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{record, refuse_overwriting_inputs, Observer, Session};
use crate::diff;
use crate::error::Error;
use crate::io::{Event, Input, OutputFile, Prepared};
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
}

/// What cleaning one document produced, rendered to bytes by a worker.
#[derive(Default)]
struct Rendered {
    main: Vec<u8>,
    diff: String,
    changes: String,
    warning: Option<String>,
    /// The document failed a quality rule and `rejects` is set: `main` is empty and this
    /// line goes to the rejects file.
    rejected: Option<Vec<u8>>,
    /// The document prepared for the review page.
    review: Option<crate::review::Entry>,
}

/// Where one kind of output goes.
enum Sink {
    Stdout,
    File(Box<OutputFile>, PathBuf),
    None,
}

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

    fn write(&mut self, stdout: &mut dyn Write, bytes: &[u8]) -> Result<(), Error> {
        match self {
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
        if let Self::File(file, path) = self {
            ready.push(
                file.prepare()
                    .map_err(writing(format!("writing {}", path.display())))?,
            );
        }
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
    let mirror = outputs.output.as_deref().filter(|output| {
        output.is_dir()
            || output.as_os_str().to_string_lossy().ends_with('/')
            || (inputs.iter().any(|i| i.root.is_some())
                && !output.exists()
                && output.extension().is_none())
    });
    if let Some(folder) = mirror {
        check_mirror_targets(folder, inputs)?;
    }
    let mut main = match (&outputs.output, mirror) {
        (_, Some(_)) => Sink::None,
        (Some(path), None) => Sink::open(Some(path))?,
        (None, _)
            if is_stdout(outputs.diff.as_deref()) || is_stdout(outputs.changes.as_deref()) =>
        {
            Sink::None
        }
        (None, _) => Sink::Stdout,
    };
    let mut diff_sink = Sink::open(outputs.diff.as_deref())?;
    let mut changes_sink = Sink::open(outputs.changes.as_deref())?;
    let mut rejects = Sink::open(outputs.rejects.as_deref())?;
    // A mirrored file is kept when its input was read without error; an input with a bad
    // record leaves no output file (and the run exits 2). Kept files wait, as temporaries,
    // for the commit of all outputs at the end.
    let mut current: Option<OutputFile> = None;
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
            if outputs.changes.is_some() {
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
            if outputs.rejects.is_some() {
                rendered.rejected = record::rejected(document, &outcome, text_field);
            }
            if rendered.rejected.is_none() {
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
                        current = Some(OutputFile::create(&target).map_err(creating(&target))?);
                    }
                }
                Event::Item(_, Err(_)) => {}
                Event::Item(input, Ok((document, (rendered, outcome)))) => {
                    summary.record(document.text.len(), outcome);
                    unseen.saw(input, document);
                    if let Some(warning) = &rendered.warning {
                        observer.warning(warning);
                    }
                    if document.record.is_some() && ids.seen_before(&document.id) {
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
                    } else if let Some(file) = current.as_mut() {
                        file.write_all(&rendered.main)
                            .map_err(writing(format!("writing the output of {}", document.id)))?;
                        in_current += 1;
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
                    if let (Some(review), Some(entry)) = (review.as_mut(), rendered.review.take()) {
                        review.add(entry);
                    }
                }
                Event::End(input) => {
                    if let Some(file) = current.take() {
                        if summary.errors == errors_before_input {
                            ready.push(file.prepare().map_err(writing(format!(
                                "writing the output of {}",
                                input.name()
                            )))?);
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
