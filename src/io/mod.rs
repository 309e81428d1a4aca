//! Reading documents and writing results: text and JSONL files (plain, `.gz`, `.zst`),
//! folders, standard input, atomic output files, and the ordered parallel driver. This
//! module knows nothing about rules: the driver runs any per-document function.

pub mod arrow;
mod atomic;
mod document;
mod driver;
mod output;
pub mod parquet;
mod record;

pub use atomic::{
    commit_all, pending_temporary_files, remove_temporary_files_on_signals, AtomicFile, Prepared,
};
pub use document::{
    expand, expand_inputs, Compression, Document, Expansion, Format, Input, ReadOptions,
    RecordError,
};
pub use driver::{drive, worker_threads, Event, Progress};
pub use output::OutputFile;
pub use record::{set_field, Record};

/// Bytes buffered before an output is written: large writes, so that a stream of records
/// costs few system calls (1 MiB took a third off the kernel time of `clean
/// --no-default-rules` next to `BufWriter`'s 8 KiB).
pub const OUTPUT_BUFFER: usize = 1 << 20;
