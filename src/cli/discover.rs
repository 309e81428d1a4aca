//! `textscrub discover`: corpus-level passes that propose rules for a person to review.
//! A thin mapping onto `textscrub::discover`.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use textscrub::discover::lines::{self, GroupBy};
use textscrub::discover::names::{rule_file, NameScan, NameScanner, Status as LinkStatus};
use textscrub::io::{AtomicFile, Event};
use textscrub::Layer;

use super::{FormatArg, InputArgs, RuleArgs, RunArgs, Status};

#[derive(Debug, Subcommand)]
pub(crate) enum DiscoverCommand {
    /// Lines repeated across many documents of one source (menus, footers, bylines):
    /// report them, with counts and example documents, or write them as a rule file.
    Lines(LinesArgs),
    /// Find spellings of the same name (through Turkish, Russian, German, Kazakh or Uzbek
    /// letters, or common variation) and link them to the spelling English copy uses.
    Names(NamesArgs),
}

/// How repeated lines are counted; shared with `clean --drop-repeated-lines`.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct RepeatArgs {
    /// What makes a source: `file` (each input file), a JSONL field (`site`), or the host
    /// of the URL in a field (`url:host`).
    #[arg(
        long,
        value_name = "SOURCE",
        default_value = "file",
        help_heading = "Repeated lines"
    )]
    pub(crate) group_by: String,
    /// A line is repeated when more than this share of its source's documents hold it…
    #[arg(
        long,
        value_name = "SHARE",
        default_value_t = 0.1,
        help_heading = "Repeated lines"
    )]
    pub(crate) min_share: f64,
    /// … and at least this many documents.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3,
        help_heading = "Repeated lines"
    )]
    pub(crate) min_docs: u64,
}

impl RepeatArgs {
    pub(crate) fn options(&self) -> anyhow::Result<lines::Options> {
        if !(0.0..1.0).contains(&self.min_share) {
            bail!(
                "--min-share must be at least 0 and below 1, got {}",
                self.min_share
            );
        }
        Ok(lines::Options {
            group_by: GroupBy::parse(&self.group_by),
            min_share: self.min_share,
            min_docs: self.min_docs.max(2),
            ..lines::Options::default()
        })
    }
}

/// Options of `textscrub discover lines`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:
  textscrub discover lines --group-by url:host crawl/
  textscrub discover lines --write-rules repeated.toml crawl/ && textscrub rules test repeated.toml")]
pub(crate) struct LinesArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Input format; by default .jsonl/.json (and bare .gz/.zst) files are JSONL. Named as
    /// in `discover names`, `check` and `stats` (`--format` is kept as an alias).
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        alias = "format",
        help_heading = "Input"
    )]
    input_format: Option<FormatArg>,
    #[command(flatten)]
    repeat: RepeatArgs,
    /// Write the lines as a rule file of exact-line `drop-line` rules, each with tests
    /// drawn from the corpus.
    #[arg(long, value_name = "FILE")]
    write_rules: Option<PathBuf>,
    /// Report as JSON lines instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    run: RunArgs,
}

pub(crate) fn run(command: &DiscoverCommand) -> anyhow::Result<Status> {
    match command {
        DiscoverCommand::Lines(args) => run_lines(args),
        DiscoverCommand::Names(args) => names(args),
    }
}

fn run_lines(args: &LinesArgs) -> anyhow::Result<Status> {
    let options = args.repeat.options()?;
    let session = args.run.session(
        textscrub::Settings::default(),
        args.input.read_options(args.input_format),
        &args.input.paths,
        None,
        false,
        None,
    )?;
    let mut reporter = args.run.reporter(session.inputs());
    let (found, run) = session.find_repeated_lines(&options, &mut reporter)?;
    if let Some(path) = &args.write_rules {
        let command = format!(
            "textscrub discover lines --group-by {}",
            args.repeat.group_by
        );
        write_atomically(path, &lines::rule_file(&found, &options.group_by, &command))?;
    }
    for f in &found {
        if args.json {
            println!("{}", serde_json::to_string(f)?);
        } else {
            println!(
                "{}: {}/{} documents: {:?} (e.g. {})",
                f.group,
                f.count,
                f.docs,
                f.text,
                f.examples.join(", ")
            );
        }
    }
    reporter.finish(&run)
}

/// Writes a rule file all at once, or not at all.
fn write_atomically(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let mut file =
        AtomicFile::create(path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.commit()
        .with_context(|| format!("writing {}", path.display()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// One line per link, for a person.
    Text,
    /// One JSON object per link.
    Jsonl,
}

/// Options of `textscrub discover names`.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Proposed links have support in the corpus (the same neighbouring name, or shared \
context words) and a confidence of at least 0.6; reported ones are listed for a person and never written.

Examples:
  textscrub discover names corpus.jsonl                          list the links
  textscrub discover names --write-rules names.toml corpus/      write the proposed ones as a rule file
  textscrub rules test names.toml && textscrub clean --rules names.toml corpus.jsonl"
)]
pub(crate) struct NamesArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Input format; by default .jsonl/.json (and bare .gz/.zst) files are JSONL and
    /// everything else text.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = "Input")]
    input_format: Option<FormatArg>,
    /// Rule files whose letter schemes are used (the defaults' schemes always are, unless
    /// --no-default-rules).
    #[command(flatten)]
    rules: RuleArgs,
    /// How to list the links.
    #[arg(long, value_enum, default_value = "text", help_heading = "Output")]
    format: ReportFormat,
    /// Also write the proposed links as a rule file (a `lexicon` rule with tests drawn
    /// from the corpus), ready for `rules test` and `clean --rules`.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    write_rules: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

fn names(args: &NamesArgs) -> anyhow::Result<Status> {
    let rules = args.rules.load_unselected()?;
    let session = args.run.session(
        args.rules.settings(Layer::default())?,
        args.input.read_options(args.input_format),
        &args.input.paths,
        None,
        false,
        None,
    )?;
    let scanner = NameScanner::new(&rules);
    let mut scan = NameScan::default();
    let mut reporter = args.run.reporter(session.inputs());
    let run = session.run(
        &mut reporter,
        |_, document| scanner.scan(&document.id, &document.text),
        |event, run, _| -> anyhow::Result<()> {
            if let Event::Item(_, Ok((document, names))) = event {
                run.documents += 1;
                run.text_bytes += document.text.len() as u64;
                scan.add(std::mem::take(names));
            }
            Ok(())
        },
    )?;
    let proposals = scan.link(&rules);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for p in &proposals {
        match args.format {
            ReportFormat::Jsonl => {
                serde_json::to_writer(&mut out, p)?;
                writeln!(out)?;
            }
            ReportFormat::Text => {
                let status = match p.status {
                    LinkStatus::Proposed => "proposed",
                    LinkStatus::Reported => "reported",
                };
                let mut why: Vec<String> = p.schemes.clone();
                if p.common_steps > 0 {
                    why.push(format!("{} common step(s)", p.common_steps));
                }
                if !p.neighbours.is_empty() {
                    why.push(format!("next to {}", p.neighbours.join(", ")));
                }
                writeln!(
                    out,
                    "{:<8} {:.2}  {} → {}  ({}×/{} doc(s); {})",
                    status,
                    p.confidence,
                    p.variant,
                    p.canonical,
                    p.variant_count,
                    p.variant_documents,
                    why.join("; ")
                )?;
            }
        }
    }
    out.flush()?;
    if let Some(path) = &args.write_rules {
        write_atomically(path, &rule_file(&proposals, scan.documents()))?;
    }
    reporter.finish(&run)
}
