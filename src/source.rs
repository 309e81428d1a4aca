//! What documents count as one source (a site, a feed, an input file): corpus-level
//! passes count per source, and a rule can be scoped to one.

use std::fmt;

use crate::io::{Document, Input};

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
        found.unwrap_or_else(|| input.name())
    }
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
