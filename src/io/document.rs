//! Inputs and the documents in them.
//!
//! A text file is one document. A JSONL file holds one record per line; every field of a
//! record is kept, and errors carry the file and line so nothing is dropped silently.
//! Files ending in `.gz` or `.zst` are decompressed as they are read.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::Error;

/// Input and output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A whole file (or standard input) is one document.
    Text,
    /// One JSON object per line.
    Jsonl,
}

/// How a file is compressed, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain bytes.
    None,
    /// gzip (`.gz`); concatenated members are read as one stream.
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Compression {
    /// The compression a path's last extension names.
    #[must_use]
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Self::Gzip,
            Some("zst") => Self::Zstd,
            _ => Self::None,
        }
    }
}

impl Format {
    /// The format a file's name suggests, looking through a compression extension:
    /// `.jsonl`, `.json`, `.jsonl.gz`, `.json.zst`, … are JSONL, the rest text.
    #[must_use]
    pub fn from_path(path: &Path) -> Self {
        let inner = if Compression::from_path(path) == Compression::None {
            path.to_path_buf()
        } else {
            path.with_extension("")
        };
        match inner.extension().and_then(|e| e.to_str()) {
            Some("jsonl" | "json") => Self::Jsonl,
            // A bare `.gz`/`.zst` shard is, in corpus work, almost always JSONL.
            None if inner != path => Self::Jsonl,
            _ => Self::Text,
        }
    }
}

/// How records are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a format; `None` decides by file name (standard input is text).
    pub format: Option<Format>,
    /// Dotted path of the JSONL field holding the text.
    pub text_field: String,
    /// Dotted path of the JSONL field naming the document.
    pub id_field: String,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            format: None,
            text_field: "text".into(),
            id_field: "id".into(),
        }
    }
}

/// One input: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// The folder the user named when the file was found inside one, so outputs can mirror
    /// the tree below it.
    pub root: Option<PathBuf>,
}

impl Input {
    /// Standard input.
    #[must_use]
    pub fn stdin() -> Self {
        Self {
            path: None,
            root: None,
        }
    }

    /// How the input is named in messages and diff headers.
    #[must_use]
    pub fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string())
    }

    /// The format of this input under `options`.
    #[must_use]
    pub fn format(&self, options: &ReadOptions) -> Format {
        match (options.format, &self.path) {
            (Some(format), _) => format,
            (None, None) => Format::Text,
            (None, Some(path)) => Format::from_path(path),
        }
    }

    /// The input's compression.
    #[must_use]
    pub fn compression(&self) -> Compression {
        self.path
            .as_deref()
            .map_or(Compression::None, Compression::from_path)
    }

    /// Size on disk, when known (for progress).
    #[must_use]
    pub fn size(&self) -> Option<u64> {
        self.path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
    }

    fn io_error(&self, source: io::Error) -> Error {
        Error::Io {
            path: self.path.clone().unwrap_or_else(|| "<stdin>".into()),
            source,
        }
    }

    /// Opens the input, decompressed; `consumed` counts the raw bytes read.
    pub(crate) fn open(&self, consumed: Arc<AtomicU64>) -> Result<Box<dyn BufRead + Send>, Error> {
        let raw: Box<dyn Read + Send> = match &self.path {
            None => Box::new(io::stdin()),
            Some(path) => Box::new(File::open(path).map_err(|e| self.io_error(e))?),
        };
        let counted = Counting {
            inner: raw,
            consumed,
        };
        Ok(match self.compression() {
            Compression::None => Box::new(BufReader::with_capacity(1 << 16, counted)),
            Compression::Gzip => Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(BufReader::new(counted)),
            )),
            Compression::Zstd => Box::new(BufReader::with_capacity(
                1 << 16,
                zstd::stream::read::Decoder::new(counted).map_err(|e| self.io_error(e))?,
            )),
        })
    }
}

/// Counts bytes as they are read, for the progress bar.
struct Counting<R> {
    inner: R,
    consumed: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Expands paths into inputs: files as given, folders searched recursively (sorted) for
/// files of a known extension (`.txt`, `.text`, `.md`, `.jsonl`, `.json`, each optionally
/// `.gz` or `.zst`, and bare `.gz`/`.zst`). `-` or no paths at all means standard input.
/// A missing path is an error.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    if paths.is_empty() {
        return Ok(vec![Input::stdin()]);
    }
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::stdin());
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            inputs.extend(found.into_iter().map(|p| Input {
                path: Some(p),
                root: Some(path.clone()),
            }));
        } else {
            inputs.push(Input {
                path: Some(path.clone()),
                root: None,
            });
        }
    }
    Ok(inputs)
}

fn walk(folder: &Path, found: &mut Vec<PathBuf>) -> Result<(), Error> {
    let io_error = |source| Error::Io {
        path: folder.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(folder).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, found)?;
        } else if is_document_file(name) {
            found.push(path);
        }
    }
    Ok(())
}

fn is_document_file(name: &str) -> bool {
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .map_or(name, |inner| {
            if inner.contains('.') {
                inner
            } else {
                "x.jsonl"
            }
        });
    [".txt", ".text", ".md", ".jsonl", ".json"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A document ready for cleaning.
#[derive(Debug, Clone)]
pub struct Document {
    /// The id shown in diffs and change records: the record's id, or the file name.
    pub id: String,
    /// The text to clean.
    pub text: String,
    /// The whole record, for JSONL input; its text field is replaced on output.
    pub record: Option<Map<String, Value>>,
    /// 1-based line of the record in its file (1 for text files).
    pub line: usize,
}

/// A JSONL line that is not a usable record (or a text file that is not UTF-8); reported,
/// never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line in the input.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A whole text input as one document. Invalid UTF-8 is an error naming the line.
pub(crate) fn text_document(name: &str, bytes: Vec<u8>) -> Result<Document, RecordError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        RecordError {
            line: memchr::memchr_iter(b'\n', &e.as_bytes()[..valid]).count() + 1,
            message: format!("invalid UTF-8 at byte {valid}"),
        }
    })?;
    Ok(Document {
        id: name.to_string(),
        text,
        record: None,
        line: 1,
    })
}

/// Parses one JSONL line into a document. Fields are dotted paths into nested objects.
pub(crate) fn parse_record(
    name: &str,
    line: usize,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<Document, RecordError> {
    let error = |message: String| RecordError { line, message };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| error(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let record: Map<String, Value> = match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(error("the line is valid JSON but not an object".into())),
        Err(e) => return Err(error(format!("invalid JSON: {e}"))),
    };
    let text = match field(&record, &options.text_field) {
        Some(Value::String(text)) => text.clone(),
        Some(_) => {
            return Err(error(format!(
                "field `{}` is not a string",
                options.text_field
            )))
        }
        None => {
            return Err(error(format!(
                "record has no `{}` field",
                options.text_field
            )))
        }
    };
    let id = match field(&record, &options.id_field) {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("{name}:{line}"),
    };
    Ok(Document {
        id,
        text,
        record: Some(record),
        line,
    })
}

fn field<'a>(record: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut keys = path.split('.');
    let mut value = record.get(keys.next()?)?;
    for key in keys {
        value = value.as_object()?.get(key)?;
    }
    Some(value)
}

/// Puts `value` at the dotted `path` of `record` (the path exists: it was read from there).
pub fn set_field(record: &mut Map<String, Value>, path: &str, value: Value) {
    let keys: Vec<&str> = path.split('.').collect();
    let (last, parents) = keys.split_last().expect("split yields at least one key");
    let mut map = record;
    for key in parents {
        match map.get_mut(*key).and_then(Value::as_object_mut) {
            Some(inner) => map = inner,
            None => return,
        }
    }
    map.insert((*last).to_string(), value);
}
