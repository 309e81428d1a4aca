//! What documents count as one source (a site, a feed, an input file): corpus-level
//! passes count per source, and a rule can be scoped to one.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::io::{Document, Input};
use crate::rule::Rule;

/// What documents count as one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    /// The input file.
    File,
    /// The value of a JSONL field (a dotted path).
    Field(String),
    /// The host of the URL in a JSONL field (a dotted path).
    Host(String),
}

impl GroupBy {
    /// Parses `file`, `FIELD` or `FIELD:host`.
    #[must_use]
    pub fn parse(s: &str) -> Self {
        match s {
            "file" => Self::File,
            _ => match s.strip_suffix(":host") {
                Some(field) => Self::Host(field.to_string()),
                None => Self::Field(s.to_string()),
            },
        }
    }

    /// The source of `document`, read from `input`. A record without the field is its
    /// file's.
    #[must_use]
    pub fn group(&self, input: &Input, document: &Document) -> String {
        let field = |path: &str| -> Option<String> {
            let value = document.record.as_ref()?.get_path(path)?;
            value.as_str().map(str::to_string)
        };
        let found = match self {
            Self::File => None,
            Self::Field(path) => field(path),
            Self::Host(path) => field(path).map(|url| host(&url).to_string()),
        };
        found.unwrap_or_else(|| file_source(input))
    }
}

/// The source name of the input file: its canonical path, so `corpus.jsonl`,
/// `./corpus.jsonl` and `/data/corpus.jsonl` are one source (rules written by `discover
/// lines` for one spelling match the others); the name as given when it cannot be resolved.
#[must_use]
pub fn file_source(input: &Input) -> String {
    input
        .path
        .as_deref()
        .map_or_else(|| input.name(), canonical_name)
}

/// `path` resolved (absolute, links followed), or as written when it cannot be. The last
/// answer is remembered per thread: the documents of one file come one after another.
#[must_use]
pub fn canonical_name(path: &Path) -> String {
    thread_local! {
        static LAST: RefCell<Option<(PathBuf, String)>> = const { RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        if let Some((_, name)) = last.as_ref().filter(|(seen, _)| seen == path) {
            return name.clone();
        }
        let name = path
            .canonicalize()
            .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
        *last = Some((path.to_path_buf(), name.clone()));
        name
    })
}

/// The host of a URL: between `//` and the next `/`, `?` or `#`, without a port.
fn host(url: &str) -> &str {
    let rest = url.split_once("//").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.split(':').next().unwrap_or(host)
}

impl fmt::Display for GroupBy {
    /// The form [`GroupBy::parse`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File => f.write_str("file"),
            Self::Field(path) => f.write_str(path),
            Self::Host(path) => write!(f, "{path}:host"),
        }
    }
}

/// A rule's source condition (`source`, `source-by` in a rule file): the rule runs only on
/// documents whose source under `by` is `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// How the document's source is read.
    pub by: GroupBy,
    /// The source the rule belongs to.
    pub name: String,
}

/// The sources that scoped rules name and no document of a run has come from yet: a rule
/// scoped to a source that never shows up matches nothing, which deserves a word.
#[derive(Debug, Default)]
pub struct UnseenSources {
    /// By how the source is read: each source not seen yet, with its rules' ids.
    left: Vec<(GroupBy, HashMap<String, Vec<String>>)>,
}

impl UnseenSources {
    /// The sources `rules` are scoped to.
    #[must_use]
    pub fn of<'a>(rules: impl IntoIterator<Item = &'a Rule>) -> Self {
        let mut left: Vec<(GroupBy, HashMap<String, Vec<String>>)> = Vec::new();
        for rule in rules {
            let Some(scope) = &rule.scope else { continue };
            let at = match left.iter().position(|(by, _)| *by == scope.by) {
                Some(at) => at,
                None => {
                    left.push((scope.by.clone(), HashMap::new()));
                    left.len() - 1
                }
            };
            left[at]
                .1
                .entry(scope.name.clone())
                .or_default()
                .push(rule.id.to_string());
        }
        Self { left }
    }

    /// Notes the sources of `document`.
    pub fn saw(&mut self, input: &Input, document: &Document) {
        for (by, names) in &mut self.left {
            if !names.is_empty() {
                names.remove(&by.group(input, document));
            }
        }
    }

    /// One warning per source never seen, naming its rules.
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        let mut out = BTreeMap::new();
        for (by, names) in &self.left {
            for (name, ids) in names {
                let shown: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
                let more = if ids.len() > 3 {
                    format!(" and {} more", ids.len() - 3)
                } else {
                    String::new()
                };
                let rules = if ids.len() == 1 { "rule" } else { "rules" };
                out.insert(
                    (by.to_string(), name.clone()),
                    format!(
                        "{rules} `{}`{more} scoped to source `{name}` (source-by {by}) matched nothing: no document of this run came from that source",
                        shown.join("`, `")
                    ),
                );
            }
        }
        out.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://user@www.example.com:8080/a?b"),
            "www.example.com"
        );
        assert_eq!(host("example.org/x"), "example.org");
    }

    #[test]
    fn group_by_reads_back_what_it_writes() {
        for s in ["file", "site", "meta.url:host"] {
            assert_eq!(GroupBy::parse(s).to_string(), s);
        }
    }
}
