//! `textscrub clean`: clean documents, write the cleaned text or JSONL, and optionally a
//! diff and change records.

use std::io;
use std::path::PathBuf;
use textscrub::quality::Recipe;

use anyhow::bail;
use clap::Args as ClapArgs;
use textscrub::session::{self, CleanOutputs};
use textscrub::Layer;

use super::split::LangArgs;
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
    /// JSONL, .parquet files Parquet and everything else text. `--input-format` is the
    /// same flag, the name `check` and `stats` use.
    #[arg(
        long,
        value_enum,
        visible_alias = "input-format",
        help_heading = "Input"
    )]
    format: Option<FormatArg>,

    /// Output format, when -o's extension should not decide (.parquet is Parquet). Parquet
    /// output needs Parquet input; Parquet input writes JSONL unless the output is Parquet.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = "Output")]
    output_format: Option<FormatArg>,
    /// Compression of Parquet outputs: none, snappy, gzip, zstd or lz4, optionally with a
    /// level (`zstd(9)`) [default: each column as in the input's first row group].
    #[arg(long, value_name = "CODEC", value_parser = parse_compression, help_heading = "Output")]
    compression: Option<textscrub::io::parquet::Compression>,

    #[command(flatten)]
    rules: RuleArgs,

    /// Write cleaned output here instead of standard output. A folder (mirroring the input
    /// tree, same file names and compression) when it is one, ends with `/`, or a folder is
    /// cleaned into a new path without an extension (`-o cleaned shards/`); otherwise one
    /// file (`-o merged.jsonl shards/`), compressed if it ends in .gz or .zst. Written
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
    /// Identify each record's language from its cleaned text and add it as `language`
    /// (ISO 639-1 code, null when there is no text to go on) and `language_score` (0 to
    /// 1), to filter a corpus by language as datatrove and dolma do. JSONL only.
    #[arg(long, help_heading = "Output")]
    detect_lang: bool,
    /// Identify languages with this fastText model instead (fastText's lid.176.bin or
    /// .ftz, GlotLID's model_v3.bin), as datatrove's LanguageFilter does: `language` is the
    /// model's best label (`en`; a GlotLID label `deu_Latn` gives `language: "deu"` and
    /// `language_script: "Latn"`) and `language_score` its score. Implies --detect-lang.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    lid_model: Option<PathBuf>,
    /// With --lid-model, also add `top_language_{label}_score` for every label scoring above
    /// this (FineWeb-2 kept those above 0.01).
    #[arg(
        long,
        value_name = "SCORE",
        requires = "lid_model",
        help_heading = "Output"
    )]
    lid_keep_top: Option<f64>,
    /// Flag documents that lost more than this share of their words to the rules
    /// [default: 0.10, or `guard-share` in the config].
    #[arg(long, value_name = "SHARE", help_heading = "Output")]
    guard_share: Option<f64>,
    /// Warn on standard error about each document the guard flags (they are counted in
    /// the summary, and JSONL records carry `guard`, either way).
    #[arg(long, help_heading = "Output")]
    guard_warnings: bool,

    /// Drop lines repeated across many documents of their source (CCNet's line
    /// deduplication): a first pass counts, the second cleans; each dropped line is a
    /// `discover/repeated-line` change with its count. Needs files, not standard input.
    #[arg(long, help_heading = "Repeated lines")]
    drop_repeated_lines: bool,
    #[command(flatten)]
    repeat: super::discover::RepeatArgs,

    /// Also write an HTML review page of every change to FILE (see `textscrub review`).
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    review: Option<PathBuf>,
    #[command(flatten)]
    page: super::review::PageArgs,

    #[command(flatten)]
    quality: super::quality_flags::QualityArgs,
    #[command(flatten)]
    color: ColorArgs,
    #[command(flatten)]
    run: RunArgs,
}

fn parse_compression(text: &str) -> Result<textscrub::io::parquet::Compression, String> {
    textscrub::io::parquet::parse_compression(text)
}

pub(crate) fn run(args: &CleanArgs) -> anyhow::Result<Status> {
    if let Some(share) = args.guard_share.filter(|s| !(0.0..=1.0).contains(s)) {
        bail!("--guard-share must be between 0 and 1, got {share}");
    }
    let to_stdout = |p: &Option<PathBuf>| p.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if to_stdout(&args.diff) && to_stdout(&args.changes) {
        bail!("--diff and --changes cannot both write to standard output\nhelp: give one of them a FILE");
    }
    // FineWeb-2's recipe brings its finishing touches with it.
    let extend_select = (args.quality.recipe() == Recipe::FineWeb2 && !args.rules.no_default_rules)
        .then(|| {
            let mut globs = args.rules.extend_select.clone();
            globs.extend(["pii/*".to_string(), "fineweb-2/*".to_string()]);
            globs
        });
    let settings = args.rules.settings(Layer {
        guard_share: args.guard_share,
        lang: args.lang.lang.clone(),
        extend_select,
        ..Layer::default()
    })?;
    // The flag's model, else the config's (`lid-model`).
    let lid_model = match args
        .lid_model
        .as_ref()
        .or(settings.config.lid_model.as_ref())
    {
        Some(path) => Some(std::sync::Arc::new(textscrub::langid::LidModel::load(
            path,
        )?)),
        None => None,
    };
    let mut session = args.run.session(
        settings,
        args.input.read_options(args.format),
        &args.input.paths,
        args.quality.wanted().then(|| args.quality.recipe()),
        args.sentences,
        lid_model.clone(),
    )?;
    if args.drop_repeated_lines {
        session.drop_repeated_lines(&args.repeat.options()?)?;
    }
    let outputs = CleanOutputs {
        output: args.output.clone(),
        diff: args.diff.clone(),
        // Colour only a diff shown on a terminal; a diff file must stay byte-exact.
        colored_diff: to_stdout(&args.diff) && args.color.enabled(),
        changes: args.changes.clone(),
        quality_field: args.quality.field(),
        language_field: args.detect_lang || args.lid_model.is_some(),
        lid_model: lid_model.map(|model| (model, args.lid_keep_top)),
        rejects: args.quality.rejects.clone(),
        guard_warnings: args.guard_warnings,
        review: args
            .review
            .as_ref()
            .map(|path| args.page.output(path, session.inputs())),
        output_format: args.output_format.map(FormatArg::format),
        compression: args.compression,
    };
    let records = outputs.needs_records(session.inputs(), session.read_options());
    session.set_parquet_records(records);
    let mut reporter = args.run.reporter(session.inputs());
    let stdout = io::stdout();
    let mut stdout = io::BufWriter::with_capacity(textscrub::io::OUTPUT_BUFFER, stdout.lock());
    let summary = session::clean(&session, &outputs, &mut stdout, &mut reporter)?;
    let status = reporter.finish(&summary)?;
    if status == Status::Error {
        super::say("textscrub: outputs of inputs with errors were not written");
    } else if let Some(path) = &outputs.rejects {
        super::say(&format!(
            "textscrub: kept {} document(s), dropped {} to {}",
            summary.documents - summary.dropped,
            summary.dropped,
            path.display()
        ));
    }
    Ok(status)
}
