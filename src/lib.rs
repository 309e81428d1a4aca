//! textscrub: a fast, rule-driven cleaner for scraped text corpora that records every
//! change it makes.
//!
//! Rules come from TOML rule files (the defaults are embedded); they compile once into an
//! immutable [`Pipeline`] that cleans documents and reports each [`Change`] in original
//! coordinates.
//!
//! ```
//! use textscrub::{Options, Pipeline, RuleSet};
//!
//! let pipeline = Pipeline::new(RuleSet::defaults()?, Options::default());
//! let outcome = pipeline.run("[ad_1]\nPresident Sooronbay Ceenbekov was in Bishkek.\n");
//! assert_eq!(outcome.text, "President Sooronbay Jeenbekov was in Bishkek.\n");
//! for change in &outcome.changes {
//!     let at = change.span;
//!     println!("{}:{}: {} {:?} -> {:?}", at.line, at.column, change.rule, change.before, change.after);
//! }
//! # Ok::<(), textscrub::Error>(())
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

mod bytes;
pub mod config;
pub mod datatrove;
pub mod dedup;
pub mod diff;
pub mod discover;
pub mod edit;
mod error;
pub mod id;
pub mod io;
pub mod langid;
mod pipeline;
pub mod position;
pub mod quality;
pub mod reference;
pub mod report;
pub mod review;
pub mod rule;
pub mod sentence;
pub mod session;
pub mod source;

pub use config::Config;
pub use edit::Edit;
pub use error::{Error, ReviewError, RuleFileErrors, RuleFileProblem};
pub use id::RuleId;
pub use pipeline::{Change, Context, Finding, Guard, Options, Outcome, Pipeline, Score, Stage};
pub use position::Span;
pub use quality::{Quality, Verdict};
pub use rule::{LoadOptions, Rule, RuleSet};
pub use session::{Layer, Observer, RunOptions, Session, Settings};
