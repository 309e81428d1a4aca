//! The ordered parallel driver.
//!
//! A reader thread cuts each JSONL input into batches of raw lines (bounded by count and
//! bytes) and hands them over a bounded channel; the batch is parsed and processed in
//! parallel on a rayon pool; results go to the sink in input order. Memory is bounded by a
//! few batches whatever the input size, and the sink sees the same sequence at any thread
//! count, so output is byte-identical at any `--jobs`.

use std::collections::VecDeque;
use std::io::Read;
use std::ops::Range;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::Arc;

use rayon::prelude::*;

use super::document::{
    parse_record, text_document, Document, Format, Input, ReadOptions, RecordError,
};
use super::parquet;
use crate::error::Error;

/// Records in one batch at most.
const BATCH_RECORDS: usize = 2048;
/// Raw bytes in one batch at most (a single larger record still makes a batch of one).
/// Up to READ_AHEAD + IN_FLIGHT batches are held with their decoded and cleaned copies,
/// so this bounds memory: 4 MiB kept a 500 MB stream at -j 2 under 150 MB peak RSS
/// (16 MiB: 260-275 MB) for the same CPU time.
const BATCH_BYTES: usize = 4 << 20;
/// The room a batch's buffer is given: its bound, and the line that takes it over, most
/// often (so it is not copied as it grows). A buffer grown larger by a long line is not
/// reused, so one long record does not hold its memory for the rest of the run.
const BATCH_CAPACITY: usize = BATCH_BYTES + (BATCH_BYTES >> 3);
/// Batches read ahead of the ones being processed.
const READ_AHEAD: usize = 2;
/// Batches processed at the same time.
const IN_FLIGHT: usize = 2;

/// How many worker threads to start for a requested `--jobs`: the request, capped at
/// the machine's available parallelism (more threads than cores only add switching and
/// memory), or one per core when nothing was asked. The second value is `Some(request)`
/// when the request was lowered, so the caller can say so.
#[must_use]
pub fn worker_threads(requested: Option<usize>) -> (usize, Option<usize>) {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    match requested {
        None | Some(0) => (cores, None),
        Some(n) if n > cores => (cores, Some(n)),
        Some(n) => (n, None),
    }
}

/// What the driver hands to the sink, in input order.
#[derive(Debug)]
pub enum Event<'a, T> {
    /// An input is about to be read.
    Begin(&'a Input),
    /// One document and what the work function made of it, or a record that could not be
    /// read (reported with its line; the run goes on). Lent: what the sink leaves is
    /// freed on a worker thread, where it was allocated (memory freed on another thread
    /// than its own makes the allocator's threads wait on each other).
    Item(&'a Input, &'a mut Result<(Document, T), RecordError>),
    /// The input was read to its end.
    End(&'a Input),
}

/// Counters a progress display can poll from another thread.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Raw (possibly compressed) input bytes read so far.
    pub bytes_read: Arc<AtomicU64>,
}

/// One processed record, or the reason it could not be read.
type Item<T> = Result<(Document, T), RecordError>;

/// Raw lines of one batch, in one buffer.
struct Batch {
    bytes: Vec<u8>,
    /// (1-based line number, range in `bytes`)
    lines: Vec<(usize, Range<usize>)>,
    /// The read error that ended the input after these lines, and the line it hit.
    fault: Option<(usize, std::io::Error)>,
}

/// Runs `work` on every document of `inputs` on `pool` and passes the results to `sink` in
/// input order. A bad record is passed on as an `Err` item; so is an input that cannot be
/// opened (line 0) and a read fault (a truncated `.gz`), after every record read before
/// it, and the run goes on with the next input.
pub fn drive<T, E>(
    inputs: &[Input],
    options: &ReadOptions,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    work: impl Fn(&Input, &Document) -> T + Sync,
    mut sink: impl FnMut(Event<'_, T>) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    E: From<Error>,
{
    for input in inputs {
        sink(Event::Begin(input))?;
        let name = input.name();
        if input.format(options) == Format::Parquet {
            drive_parquet(input, options, pool, progress, &work, &mut sink)?;
            sink(Event::End(input))?;
            continue;
        }
        // An input that cannot be opened is reported like a bad record and the run goes on
        // with the next one (line 0: the file as a whole).
        let reader = match input.open(progress.bytes_read.clone()) {
            Ok(reader) => reader,
            Err(error) => {
                let message = match error {
                    Error::Io { source, .. } => format!("cannot read: {source}"),
                    other => other.to_string(),
                };
                sink(Event::Item(
                    input,
                    &mut Err(RecordError { line: 0, message }),
                ))?;
                sink(Event::End(input))?;
                continue;
            }
        };
        match input.format(options) {
            Format::Text => {
                let mut bytes = Vec::new();
                let mut reader = reader;
                let item = match reader.read_to_end(&mut bytes) {
                    // Part of a text file is not the document: report it, clean nothing.
                    Err(e) => Err(RecordError {
                        line: memchr::memchr_iter(b'\n', &bytes).count() + 1,
                        message: format!("reading stopped: {e}"),
                    }),
                    Ok(_) => text_document(&name, bytes).map(|document| {
                        let result = pool.install(|| work(input, &document));
                        (document, result)
                    }),
                };
                sink(Event::Item(input, &mut { item }))?;
            }
            Format::Parquet => unreachable!("read above"),
            Format::Jsonl => {
                std::thread::scope(|scope| -> Result<(), E> {
                    let (sender, receiver) = sync_channel::<Batch>(READ_AHEAD);
                    // Buffers of processed batches go back to the reader, to be filled
                    // again: no fresh memory (and its page faults) for each batch.
                    let (spent, spent_buffers) = channel::<Vec<u8>>();
                    let name = &name;
                    scope.spawn(move || {
                        let mut reader = reader;
                        let mut line = 0;
                        loop {
                            let buffer = spent_buffers.try_recv().unwrap_or_default();
                            let batch = read_batch(&mut reader, &mut line, buffer);
                            let done = batch.lines.is_empty() || batch.fault.is_some();
                            // A closed channel means the consumer stopped: stop too.
                            if sender.send(batch).is_err() || done {
                                break;
                            }
                        }
                    });
                    // Up to IN_FLIGHT batches are processed at once, so workers never wait
                    // at the end of one batch for its slowest document; results still reach
                    // the sink strictly in order.
                    let mut records = 0usize;
                    let mut fault = None;
                    pool.in_place_scope(|scope| -> Result<(), E> {
                        let mut in_flight = VecDeque::new();
                        let work = &work;
                        for mut batch in receiver {
                            // The lines read before a fault are still processed, in order;
                            // the fault is reported after them.
                            fault = batch.fault.take();
                            if batch.lines.is_empty() {
                                break;
                            }
                            records += batch.lines.len();
                            let (done, results) = sync_channel(1);
                            let spent = spent.clone();
                            scope.spawn(move |_| {
                                let processed: Vec<_> = batch
                                    .lines
                                    .par_iter()
                                    .map(|(line, range)| {
                                        parse_record(
                                            name,
                                            *line,
                                            &batch.bytes[range.clone()],
                                            options,
                                        )
                                        .map(|document| {
                                            let result = work(input, &document);
                                            (document, result)
                                        })
                                    })
                                    .collect();
                                if batch.bytes.capacity() <= BATCH_CAPACITY {
                                    // (Dropped if the reader is done.)
                                    let _ = spent.send(batch.bytes);
                                }
                                // The receiver is gone only when the sink failed.
                                let _ = done.send(processed);
                            });
                            in_flight.push_back(results);
                            if in_flight.len() >= IN_FLIGHT {
                                drain_one(scope, &mut in_flight, input, &mut sink)?;
                            }
                            if fault.is_some() {
                                break;
                            }
                        }
                        while !in_flight.is_empty() {
                            drain_one(scope, &mut in_flight, input, &mut sink)?;
                        }
                        Ok(())
                    })?;
                    if let Some((line, error)) = fault {
                        let message = format!(
                            "reading stopped: {error} (the {records} records before it were read)"
                        );
                        sink(Event::Item(input, &mut Err(RecordError { line, message })))?;
                    }
                    Ok(())
                })?;
            }
        }
        sink(Event::End(input))?;
    }
    Ok(())
}

/// Reads a Parquet input batch by batch (each a part of one row group) on a reader
/// thread and processes the batches as the JSONL ones are: in parallel, results in order.
/// A file that cannot be opened, or whose text column is missing or not a string, is one
/// error item; a row group that cannot be read is one after the rows read before it, and
/// the next row group is read.
fn drive_parquet<T, E>(
    input: &Input,
    options: &ReadOptions,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    work: &(impl Fn(&Input, &Document) -> T + Sync),
    sink: &mut impl FnMut(Event<'_, T>) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
{
    let opened = match parquet::open(input, options) {
        Ok(opened) => opened,
        Err(error) => return sink(Event::Item(input, &mut Err(error))),
    };
    let source = opened.source.clone();
    let source = &source;
    std::thread::scope(|scope| -> Result<(), E> {
        let (sender, receiver) = sync_channel::<parquet::Unit>(READ_AHEAD);
        let consumed = &progress.bytes_read;
        scope.spawn(move || {
            parquet::read(&opened, consumed, |unit| sender.send(unit).is_ok());
        });
        pool.in_place_scope(|scope| -> Result<(), E> {
            let mut in_flight = VecDeque::new();
            for unit in receiver {
                let (done, results) = sync_channel(1);
                scope.spawn(move |_| {
                    let processed: Vec<Item<T>> = match unit {
                        parquet::Unit::Fault(error) => vec![Err(error)],
                        parquet::Unit::Rows(rows) => (0..rows.len())
                            .into_par_iter()
                            .map(|i| {
                                parquet::document(&rows, i, source, options).map(|document| {
                                    let result = work(input, &document);
                                    (document, result)
                                })
                            })
                            .collect(),
                    };
                    let _ = done.send(processed);
                });
                in_flight.push_back(results);
                if in_flight.len() >= IN_FLIGHT {
                    drain_one(scope, &mut in_flight, input, sink)?;
                }
            }
            while !in_flight.is_empty() {
                drain_one(scope, &mut in_flight, input, sink)?;
            }
            Ok(())
        })
    })
}

/// Waits for the oldest batch in flight and hands its results to the sink.
fn drain_one<'scope, T: Send + 'scope, E>(
    scope: &rayon::Scope<'scope>,
    in_flight: &mut VecDeque<Receiver<Vec<Item<T>>>>,
    input: &Input,
    sink: &mut impl FnMut(Event<'_, T>) -> Result<(), E>,
) -> Result<(), E> {
    let results = in_flight
        .pop_front()
        .expect("called with a batch in flight");
    let mut results = results
        .recv()
        .expect("a spawned batch always sends its results");
    for item in &mut results {
        sink(Event::Item(input, item))?;
    }
    scope.spawn(move |_| drop(results));
    Ok(())
}

/// Reads the next batch of non-blank lines; an empty batch means the end of the input.
/// A read error ends the batch: the lines before it are kept and the fault rides along.
/// `bytes` (emptied first) holds the lines.
fn read_batch(reader: &mut dyn std::io::BufRead, line: &mut usize, mut bytes: Vec<u8>) -> Batch {
    bytes.clear();
    bytes.reserve(BATCH_CAPACITY);
    let mut batch = Batch {
        bytes,
        lines: Vec::new(),
        fault: None,
    };
    while batch.lines.len() < BATCH_RECORDS && batch.bytes.len() < BATCH_BYTES {
        let start = batch.bytes.len();
        let read = match reader.read_until(b'\n', &mut batch.bytes) {
            Ok(read) => read,
            Err(error) => {
                // A partial line before the fault is not a record.
                batch.bytes.truncate(start);
                batch.fault = Some((*line + 1, error));
                break;
            }
        };
        if read == 0 {
            break;
        }
        *line += 1;
        // A byte-order mark before the first record (editors on Windows write one) is
        // not part of the JSON.
        if *line == 1 && batch.bytes[start..].starts_with(b"\xEF\xBB\xBF") {
            batch.bytes.drain(start..start + 3);
        }
        let content = &batch.bytes[start..];
        if content.iter().all(u8::is_ascii_whitespace) {
            batch.bytes.truncate(start); // a blank line holds no record
            continue;
        }
        batch.lines.push((*line, start..batch.bytes.len()));
    }
    batch
}
