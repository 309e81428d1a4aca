//! Rule identity: the id every change, finding and verdict carries. A leaf: the engine,
//! the quality module and every front end name rules by it without importing each other.

use std::fmt;
use std::sync::Arc;

/// A rule id, `group/name` in kebab-case (`scraper/ad-placeholder`). Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(Arc<str>);

impl RuleId {
    /// Parses an id, checking its form.
    pub fn parse(id: &str) -> Option<Self> {
        let is_part = |p: &str| {
            !p.is_empty()
                && p.split('-').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        };
        let (group, name) = id.split_once('/')?;
        (is_part(group) && is_part(name)).then(|| Self(id.into()))
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}
