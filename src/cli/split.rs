//! `textscrub split`: sentences only, one per line for text, `{"id","sentences"}` for JSONL.

use std::collections::HashMap;
use std::io::{self, Write};

use clap::Args as ClapArgs;
use serde_json::{Map, Value};
use textscrub::io::{drive, expand_inputs, Document, Event};
use textscrub::sentence::{Language, Segmenter};

use super::{FormatArg, InputArgs, RuleArgs, RunArgs, Setup, Status};

/// The language options shared by `split` and `clean --sentences`.
#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct LangArgs {
    /// Sentence rules to use: en, de, fr, es, ru, tr [default: `lang` in the config, or
    /// en]. A JSONL record's own `lang` field, when it names one of these, wins; other
    /// codes fall back to this one.
    #[arg(long, value_name = "CODE", help_heading = "Sentences")]
    lang: Option<String>,
}

/// One segmenter per language, built once and shared by all threads.
pub(crate) struct Segmenters {
    default: Segmenter,
    by_code: HashMap<&'static str, Segmenter>,
}

impl LangArgs {
    pub(crate) fn segmenters(&self, setup: &Setup) -> anyhow::Result<Segmenters> {
        Ok(Segmenters {
            default: Segmenter::for_lang(&setup.lang(self.lang.as_deref()))?,
            by_code: Language::ALL
                .iter()
                .map(|&l| (l.code(), Segmenter::new(l)))
                .collect(),
        })
    }
}

impl Segmenters {
    /// The segmenter for a document: its record's `lang` field, or the default.
    pub(crate) fn for_document(&self, document: &Document) -> &Segmenter {
        document
            .record
            .as_ref()
            .and_then(|r| r.get("lang"))
            .and_then(Value::as_str)
            .and_then(|code| Language::from_code(code).ok())
            .and_then(|language| self.by_code.get(language.code()))
            .unwrap_or(&self.default)
    }

    /// The sentences of `text` as strings (exact slices of the text).
    pub(crate) fn sentences(&self, document: &Document, text: &str) -> Vec<String> {
        self.for_document(document)
            .split(text)
            .into_iter()
            .map(|range| text[range].to_string())
            .collect()
    }
}

/// One sentence on one line: the line breaks of a hard-wrapped sentence become spaces.
pub(crate) fn one_line(sentence: &str) -> String {
    if !sentence.contains(['\n', '\r']) {
        return sentence.to_string();
    }
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
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
    /// JSONL and everything else text.
    #[arg(long, value_enum, help_heading = "Input")]
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
    let inputs = expand_inputs(&args.input.paths)?;
    let segmenters = args
        .lang
        .segmenters(&args.rules.setup(&inputs, None, false)?)?;
    let (pool, progress, mut run) = args.run.start(&inputs)?;
    let stdout = io::stdout();
    let mut stdout = io::BufWriter::new(stdout.lock());
    let mut first_text = true;
    drive(
        &inputs,
        &args.input.read_options(args.format),
        &pool,
        &progress,
        |_, document| {
            let sentences = segmenters.sentences(document, &document.text);
            match &document.record {
                // Every field but the text is kept; the sentences take the text's place.
                Some(record) => {
                    let mut out = Map::with_capacity(record.len());
                    for (key, value) in record {
                        if key != &args.input.text_field {
                            out.insert(key.clone(), value.clone());
                        }
                    }
                    out.insert("sentences".into(), sentences.into());
                    let mut line = serde_json::to_vec(&out).expect("a parsed record serializes");
                    line.push(b'\n');
                    line
                }
                None => {
                    let mut lines = String::new();
                    for sentence in &sentences {
                        lines.push_str(&one_line(sentence));
                        lines.push('\n');
                    }
                    lines.into_bytes()
                }
            }
        },
        |event| -> anyhow::Result<()> {
            match event {
                Event::Item(input, Err(error)) => run.record_error(input, &error),
                Event::Item(_, Ok((document, bytes))) => {
                    run.count(document.text.len());
                    if document.record.is_none() && !std::mem::take(&mut first_text) {
                        stdout.write_all(b"\n")?; // a blank line between text documents
                    }
                    stdout.write_all(&bytes)?;
                }
                Event::Begin(_) | Event::End(_) => {}
            }
            Ok(())
        },
    )?;
    stdout.flush()?;
    run.finish()
}
