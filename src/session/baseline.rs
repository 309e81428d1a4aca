//! A baseline of `check` findings, as linters keep: the findings of data not yet clean,
//! recorded once, so a check fails only on findings that are not in it.
//!
//! A finding is known by its file, document, rule and text (what the rule would replace
//! and with what), not by its line and column: an edit above it moves it without making
//! it new. The same finding twice in a document is counted, so a third one is new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::Diagnostic;
use crate::error::Error;

/// How a finding is known across runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Key {
    path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    id: String,
    rule: String,
    before: String,
    after: String,
}

/// One line of the baseline file: a finding and how many times it occurs.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    key: Key,
    count: usize,
}

/// The file's form.
#[derive(Debug, Serialize, Deserialize)]
struct File {
    /// Written by `textscrub check --write-baseline`.
    version: u32,
    findings: Vec<Entry>,
}

const VERSION: u32 = 1;

/// Findings with their counts.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    counts: BTreeMap<Key, usize>,
}

impl Baseline {
    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let usage = |why: String| {
            Error::Usage {
            message: format!(
                "cannot read the baseline {}: {why}\nhelp: write one with `textscrub check --write-baseline {}`",
                path.display(),
                path.display()
            ),
        }
        };
        let text = std::fs::read_to_string(path).map_err(|e| usage(e.to_string()))?;
        let file: File = serde_json::from_str(&text).map_err(|e| usage(e.to_string()))?;
        if file.version != VERSION {
            return Err(usage(format!("unknown version {}", file.version)));
        }
        let mut counts = BTreeMap::new();
        for entry in file.findings {
            *counts.entry(entry.key).or_default() += entry.count;
        }
        Ok(Self { counts })
    }

    /// Writes the baseline to `path`, one finding per line, sorted, so it diffs well
    /// under version control.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let mut out = format!("{{\"version\": {VERSION}, \"findings\": [\n");
        for (k, (key, &count)) in self.counts.iter().enumerate() {
            let entry = Entry {
                key: key.clone(),
                count,
            };
            let comma = if k + 1 < self.counts.len() { "," } else { "" };
            out.push_str(&serde_json::to_string(&entry).expect("an entry serializes"));
            out.push_str(comma);
            out.push('\n');
        }
        out.push_str("]}\n");
        std::fs::write(path, out).map_err(|source| Error::Output {
            context: format!("writing the baseline {}", path.display()),
            source,
        })
    }

    /// Adds a finding in the file [`path_key`] names `path`.
    pub fn add(&mut self, path: &str, finding: &Diagnostic) {
        *self.counts.entry(key(path, finding)).or_default() += 1;
    }

    /// Whether the baseline holds `finding`, in the file [`path_key`] names `path` (one
    /// occurrence of it is used up).
    pub fn take(&mut self, path: &str, finding: &Diagnostic) -> bool {
        match self.counts.get_mut(&key(path, finding)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        }
    }

    /// How many findings it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn key(path: &str, finding: &Diagnostic) -> Key {
    Key {
        path: path.to_string(),
        // A text file's id is its path as typed, which `path` already holds canonically.
        id: finding
            .record
            .map_or_else(String::new, |_| finding.id.clone()),
        rule: finding.rule.clone(),
        before: finding.before.clone(),
        after: finding.after.clone(),
    }
}

/// How a baseline names an input file: its canonical path, relative to the working folder
/// when inside it, so `data/a.jsonl`, `./data/a.jsonl` and its absolute path are one file,
/// and a baseline written at a repository's root holds in any clone of it.
#[must_use]
pub fn path_key(input: &crate::io::Input) -> String {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    let canonical = crate::source::file_source(input);
    let cwd = CWD.get_or_init(|| {
        std::env::current_dir()
            .ok()
            .and_then(|d| d.canonicalize().ok())
    });
    cwd.as_deref()
        .and_then(|cwd| Path::new(&canonical).strip_prefix(cwd).ok())
        .map_or_else(|| canonical.clone(), |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::position::Span;

    fn finding(line: usize, record: Option<usize>) -> Diagnostic {
        Diagnostic {
            path: "typed/as/given.txt".into(),
            record,
            id: "doc".into(),
            rule: "scraper/ad-label".into(),
            span: Span {
                start: 0,
                end: 13,
                line,
                column: 1,
            },
            before: "Advertisement".into(),
            after: String::new(),
            message: String::new(),
        }
    }

    #[test]
    fn findings_are_counted_and_their_lines_do_not_matter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let mut recorded = Baseline::default();
        recorded.add("a.txt", &finding(3, None));
        recorded.add("a.txt", &finding(9, None));
        recorded.write(&path).unwrap();
        let mut baseline = Baseline::read(&path).unwrap();
        assert_eq!(baseline.len(), 2);
        assert!(baseline.take("a.txt", &finding(4, None)));
        assert!(!baseline.take("b.txt", &finding(4, None)));
        assert!(baseline.take("a.txt", &finding(12, None)));
        // A third is new.
        assert!(!baseline.take("a.txt", &finding(20, None)));
        assert!(baseline.is_empty());
    }
}
