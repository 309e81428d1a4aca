//! `textscrub clean`: clean documents, write the cleaned text or JSONL, and optionally a
//! diff and change records.
//!
//! Documents are cleaned in parallel in batches; each batch is written in input order, so
//! output is byte-identical at any `--jobs` and memory is bounded by the batch size.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Args as ClapArgs, ValueEnum};
use rayon::prelude::*;
use serde_json::{json, Value};
use textscrub::io::{
    expand_inputs, read_text_document, set_field, AtomicFile, Document, Format, Input, JsonlReader,
    RecordError,
};
use textscrub::{diff, Options, Pipeline};

use super::{RuleArgs, Status};

/// Records cleaned together before a batch is written.
const BATCH_RECORDS: usize = 1024;
/// Text bytes read into one batch at most (a batch also ends at `BATCH_RECORDS`).
const BATCH_BYTES: usize = 32 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Each file (or standard input) is one document.
    Text,
    /// One JSON object per line; the text field is cleaned, every other field passes
    /// through.
    Jsonl,
}

/// Options of `textscrub clean`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:
  textscrub clean article.txt                    cleaned text on standard output
  textscrub clean --diff fixtures/seeds/input    every change as a unified diff
  textscrub clean -o clean.jsonl --changes changes.jsonl corpus.jsonl
  textscrub clean -o cleaned/ --diff=review.diff scraped/   mirror a folder, diff to a file")]
pub(crate) struct CleanArgs {
    /// Files or folders to clean (folders are searched for .txt, .md, .jsonl, .json);
    /// `-` or nothing reads standard input.
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,

    #[command(flatten)]
    rules: RuleArgs,

    /// Input format; by default `.jsonl`/`.json` files are JSONL and everything else text.
    #[arg(long, value_enum, help_heading = "Input")]
    format: Option<FormatArg>,
    /// JSONL field holding the text; a dotted path reaches into nested objects.
    #[arg(
        long,
        default_value = "text",
        value_name = "FIELD",
        help_heading = "Input"
    )]
    text_field: String,
    /// JSONL field naming the document in diffs and change records.
    #[arg(
        long,
        default_value = "id",
        value_name = "FIELD",
        help_heading = "Input"
    )]
    id_field: String,

    /// Write cleaned output here instead of standard output; a folder when several text
    /// files are cleaned (the input tree is mirrored below it). Written atomically.
    #[arg(short, long, value_name = "PATH", help_heading = "Output")]
    output: Option<PathBuf>,
    /// Write a unified diff per changed document: `--diff=FILE`, or `--diff` alone for
    /// standard output (cleaned text then goes only to `-o`). It applies with `patch -p1`
    /// or `git apply`.
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true, default_missing_value = "-", help_heading = "Output")]
    diff: Option<PathBuf>,
    /// Write one JSON line per change (id, rule, start, end, line, column, before, after;
    /// positions in the original document) to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    changes: Option<PathBuf>,
    /// Flag documents that lost more than this share of their words to the rules.
    #[arg(
        long,
        default_value_t = 0.05,
        value_name = "SHARE",
        help_heading = "Output"
    )]
    guard_share: f64,

    #[command(flatten)]
    quality: super::quality::QualityArgs,

    /// Worker threads (default: one per core). Output is identical at any value.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
}

/// What cleaning one document produced, rendered to bytes by a worker.
#[derive(Default)]
struct Rendered {
    main: Vec<u8>,
    diff: String,
    changes: String,
    warning: Option<String>,
    error: Option<String>,
    /// The document failed a quality rule under `--drop`: `main` is empty and this line
    /// goes to the rejects file.
    rejected: Option<Vec<u8>>,
}

/// Where one kind of output goes.
enum Sink {
    Stdout,
    File(AtomicFile),
    /// Cleaned text goes to one file per input, below this folder.
    Mirror(PathBuf),
    None,
}

impl Sink {
    fn open(path: &Path) -> anyhow::Result<Self> {
        if path.as_os_str() == "-" {
            return Ok(Self::Stdout);
        }
        Ok(Self::File(
            AtomicFile::create(path).with_context(|| format!("creating {}", path.display()))?,
        ))
    }

    fn write(&mut self, stdout: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        match self {
            Self::Stdout => stdout.write_all(bytes),
            Self::File(file) => file.write_all(bytes),
            Self::Mirror(_) | Self::None => Ok(()),
        }
    }

    fn commit(self) -> io::Result<()> {
        match self {
            Self::File(file) => file.commit(),
            _ => Ok(()),
        }
    }
}

pub(crate) fn run(args: &CleanArgs) -> anyhow::Result<Status> {
    if !(0.0..=1.0).contains(&args.guard_share) {
        bail!(
            "--guard-share must be between 0 and 1, got {}",
            args.guard_share
        );
    }
    let pipeline = Pipeline::new(
        args.rules.load()?,
        Options {
            guard_share: args.guard_share,
            quality: args.quality.wanted(),
        },
    );
    let inputs = expand_inputs(&args.paths)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("starting worker threads")?;

    refuse_overwriting_inputs(
        &inputs,
        [
            &args.output,
            &args.diff,
            &args.changes,
            &args.quality.rejects,
        ],
    )?;
    let diff_to_stdout = args.diff.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let changes_to_stdout = args
        .changes
        .as_deref()
        .is_some_and(|p| p.as_os_str() == "-");
    if diff_to_stdout && changes_to_stdout {
        bail!("--diff and --changes cannot both write to standard output\nhelp: give one of them a FILE");
    }
    let several_text_inputs = inputs
        .iter()
        .filter(|i| input_format(args, i) == Format::Text)
        .count()
        > 1
        || inputs
            .iter()
            .any(|i| i.root.is_some() && input_format(args, i) == Format::Text);
    let mut main = match &args.output {
        Some(path) if several_text_inputs => {
            fs::create_dir_all(path).with_context(|| format!("creating {}", path.display()))?;
            Sink::Mirror(path.clone())
        }
        Some(path) => Sink::open(path)?,
        None if diff_to_stdout || changes_to_stdout => Sink::None,
        None => Sink::Stdout,
    };
    let mut diff_sink = match &args.diff {
        Some(path) => Sink::open(path)?,
        None => Sink::None,
    };
    let mut changes_sink = match &args.changes {
        Some(path) => Sink::open(path)?,
        None => Sink::None,
    };
    let mut rejects = args.quality.open_rejects()?;

    let stdout = io::stdout();
    let mut stdout = io::BufWriter::new(stdout.lock());
    let mut errors = 0usize;
    let mut write_batch = |rendered: Vec<Rendered>,
                           input: &Input,
                           main: &mut Sink,
                           stdout: &mut io::BufWriter<io::StdoutLock<'_>>|
     -> anyhow::Result<()> {
        for item in rendered {
            if let Some(error) = item.error {
                errors += 1;
                eprintln!("textscrub: {error}");
                continue;
            }
            if let Some(warning) = &item.warning {
                eprintln!("textscrub: warning: {warning}");
            }
            if rejects.write(item.rejected.as_deref())? {
                // Left out of the main output, kept in the rejects file.
            } else if let Sink::Mirror(folder) = main {
                let target = mirror_path(folder, input);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)
                        .with_context(|| format!("creating {}", parent.display()))?;
                }
                let mut file = AtomicFile::create(&target)
                    .with_context(|| format!("creating {}", target.display()))?;
                file.write_all(&item.main)?;
                file.commit()
                    .with_context(|| format!("writing {}", target.display()))?;
            } else {
                main.write(stdout, &item.main)?;
            }
            diff_sink.write(stdout, item.diff.as_bytes())?;
            changes_sink.write(stdout, item.changes.as_bytes())?;
        }
        Ok(())
    };

    for input in &inputs {
        match input_format(args, input) {
            Format::Text => {
                let rendered = match read_text_document(input) {
                    Ok(document) => render(&pipeline, args, &document),
                    Err(e) => Rendered {
                        error: Some(e.to_string()),
                        ..Rendered::default()
                    },
                };
                write_batch(vec![rendered], input, &mut main, &mut stdout)?;
            }
            Format::Jsonl => {
                let mut reader = JsonlReader::open(input, &args.text_field, &args.id_field)?;
                loop {
                    let mut batch: Vec<Result<Document, RecordError>> = Vec::new();
                    let mut bytes = 0;
                    while batch.len() < BATCH_RECORDS && bytes < BATCH_BYTES {
                        match reader.next_record()? {
                            Some(record) => {
                                bytes += record.as_ref().map_or(0, |d| d.text.len());
                                batch.push(record);
                            }
                            None => break,
                        }
                    }
                    if batch.is_empty() {
                        break;
                    }
                    let name = input.name();
                    let rendered: Vec<Rendered> = pool.install(|| {
                        batch
                            .par_iter()
                            .map(|record| match record {
                                Ok(document) => render(&pipeline, args, document),
                                Err(e) => Rendered {
                                    error: Some(format!("{name}:{}: {}", e.line, e.message)),
                                    ..Rendered::default()
                                },
                            })
                            .collect()
                    });
                    write_batch(rendered, input, &mut main, &mut stdout)?;
                }
            }
        }
    }
    stdout.flush()?;
    if errors > 0 {
        // Outputs are left unwritten: a partial result must not pass for a whole one.
        eprintln!("textscrub: {errors} input error(s); no output file was written");
        return Ok(Status::Error);
    }
    rejects.finish()?;
    main.commit().context("writing output")?;
    diff_sink.commit().context("writing the diff")?;
    changes_sink
        .commit()
        .context("writing the change records")?;
    Ok(Status::Success)
}

/// Outputs never replace an input: a misplaced argument must not destroy data.
fn refuse_overwriting_inputs(
    inputs: &[Input],
    outputs: [&Option<PathBuf>; 4],
) -> anyhow::Result<()> {
    for output in outputs.into_iter().flatten() {
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
                bail!(
                    "refusing to write output over the input {}",
                    output.display()
                );
            }
        }
    }
    Ok(())
}

fn input_format(args: &CleanArgs, input: &Input) -> Format {
    match (args.format, &input.path) {
        (Some(FormatArg::Text), _) | (None, None) => Format::Text,
        (Some(FormatArg::Jsonl), _) => Format::Jsonl,
        (None, Some(path)) => Format::from_path(path),
    }
}

/// Where a text input's cleaned copy goes below `folder`.
fn mirror_path(folder: &Path, input: &Input) -> PathBuf {
    let path = input.path.as_deref().unwrap_or(Path::new("stdin.txt"));
    let relative = match &input.root {
        Some(root) => path.strip_prefix(root).unwrap_or(path),
        None => Path::new(path.file_name().unwrap_or(path.as_os_str())),
    };
    folder.join(relative)
}

/// Cleans one document and renders everything asked for.
fn render(pipeline: &Pipeline, args: &CleanArgs, document: &Document) -> Rendered {
    let outcome = pipeline.run(&document.text);
    let mut rendered = Rendered::default();
    let name = diff_name(&document.id);
    if args.diff.is_some() {
        rendered.diff = diff::unified(&name, &document.text, &outcome.text);
    }
    if args.changes.is_some() {
        rendered.changes = diff::change_records(&document.id, &outcome.changes);
    }
    if let Some(guard) = outcome.guard {
        rendered.warning = Some(format!(
            "{}: the rules removed {:.1}% of the words (guard: {:.1}%); please review",
            document.id,
            guard.removed_share * 100.0,
            guard.threshold * 100.0
        ));
    }
    if let Some(line) = args.quality.reject(document, &args.text_field, &outcome) {
        match line {
            Ok(line) => rendered.rejected = Some(line),
            Err(e) => rendered.error = Some(e),
        }
        return rendered;
    }
    match &document.record {
        Some(record) => {
            let mut record = record.clone();
            set_field(&mut record, &args.text_field, Value::String(outcome.text));
            if let Some(guard) = outcome.guard {
                record.insert(
                    "guard".into(),
                    json!({"removed_share": guard.removed_share, "threshold": guard.threshold}),
                );
            }
            args.quality.annotate(&mut record, outcome.quality.as_ref());
            match serde_json::to_vec(&record) {
                Ok(mut bytes) => {
                    bytes.push(b'\n');
                    rendered.main = bytes;
                }
                Err(e) => rendered.error = Some(format!("{}: {e}", document.id)),
            }
        }
        None => rendered.main = outcome.text.into_bytes(),
    }
    rendered
}

/// A document name usable in `a/…` diff headers: no leading `./` or `/`.
fn diff_name(id: &str) -> String {
    id.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}
