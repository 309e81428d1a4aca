//! Corpus-level passes: read a whole corpus and propose rules for a person to review
//! (repeated template lines, name variants).

pub mod lines;
pub mod names;
