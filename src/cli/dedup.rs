//! `textscrub dedup`: near-duplicate documents removed as datatrove's MinHash stages remove
//! them, each removal written with the document kept in its place.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args as ClapArgs;
use textscrub::dedup::Config;
use textscrub::review::{ReviewOptions, ReviewOutput};
use textscrub::session::{dedup, DedupOptions};
use textscrub::{RunOptions, Session};

use super::{InputArgs, RunArgs, Status};

/// Options of `textscrub dedup`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:
  textscrub dedup corpus.jsonl -o kept.jsonl --rejects removed.jsonl
  textscrub dedup --config fineweb-2 --language deu_Latn data/ -o kept.jsonl
  textscrub dedup --work-dir mh/ corpus.jsonl > kept.jsonl   keep datatrove's stage files

Each removed record goes to --rejects with `duplicate_of` (the id of the document kept in
its place), `minhash_cluster_id`, `minhash_cluster_size` and `minhash_similarity` (the
share of signature hashes the two have in common). A run that is stopped goes on from its
last finished stage when started again with the same arguments.")]
pub(crate) struct DedupArgs {
    #[command(flatten)]
    input: InputArgs,
    /// MinHash configuration: `default` (datatrove's: 5-word shingles, 14 buckets of 8
    /// xxHash-64 hashes) or `fineweb-2` (the same, and `minhash_cluster_size` on every kept
    /// record, as FineWeb-2 publishes it).
    #[arg(long, default_value = "default", value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(Config::NAMES), help_heading = "Dedup")]
    config: String,
    /// The language whose word tokenizer cuts every document into shingles (a FineWeb-2
    /// label such as `deu_Latn`, or `de`) [default: each record's `language` or `lang`,
    /// else English].
    #[arg(long, value_name = "LABEL", help_heading = "Dedup")]
    language: Option<String>,
    /// Keep the stage files in DIR, in datatrove's layout (signatures/, buckets/,
    /// remove_ids/) [default: a folder in the working directory, removed once the run
    /// finishes; a stopped run leaves it for the next one to go on from].
    #[arg(long, value_name = "DIR", help_heading = "Dedup")]
    work_dir: Option<PathBuf>,
    /// Memory for sorting signatures, in MiB; beyond it sorted runs are spilled to the
    /// work folder.
    #[arg(
        long,
        default_value_t = 512,
        value_name = "MIB",
        help_heading = "Dedup"
    )]
    memory: usize,
    /// Write the kept records here [default: standard output].
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    output: Option<PathBuf>,
    /// Write each removed record here, with the document it duplicates.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    rejects: Option<PathBuf>,
    /// Also write an HTML review page: each removed document as a diff against the one
    /// kept in its place.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    review: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub(crate) fn run(args: &DedupArgs) -> anyhow::Result<Status> {
    let session = Session::reading(RunOptions {
        paths: args.input.paths.clone(),
        read: args.input.read_options(None),
        jobs: args.run.jobs,
        ..RunOptions::default()
    })?;
    let options = DedupOptions {
        config: Config::named(&args.config).expect("clap checked the name"),
        language: args.language.clone(),
        work_dir: args.work_dir.clone(),
        memory: args.memory << 20,
        output: args.output.clone(),
        rejects: args.rejects.clone(),
        review: args.review.clone().map(|path| ReviewOutput {
            path,
            options: ReviewOptions {
                title: format!("textscrub dedup: {}", names(&args.input.paths)),
                ..ReviewOptions::default()
            },
        }),
    };
    // `--summary` holds the whole report (stages, clusters), written here.
    let run = RunArgs {
        summary: None,
        ..args.run.clone()
    };
    let mut reporter = run.reporter(session.inputs());
    let stdout = io::stdout();
    let mut stdout = io::BufWriter::with_capacity(textscrub::io::OUTPUT_BUFFER, stdout.lock());
    let report = dedup(&session, &options, &mut stdout, &mut reporter)?;
    stdout.flush()?;
    if !args.run.quiet {
        reporter.message(report.to_string().trim_end());
    }
    if let Some(path) = &args.run.summary {
        let json = serde_json::to_string_pretty(&report)?;
        let mut file = textscrub::io::AtomicFile::create(path)
            .with_context(|| format!("creating {}", path.display()))?;
        file.write_all(json.as_bytes())?;
        file.commit()
            .with_context(|| format!("writing {}", path.display()))?;
    }
    reporter.finish_quietly(&report.run)
}

/// The inputs as a page title.
fn names(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "standard input".to_string();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
