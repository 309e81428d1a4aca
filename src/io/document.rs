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

use serde_json::Value;

use super::record::{ParseError, Record};
use crate::error::Error;

/// Input and output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A whole file (or standard input) is one document.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet: one document per row, read row group by row group.
    Parquet,
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
            Some("parquet") if inner == path => Self::Parquet,
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
    /// Give each Parquet row's document its row as a JSON record too (for JSONL output).
    pub parquet_records: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            format: None,
            text_field: "text".into(),
            id_field: "id".into(),
            parquet_records: true,
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
        let mut empty = false;
        let raw: Box<dyn Read + Send> = match &self.path {
            None => Box::new(io::stdin()),
            Some(path) => {
                let file = File::open(path).map_err(|e| self.io_error(e))?;
                // A zero-byte file holds no records whatever its extension: an empty `.gz`
                // or `.zst` reads like an empty `.jsonl`, not as a stream cut before its
                // header. Only regular files: a pipe reports length 0 too.
                empty = file.metadata().is_ok_and(|m| m.is_file() && m.len() == 0);
                Box::new(file)
            }
        };
        let counted = Counting {
            inner: raw,
            consumed,
        };
        let compression = if empty {
            Compression::None
        } else {
            self.compression()
        };
        Ok(match compression {
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
/// `.gz` or `.zst`, bare `.gz`/`.zst`, and `.parquet`). `-` or no paths at all means standard input.
/// A missing path, or any problem inside a folder, is an error; [`expand`] reports
/// problems inside folders and goes on.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    let mut expansion = expand(paths)?;
    if expansion.problems.is_empty() {
        Ok(expansion.inputs)
    } else {
        Err(expansion.problems.remove(0))
    }
}

/// The inputs found under the paths, and what could not be searched.
#[derive(Debug, Default)]
pub struct Expansion {
    /// The inputs, in order: paths as given, each folder's files sorted.
    pub inputs: Vec<Input>,
    /// Sub-folders that could not be read and symbolic links that loop back to a folder
    /// being searched (not followed); the rest of the tree is still searched.
    pub problems: Vec<Error>,
}

/// Like [`expand_inputs`], but a folder that cannot be read, or a symbolic link that
/// points back to a folder above it, is reported in [`Expansion::problems`] and the
/// search goes on (as ripgrep does). A path named on the command line that does not
/// exist is still an error.
pub fn expand(paths: &[PathBuf]) -> Result<Expansion, Error> {
    let mut expansion = Expansion::default();
    if paths.is_empty() {
        expansion.inputs.push(Input::stdin());
        return Ok(expansion);
    }
    for path in paths {
        if path.as_os_str() == "-" {
            expansion.inputs.push(Input::stdin());
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            let mut ancestors: Vec<PathBuf> = path.canonicalize().into_iter().collect();
            walk(path, &mut ancestors, &mut found, &mut expansion.problems);
            found.sort();
            expansion.inputs.extend(found.into_iter().map(|p| Input {
                path: Some(p),
                root: Some(path.clone()),
            }));
        } else {
            expansion.inputs.push(Input {
                path: Some(path.clone()),
                root: None,
            });
        }
    }
    Ok(expansion)
}

/// Searches `folder`; `ancestors` are the real paths of the folders being searched, so a
/// link back to one of them is seen as the loop it is.
fn walk(
    folder: &Path,
    ancestors: &mut Vec<PathBuf>,
    found: &mut Vec<PathBuf>,
    problems: &mut Vec<Error>,
) {
    let io_error = |source| Error::Io {
        path: folder.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => return problems.push(io_error(e)),
    };
    for entry in entries {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                problems.push(io_error(e));
                continue;
            }
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            let real = match path.canonicalize() {
                Ok(real) => real,
                Err(source) => {
                    problems.push(Error::Io { path, source });
                    continue;
                }
            };
            if let Some(ancestor) = ancestors.iter().find(|a| **a == real) {
                problems.push(Error::Io {
                    source: io::Error::other(format!(
                        "symbolic link loop (points to {}), not followed",
                        ancestor.display()
                    )),
                    path,
                });
                continue;
            }
            ancestors.push(real);
            walk(&path, ancestors, found, problems);
            ancestors.pop();
        } else if is_document_file(name) {
            found.push(path);
        }
    }
}

fn is_document_file(name: &str) -> bool {
    if name.ends_with(".parquet") {
        return true;
    }
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
    /// The whole record, for JSONL input, its fields kept as read; its text field is
    /// replaced on output.
    pub record: Option<Record>,
    /// 1-based line of the record in its file (1 for text files; for a Parquet row, its
    /// place in the file counted from 1).
    pub line: usize,
    /// The Parquet row the document was read from, its other columns to pass through.
    pub row: Option<super::parquet::Row>,
}

impl Document {
    /// The language its record names in a `lang` field, if any.
    #[must_use]
    pub fn lang(&self) -> Option<&str> {
        match (&self.record, &self.row) {
            (Some(record), _) => record.get_str("lang"),
            (None, Some(row)) => row.get_str("lang"),
            (None, None) => None,
        }
    }

    /// The language a language identifier gave its record (`language`: `de`, `deu_Latn`),
    /// the script beside it (`language_script`) and its score (`language_score`), as
    /// datatrove writes them.
    #[must_use]
    pub fn language(&self) -> (Option<&str>, Option<&str>, Option<f64>) {
        match (&self.record, &self.row) {
            (Some(record), _) => (
                record.get_str("language"),
                record.get_str("language_script"),
                record.get("language_score").and_then(|v| v.as_f64()),
            ),
            (None, Some(row)) => (
                row.get_str("language"),
                row.get_str("language_script"),
                row.get_f64("language_score"),
            ),
            (None, None) => (None, None, None),
        }
    }
}

/// A JSONL line that is not a usable record (or a text file that is not UTF-8); reported,
/// never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line in the input; 0 when the input as a whole could not be read.
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
        row: None,
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
    let line_text = std::str::from_utf8(bytes)
        .map_err(|e| error(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let record = match Record::parse(line_text) {
        Ok(record) => record,
        Err(ParseError::NotObject) => {
            return Err(error("the line is valid JSON but not an object".into()))
        }
        Err(ParseError::Invalid(e)) => {
            return Err(error(format!("invalid JSON: {}", json_reason(&e))))
        }
    };
    // Only the text and id fields are decoded; the rest stays raw.
    let text = match record.path_json(&options.text_field) {
        Some(json) if json.starts_with('"') => {
            serde_json::from_str::<String>(&json).map_err(|e| {
                // Parse the whole line again (error path only) so the column is the line's.
                let e = serde_json::from_str::<serde_json::Value>(line_text)
                    .err()
                    .unwrap_or(e);
                error(format!("invalid JSON: {}", json_reason(&e)))
            })?
        }
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
    let id = match record
        .path_json(&options.id_field)
        .and_then(|json| serde_json::from_str::<Value>(&json).ok())
    {
        Some(Value::String(id)) => id,
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("{name}:{line}"),
    };
    Ok(Document {
        id,
        text,
        record: Some(record),
        line,
        row: None,
    })
}

/// serde_json's reason, reworded where it misleads: it calls any unpaired surrogate
/// escape (`\udcff` is a trailing one) a "lone leading surrogate".
fn json_reason(error: &serde_json::Error) -> String {
    error.to_string().replace(
        "lone leading surrogate in hex escape",
        "unpaired surrogate in a \\u escape (half of a UTF-16 pair is not a character)",
    )
}
