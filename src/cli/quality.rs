//! The quality options of `textscrub clean`: `--quality` adds each document's signals and
//! verdict to its JSONL record; `--drop` leaves failing documents out of the output and
//! writes them, with their reasons, to `--rejects`, so no document is lost.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args as ClapArgs;
use serde_json::{json, Map, Value};
use textscrub::io::{set_field, AtomicFile, Document};
use textscrub::{Outcome, Quality};

#[derive(Debug, ClapArgs)]
pub(crate) struct QualityArgs {
    /// Add `quality` (every signal, the verdict and the failed rules with their measured
    /// values) to each JSONL record. Quality rules judge the cleaned text.
    #[arg(long, help_heading = "Quality")]
    quality: bool,
    /// Leave documents that fail a quality rule out of the output and write them to
    /// --rejects with their reasons.
    #[arg(long, requires = "rejects", help_heading = "Quality")]
    drop: bool,
    /// JSONL file for the documents --drop leaves out: the cleaned record (text files
    /// become `{id, text}`) plus `quality`. Written atomically.
    #[arg(long, value_name = "FILE", requires = "drop", help_heading = "Quality")]
    pub(crate) rejects: Option<PathBuf>,
}

impl QualityArgs {
    /// Whether the pipeline must measure quality.
    pub(crate) fn wanted(&self) -> bool {
        self.quality || self.drop
    }

    pub(crate) fn open_rejects(&self) -> anyhow::Result<Rejects> {
        let file = match &self.rejects {
            Some(path) if path.as_os_str() == "-" => {
                bail!("--rejects needs a file: standard output carries the kept documents")
            }
            Some(path) => Some((
                AtomicFile::create(path).with_context(|| format!("creating {}", path.display()))?,
                path.clone(),
            )),
            None => None,
        };
        Ok(Rejects {
            file,
            kept: 0,
            dropped: 0,
        })
    }

    /// The rejects line for a document `--drop` leaves out; `None` when it is kept.
    pub(crate) fn reject(
        &self,
        document: &Document,
        text_field: &str,
        outcome: &Outcome,
    ) -> Option<Vec<u8>> {
        let quality = outcome.quality.as_ref().filter(|q| !q.is_kept())?;
        if !self.drop {
            return None;
        }
        let record = match &document.record {
            Some(record) => {
                let mut record = record.clone();
                set_field(&mut record, text_field, Value::String(outcome.text.clone()));
                record.insert("quality".into(), to_json(quality));
                Value::Object(record)
            }
            None => json!({"id": document.id, "text": outcome.text, "quality": to_json(quality)}),
        };
        let mut line = serde_json::to_vec(&record).expect("a JSON value serializes");
        line.push(b'\n');
        Some(line)
    }

    /// Adds `quality` to a kept record when `--quality` asked for it.
    pub(crate) fn annotate(&self, record: &mut Map<String, Value>, quality: Option<&Quality>) {
        if let Some(quality) = quality.filter(|_| self.quality) {
            record.insert("quality".into(), to_json(quality));
        }
    }
}

fn to_json(quality: &Quality) -> Value {
    // Signals are finite numbers and ids strings, so serialising cannot fail.
    serde_json::to_value(quality).unwrap_or(Value::Null)
}

/// The rejects file and the kept/dropped tally.
pub(crate) struct Rejects {
    file: Option<(AtomicFile, PathBuf)>,
    kept: usize,
    dropped: usize,
}

impl Rejects {
    /// Writes a rejected document's line and returns true; returns false (and counts the
    /// document as kept) when there is none.
    pub(crate) fn write(&mut self, line: Option<&[u8]>) -> anyhow::Result<bool> {
        match (line, &mut self.file) {
            (Some(line), Some((file, path))) => {
                file.write_all(line)
                    .with_context(|| format!("writing {}", path.display()))?;
                self.dropped += 1;
                Ok(true)
            }
            _ => {
                self.kept += 1;
                Ok(false)
            }
        }
    }

    /// Commits the rejects file and reports the tally on standard error.
    pub(crate) fn finish(self) -> anyhow::Result<()> {
        if let Some((file, path)) = self.file {
            file.commit()
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "textscrub: kept {} document(s), dropped {} to {}",
                self.kept,
                self.dropped,
                path.display()
            );
        }
        Ok(())
    }
}
