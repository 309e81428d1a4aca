//! Sentences of whole documents: which rules a document gets, and its sentences written
//! as a JSONL record.
//!
//! A document's rules come from, in order: the language it declares (a record's `lang`),
//! the caller's default (`--lang`, or `lang` in the config), language identification
//! ([`detect`](super::detect)) when it is reliable and finds a language with rules, and
//! English. The JSONL writer slices the sentences straight out of the text into the output
//! buffer: no per-sentence `String`, no copy of the record.

use std::io::Write;
use std::ops::Range;

use serde_json::{Map, Value};

use super::{Error, Language, Segmenter};

/// Chooses the sentence rules for each document. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct RuleChoice {
    default: Option<Language>,
}

impl RuleChoice {
    /// Rules for documents that declare no language: `default` (a code such as `de`), or,
    /// when it is `None`, the detected language, else English.
    pub fn new(default: Option<&str>) -> Result<RuleChoice, Error> {
        Ok(RuleChoice {
            default: default.map(Language::from_code).transpose()?,
        })
    }

    /// The language whose rules split a document that declares `declared` (ignored when it
    /// has no rules) and reads `text`.
    #[must_use]
    pub fn language(&self, declared: Option<&str>, text: &str) -> Language {
        declared
            .and_then(|code| Language::from_code(code).ok())
            .or(self.default)
            .or_else(|| Language::detect(text))
            .unwrap_or(Language::English)
    }

    /// The segmenter for such a document.
    #[must_use]
    pub fn segmenter(&self, declared: Option<&str>, text: &str) -> Segmenter {
        Segmenter::new(self.language(declared, text))
    }
}

/// Appends `record` as one JSON line to `out`, without the field `text_field` and with
/// `sentences` (byte ranges into `text`) as a `sentences` list: where the record already
/// had a `sentences` field, else last. The bytes equal those of `serde_json::to_vec` on
/// the edited record.
pub fn write_sentences_record(
    out: &mut Vec<u8>,
    record: &Map<String, Value>,
    text_field: &str,
    text: &str,
    sentences: &[Range<usize>],
) {
    let write_sentences = |out: &mut Vec<u8>| {
        out.push(b'[');
        for (i, range) in sentences.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json(out, &text[range.clone()]);
        }
        out.push(b']');
    };
    out.push(b'{');
    let mut first = true;
    let mut wrote_sentences = false;
    for (key, value) in record {
        if key == text_field {
            continue;
        }
        if !std::mem::take(&mut first) {
            out.push(b',');
        }
        write_json(out, key);
        out.push(b':');
        if key == "sentences" {
            write_sentences(out);
            wrote_sentences = true;
        } else {
            write_json(out, value);
        }
    }
    if !wrote_sentences {
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(b"\"sentences\":");
        write_sentences(out);
    }
    out.extend_from_slice(b"}\n");
}

fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing a parsed JSON value or a string into memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap_or_default()
    }

    /// What `split` wrote before: the record without its text, plus the sentences.
    fn reference(record: &Map<String, Value>, text: &str, ranges: &[Range<usize>]) -> Vec<u8> {
        let mut edited = Map::new();
        for (key, value) in record {
            if key != "text" {
                edited.insert(key.clone(), value.clone());
            }
        }
        let sentences: Vec<String> = ranges.iter().map(|r| text[r.clone()].to_string()).collect();
        edited.insert("sentences".into(), sentences.into());
        let mut line = serde_json::to_vec(&edited).unwrap_or_default();
        line.push(b'\n');
        line
    }

    #[test]
    fn writes_the_same_bytes_as_building_the_record() {
        let text = "Er sagte: \"Nein.\" Dann\tging er… 😀 \\ Ende.";
        let ranges = Segmenter::new(Language::German).split(text);
        for json in [
            r#"{"id":"a","text":"x","n":1.50,"meta":{"k":[1,2,null]},"lang":"de"}"#,
            r#"{"text":"x"}"#,
            r#"{"id":"b","sentences":"old","text":"x","z":true}"#,
            r#"{}"#,
        ] {
            let record = record(json);
            let mut out = Vec::new();
            write_sentences_record(&mut out, &record, "text", text, &ranges);
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&reference(&record, text, &ranges)),
                "{json}"
            );
        }
    }

    #[test]
    fn declared_then_default_then_detected_then_english() {
        let german = "Die Regierung hat am Dienstag ein neues Gesetz beschlossen.";
        let detect = RuleChoice::new(None).map_err(|e| e.to_string());
        let fixed = RuleChoice::new(Some("fr")).map_err(|e| e.to_string());
        assert_eq!(
            detect.as_ref().map(|c| c.language(Some("ru"), german)),
            Ok(Language::Russian)
        );
        assert_eq!(
            detect.as_ref().map(|c| c.language(Some("xx"), german)),
            Ok(Language::German)
        );
        assert_eq!(
            fixed.as_ref().map(|c| c.language(None, german)),
            Ok(Language::French)
        );
        assert_eq!(
            detect.as_ref().map(|c| c.language(None, "12 34")),
            Ok(Language::English)
        );
        assert!(RuleChoice::new(Some("klingon")).is_err());
    }
}
