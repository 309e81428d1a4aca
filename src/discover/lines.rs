//! Corpus-level repeated lines (CCNet's approach): lines that recur across a large share
//! of one source's documents are templates (menus, footers, bylines), whatever they say.
//!
//! A line is counted by the hash of its normalised form (case folded, digits as `0`,
//! white space collapsed), once per document, per source (`GroupBy`). Counting runs over
//! the ordered parallel driver; the table is bounded (`Options::max_entries`): when it is
//! full, lines seen in one document only are evicted, so memory stays flat on any corpus
//! at the cost of undercounting lines whose first sighting was evicted.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use crate::error::Error;
use crate::io::{drive, Document, Input, Progress, ReadOptions};
pub use crate::rule::repeated::Repeated;
use crate::rule::repeated::{line_key, line_pattern};
use crate::rule::toml_string;
pub use crate::source::GroupBy;

/// How lines are judged repeated.
#[derive(Debug, Clone)]
pub struct Options {
    /// What documents count as one source.
    pub group_by: GroupBy,
    /// A line is repeated when more than this share of its source's documents hold it.
    pub min_share: f64,
    /// … and at least this many documents.
    pub min_docs: u64,
    /// Lines kept in the counting table at most (about 40 bytes each).
    pub max_entries: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            group_by: GroupBy::File,
            min_share: 0.1,
            min_docs: 3,
            max_entries: 8 << 20,
        }
    }
}

/// The distinct line keys of a text (the counting pass per document).
pub fn line_keys(text: &str) -> Vec<u64> {
    let mut keys: Vec<u64> = text.split('\n').filter_map(line_key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[derive(Debug, Default)]
struct Group {
    docs: u64,
    lines: HashMap<u64, u64>,
}

/// Counts line keys per source, within a bounded table.
#[derive(Debug)]
pub struct Counter {
    options: Options,
    groups: BTreeMap<String, Group>,
    entries: usize,
    /// Times the table was full and lines seen once were evicted.
    pub evictions: usize,
}

impl Counter {
    /// An empty counter.
    #[must_use]
    pub fn new(options: Options) -> Self {
        Self {
            options,
            groups: BTreeMap::new(),
            entries: 0,
            evictions: 0,
        }
    }

    /// Counts one document's distinct line keys in `group`.
    pub fn add(&mut self, group: &str, keys: &[u64]) {
        if !self.groups.contains_key(group) {
            self.groups.insert(group.to_string(), Group::default());
        }
        let counts = self.groups.get_mut(group).expect("inserted above");
        counts.docs += 1;
        for key in keys {
            let count = counts.lines.entry(*key).or_insert_with(|| {
                self.entries += 1;
                0
            });
            *count += 1;
        }
        if self.entries > self.options.max_entries {
            self.evict();
        }
    }

    fn evict(&mut self) {
        self.evictions += 1;
        for group in self.groups.values_mut() {
            group.lines.retain(|_, c| *c > 1);
        }
        self.entries = self.groups.values().map(|g| g.lines.len()).sum();
    }

    /// The repeated lines of every source.
    #[must_use]
    pub fn finish(self) -> Table {
        let (share, min_docs) = (self.options.min_share, self.options.min_docs);
        let groups = self
            .groups
            .into_iter()
            .filter_map(|(name, group)| {
                let docs = group.docs;
                let lines: HashMap<u64, u64> = group
                    .lines
                    .into_iter()
                    .filter(|(_, c)| *c >= min_docs && *c as f64 > share * docs as f64)
                    .collect();
                (!lines.is_empty()).then(|| (name, (docs, Arc::new(Repeated::new(lines)))))
            })
            .collect();
        Table { groups }
    }
}

/// Repeated lines by source, with each source's document count.
#[derive(Debug, Default)]
pub struct Table {
    groups: BTreeMap<String, (u64, Arc<Repeated>)>,
}

impl Table {
    /// The repeated lines of `group`, if it has any.
    #[must_use]
    pub fn get(&self, group: &str) -> Option<&Arc<Repeated>> {
        self.groups.get(group).map(|(_, r)| r)
    }

    /// Sources with repeated lines: name, documents, lines.
    pub fn groups(&self) -> impl Iterator<Item = (&str, u64, Arc<Repeated>)> {
        self.groups
            .iter()
            .map(|(name, (docs, r))| (name.as_str(), *docs, Arc::clone(r)))
    }
}

/// Counts `inputs` in one parallel pass.
pub fn count(
    inputs: &[Input],
    read: &ReadOptions,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    options: &Options,
    mut on_error: impl FnMut(&Input, &crate::io::RecordError),
) -> Result<Counter, Error> {
    let mut counter = Counter::new(options.clone());
    drive(
        inputs,
        read,
        pool,
        progress,
        |input, document| {
            (
                options.group_by.group(input, document),
                line_keys(&document.text),
            )
        },
        |event| -> Result<(), Error> {
            match event {
                crate::io::Event::Item(_, Ok((_, (group, keys)))) => counter.add(group, keys),
                crate::io::Event::Item(input, Err(e)) => on_error(input, e),
                _ => {}
            }
            Ok(())
        },
    )?;
    Ok(counter)
}

/// A repeated line as found in the corpus.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Found {
    /// Its source.
    pub group: String,
    /// The line as first seen.
    pub text: String,
    /// Documents of the source holding it.
    pub count: u64,
    /// Documents of the source.
    pub docs: u64,
    /// Up to three documents holding it.
    pub examples: Vec<String>,
    /// The non-blank line before it in the first example (for a rule test), if that line
    /// is not repeated itself.
    #[serde(skip)]
    pub context: Option<String>,
}

/// Collects, in a second pass, how each repeated line is spelt and where it occurs.
#[derive(Debug, Default)]
pub struct Examples {
    found: BTreeMap<(String, u64), Found>,
}

impl Examples {
    /// Looks at one document of `group`.
    pub fn add(&mut self, table: &Table, group: &str, document: &Document) {
        let Some((docs, repeated)) = table.groups.get(group) else {
            return;
        };
        let mut seen = HashSet::new();
        let mut previous: Option<&str> = None;
        for line in document.text.split('\n') {
            let Some(key) = line_key(line) else {
                continue;
            };
            if let Some(count) = repeated.count(key) {
                if seen.insert(key) {
                    let found = self
                        .found
                        .entry((group.to_string(), key))
                        .or_insert_with(|| Found {
                            group: group.to_string(),
                            text: line.trim().to_string(),
                            count,
                            docs: *docs,
                            examples: Vec::new(),
                            context: previous.map(str::to_string),
                        });
                    if found.examples.len() < 3 {
                        found.examples.push(document.id.clone());
                    }
                }
                previous = None;
            } else {
                previous = Some(line.trim());
            }
        }
    }

    /// The repeated lines, by source, most frequent first.
    #[must_use]
    pub fn finish(self) -> Vec<Found> {
        let mut found: Vec<Found> = self.found.into_values().collect();
        found.sort_by(|a, b| {
            (&a.group, std::cmp::Reverse(a.count), &a.text).cmp(&(
                &b.group,
                std::cmp::Reverse(b.count),
                &b.text,
            ))
        });
        found
    }
}

/// A rule file of exact-line `drop-line` rules, one per repeated line, grouped by source,
/// each scoped to its source (read `group_by`) and with a test drawn from the corpus.
#[must_use]
pub fn rule_file(found: &[Found], group_by: &GroupBy, command: &str) -> String {
    let mut out = format!(
        "# Written by `{command}`: lines repeated across many documents of one source.\n\
         # Review before use: each rule drops its exact line (case, digits and spacing aside)\n\
         # wherever it stands in a document of its source (`source`, read as `source-by`).\n"
    );
    let by = toml_string(&group_by.to_string());
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    for f in found {
        let n = numbers.entry(&f.group).or_insert(0);
        *n += 1;
        let _ = writeln!(
            out,
            "\n[[rule]]\nid = \"repeated/{}-{n}\"\nkind = \"drop-line\"\n\
             description = {}\ndefault = true\nsource = {}\nsource-by = {by}\npattern = {}",
            slug(&rule_label(&f.group, group_by)),
            toml_string(&format!(
                "Repeated in {} of {} documents of {} (e.g. {}).",
                f.count,
                f.docs,
                f.group,
                f.examples.join(", ")
            )),
            toml_string(&f.group),
            toml_string(&line_pattern(&f.text)),
        );
        let _ = writeln!(
            out,
            "\n[[rule.test]]\ninput = {}\noutput = \"\"",
            toml_string(&format!("{}\n", f.text))
        );
        if let Some(context) = &f.context {
            let _ = writeln!(
                out,
                "\n[[rule.test]]\ninput = {}\noutput = {}",
                toml_string(&format!("{}\n\n{context}\n", f.text)),
                toml_string(&format!("{context}\n"))
            );
        }
    }
    out
}

/// What names a source in rule ids: a file's name without its folders (sources by file
/// are canonical paths).
fn rule_label(group: &str, group_by: &GroupBy) -> String {
    match group_by {
        GroupBy::File => std::path::Path::new(group)
            .file_name()
            .map_or_else(|| group.to_string(), |n| n.to_string_lossy().into_owned()),
        _ => group.to_string(),
    }
}

/// A kebab-case rendering of a source name for rule ids.
fn slug(group: &str) -> String {
    let mut out = String::new();
    for c in group.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "source".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_digits_and_space() {
        assert_eq!(
            line_key("  Posted 12 May  2024 "),
            line_key("posted 99 may 1999")
        );
        assert_ne!(line_key("Home"), line_key("Homes"));
        assert_eq!(line_key("   "), None);
    }

    #[test]
    fn lines_over_the_share_are_repeated_and_the_table_stays_bounded() {
        let mut counter = Counter::new(Options {
            max_entries: 20,
            ..Options::default()
        });
        for d in 0..40 {
            let text = format!(
                "Home | News\nStory number {d} is unique text {}\n",
                "x".repeat(d)
            );
            counter.add("site", &line_keys(&text));
        }
        assert!(counter.evictions > 0);
        let table = counter.finish();
        let repeated = table.get("site").unwrap();
        // Digits fold, so "Story number N is unique text" lines differ only by their x runs.
        assert_eq!(repeated.len(), 1);
        let edits = repeated.edits("Home | news\nA story.\n");
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].1, 40);
    }

    #[test]
    fn patterns_match_what_was_counted() {
        let re = regex::Regex::new(&format!("^{}$", line_pattern("Posted 12 May 2024 | Share")))
            .unwrap();
        assert!(re.is_match("posted 31 may 1999 | share"));
        assert!(!re.is_match("Posted May 2024 | Share"));
    }
}
