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
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

use rayon::prelude::*;

use super::document::{
    parse_record, text_document, Document, Format, Input, ReadOptions, RecordError,
};
use crate::Error;

/// Records in one batch at most.
const BATCH_RECORDS: usize = 2048;
/// Raw bytes in one batch at most (a single larger record still makes a batch of one).
const BATCH_BYTES: usize = 16 << 20;
/// Batches read ahead of the ones being processed.
const READ_AHEAD: usize = 2;
/// Batches processed at the same time.
const IN_FLIGHT: usize = 2;

/// What the driver hands to the sink, in input order.
#[derive(Debug)]
pub enum Event<'a, T> {
    /// An input is about to be read.
    Begin(&'a Input),
    /// One document and what the work function made of it, or a record that could not be
    /// read (reported with its line; the run goes on).
    Item(&'a Input, Result<(Document, T), RecordError>),
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
}

/// Runs `work` on every document of `inputs` on `pool` and passes the results to `sink` in
/// input order. An I/O failure (a missing file, a truncated `.gz`) stops the run with an
/// error naming the file and line; a bad record is passed on as an `Err` item.
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
        match input.format(options) {
            Format::Text => {
                let mut bytes = Vec::new();
                input
                    .open(progress.bytes_read.clone())?
                    .read_to_end(&mut bytes)
                    .map_err(|e| read_error(&name, 1, &e))?;
                let item = text_document(&name, bytes).map(|document| {
                    let result = pool.install(|| work(input, &document));
                    (document, result)
                });
                sink(Event::Item(input, item))?;
            }
            Format::Jsonl => {
                let reader = input.open(progress.bytes_read.clone())?;
                std::thread::scope(|scope| -> Result<(), E> {
                    let (sender, receiver) = sync_channel::<Result<Batch, Error>>(READ_AHEAD);
                    let name = &name;
                    scope.spawn(move || {
                        let mut reader = reader;
                        let mut line = 0;
                        loop {
                            let batch = read_batch(&mut reader, &mut line, name);
                            let done = !matches!(&batch, Ok(b) if !b.lines.is_empty());
                            // A closed channel means the consumer stopped: stop too.
                            if sender.send(batch).is_err() || done {
                                break;
                            }
                        }
                    });
                    // Up to IN_FLIGHT batches are processed at once, so workers never wait
                    // at the end of one batch for its slowest document; results still reach
                    // the sink strictly in order.
                    pool.in_place_scope(|scope| -> Result<(), E> {
                        let mut in_flight = VecDeque::new();
                        let work = &work;
                        for batch in receiver {
                            let batch = batch?;
                            if batch.lines.is_empty() {
                                break;
                            }
                            let (done, results) = sync_channel(1);
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
                                // The receiver is gone only when the sink failed.
                                let _ = done.send(processed);
                            });
                            in_flight.push_back(results);
                            if in_flight.len() >= IN_FLIGHT {
                                drain_one(&mut in_flight, input, &mut sink)?;
                            }
                        }
                        while !in_flight.is_empty() {
                            drain_one(&mut in_flight, input, &mut sink)?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            }
        }
        sink(Event::End(input))?;
    }
    Ok(())
}

/// Waits for the oldest batch in flight and hands its results to the sink.
fn drain_one<T, E>(
    in_flight: &mut VecDeque<Receiver<Vec<Item<T>>>>,
    input: &Input,
    sink: &mut impl FnMut(Event<'_, T>) -> Result<(), E>,
) -> Result<(), E> {
    let results = in_flight
        .pop_front()
        .expect("called with a batch in flight");
    let results = results
        .recv()
        .expect("a spawned batch always sends its results");
    for item in results {
        sink(Event::Item(input, item))?;
    }
    Ok(())
}

fn read_error(name: &str, line: usize, error: &std::io::Error) -> Error {
    Error::Input {
        path: name.to_string(),
        line,
        message: format!("read error: {error}"),
    }
}

/// Reads the next batch of non-blank lines; an empty batch means the end of the input.
fn read_batch(
    reader: &mut dyn std::io::BufRead,
    line: &mut usize,
    name: &str,
) -> Result<Batch, Error> {
    let mut batch = Batch {
        bytes: Vec::new(),
        lines: Vec::new(),
    };
    while batch.lines.len() < BATCH_RECORDS && batch.bytes.len() < BATCH_BYTES {
        let start = batch.bytes.len();
        let read = reader
            .read_until(b'\n', &mut batch.bytes)
            .map_err(|e| read_error(name, *line + 1, &e))?;
        if read == 0 {
            break;
        }
        *line += 1;
        let content = &batch.bytes[start..];
        if content.iter().all(u8::is_ascii_whitespace) {
            batch.bytes.truncate(start); // a blank line holds no record
            continue;
        }
        batch.lines.push((*line, start..batch.bytes.len()));
    }
    Ok(batch)
}
