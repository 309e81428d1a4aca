//! `textscrub stats`: clean every document, judge it with the quality rules, and print a
//! corpus summary: documents kept and dropped, drops per rule, and the distribution of each
//! signal, as a table or JSON.
//!
//! Documents are cleaned in parallel in batches, as `clean` does; the summary does not
//! depend on the order, so it is the same at any `--jobs`.

use std::io::{self, Write};

use clap::{Args as ClapArgs, ValueEnum};
use textscrub::io::Event;
use textscrub::quality::{Signal, Summary, PERCENTILES};
use textscrub::rule::Role;
use textscrub::Layer;

use super::{InputArgs, InputFormatArgs, RuleArgs, RunArgs, Status};

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
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    input_format: InputFormatArgs,

    #[command(flatten)]
    rules: RuleArgs,

    /// How to print the summary.
    #[arg(long, value_enum, default_value = "table", help_heading = "Output")]
    format: OutputFormat,

    /// Judge every document by one recipe, `fineweb` or `fineweb-2`, as `clean --recipe`
    /// does; without it, each document by its language's rules.
    #[arg(long, value_name = "NAME")]
    recipe: Option<super::quality_flags::RecipeName>,

    #[command(flatten)]
    run: RunArgs,
}

pub(crate) fn run(args: &StatsArgs) -> anyhow::Result<Status> {
    let session = args.run.session(
        args.rules.settings(Layer::default())?,
        args.input.read_options(args.input_format.input_format),
        &args.input.paths,
        Some(super::quality_flags::RecipeName::recipe(args.recipe)),
        false,
        None,
    )?;
    let quality_rules: Vec<_> = session
        .main_pipeline()
        .rules()
        .iter()
        .filter(|r| r.kind.role() == Role::Judges)
        .map(|r| r.id.clone())
        .collect();
    let mut summary = Summary::new(quality_rules);
    let mut reporter = args.run.reporter(session.inputs());
    let run = session.run(
        &mut reporter,
        |input, document| session.clean(input, document).quality,
        |event, run, _| -> anyhow::Result<()> {
            if let Event::Item(_, Ok((document, quality))) = event {
                run.documents += 1;
                run.text_bytes += document.text.len() as u64;
                if let Some(quality) = quality {
                    summary.add(quality);
                }
            }
            Ok(())
        },
    )?;
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
    // Unreadable records were reported with file and line; the summary leaves them out.
    reporter.finish_quietly(&run)
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
    if summary.unjudged() > 0 {
        writeln!(
            out,
            "unjudged   {:>9}  {:5.1}%  (no quality rules for their language)",
            summary.unjudged(),
            share(summary.unjudged())
        )?;
    }
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
