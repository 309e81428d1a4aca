//! The quality options of `textscrub clean`: `--quality` adds each document's signals and
//! verdict to its JSONL record; `--drop` leaves failing documents out of the output and
//! writes them, with their reasons, to `--rejects`, so no document is lost.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use textscrub::quality::Recipe;

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
    /// Judge every document by one recipe: `fineweb` (the quality rules of the rule files,
    /// FineWeb's English filters, whatever the language) or `fineweb-2` (FineWeb-2's
    /// filters, thresholds and stop words for the document's language). Without it, English
    /// documents get the rule files' rules and others FineWeb-2's for their language; a
    /// language with no rules is left unjudged and never dropped. The language is the
    /// record's `language` field (`deu_Latn`, or `deu` beside `language_script`; `de`),
    /// else its `lang` field, else the one detected in the text.
    #[arg(long, value_name = "NAME", help_heading = "Quality")]
    pub(crate) recipe: Option<RecipeName>,
}

/// The recipes `--recipe` names.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum RecipeName {
    /// FineWeb's English filters (the rule files' quality rules) for every document.
    Fineweb,
    /// FineWeb-2's filters for each document's language.
    #[value(name = "fineweb-2")]
    Fineweb2,
}

impl QualityArgs {
    /// Whether the pipeline must measure quality.
    pub(crate) fn wanted(&self) -> bool {
        self.quality || self.drop || self.recipe.is_some()
    }

    /// Whether records get the `quality` field: asked for, or implied by `--recipe`
    /// without `--drop`.
    pub(crate) fn field(&self) -> bool {
        self.quality || (self.recipe.is_some() && !self.drop)
    }

    /// The recipe that judges quality.
    pub(crate) fn recipe(&self) -> Recipe {
        RecipeName::recipe(self.recipe)
    }
}

impl RecipeName {
    /// The recipe a `--recipe` names; none: each document by its language's rules.
    pub(crate) fn recipe(name: Option<Self>) -> Recipe {
        match name {
            None => Recipe::ByLanguage,
            Some(Self::Fineweb) => Recipe::FineWeb,
            Some(Self::Fineweb2) => Recipe::FineWeb2,
        }
    }
}
