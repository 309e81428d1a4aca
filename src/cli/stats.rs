//! `textscrub stats`: clean every document, judge it with the quality rules, and print a
//! corpus summary: documents kept and dropped, drops per rule, and the distribution of each
//! signal, as a table or JSON.
//!
//! Documents are cleaned in parallel in batches, as `clean` does; the summary does not
//! depend on the order, so it is the same at any `--jobs`.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args as ClapArgs, ValueEnum};
use rayon::prelude::*;
use textscrub::io::{expand_inputs, read_text_document, Document, Format, JsonlReader};
use textscrub::quality::{Signal, Summary, PERCENTILES};
use textscrub::rule::Kind;
use textscrub::{Options, Pipeline, Quality};

use super::{RuleArgs, Status};

/// Records judged together.
const BATCH_RECORDS: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    /// Each file (or standard input) is one document.
    Text,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// Aligned columns for a person.
    Table,
    /// One JSON object: documents, kept, dropped, drops_by_rule, signals.
    Json,
}

/// Options of `textscrub stats`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:
  textscrub stats corpus.jsonl                          table of drops and signal percentiles
  textscrub stats --format json corpus.jsonl            the same as JSON
  textscrub stats --ignore 'quality/c4-*' corpus.jsonl  without the C4 document rules")]
pub(crate) struct StatsArgs {
    /// Files or folders (folders are searched for .txt, .md, .jsonl, .json); `-` or
    /// nothing reads standard input.
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,

    #[command(flatten)]
    rules: RuleArgs,

    /// Input format; by default `.jsonl`/`.json` files are JSONL and everything else text.
    #[arg(long, value_enum, help_heading = "Input")]
    input_format: Option<InputFormat>,
    /// JSONL field holding the text; a dotted path reaches into nested objects.
    #[arg(
        long,
        default_value = "text",
        value_name = "FIELD",
        help_heading = "Input"
    )]
    text_field: String,

    /// How to print the summary.
    #[arg(long, value_enum, default_value = "table", help_heading = "Output")]
    format: OutputFormat,

    /// Worker threads (default: one per core). The summary is identical at any value.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
}

pub(crate) fn run(args: &StatsArgs) -> anyhow::Result<Status> {
    let rules = args.rules.load()?;
    let quality_rules: Vec<_> = rules
        .rules()
        .iter()
        .filter(|r| r.kind == Kind::Quality)
        .map(|r| r.id.clone())
        .collect();
    let pipeline = Pipeline::new(
        rules,
        Options {
            quality: true,
            ..Options::default()
        },
    );
    let inputs = expand_inputs(&args.paths)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    let mut summary = Summary::new(quality_rules);
    let mut errors = 0usize;
    let judge = |document: &Document| -> Option<Quality> { pipeline.run(&document.text).quality };
    for input in &inputs {
        let format = match (args.input_format, &input.path) {
            (Some(InputFormat::Text), _) | (None, None) => Format::Text,
            (Some(InputFormat::Jsonl), _) => Format::Jsonl,
            (None, Some(path)) => Format::from_path(path),
        };
        if format == Format::Text {
            match read_text_document(input) {
                Ok(document) => {
                    if let Some(quality) = judge(&document) {
                        summary.add(&quality);
                    }
                }
                Err(e) => {
                    errors += 1;
                    eprintln!("textscrub: {e}");
                }
            }
            continue;
        }
        let mut reader = JsonlReader::open(input, &args.text_field, "id")?;
        loop {
            let mut batch = Vec::new();
            while batch.len() < BATCH_RECORDS {
                match reader.next_record()? {
                    Some(Ok(document)) => batch.push(document),
                    Some(Err(e)) => {
                        // Reported and counted; the summary covers the good records.
                        errors += 1;
                        eprintln!("textscrub: {}:{}: {}", input.name(), e.line, e.message);
                    }
                    None => break,
                }
            }
            if batch.is_empty() {
                break;
            }
            let judged: Vec<Option<Quality>> =
                pool.install(|| batch.par_iter().map(judge).collect());
            for quality in judged.iter().flatten() {
                summary.add(quality);
            }
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer(&mut out, &summary)?;
            writeln!(out)?;
        }
        OutputFormat::Table => write_table(&mut out, &summary)?,
    }
    out.flush()?;
    if errors > 0 {
        eprintln!("textscrub: {errors} input error(s); the summary leaves those records out");
        return Ok(Status::Error);
    }
    Ok(Status::Success)
}

fn write_table(out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
    let share = |n: usize| {
        if summary.documents() == 0 {
            0.0
        } else {
            100.0 * n as f64 / summary.documents() as f64
        }
    };
    writeln!(out, "documents  {:>9}", summary.documents())?;
    writeln!(
        out,
        "kept       {:>9}  {:5.1}%",
        summary.kept(),
        share(summary.kept())
    )?;
    writeln!(
        out,
        "dropped    {:>9}  {:5.1}%",
        summary.dropped(),
        share(summary.dropped())
    )?;
    writeln!(
        out,
        "\n{:<36} {:>9} {:>7}",
        "rule (a document can fail several)", "dropped", "share"
    )?;
    for (rule, count) in summary.drops() {
        writeln!(
            out,
            "{:<36} {count:>9} {:>6.1}%",
            rule.as_str(),
            share(*count)
        )?;
    }
    write!(out, "\n{:<28}", "signal")?;
    let columns = ["min"]
        .into_iter()
        .chain(PERCENTILES.iter().map(|(name, _)| *name))
        .chain(["max", "mean"]);
    for name in columns {
        write!(out, " {name:>9}")?;
    }
    writeln!(out)?;
    for &signal in Signal::ALL {
        write!(out, "{:<28}", signal.name())?;
        for (name, value) in summary.distribution(signal).columns() {
            if signal.is_count() && name != "mean" {
                write!(out, " {value:>9.0}")?;
            } else {
                write!(out, " {value:>9.3}")?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
