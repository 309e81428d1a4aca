//! Inputs and the documents in them.
//!
//! A text file is one document. A JSONL file holds one record per line; every field of a
//! record is kept, and errors carry the file and line so nothing is dropped silently.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

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

impl Format {
    /// The format a file's extension suggests: `.jsonl` and `.json` are JSONL.
    #[must_use]
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl" | "json") => Self::Jsonl,
            _ => Self::Text,
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
    /// How the input is named in messages and diff headers.
    #[must_use]
    pub fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string())
    }

    fn open(&self) -> Result<Box<dyn Read>, Error> {
        match &self.path {
            None => Ok(Box::new(io::stdin().lock())),
            Some(path) => File::open(path)
                .map(|f| Box::new(f) as Box<dyn Read>)
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                }),
        }
    }
}

/// Expands paths into inputs: files as given, folders searched recursively (sorted) for
/// files of a known extension (`.txt`, `.text`, `.md` for text; `.jsonl`, `.json` for
/// JSONL). `-` or no paths at all means standard input. A missing path is an error.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    if paths.is_empty() {
        return Ok(vec![Input {
            path: None,
            root: None,
        }]);
    }
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input {
                path: None,
                root: None,
            });
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
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, found)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "text" | "md" | "jsonl" | "json")
        ) {
            found.push(path);
        }
    }
    Ok(())
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

/// Reads a text input as one document. Invalid UTF-8 is an error naming the line.
pub fn read_text_document(input: &Input) -> Result<Document, Error> {
    let mut bytes = Vec::new();
    input
        .open()?
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: input.path.clone().unwrap_or_else(|| "<stdin>".into()),
            source,
        })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = memchr::memchr_iter(b'\n', &bytes[..valid]).count() + 1;
        Error::Input {
            path: input.name(),
            line,
            message: format!("invalid UTF-8 at byte {valid}"),
        }
    })?;
    Ok(Document {
        id: input.name(),
        text,
        record: None,
        line: 1,
    })
}

/// A JSONL line that is not a usable record; reported, never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line in the input.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Reads JSONL records one line at a time, so memory does not grow with the file.
pub struct JsonlReader {
    lines: Box<dyn BufRead>,
    name: String,
    line: usize,
    text_field: Vec<String>,
    id_field: Vec<String>,
    buffer: Vec<u8>,
}

impl JsonlReader {
    /// Opens an input. Fields are dotted paths into nested objects (`meta.body`).
    pub fn open(input: &Input, text_field: &str, id_field: &str) -> Result<Self, Error> {
        Ok(Self {
            lines: Box::new(BufReader::with_capacity(1 << 16, input.open()?)),
            name: input.name(),
            line: 0,
            text_field: text_field.split('.').map(str::to_string).collect(),
            id_field: id_field.split('.').map(str::to_string).collect(),
            buffer: Vec::new(),
        })
    }

    /// The next record, `Ok(None)` at the end. An I/O failure ends the input with an
    /// error; a bad record yields `Ok(Some(Err(..)))` and reading goes on.
    pub fn next_record(&mut self) -> Result<Option<Result<Document, RecordError>>, Error> {
        loop {
            self.buffer.clear();
            let read = self
                .lines
                .read_until(b'\n', &mut self.buffer)
                .map_err(|source| Error::Io {
                    path: self.name.clone().into(),
                    source,
                })?;
            if read == 0 {
                return Ok(None);
            }
            self.line += 1;
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue; // a blank line holds no record
            }
            return Ok(Some(self.parse()));
        }
    }

    fn parse(&self) -> Result<Document, RecordError> {
        let error = |message: String| RecordError {
            line: self.line,
            message,
        };
        let line = std::str::from_utf8(&self.buffer)
            .map_err(|e| error(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        let record: Map<String, Value> = match serde_json::from_str(line) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(error("the line is valid JSON but not an object".into())),
            Err(e) => return Err(error(format!("invalid JSON: {e}"))),
        };
        let text = match field(&record, &self.text_field) {
            Some(Value::String(text)) => text.clone(),
            Some(_) => {
                return Err(error(format!(
                    "field `{}` is not a string",
                    self.text_field.join(".")
                )))
            }
            None => {
                return Err(error(format!(
                    "record has no `{}` field",
                    self.text_field.join(".")
                )))
            }
        };
        let id = match field(&record, &self.id_field) {
            Some(Value::String(id)) => id.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", self.name, self.line),
        };
        Ok(Document {
            id,
            text,
            record: Some(record),
            line: self.line,
        })
    }
}

fn field<'a>(record: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    let (last, parents) = path.split_last()?;
    let mut map = record;
    for key in parents {
        map = map.get(key)?.as_object()?;
    }
    map.get(last)
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
