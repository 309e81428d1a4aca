//! Reading documents and writing results: text and JSONL files (plain, `.gz`, `.zst`),
//! folders, standard input, atomic output files, and the ordered parallel driver. This
//! module knows nothing about rules: the driver runs any per-document function.

mod atomic;
mod document;
mod driver;
mod output;

pub use atomic::AtomicFile;
pub use document::{
    expand_inputs, set_field, Compression, Document, Format, Input, ReadOptions, RecordError,
};
pub use driver::{drive, Event, Progress};
pub use output::OutputFile;
