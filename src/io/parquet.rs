//! Parquet input and output.
//!
//! A Parquet file is read row group by row group, in batches of at most [`BATCH_ROWS`]
//! rows, so memory stays bounded whatever the file's size. Each row becomes a
//! [`Document`] whose text is the text column's value; the row itself rides along
//! ([`Row`]), so that a Parquet output can pass every other column through with its Arrow
//! type unchanged. Row groups and rows are counted from 0, as pyarrow counts them.
//!
//! The writer ([`ParquetOutput`]) takes rows in order, keeps the input's schema (the text
//! column keeps its type, `Utf8` or `LargeUtf8`), adds the columns the caller builds
//! ([`Columns`]: this module knows no outcomes), closes a row group where the input's
//! closed one, and compresses each column as the input's first row group did unless told
//! otherwise. It writes through an [`AtomicFile`], so a file appears whole or not at all.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, LargeStringArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, FieldRef, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ArrowWriter;
pub use parquet::basic::Compression;
use parquet::basic::{GzipLevel, ZstdLevel};
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;

use super::atomic::{AtomicFile, Prepared};
use super::document::{Document, Input, ReadOptions, RecordError};

/// Rows in one batch at most. With the driver's few batches in flight, a corpus of
/// web pages (a few KB each) holds some tens of MB of text at a time.
pub(crate) const BATCH_ROWS: usize = 1024;

/// Rows gathered before they are handed to the Parquet writer.
const WRITE_ROWS: usize = 1024;

/// Encoded bytes a row group may buffer before it is closed, when the input's row groups
/// are larger still (or there are none to follow).
const ROW_GROUP_BYTES: usize = 128 << 20;

/// What a Parquet file holds, shared by every row read from it.
#[derive(Debug)]
pub struct Source {
    /// The file as named in messages.
    name: String,
    /// The Arrow schema of its rows.
    schema: SchemaRef,
    /// The text column.
    text: usize,
    /// The id column, when it holds strings or integers.
    id: Option<usize>,
    /// Each leaf column's compression in the first row group.
    compressions: Vec<(ColumnPath, Compression)>,
}

impl Source {
    /// The Arrow schema of the file's rows.
    #[must_use]
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }
}

/// One row of a Parquet file: the batch it was read in and its place there.
#[derive(Debug, Clone)]
pub struct Row {
    batch: Arc<RecordBatch>,
    index: usize,
    row_group: usize,
    source: Arc<Source>,
}

impl Row {
    /// A string column's value (`None` for a null, a missing column or another type).
    #[must_use]
    pub fn get_str(&self, column: &str) -> Option<&str> {
        let array = self.batch.column_by_name(column)?;
        if array.is_null(self.index) {
            return None;
        }
        match array.data_type() {
            DataType::Utf8 => Some(array.as_string::<i32>().value(self.index)),
            DataType::LargeUtf8 => Some(array.as_string::<i64>().value(self.index)),
            DataType::Utf8View => Some(array.as_string_view().value(self.index)),
            _ => None,
        }
    }

    /// A floating-point column's value.
    #[must_use]
    pub fn get_f64(&self, column: &str) -> Option<f64> {
        use arrow_array::types::{Float32Type, Float64Type};
        let array = self.batch.column_by_name(column)?;
        if array.is_null(self.index) {
            return None;
        }
        match array.data_type() {
            DataType::Float64 => Some(array.as_primitive::<Float64Type>().value(self.index)),
            DataType::Float32 => Some(f64::from(
                array.as_primitive::<Float32Type>().value(self.index),
            )),
            _ => None,
        }
    }

    /// The file the row was read from.
    #[must_use]
    pub fn source(&self) -> &Arc<Source> {
        &self.source
    }
}

/// Whether JSONL can hold a column of this type (see [`write_json`]).
fn json_can_hold(data_type: &DataType) -> bool {
    match data_type {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Date32
        | DataType::Timestamp(..) => true,
        DataType::List(item) | DataType::LargeList(item) | DataType::FixedSizeList(item, _) => {
            json_can_hold(item.data_type())
        }
        DataType::Struct(fields) => fields.iter().all(|f| json_can_hold(f.data_type())),
        _ => false,
    }
}

/// Writes value `i` of `array` as JSON: numbers as numbers (a non-finite float as null),
/// dates and timestamps as ISO 8601 strings (UTC, with `Z`, when the column has a time
/// zone), lists as arrays, structs as objects.
fn write_json(array: &dyn Array, i: usize, out: &mut String) {
    use arrow_array::types::{
        Date32Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
    };
    use arrow_schema::TimeUnit;
    use std::fmt::Write;
    if array.is_null(i) {
        out.push_str("null");
        return;
    }
    let string = |out: &mut String, text: &str| -> std::fmt::Result {
        out.push_str(&serde_json::to_string(text).expect("a string serializes"));
        Ok(())
    };
    let _ = match array.data_type() {
        DataType::Boolean => write!(out, "{}", array.as_boolean().value(i)),
        DataType::Int8 => write!(out, "{}", array.as_primitive::<Int8Type>().value(i)),
        DataType::Int16 => write!(out, "{}", array.as_primitive::<Int16Type>().value(i)),
        DataType::Int32 => write!(out, "{}", array.as_primitive::<Int32Type>().value(i)),
        DataType::Int64 => write!(out, "{}", array.as_primitive::<Int64Type>().value(i)),
        DataType::UInt8 => write!(out, "{}", array.as_primitive::<UInt8Type>().value(i)),
        DataType::UInt16 => write!(out, "{}", array.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt32 => write!(out, "{}", array.as_primitive::<UInt32Type>().value(i)),
        DataType::UInt64 => write!(out, "{}", array.as_primitive::<UInt64Type>().value(i)),
        DataType::Float32 => {
            let v = array.as_primitive::<Float32Type>().value(i);
            if v.is_finite() {
                write!(out, "{v}")
            } else {
                write!(out, "null")
            }
        }
        DataType::Float64 => {
            let v = array.as_primitive::<Float64Type>().value(i);
            match serde_json::Number::from_f64(v) {
                Some(n) => write!(out, "{n}"),
                None => write!(out, "null"),
            }
        }
        DataType::Utf8 => string(out, array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => string(out, array.as_string::<i64>().value(i)),
        DataType::Utf8View => string(out, array.as_string_view().value(i)),
        DataType::Date32 => match array.as_primitive::<Date32Type>().value_as_date(i) {
            Some(date) => string(out, &date.format("%Y-%m-%d").to_string()),
            None => write!(out, "null"),
        },
        DataType::Timestamp(unit, zone) => {
            let time = match unit {
                TimeUnit::Second => array
                    .as_primitive::<TimestampSecondType>()
                    .value_as_datetime(i),
                TimeUnit::Millisecond => array
                    .as_primitive::<TimestampMillisecondType>()
                    .value_as_datetime(i),
                TimeUnit::Microsecond => array
                    .as_primitive::<TimestampMicrosecondType>()
                    .value_as_datetime(i),
                TimeUnit::Nanosecond => array
                    .as_primitive::<TimestampNanosecondType>()
                    .value_as_datetime(i),
            };
            match time {
                Some(time) => {
                    let zone = if zone.is_some() { "Z" } else { "" };
                    string(
                        out,
                        &format!("{}{zone}", time.format("%Y-%m-%dT%H:%M:%S%.f")),
                    )
                }
                None => write!(out, "null"),
            }
        }
        DataType::List(_) => write_list(&array.as_list::<i32>().value(i), out),
        DataType::LargeList(_) => write_list(&array.as_list::<i64>().value(i), out),
        DataType::FixedSizeList(..) => write_list(&array.as_fixed_size_list().value(i), out),
        DataType::Struct(fields) => {
            let array = array.as_struct();
            out.push('{');
            for (n, field) in fields.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let _ = string(out, field.name());
                out.push(':');
                write_json(array.column(n).as_ref(), i, out);
            }
            out.push('}');
            Ok(())
        }
        _ => write!(out, "null"),
    };
}

fn write_list(items: &ArrayRef, out: &mut String) -> std::fmt::Result {
    out.push('[');
    for n in 0..items.len() {
        if n > 0 {
            out.push(',');
        }
        write_json(items.as_ref(), n, out);
    }
    out.push(']');
    Ok(())
}

/// Row `i` of `batch` as a JSON object, a field per column in order.
fn row_json(batch: &RecordBatch, i: usize) -> String {
    let mut out = String::from("{");
    for (n, field) in batch.schema_ref().fields().iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(field.name()).expect("a string serializes"));
        out.push(':');
        write_json(batch.column(n).as_ref(), i, &mut out);
    }
    out.push('}');
    out
}

/// An opened Parquet input: its footer read and its columns checked.
pub(crate) struct ParquetInput {
    file: File,
    metadata: ArrowReaderMetadata,
    pub(crate) source: Arc<Source>,
}

/// Opens a Parquet input and checks its text column. Every problem is an error for the
/// file as a whole (line 0), naming what is wrong.
pub(crate) fn open(input: &Input, options: &ReadOptions) -> Result<ParquetInput, RecordError> {
    let whole = |message: String| RecordError { line: 0, message };
    let Some(path) = &input.path else {
        return Err(whole(
            "Parquet cannot be read from standard input (its index is at the end): name the file"
                .into(),
        ));
    };
    let file = File::open(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())
        .map_err(|e| whole(format!("not a readable Parquet file: {e}")))?;
    let schema = metadata.schema().clone();
    let field = &options.text_field;
    let Some((text, text_type)) = schema
        .fields()
        .iter()
        .position(|f| f.name() == field)
        .map(|i| (i, schema.field(i).data_type()))
    else {
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        return Err(whole(format!(
            "no column `{field}` (the columns are {}); --text-field names the text column",
            names.join(", ")
        )));
    };
    if !matches!(text_type, DataType::Utf8 | DataType::LargeUtf8) {
        return Err(whole(format!(
            "column `{field}` holds {text_type}, not strings; --text-field names the text column"
        )));
    }
    if options.parquet_records {
        if let Some(field) = schema
            .fields()
            .iter()
            .find(|f| !json_can_hold(f.data_type()))
        {
            return Err(whole(format!(
                "column `{}` holds {}, which JSONL output cannot hold; write Parquet instead (-o FILE.parquet)",
                field.name(),
                field.data_type()
            )));
        }
    }
    let id = schema
        .fields()
        .iter()
        .position(|f| f.name() == &options.id_field)
        .filter(|&i| {
            let t = schema.field(i).data_type();
            t.is_integer() || matches!(t, DataType::Utf8 | DataType::LargeUtf8)
        });
    let compressions = metadata
        .metadata()
        .row_groups()
        .first()
        .map(|group| {
            group
                .columns()
                .iter()
                .map(|c| (c.column_path().clone(), c.compression()))
                .collect()
        })
        .unwrap_or_default();
    Ok(ParquetInput {
        file,
        metadata,
        source: Arc::new(Source {
            name: input.name(),
            schema,
            text,
            id,
            compressions,
        }),
    })
}

/// What the reader hands over: a batch of rows, or a row group it could not read.
pub(crate) enum Unit {
    Rows(Rows),
    Fault(RecordError),
}

/// A batch of rows and where it starts.
pub(crate) struct Rows {
    batch: Arc<RecordBatch>,
    row_group: usize,
    /// Its first row's place in the row group.
    first: usize,
    /// Rows of the file before it.
    before: u64,
}

impl Rows {
    pub(crate) fn len(&self) -> usize {
        self.batch.num_rows()
    }
}

/// Reads every row group of `input` in order and hands each batch to `send` (which says
/// whether to go on). A row group that cannot be read is a [`Unit::Fault`] after the
/// batches read from it, and reading goes on with the next one: the rows of other row
/// groups are not lost.
pub(crate) fn read(input: &ParquetInput, consumed: &AtomicU64, mut send: impl FnMut(Unit) -> bool) {
    let groups = input.metadata.metadata().row_groups();
    let mut before = 0u64;
    for (row_group, group) in groups.iter().enumerate() {
        let fault = |read: usize, e: &dyn std::fmt::Display| {
            Unit::Fault(RecordError {
                line: 0,
                message: format!(
                    "row group {row_group}: reading stopped at row {read}: {e} (the {read} rows before it were read; the other row groups are read)"
                ),
            })
        };
        let reader = input
            .file
            .try_clone()
            .map_err(|e| e.to_string())
            .and_then(|file| {
                ParquetRecordBatchReaderBuilder::new_with_metadata(file, input.metadata.clone())
                    .with_row_groups(vec![row_group])
                    .with_batch_size(BATCH_ROWS)
                    .build()
                    .map_err(|e| e.to_string())
            });
        let mut read = 0usize;
        match reader {
            Err(e) => {
                if !send(fault(0, &e)) {
                    return;
                }
            }
            Ok(reader) => {
                for batch in reader {
                    let unit = match batch {
                        Ok(batch) => {
                            let rows = Rows {
                                batch: Arc::new(batch),
                                row_group,
                                first: read,
                                before: before + read as u64,
                            };
                            read += rows.len();
                            Unit::Rows(rows)
                        }
                        Err(e) => fault(read, &e),
                    };
                    let stop = matches!(unit, Unit::Fault(_));
                    if !send(unit) {
                        return;
                    }
                    if stop {
                        break;
                    }
                }
            }
        }
        consumed.fetch_add(
            u64::try_from(group.compressed_size()).unwrap_or(0),
            Ordering::Relaxed,
        );
        before += u64::try_from(group.num_rows()).unwrap_or(0);
    }
}

/// The document of row `i` of `rows`: an error naming the row group and row when its
/// text is null.
pub(crate) fn document(
    rows: &Rows,
    i: usize,
    source: &Arc<Source>,
    options: &ReadOptions,
) -> Result<Document, RecordError> {
    let at_file = rows.before + i as u64;
    let place = format!(
        "row group {}, row {} (row {at_file} of the file)",
        rows.row_group,
        rows.first + i
    );
    let column = rows.batch.column(source.text);
    if column.is_null(i) {
        return Err(RecordError {
            line: 0,
            message: format!("{place}: `{}` is null", options.text_field),
        });
    }
    let text = match column.data_type() {
        DataType::LargeUtf8 => column.as_string::<i64>().value(i),
        _ => column.as_string::<i32>().value(i),
    }
    .to_string();
    let id = source
        .id
        .map(|c| rows.batch.column(c))
        .filter(|c| !c.is_null(i))
        .and_then(|c| match c.data_type() {
            DataType::Utf8 => Some(c.as_string::<i32>().value(i).to_string()),
            DataType::LargeUtf8 => Some(c.as_string::<i64>().value(i).to_string()),
            _ => arrow_cast_integer(c.as_ref(), i),
        })
        .unwrap_or_else(|| format!("{}:{at_file}", source.name));
    let record = options.parquet_records.then(|| {
        super::record::Record::parse(&row_json(&rows.batch, i))
            .expect("a row is written as a JSON object")
    });
    Ok(Document {
        id,
        text,
        record,
        line: usize::try_from(at_file)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
        row: Some(Row {
            batch: rows.batch.clone(),
            index: i,
            row_group: rows.row_group,
            source: source.clone(),
        }),
    })
}

/// An integer column's value as text.
fn arrow_cast_integer(array: &dyn Array, i: usize) -> Option<String> {
    use arrow_array::types::{
        Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
    };
    Some(match array.data_type() {
        DataType::Int8 => array.as_primitive::<Int8Type>().value(i).to_string(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(i).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(i).to_string(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(i).to_string(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(i).to_string(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(i).to_string(),
        _ => return None,
    })
}

/// The source of a Parquet input, its footer read again (for a writer that must know the
/// schema before the first row comes, or when none comes).
pub fn source_of(input: &Input, options: &ReadOptions) -> Option<Arc<Source>> {
    open(input, options).ok().map(|input| input.source)
}

/// A compression named on the command line: `none`, `snappy`, `gzip`, `zstd`, `lz4`,
/// optionally with a level (`zstd(9)`, `gzip(6)`).
pub fn parse_compression(text: &str) -> Result<Compression, String> {
    let lower = text.trim().to_ascii_lowercase();
    let (name, level) = match lower.split_once('(') {
        Some((name, rest)) => (
            name,
            Some(
                rest.strip_suffix(')')
                    .and_then(|l| l.trim().parse::<i32>().ok())
                    .ok_or_else(|| format!("bad compression level in `{text}`"))?,
            ),
        ),
        None => (lower.as_str(), None),
    };
    let no_level = |c: Compression| match level {
        None => Ok(c),
        Some(_) => Err(format!("{name} takes no level")),
    };
    match name {
        "none" | "uncompressed" => no_level(Compression::UNCOMPRESSED),
        "snappy" => no_level(Compression::SNAPPY),
        "lz4" => no_level(Compression::LZ4_RAW),
        "gzip" => Ok(Compression::GZIP(match level {
            None => GzipLevel::default(),
            Some(l) => {
                GzipLevel::try_new(u32::try_from(l).map_err(|e| e.to_string())?)
                    .map_err(|e| e.to_string())?
            }
        })),
        "zstd" => Ok(Compression::ZSTD(match level {
            None => ZstdLevel::default(),
            Some(l) => ZstdLevel::try_new(l).map_err(|e| e.to_string())?,
        })),
        _ => Err(format!(
            "unknown compression `{text}` (none, snappy, gzip, zstd, lz4; gzip and zstd take a level: zstd(9))"
        )),
    }
}

/// Columns a run adds to every row it writes. The caller builds them: this module knows
/// nothing of outcomes.
pub trait Columns {
    /// One row's values.
    type Values;
    /// The added fields, in order.
    fn fields(&self) -> Vec<FieldRef>;
    /// One array per field, holding the values of `rows` in order.
    fn arrays(&self, rows: &[Self::Values]) -> Vec<ArrayRef>;
}

/// Where each output column comes from.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// An input column, passed through.
    Input(usize),
    /// The cleaned text.
    Text,
    /// The caller's column.
    Added(usize),
}

/// The output's shape, fixed by the first input.
struct Layout {
    /// The input fields every row must have.
    input: SchemaRef,
    output: SchemaRef,
    slots: Vec<Slot>,
    large_text: bool,
    /// The source the layout came from, for messages.
    first: String,
}

/// A Parquet file of cleaned rows: every input column passed through, the text column
/// replaced, the caller's columns added (in the place of an input column of the same
/// name, else at the end).
pub struct ParquetOutput<C: Columns> {
    path: PathBuf,
    file: Option<AtomicFile>,
    writer: Option<ArrowWriter<AtomicFile>>,
    columns: C,
    compression: Option<Compression>,
    layout: Option<Layout>,
    batches: Vec<Arc<RecordBatch>>,
    indices: Vec<(usize, usize)>,
    texts: Vec<String>,
    values: Vec<C::Values>,
    /// The source and row group of the last row, to close a row group where the input did.
    last: Option<(*const Source, usize)>,
}

fn other(message: String) -> io::Error {
    io::Error::other(message)
}

impl<C: Columns> ParquetOutput<C> {
    /// Starts writing `path`; `compression` overrides the input's.
    pub fn create(path: &Path, columns: C, compression: Option<Compression>) -> io::Result<Self> {
        Ok(Self {
            path: path.to_path_buf(),
            file: Some(AtomicFile::create(path)?),
            writer: None,
            columns,
            compression,
            layout: None,
            batches: Vec::new(),
            indices: Vec::new(),
            texts: Vec::new(),
            values: Vec::new(),
            last: None,
        })
    }

    /// Takes the shape of the output from `source` (the first one given), or checks that
    /// its columns are the same as the first's.
    pub fn begin(&mut self, source: &Source) -> io::Result<()> {
        if let Some(layout) = &self.layout {
            if layout.input.fields() != source.schema.fields() {
                return Err(other(format!(
                    "{} has other columns than {}, and one Parquet file has one schema; write a folder instead (-o DIR/)",
                    source.name, layout.first
                )));
            }
            return Ok(());
        }
        let added = self.columns.fields();
        let mut fields: Vec<FieldRef> = Vec::new();
        let mut slots = Vec::new();
        let mut placed = vec![false; added.len()];
        for (i, field) in source.schema.fields().iter().enumerate() {
            if i == source.text {
                fields.push(field.clone());
                slots.push(Slot::Text);
            } else if let Some(j) = added.iter().position(|a| a.name() == field.name()) {
                fields.push(added[j].clone());
                slots.push(Slot::Added(j));
                placed[j] = true;
            } else {
                fields.push(field.clone());
                slots.push(Slot::Input(i));
            }
        }
        for (j, field) in added.iter().enumerate() {
            if !placed[j] {
                fields.push(field.clone());
                slots.push(Slot::Added(j));
            }
        }
        let mut metadata = source.schema.metadata().clone();
        if !added.is_empty() {
            // The `datasets` library's description of the columns would no longer match.
            metadata.remove("huggingface");
        }
        let output = Arc::new(Schema::new_with_metadata(fields, metadata));
        let text_compression = source
            .compressions
            .iter()
            .find(|(path, _)| path.parts().first() == Some(source.schema.field(source.text).name()))
            .map(|(_, c)| *c);
        let mut properties = WriterProperties::builder()
            .set_max_row_group_row_count(None)
            .set_compression(
                self.compression
                    .or(text_compression)
                    .unwrap_or(Compression::ZSTD(ZstdLevel::default())),
            );
        if self.compression.is_none() {
            for (path, compression) in &source.compressions {
                let replaced = added.iter().any(|a| path.parts().first() == Some(a.name()));
                if !replaced {
                    properties = properties.set_column_compression(path.clone(), *compression);
                }
            }
        }
        let file = self
            .file
            .take()
            .ok_or_else(|| other("the output was already written".into()))?;
        self.writer = Some(
            ArrowWriter::try_new(file, output.clone(), Some(properties.build()))
                .map_err(|e| other(e.to_string()))?,
        );
        self.layout = Some(Layout {
            input: source.schema.clone(),
            large_text: matches!(
                source.schema.field(source.text).data_type(),
                DataType::LargeUtf8
            ),
            output,
            slots,
            first: source.name.clone(),
        });
        Ok(())
    }

    /// Adds a row: `row`'s columns, `text` for its text column, `values` for the added
    /// columns.
    pub fn push(&mut self, row: &Row, text: String, values: C::Values) -> io::Result<()> {
        self.begin(&row.source)?;
        let place = (Arc::as_ptr(&row.source), row.row_group);
        if self.last.is_some_and(|last| last != place) {
            // The input closed a row group here: so does the output.
            self.write_pending()?;
            self.writer_mut()?
                .flush()
                .map_err(|e| other(e.to_string()))?;
        }
        self.last = Some(place);
        let batch = match self.batches.last() {
            Some(last) if Arc::ptr_eq(last, &row.batch) => self.batches.len() - 1,
            _ => {
                self.batches.push(row.batch.clone());
                self.batches.len() - 1
            }
        };
        self.indices.push((batch, row.index));
        self.texts.push(text);
        self.values.push(values);
        if self.indices.len() >= WRITE_ROWS {
            self.write_pending()?;
        }
        Ok(())
    }

    fn writer_mut(&mut self) -> io::Result<&mut ArrowWriter<AtomicFile>> {
        self.writer
            .as_mut()
            .ok_or_else(|| other("no Parquet input gave the output its columns".into()))
    }

    /// Hands the gathered rows to the writer as one batch.
    fn write_pending(&mut self) -> io::Result<()> {
        if self.indices.is_empty() {
            return Ok(());
        }
        let layout = self.layout.as_ref().expect("rows come after begin");
        let added = self.columns.arrays(&self.values);
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(layout.slots.len());
        for slot in &layout.slots {
            columns.push(match *slot {
                Slot::Text if layout.large_text => {
                    Arc::new(LargeStringArray::from_iter_values(&self.texts))
                }
                Slot::Text => Arc::new(StringArray::from_iter_values(&self.texts)),
                Slot::Added(j) => added[j].clone(),
                Slot::Input(i) => {
                    let arrays: Vec<&dyn Array> =
                        self.batches.iter().map(|b| b.column(i).as_ref()).collect();
                    arrow_select::interleave::interleave(&arrays, &self.indices)
                        .map_err(|e| other(e.to_string()))?
                }
            });
        }
        let batch = RecordBatch::try_new(layout.output.clone(), columns)
            .map_err(|e| other(e.to_string()))?;
        self.indices.clear();
        self.texts.clear();
        self.values.clear();
        // Only the last batch can have rows still to come.
        let keep = self.batches.pop();
        self.batches.clear();
        self.batches.extend(keep);
        self.indices.clear();
        let writer = self.writer_mut()?;
        writer.write(&batch).map_err(|e| other(e.to_string()))?;
        if writer.in_progress_size() > ROW_GROUP_BYTES {
            writer.flush().map_err(|e| other(e.to_string()))?;
        }
        Ok(())
    }

    /// Writes the rest and the footer, ready to be put in place with the run's other
    /// outputs. An output no Parquet input gave columns to holds the text column alone.
    pub fn prepare(mut self) -> io::Result<Prepared> {
        if self.layout.is_none() {
            let source = Source {
                name: self.path.display().to_string(),
                schema: Arc::new(Schema::new(vec![Field::new("text", DataType::Utf8, false)])),
                text: 0,
                id: None,
                compressions: Vec::new(),
            };
            self.begin(&source)?;
        }
        self.write_pending()?;
        let writer = self.writer.take().expect("begin made the writer");
        writer
            .into_inner()
            .and_then(|mut file| {
                use std::io::Write;
                file.flush()?;
                Ok(file)
            })
            .map_err(|e| other(e.to_string()))?
            .prepare()
    }
}

/// A Parquet file of rows the caller builds whole (change records).
pub struct TableFile {
    writer: ArrowWriter<AtomicFile>,
}

impl TableFile {
    /// Starts writing `path` with `schema`, compressed with `compression` (Zstandard when
    /// `None`).
    pub fn create(
        path: &Path,
        schema: SchemaRef,
        compression: Option<Compression>,
    ) -> io::Result<Self> {
        let properties = WriterProperties::builder()
            .set_compression(compression.unwrap_or(Compression::ZSTD(ZstdLevel::default())))
            .build();
        let writer = ArrowWriter::try_new(AtomicFile::create(path)?, schema, Some(properties))
            .map_err(|e| other(e.to_string()))?;
        Ok(Self { writer })
    }

    /// Adds a batch of rows.
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        self.writer.write(batch).map_err(|e| other(e.to_string()))?;
        if self.writer.in_progress_size() > ROW_GROUP_BYTES {
            self.writer.flush().map_err(|e| other(e.to_string()))?;
        }
        Ok(())
    }

    /// Writes the footer, ready to be put in place with the run's other outputs.
    pub fn prepare(self) -> io::Result<Prepared> {
        self.writer
            .into_inner()
            .map_err(|e| other(e.to_string()))?
            .prepare()
    }
}
