//! Errors of the library: rule files, inputs and outputs.

use std::fmt;
use std::path::PathBuf;

/// One problem in a rule file, with its position and, once known, the rule id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFileProblem {
    /// The rule file (or `<default>/name.toml` for an embedded one).
    pub path: PathBuf,
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub column: usize,
    /// The id of the rule the problem belongs to, when it is known.
    pub rule: Option<String>,
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
}

impl fmt::Display for RuleFileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.path.display(), self.line, self.column)?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in the rule files, reported together so they can be fixed in one
/// round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFileErrors(pub Vec<RuleFileProblem>);

impl fmt::Display for RuleFileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleFileErrors {}

/// Errors of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more rule files are malformed.
    #[error("{0}")]
    RuleFiles(#[from] RuleFileErrors),
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An input is malformed at a line (invalid UTF-8, broken JSON, missing field).
    #[error("{path}:{line}: {message}")]
    Input {
        /// The input's name.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Outputs and inputs that cannot go together (an output over an input).
    #[error("{message}")]
    Usage {
        /// What is wrong, with a hint when one is obvious.
        message: String,
    },
    /// The review page could not be rendered, or its decisions applied.
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// An output could not be created or written.
    #[error("{context}: {source}")]
    Output {
        /// What was being written (`creating out.jsonl`).
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A selection pattern (`--select`, `--ignore`) is invalid or matches no rule.
    #[error("{message}")]
    Selection {
        /// What is wrong, with a hint when one is obvious.
        message: String,
    },
    /// A language-identification model could not be read.
    #[error("{path}: {message}")]
    Model {
        /// The model file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Errors of the review page and of applying its decisions.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The page template failed to render (a bug, not a user error).
    #[error("rendering the review page: {0}")]
    Template(#[from] minijinja::Error),
    /// A decisions file is not what the review page exports.
    #[error("{path}: {message}")]
    Decisions {
        /// The decisions file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A config or rule file to update could not be read, parsed or written.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}
