//! The quality options of `textscrub clean`: `--quality` adds each document's signals and
//! verdict to its JSONL record; `--drop` leaves failing documents out of the output and
//! writes them, with their reasons, to `--rejects`, so no document is lost.

use std::path::PathBuf;

use clap::Args as ClapArgs;

#[derive(Debug, ClapArgs)]
pub(crate) struct QualityArgs {
    /// Add `quality` (every signal, the verdict and the failed rules with their measured
    /// values) to each JSONL record. Quality rules judge the cleaned text.
    #[arg(long, help_heading = "Quality")]
    pub(crate) quality: bool,
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
}
