//! `textscrub split`: sentences only, one per line for text, `{"id","sentences"}` for JSONL.

use std::io::{self, Write};
use std::time::Instant;

use clap::Args as ClapArgs;
use textscrub::io::Event;
use textscrub::session::{record, RunOptions, Session};
use textscrub::{Layer, Stage};

use super::{FormatArg, InputArgs, RuleArgs, RunArgs, Status};

/// The language options shared by `split` and `clean --sentences`.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct LangArgs {
    /// Sentence rules to use, by language code (en, de, fr, es, ru, tr, am, ar, hy, bg,
    /// my, zh, da, nl, el, hi, it, ja, kk, mr, fa, pl, sk, uk, ur) [default: `lang` in
    /// the config, else the language detected in each document, else en]. A JSONL
    /// record's own `lang` field, when it names one of these, wins.
    #[arg(long, value_name = "CODE", help_heading = "Sentences")]
    pub(crate) lang: Option<String>,
}

/// Options of `textscrub split`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:
  textscrub split article.txt                    one sentence per line
  textscrub split --format jsonl corpus.jsonl    {\"id\", \"sentences\": [...]} per record")]
pub(crate) struct SplitArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Input and output format; by default .jsonl/.json (and bare .gz/.zst) files are
    /// JSONL and everything else text. `--input-format` is the same flag, the name
    /// `check` and `stats` use.
    #[arg(
        long,
        value_enum,
        visible_alias = "input-format",
        help_heading = "Input"
    )]
    format: Option<FormatArg>,
    #[command(flatten)]
    lang: LangArgs,
    /// Only `--config` is used: split runs no rules.
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    run: RunArgs,
}

pub(crate) fn run(args: &SplitArgs) -> anyhow::Result<Status> {
    let settings = args.rules.settings(Layer {
        lang: args.lang.lang.clone(),
        ..Layer::default()
    })?;
    let session = Session::sentences_only(
        settings,
        RunOptions {
            paths: args.input.paths.clone(),
            read: args.input.read_options(args.format),
            jobs: args.run.jobs,
            time: args.run.timings,
            ..RunOptions::default()
        },
    )?;
    let text_field = &args.input.text_field;
    let mut reporter = args.run.reporter(session.inputs());
    let stdout = io::stdout();
    let mut stdout = io::BufWriter::with_capacity(textscrub::io::OUTPUT_BUFFER, stdout.lock());
    let mut first_text = true;
    let summary = session.run(
        &mut reporter,
        |input, document| {
            let pipeline = session.pipeline(input);
            let started = args.run.timings.then(Instant::now);
            let sentences = pipeline
                .sentences_of(&document.text, document.lang())
                .unwrap_or_default();
            let took = started.map(|started| (Stage::Sentences, started.elapsed()));
            (record::split(document, &sentences, text_field), took)
        },
        |event, summary, _| -> anyhow::Result<()> {
            if let Event::Item(_, Ok((document, (bytes, took)))) = event {
                summary.documents += 1;
                summary.text_bytes += document.text.len() as u64;
                summary.add_time(took.as_slice());
                if document.record.is_none() && !std::mem::take(&mut first_text) {
                    stdout.write_all(b"\n")?; // a blank line between text documents
                }
                stdout.write_all(bytes)?;
            }
            Ok(())
        },
    )?;
    stdout.flush()?;
    reporter.finish(&summary)
}
