//! `textscrub clean`: clean documents, write the cleaned text or JSONL, and optionally a
//! diff and change records.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args as ClapArgs;
use serde_json::{json, Value};
use textscrub::io::{drive, expand_inputs, set_field, Document, Event, Input, OutputFile};
use textscrub::{diff, Outcome};

use super::split::{one_line, LangArgs, Segmenters};
use super::{ColorArgs, FormatArg, InputArgs, RuleArgs, RunArgs, Status};

/// Options of `textscrub clean`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:
  textscrub clean article.txt                    cleaned text on standard output
  textscrub clean --diff fixtures/seeds/input    every change as a unified diff
  textscrub clean -o clean.jsonl --changes changes.jsonl corpus.jsonl
  textscrub clean -o cleaned/ --diff=review.diff shards/   mirror a folder, same names and compression")]
pub(crate) struct CleanArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Input and output format; by default .jsonl/.json (and bare .gz/.zst) files are
    /// JSONL and everything else text.
    #[arg(long, value_enum, help_heading = "Input")]
    format: Option<FormatArg>,

    #[command(flatten)]
    rules: RuleArgs,

    /// Write cleaned output here instead of standard output. A folder (mirroring the input
    /// tree, same file names and compression) when it is one, ends with `/`, or several
    /// files are cleaned; otherwise a file, compressed if it ends in .gz or .zst. Written
    /// atomically.
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
    /// Add the sentences of the cleaned text: a `sentences` list in JSONL output, or one
    /// sentence per line instead of the text for text output.
    #[arg(long, help_heading = "Output")]
    sentences: bool,
    #[command(flatten)]
    lang: LangArgs,
    /// Flag documents that lost more than this share of their words to the rules
    /// [default: 0.05, or `guard-share` in the config].
    #[arg(long, value_name = "SHARE", help_heading = "Output")]
    guard_share: Option<f64>,

    #[command(flatten)]
    quality: super::quality::QualityArgs,
    #[command(flatten)]
    color: ColorArgs,
    #[command(flatten)]
    run: RunArgs,
}

/// What cleaning one document produced, rendered to bytes by a worker.
#[derive(Default)]
struct Rendered {
    main: Vec<u8>,
    diff: String,
    changes: String,
    warning: Option<String>,
    /// The outcome, its text moved into `main`; kept for the run summary.
    outcome: Option<textscrub::Outcome>,
    /// The document failed a quality rule under `--drop`: `main` is empty and this line
    /// goes to the rejects file.
    rejected: Option<Vec<u8>>,
}

/// Where one kind of output goes.
enum Sink {
    Stdout,
    File(Box<OutputFile>),
    None,
}

impl Sink {
    fn open(path: Option<&Path>) -> anyhow::Result<Self> {
        match path {
            None => Ok(Self::None),
            Some(path) if path.as_os_str() == "-" => Ok(Self::Stdout),
            Some(path) => Ok(Self::File(Box::new(
                OutputFile::create(path).with_context(|| format!("creating {}", path.display()))?,
            ))),
        }
    }

    fn write(&mut self, stdout: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        match self {
            Self::Stdout => stdout.write_all(bytes),
            Self::File(file) => file.write_all(bytes),
            Self::None => Ok(()),
        }
    }

    fn commit(self) -> io::Result<()> {
        match self {
            Self::File(file) => file.commit(),
            Self::Stdout | Self::None => Ok(()),
        }
    }
}

pub(crate) fn run(args: &CleanArgs) -> anyhow::Result<Status> {
    if let Some(share) = args.guard_share.filter(|s| !(0.0..=1.0).contains(s)) {
        bail!("--guard-share must be between 0 and 1, got {share}");
    }
    let inputs = expand_inputs(&args.input.paths)?;
    let setup = args
        .rules
        .setup(&inputs, args.guard_share, args.quality.wanted())?;
    let read = args.input.read_options(args.format);
    refuse_overwriting_inputs(
        &inputs,
        [
            &args.output,
            &args.diff,
            &args.changes,
            &args.quality.rejects,
        ],
    )?;
    let to_stdout = |p: &Option<PathBuf>| p.as_deref().is_some_and(|p| p.as_os_str() == "-");
    // Colour only a diff shown on a terminal; a diff file must stay byte-exact.
    let colored_diff = to_stdout(&args.diff) && args.color.enabled();
    let segmenters = args
        .sentences
        .then(|| args.lang.segmenters(&setup))
        .transpose()?;
    if to_stdout(&args.diff) && to_stdout(&args.changes) {
        bail!("--diff and --changes cannot both write to standard output\nhelp: give one of them a FILE");
    }
    let mirror = args.output.as_deref().filter(|output| {
        output.is_dir()
            || output.as_os_str().to_string_lossy().ends_with('/')
            || inputs.len() > 1
            || inputs.iter().any(|i| i.root.is_some())
    });
    let mut main = match (&args.output, mirror) {
        (_, Some(_)) => Sink::None,
        (Some(path), None) => Sink::open(Some(path))?,
        (None, _) if to_stdout(&args.diff) || to_stdout(&args.changes) => Sink::None,
        (None, _) => Sink::Stdout,
    };
    let mut diff_sink = Sink::open(args.diff.as_deref())?;
    let mut changes_sink = Sink::open(args.changes.as_deref())?;
    // A mirrored file is committed when its input was read without error; an input with
    // a bad record leaves no output file (and the run exits 2).
    let mut current: Option<OutputFile> = None;
    let mut errors_before_input = 0;
    let mut rejects = args.quality.open_rejects()?;

    let (pool, progress, mut run) = args.run.start(&inputs)?;
    let stdout = io::stdout();
    let mut stdout = io::BufWriter::new(stdout.lock());
    drive(
        &inputs,
        &read,
        &pool,
        &progress,
        |input, document| {
            render(
                setup.run(input, document),
                segmenters.as_ref(),
                colored_diff,
                args,
                document,
            )
        },
        |event| -> anyhow::Result<()> {
            match event {
                Event::Begin(input) => {
                    errors_before_input = run.summary.errors;
                    if let Some(folder) = mirror {
                        let target = mirror_path(folder, input);
                        if let Some(parent) = target.parent() {
                            fs::create_dir_all(parent)
                                .with_context(|| format!("creating {}", parent.display()))?;
                        }
                        current = Some(
                            OutputFile::create(&target)
                                .with_context(|| format!("creating {}", target.display()))?,
                        );
                    }
                }
                Event::Item(input, Err(error)) => run.record_error(input, &error),
                Event::Item(_, Ok((document, rendered))) => {
                    let outcome = rendered.outcome.as_ref().expect("render keeps the outcome");
                    run.summary.record(document.text.len(), outcome);
                    run.tick();
                    if let Some(warning) = &rendered.warning {
                        run.warn(warning);
                    }
                    if rejects.write(rendered.rejected.as_deref())? {
                        // Left out of the main output, kept in the rejects file.
                        run.summary.dropped += 1;
                    } else if let Some(file) = current.as_mut() {
                        file.write_all(&rendered.main)?;
                    } else {
                        main.write(&mut stdout, &rendered.main)?;
                    }
                    diff_sink.write(&mut stdout, rendered.diff.as_bytes())?;
                    changes_sink.write(&mut stdout, rendered.changes.as_bytes())?;
                }
                Event::End(input) => {
                    if let Some(file) = current.take() {
                        if run.summary.errors == errors_before_input {
                            file.commit().with_context(|| {
                                format!("writing the output of {}", input.name())
                            })?;
                        }
                    }
                }
            }
            Ok(())
        },
    )?;
    stdout.flush()?;
    let status = run.finish()?;
    if status == Status::Error {
        // A partial result must not pass for a whole one: the temporary files are dropped.
        eprintln!("textscrub: outputs of inputs with errors were not written");
        return Ok(status);
    }
    rejects.finish()?;
    main.commit().context("writing output")?;
    diff_sink.commit().context("writing the diff")?;
    changes_sink
        .commit()
        .context("writing the change records")?;
    Ok(status)
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

/// Cleans one document and renders everything asked for.
fn render(
    mut outcome: Outcome,
    segmenters: Option<&Segmenters>,
    colored_diff: bool,
    args: &CleanArgs,
    document: &Document,
) -> Rendered {
    let mut rendered = Rendered::default();
    if args.diff.is_some() {
        let show = if colored_diff {
            diff::unified_colored
        } else {
            diff::unified
        };
        rendered.diff = show(&diff_name(&document.id), &document.text, &outcome.text);
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
    if let Some(line) = args
        .quality
        .reject(document, &args.input.text_field, &outcome)
    {
        rendered.rejected = Some(line);
        rendered.outcome = Some(outcome);
        return rendered;
    }
    let sentences = segmenters.map(|s| s.sentences(document, &outcome.text));
    match &document.record {
        Some(record) => {
            let mut record = record.clone();
            if let Some(sentences) = sentences {
                record.insert("sentences".into(), sentences.into());
            }
            set_field(
                &mut record,
                &args.input.text_field,
                Value::String(std::mem::take(&mut outcome.text)),
            );
            if let Some(guard) = outcome.guard {
                record.insert(
                    "guard".into(),
                    json!({"removed_share": guard.removed_share, "threshold": guard.threshold}),
                );
            }
            args.quality.annotate(&mut record, outcome.quality.as_ref());
            rendered.main = serde_json::to_vec(&record).expect("a parsed record serializes");
            rendered.main.push(b'\n');
        }
        None => match sentences {
            Some(sentences) => {
                for sentence in sentences {
                    rendered
                        .main
                        .extend_from_slice(one_line(&sentence).as_bytes());
                    rendered.main.push(b'\n');
                }
            }
            None => rendered.main = std::mem::take(&mut outcome.text).into_bytes(),
        },
    }
    rendered.outcome = Some(outcome);
    rendered
}

/// A document name usable in `a/…` diff headers: no leading `./` or `/`.
fn diff_name(id: &str) -> String {
    id.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}
