//! The one list of rule kinds: each kind's name in rule files, the keys it takes, what it
//! does to a document, and how it compiles. A new kind is a module that implements
//! [`Behaviour`](super::compile::Behaviour) and a compile function, plus one line in [`KINDS`].

use std::fmt;

use super::compile::{Behaviour, Located, Schemes};
use super::spec::RuleSpec;
use super::{flag, line_score, names, normalize, regex_kinds, threshold};

/// What a kind's rules do to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Delete or rewrite text.
    Edits,
    /// Repair characters (their changes do not count as removed words for the guard).
    Repairs,
    /// Report words for a person to look at; never edit.
    Flags,
    /// Judge the cleaned document (a quality verdict); never edit.
    Judges,
}

/// Compiles one rule of a kind; `None` when it has problems (reported to `at`).
pub(crate) type Compile = fn(&RuleSpec, &Schemes, &mut Located<'_>) -> Option<Box<dyn Behaviour>>;

/// A rule kind.
pub(crate) struct KindDef {
    pub(crate) name: &'static str,
    /// Keys a rule of this kind may set beside the ones every rule has.
    pub(crate) keys: &'static [&'static str],
    pub(crate) role: Role,
    /// Whether what a rule finds on a line can depend on more than the lines next to it
    /// (a line model's windows, a flag confirmed elsewhere in the document); see
    /// [`super::Reach`].
    pub(crate) sees_document: bool,
    /// `None` for kinds built by a corpus pass, not written in rule files.
    pub(crate) compile: Option<Compile>,
}

/// The kinds, in the order `rules` help lists them.
pub(crate) static KINDS: &[KindDef] = &[
    KindDef {
        name: "remove",
        keys: &["pattern", "scope", "within"],
        role: Role::Edits,
        sees_document: false,
        compile: Some(regex_kinds::compile_remove),
    },
    KindDef {
        name: "drop-line",
        keys: &["pattern", "within"],
        role: Role::Edits,
        sees_document: false,
        compile: Some(regex_kinds::compile_drop_line),
    },
    KindDef {
        name: "replace",
        keys: &["pattern", "replacement", "within"],
        role: Role::Edits,
        sees_document: false,
        compile: Some(regex_kinds::compile_replace),
    },
    KindDef {
        name: "lexicon",
        keys: &["entries", "within"],
        role: Role::Edits,
        sees_document: false,
        compile: Some(names::compile_lexicon),
    },
    KindDef {
        name: "transliterate",
        keys: &["names", "schemes", "exclude", "within"],
        role: Role::Edits,
        sees_document: false,
        compile: Some(names::compile_transliterate),
    },
    KindDef {
        name: "normalize",
        keys: normalize::KEYS,
        role: Role::Repairs,
        sees_document: false,
        compile: Some(normalize::compile_rule),
    },
    KindDef {
        name: "flag",
        keys: &["letters", "schemes", "phrases", "fix"],
        role: Role::Flags,
        sees_document: true,
        compile: Some(flag::compile),
    },
    KindDef {
        name: "quality",
        keys: &["signal", "min", "max", "above", "below"],
        role: Role::Judges,
        sees_document: true,
        compile: Some(threshold::compile),
    },
    KindDef {
        name: "line-score",
        keys: &["weights", "threshold", "windows"],
        role: Role::Edits,
        sees_document: true,
        compile: Some(line_score::compile),
    },
    KindDef {
        name: "repeated-line",
        keys: &[],
        role: Role::Edits,
        sees_document: false,
        compile: None,
    },
];

/// A rule's kind.
#[derive(Clone, Copy)]
pub struct Kind(&'static KindDef);

impl Kind {
    /// The kind called `name` in rule files.
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        KINDS.iter().find(|k| k.name == name).map(Kind)
    }

    /// The name used in rule files.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// What the kind's rules do to a document.
    #[must_use]
    pub fn role(self) -> Role {
        self.0.role
    }

    pub(crate) fn def(self) -> &'static KindDef {
        self.0
    }

    /// The names of the kinds a rule file can declare.
    pub(crate) fn file_kinds() -> impl Iterator<Item = &'static str> {
        KINDS.iter().filter(|k| k.compile.is_some()).map(|k| k.name)
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Kind {}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}
