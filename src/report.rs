//! The run summary: what a run read, changed and reported, per rule.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::pipeline::{Outcome, Stage};

/// Rules and stages whose times the printed summary shows (`--summary` has them all).
const MAX_TIMED_SHOWN: usize = 12;

/// Totals of one run, printed at the end and written as JSON with `--summary`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    /// Everything the run tried to read: documents plus errors. When a main output was
    /// written, `read = written + dropped + withheld + errors`.
    pub read: u64,
    /// Documents read and cleaned.
    pub documents: u64,
    /// Documents at least one rule changed.
    pub changed: u64,
    /// Documents the over-cleaning guard flagged.
    pub guarded: u64,
    /// Documents dropped by quality filters.
    pub dropped: u64,
    /// Records that could not be read (reported with file and line), inputs that could
    /// not be opened or read to their end, folders that could not be searched.
    pub errors: u64,
    /// Documents written to the output (standard output, the output file, a mirrored file).
    pub written: u64,
    /// Documents read and cleaned but not written, because their output file holds an
    /// input with errors and is left out whole. `documents = written + dropped + withheld`.
    pub withheld: u64,
    /// Inputs whose reading stopped at a fault (a truncated `.gz`), as `file:line`: every
    /// record before that line was read.
    pub stopped: Vec<String>,
    /// JSONL records whose id an earlier record had (each reported as a warning).
    pub duplicate_ids: u64,
    /// What check-only rules reported (`kind = "flag"`), per rule id; the text is not
    /// changed.
    pub findings_per_rule: BTreeMap<String, u64>,
    /// Changes made, per rule id (sorted, so the JSON is stable).
    pub changes_per_rule: BTreeMap<String, u64>,
    /// Seconds each rule, and the quality and sentence stages, took on the worker threads,
    /// summed; only when timed (`--timings`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub seconds_per_stage: BTreeMap<String, f64>,
    /// Bytes of document text read.
    pub text_bytes: u64,
    /// Wall-clock seconds (not part of any document output).
    pub elapsed_seconds: f64,
    /// Text megabytes (10^6 bytes) per second.
    pub megabytes_per_second: f64,
}

impl RunSummary {
    /// Counts one cleaned document.
    pub fn record(&mut self, text_len: usize, outcome: &Outcome) {
        self.documents += 1;
        self.text_bytes += text_len as u64;
        if outcome.is_changed() {
            self.changed += 1;
        }
        if outcome.guard.is_some() {
            self.guarded += 1;
        }
        for finding in &outcome.findings {
            *self
                .findings_per_rule
                .entry(finding.rule.as_str().to_string())
                .or_default() += 1;
        }
        for change in &outcome.changes {
            *self
                .changes_per_rule
                .entry(change.rule.as_str().to_string())
                .or_default() += 1;
        }
        self.add_time(&outcome.time);
    }

    /// Adds what each stage took on one document ([`Outcome::time`]).
    pub fn add_time(&mut self, time: &[(Stage, Duration)]) {
        for (stage, took) in time {
            let seconds = took.as_secs_f64();
            match self.seconds_per_stage.get_mut(stage.name()) {
                Some(total) => *total += seconds,
                None => {
                    self.seconds_per_stage
                        .insert(stage.name().to_string(), seconds);
                }
            }
        }
    }

    /// Sets the elapsed time and the throughput derived from it.
    pub fn finish(&mut self, elapsed: Duration) {
        self.read = self.documents + self.errors;
        self.elapsed_seconds = elapsed.as_secs_f64();
        self.megabytes_per_second = if self.elapsed_seconds > 0.0 {
            self.text_bytes as f64 / 1e6 / self.elapsed_seconds
        } else {
            0.0
        };
    }
}

impl fmt::Display for RunSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let documents = if self.documents == 1 {
            "document"
        } else {
            "documents"
        };
        writeln!(
            f,
            "{} {documents} read, {} changed, {} flagged by the guard, {} dropped, {} unreadable",
            self.documents, self.changed, self.guarded, self.dropped, self.errors
        )?;
        for (rule, count) in &self.changes_per_rule {
            writeln!(f, "  {count:>8}  {rule}")?;
        }
        if !self.findings_per_rule.is_empty() {
            writeln!(f, "findings of check-only rules (text not changed):")?;
            for (rule, count) in &self.findings_per_rule {
                writeln!(f, "  {count:>8}  {rule}")?;
            }
        }
        if !self.seconds_per_stage.is_empty() {
            let mut stages: Vec<_> = self.seconds_per_stage.iter().collect();
            stages.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
            let shown = stages.len().min(MAX_TIMED_SHOWN);
            write!(f, "seconds per rule and stage on the worker threads")?;
            if shown < stages.len() {
                write!(f, ", the {shown} costliest of {}", stages.len())?;
            }
            writeln!(f, ":")?;
            for (stage, seconds) in &stages[..shown] {
                writeln!(f, "  {seconds:>8.3}  {stage}")?;
            }
        }
        for at in &self.stopped {
            writeln!(
                f,
                "reading stopped at {at}; the records before it were read"
            )?;
        }
        if self.duplicate_ids > 0 {
            writeln!(f, "{} records repeat an earlier id", self.duplicate_ids)?;
        }
        // The accounting, when the documents went to an output.
        if self.written + self.withheld > 0
            && self.written + self.dropped + self.withheld == self.documents
        {
            write!(
                f,
                "{} read = {} written + {} dropped",
                self.read, self.written, self.dropped
            )?;
            if self.withheld > 0 {
                write!(f, " + {} withheld (their output has errors)", self.withheld)?;
            }
            writeln!(f, " + {} failed", self.errors)?;
        }
        write!(
            f,
            "{:.1} MB in {:.2}s ({:.1} MB/s)",
            self.text_bytes as f64 / 1e6,
            self.elapsed_seconds,
            self.megabytes_per_second
        )
    }
}
