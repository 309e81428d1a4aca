//! Reading documents and writing results: text files, folders, JSONL, standard input, and
//! atomic output files. This module knows nothing about rules.

mod atomic;
mod document;

pub use atomic::AtomicFile;
pub use document::{
    expand_inputs, read_text_document, set_field, Document, Format, Input, JsonlReader, RecordError,
};
