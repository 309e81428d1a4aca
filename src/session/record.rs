//! Output records: what a cleaned, split or rejected document looks like on the way out.
//!
//! A JSONL record keeps every field of its input; the text field gets the cleaned text and,
//! when they were computed, `sentences`, `guard` and `quality` are added. A text document
//! is its cleaned text, or its sentences one per line.

use std::ops::Range;

use serde_json::{json, Map, Value};

use crate::io::{set_field, Document, Record};
use crate::pipeline::Outcome;
use crate::quality::Quality;

/// The sentences of `text` as strings.
fn sentence_strings<'t>(
    text: &'t str,
    sentences: &'t [Range<usize>],
) -> impl Iterator<Item = &'t str> + 't {
    sentences.iter().map(|r| &text[r.clone()])
}

/// One sentence on one line: the line breaks of a hard-wrapped sentence become spaces.
#[must_use]
pub fn one_line(sentence: &str) -> String {
    if !sentence.contains(['\n', '\r']) {
        return sentence.to_string();
    }
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sentences one per line, each followed by a line break.
fn sentence_lines(text: &str, sentences: &[Range<usize>]) -> Vec<u8> {
    let mut lines = Vec::new();
    for range in sentences {
        lines.extend_from_slice(one_line(&text[range.clone()]).as_bytes());
        lines.push(b'\n');
    }
    lines
}

fn quality_json(quality: &Quality) -> Value {
    // Signals are finite numbers and ids strings, so serialising cannot fail.
    serde_json::to_value(quality).unwrap_or(Value::Null)
}

fn line_of(value: &impl serde::Serialize) -> Vec<u8> {
    let mut line = serde_json::to_vec(value).expect("a parsed record serializes");
    line.push(b'\n');
    line
}

/// The output of a cleaned document: its JSONL line, or its text (its sentences one per
/// line when they were computed). `with_quality` adds the `quality` field to a record.
/// The outcome's text is moved out.
#[must_use]
pub fn cleaned(
    document: &Document,
    outcome: &mut Outcome,
    text_field: &str,
    with_quality: bool,
) -> Vec<u8> {
    let text = std::mem::take(&mut outcome.text);
    let Some(record) = &document.record else {
        return match &outcome.sentences {
            Some(sentences) => sentence_lines(&text, sentences),
            None => text.into_bytes(),
        };
    };
    let quality = outcome.quality.as_ref().filter(|_| with_quality);
    if outcome.sentences.is_none()
        && outcome.guard.is_none()
        && quality.is_none()
        && !text_field.contains('.')
    {
        // Only the text changes: written straight from the record, without a copy.
        let mut line = Vec::new();
        record.write_json_setting(&mut line, text_field, &text);
        line.push(b'\n');
        return line;
    }
    let mut record = record.clone();
    if let Some(sentences) = &outcome.sentences {
        record.insert_strings("sentences".into(), sentence_strings(&text, sentences));
    }
    set_field(&mut record, text_field, &text);
    if let Some(guard) = outcome.guard {
        record.insert(
            "guard".into(),
            json!({"removed_share": guard.removed_share, "threshold": guard.threshold}),
        );
    }
    if let Some(quality) = quality {
        record.insert_serialized("quality".into(), quality);
    }
    record_line(&record)
}

/// A record as one line: fields it was read with pass through as their bytes.
fn record_line(record: &Record) -> Vec<u8> {
    let mut line = record.to_json();
    line.push(b'\n');
    line
}

/// `language` (null when there was no text to go on) and `language_score` of the built-in
/// detector.
#[must_use]
pub fn detected_language(detection: Option<crate::sentence::Detection>) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("language".into(), json!(detection.map(|d| d.code)));
    fields.insert(
        "language_score".into(),
        json!(detection.map(|d| d.confidence)),
    );
    fields
}

/// Adds `fields` to the JSONL line `line` (a text document's output, not a record, is left
/// alone), in the place of any the record has.
pub fn add_fields(line: &mut Vec<u8>, fields: Map<String, Value>) {
    if !line.ends_with(b"}\n") {
        return;
    }
    let named = fields
        .keys()
        .any(|key| memchr::memmem::find(line, format!("\"{key}\"").as_bytes()).is_some());
    if named {
        // The record may have them already: written again with them replaced.
        if let Ok(Value::Object(mut record)) = serde_json::from_slice::<Value>(line) {
            record.extend(fields);
            *line = Value::Object(record).to_string().into_bytes();
            line.push(b'\n');
            return;
        }
    }
    line.truncate(line.len() - 2);
    let empty = line.ends_with(b"{");
    let fields = Value::Object(fields).to_string();
    if !empty {
        line.push(b',');
    }
    // The fields without their braces.
    line.extend_from_slice(&fields.as_bytes()[1..fields.len() - 1]);
    line.extend_from_slice(b"}\n");
}

/// The rejects-file line of a document the quality rules drop (`None` when it is kept):
/// the cleaned record (a text document becomes `{id, text}`) plus `quality`.
#[must_use]
pub fn rejected(document: &Document, outcome: &Outcome, text_field: &str) -> Option<Vec<u8>> {
    let quality = outcome.quality.as_ref().filter(|q| !q.is_kept())?;
    Some(match &document.record {
        Some(record) => {
            let mut record = record.clone();
            set_field(&mut record, text_field, &outcome.text);
            record.insert_serialized("quality".into(), quality);
            record_line(&record)
        }
        None => line_of(
            &json!({"id": document.id, "text": outcome.text, "quality": quality_json(quality)}),
        ),
    })
}

/// The output of `split`: a record with `sentences` in place of its text field (every
/// other field kept), or the sentences one per line. The JSON is written straight from
/// the text: no copy of the record, no `String` per sentence.
#[must_use]
pub fn split(document: &Document, sentences: &[Range<usize>], text_field: &str) -> Vec<u8> {
    let Some(record) = &document.record else {
        return sentence_lines(&document.text, sentences);
    };
    let mut out = record.clone();
    out.remove(text_field);
    out.insert_strings(
        "sentences".into(),
        sentence_strings(&document.text, sentences),
    );
    record_line(&out)
}
