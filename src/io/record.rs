//! A JSONL record read without a value tree.
//!
//! Only the fields the run touches are decoded: every other field stays the exact bytes it
//! was read as (numbers of any length, `\u` escapes, nested objects, white space inside a
//! value) and is written back verbatim, in the order it was read. Key order and keys are
//! kept byte for byte as well; a field the run adds or changes is encoded by serde_json.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

/// One JSON object, its untouched fields kept as the bytes they were read as.
#[derive(Clone, PartialEq, Eq)]
pub struct Record {
    /// The object's JSON text as read; raw fields point into it.
    raw: Box<str>,
    fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    /// The decoded key.
    key: String,
    /// The key as written in `raw`, quotes included; `None` for a key the run added.
    raw_key: Option<Range<usize>>,
    value: Slot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// Bytes of `raw`, passed through.
    Raw(Range<usize>),
    /// A value the run wrote, already encoded.
    Encoded(Box<str>),
    /// A nested object the run reached into (a dotted field path).
    Object(Box<Record>),
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Record")
            .field(&String::from_utf8_lossy(&self.to_json()))
            .finish()
    }
}

/// Why a line is not a record.
#[derive(Debug)]
pub(crate) enum ParseError {
    /// Not JSON at all.
    Invalid(serde_json::Error),
    /// JSON, but not an object.
    NotObject,
}

impl Record {
    /// Reads one JSON object. The text is validated as fully as `serde_json::Value` would
    /// (nested values included), but only keys are decoded.
    pub(crate) fn parse(text: &str) -> Result<Self, ParseError> {
        if !text.trim_start().starts_with('{') {
            // Keep serde_json's own message for what the line is instead.
            return match serde_json::from_str::<Value>(text) {
                Ok(_) => Err(ParseError::NotObject),
                Err(e) => Err(ParseError::Invalid(e)),
            };
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let spans = deserializer
            .deserialize_map(Fields { base: text })
            .map_err(ParseError::Invalid)?;
        deserializer.end().map_err(ParseError::Invalid)?;
        let mut fields: Vec<Field> = Vec::with_capacity(spans.len());
        // A repeated key keeps its first place and its last value, as serde_json does; an
        // index keeps that check linear for records with many keys.
        let many = spans.len() > 16;
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (key, raw_key, value) in spans {
            let repeated = if many {
                seen.get(&key).copied()
            } else {
                fields.iter().position(|f| f.key == key)
            };
            if let Some(at) = repeated {
                fields[at].value = Slot::Raw(value);
                continue;
            }
            if many {
                seen.insert(key.clone(), fields.len());
            }
            fields.push(Field {
                key,
                raw_key: Some(raw_key),
                value: Slot::Raw(value),
            });
        }
        Ok(Self {
            raw: text.into(),
            fields,
        })
    }

    /// Number of fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the object has no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.key.as_str())
    }

    /// The JSON text of a top-level field's value.
    #[must_use]
    pub fn get_json(&self, key: &str) -> Option<String> {
        let field = self.fields.iter().find(|f| f.key == key)?;
        Some(self.value_json(&field.value).into_owned())
    }

    /// A top-level string field written without escapes, borrowed from the record (codes
    /// and names such as `lang`; `None` for any other value).
    #[must_use]
    pub fn get_str(&self, key: &str) -> Option<&str> {
        let field = self.fields.iter().find(|f| f.key == key)?;
        let json = match &field.value {
            Slot::Raw(range) => &self.raw[range.clone()],
            Slot::Encoded(text) => text,
            Slot::Object(_) => return None,
        };
        let inner = json.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.contains('\\')).then_some(inner)
    }

    /// A top-level field's value, decoded.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Value> {
        let field = self.fields.iter().find(|f| f.key == key)?;
        serde_json::from_str(&self.value_json(&field.value)).ok()
    }

    /// The value at a dotted `path` (`body.text`), decoded.
    #[must_use]
    pub fn get_path(&self, path: &str) -> Option<Value> {
        serde_json::from_str(&self.path_json(path)?).ok()
    }

    /// The JSON text of the value at a dotted `path`.
    pub(crate) fn path_json(&self, path: &str) -> Option<std::borrow::Cow<'_, str>> {
        let (first, rest) = match path.split_once('.') {
            Some((first, rest)) => (first, Some(rest)),
            None => (path, None),
        };
        let field = self.fields.iter().find(|f| f.key == first)?;
        let Some(rest) = rest else {
            return Some(self.value_json(&field.value));
        };
        let inner = match &field.value {
            Slot::Object(inner) => return inner.path_json(rest).map(|c| c.into_owned().into()),
            other => Self::parse(&self.value_json(other)).ok()?,
        };
        inner.path_json(rest).map(|c| c.into_owned().into())
    }

    fn value_json<'a>(&'a self, slot: &'a Slot) -> std::borrow::Cow<'a, str> {
        match slot {
            Slot::Raw(range) => self.raw[range.clone()].into(),
            Slot::Encoded(text) => text.as_ref().into(),
            Slot::Object(inner) => String::from_utf8(inner.to_json())
                .expect("JSON text is UTF-8")
                .into(),
        }
    }

    /// Sets a top-level field: a key already there keeps its place, a new one goes last.
    pub fn insert(&mut self, key: String, value: Value) {
        self.insert_serialized(key, &value);
    }

    /// [`Self::insert`] of what `value` serializes to, without building a [`Value`] first.
    pub fn insert_serialized(&mut self, key: String, value: &impl serde::Serialize) {
        let encoded = serde_json::to_string(value).expect("the value serializes to JSON");
        self.set_slot(key, Slot::Encoded(encoded.into()));
    }

    /// [`Self::insert_serialized`] of an array of strings (sentences), written by this
    /// module's string writer, which copies the runs between escapes a block at a time
    /// where serde_json looks up every byte.
    pub fn insert_strings<'s>(&mut self, key: String, strings: impl IntoIterator<Item = &'s str>) {
        let mut encoded = vec![b'['];
        for (i, string) in strings.into_iter().enumerate() {
            if i > 0 {
                encoded.push(b',');
            }
            write_json_string(string, &mut encoded);
        }
        encoded.push(b']');
        let encoded = String::from_utf8(encoded).expect("JSON text is UTF-8");
        self.set_slot(key, Slot::Encoded(encoded.into()));
    }

    fn set_slot(&mut self, key: String, value: Slot) {
        match self.fields.iter_mut().find(|f| f.key == key) {
            Some(field) => field.value = value,
            None => self.fields.push(Field {
                key,
                raw_key: None,
                value,
            }),
        }
    }

    /// Removes a top-level field; `true` when it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        let before = self.fields.len();
        self.fields.retain(|f| f.key != key);
        self.fields.len() != before
    }

    /// Puts `value` at the dotted `path` when every object on the way exists (it does for
    /// the path a text was read from); otherwise leaves the record alone.
    pub fn set_path(&mut self, path: &str, value: Value) {
        let encoded = serde_json::to_string(&value).expect("the value serializes to JSON");
        self.set_path_slot(path, Slot::Encoded(encoded.into()));
    }

    fn set_path_slot(&mut self, path: &str, value: Slot) {
        let Some((first, rest)) = path.split_once('.') else {
            self.set_slot(path.to_string(), value);
            return;
        };
        let Some(index) = self.fields.iter().position(|f| f.key == first) else {
            return;
        };
        if let Slot::Raw(range) = &self.fields[index].value {
            match Self::parse(&self.raw[range.clone()]) {
                Ok(inner) => self.fields[index].value = Slot::Object(Box::new(inner)),
                Err(_) => return,
            }
        }
        if let Slot::Object(inner) = &mut self.fields[index].value {
            inner.set_path_slot(rest, value);
        }
    }

    /// The record as one line of compact JSON (no line break).
    #[must_use]
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.raw.len() + 64);
        self.write_json(&mut out);
        out
    }

    /// Appends the record's JSON to `out`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        self.write_json_with(out, None);
    }

    /// Appends the record's JSON to `out` with the top-level field `key` set to the
    /// string `text` (added last when the record lacks it), without copying the record.
    pub fn write_json_setting(&self, out: &mut Vec<u8>, key: &str, text: &str) {
        self.write_json_with(out, Some((key, text)));
    }

    fn write_json_with(&self, out: &mut Vec<u8>, mut set: Option<(&str, &str)>) {
        out.reserve(self.raw.len() + 2);
        out.push(b'{');
        for (i, field) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match &field.raw_key {
                Some(range) => out.extend_from_slice(self.raw[range.clone()].as_bytes()),
                None => serde_json::to_writer(&mut *out, &field.key).expect("a key serializes"),
            }
            out.push(b':');
            if let Some((_, text)) = set.filter(|(key, _)| field.key == *key) {
                write_json_string(text, out);
                set = None;
                continue;
            }
            match &field.value {
                Slot::Raw(range) => out.extend_from_slice(self.raw[range.clone()].as_bytes()),
                Slot::Encoded(text) => out.extend_from_slice(text.as_bytes()),
                Slot::Object(inner) => inner.write_json(out),
            }
        }
        if let Some((key, text)) = set {
            if !self.fields.is_empty() {
                out.push(b',');
            }
            write_json_string(key, out);
            out.push(b':');
            write_json_string(text, out);
        }
        out.push(b'}');
    }
}

/// Visits one object, collecting (key, raw key span, raw value span) per field.
struct Fields<'a> {
    base: &'a str,
}

type Spans = Vec<(String, Range<usize>, Range<usize>)>;

impl<'de> Visitor<'de> for Fields<'de> {
    type Value = Spans;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spans, A::Error> {
        let bytes = self.base.as_bytes();
        let base = self.base.as_ptr() as usize;
        let mut spans = Spans::new();
        // Where the text after the previous value (or the `{`) starts.
        let mut after = self.base.find('{').map_or(0, |i| i + 1);
        while let Some(key) = map.next_key::<String>()? {
            let value: &'de RawValue = map.next_value()?;
            let start = value.get().as_ptr() as usize - base;
            let end = start + value.get().len();
            // The key token lies between the previous value (and its comma) and the colon
            // before this value; both ends are found by skipping white space.
            let mut key_start = after;
            while key_start < start && bytes[key_start] != b'"' {
                key_start += 1;
            }
            let mut key_end = start;
            while key_end > key_start && bytes[key_end - 1] != b':' {
                key_end -= 1;
            }
            key_end -= 1; // the colon
            while key_end > key_start && bytes[key_end - 1] != b'"' {
                key_end -= 1;
            }
            spans.push((key, key_start..key_end, start..end));
            after = end;
        }
        Ok(spans)
    }
}

/// Puts the string `text` at the dotted `path` of `record` (the path exists: it was read
/// from there).
pub fn set_field(record: &mut Record, path: &str, text: &str) {
    let mut encoded = Vec::with_capacity(text.len() + 2);
    write_json_string(text, &mut encoded);
    let encoded = String::from_utf8(encoded).expect("JSON of a string is UTF-8");
    record.set_path_slot(path, Slot::Encoded(encoded.into()));
}

/// Appends `text` as a JSON string, byte for byte as serde_json writes it (`"`, `\\` and
/// the C0 controls escaped; `\b \f \n \r \t` short, the others `\u00xx`). The bytes
/// between escapes are found with a block test the compiler vectorises and copied in one
/// go: serde_json looks up every byte in a table, which was a sixth of a plain pass.
fn write_json_string(text: &str, out: &mut Vec<u8>) {
    let needs_escape = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut at = 0;
    loop {
        let run = crate::bytes::find_byte(&bytes[at..], needs_escape).unwrap_or(bytes.len() - at);
        out.extend_from_slice(&bytes[at..at + run]);
        at += run;
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xF)]);
            }
        }
        at += 1;
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(line: &str) -> String {
        String::from_utf8(Record::parse(line).unwrap().to_json()).unwrap()
    }

    #[test]
    fn untouched_fields_come_back_byte_for_byte() {
        let line = r#"{"z": 1.000000000000000000001 , "\u00e9t\u00e9":"caf\u00e9 \ud83d\ude00","n":{"b": [1, 2 ,{"c":null}], "a":true},"id":12345678901234567890123}"#;
        let expected = r#"{"z":1.000000000000000000001,"\u00e9t\u00e9":"caf\u00e9 \ud83d\ude00","n":{"b": [1, 2 ,{"c":null}], "a":true},"id":12345678901234567890123}"#;
        assert_eq!(round_trip(line), expected);
    }

    #[test]
    fn changed_and_added_fields_are_encoded_in_place() {
        let mut record =
            Record::parse(r#"{"a":"x","body":{"text":"old","k":"\u0041"},"z":0}"#).unwrap();
        record.set_path("body.text", Value::String("new \"one\"".into()));
        record.insert("a".into(), Value::from(2));
        record.insert("added".into(), Value::Bool(true));
        assert_eq!(
            String::from_utf8(record.to_json()).unwrap(),
            r#"{"a":2,"body":{"text":"new \"one\"","k":"\u0041"},"z":0,"added":true}"#
        );
        assert_eq!(record.get_path("body.k"), Some(Value::String("A".into())));
        assert_eq!(
            record.get_path("body.text"),
            Some(Value::String("new \"one\"".into()))
        );
    }

    #[test]
    fn keys_with_escapes_and_odd_spacing_keep_their_bytes() {
        let line = "{ \"a\\\"b\" :\t\"v\" ,\n\"c:d\":\"e:f\", \"\" : [] }";
        assert_eq!(
            round_trip(line),
            "{\"a\\\"b\":\"v\",\"c:d\":\"e:f\",\"\":[]}"
        );
    }

    #[test]
    fn not_an_object_and_invalid_json_are_told_apart() {
        assert!(matches!(Record::parse("[1]"), Err(ParseError::NotObject)));
        assert!(matches!(
            Record::parse("{\"a\":}"),
            Err(ParseError::Invalid(_))
        ));
        assert!(matches!(
            Record::parse("{\"a\":1} x"),
            Err(ParseError::Invalid(_))
        ));
        assert!(matches!(
            Record::parse("{\"a\":[1,}"),
            Err(ParseError::Invalid(_))
        ));
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        assert_eq!(round_trip(r#"{"a":1,"b":2,"a":3}"#), r#"{"a":3,"b":2}"#);
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let line = format!("{{{},\"k7\":\"last\"}}", keys.join(","));
        let expected = line
            .replace("\"k7\":7,", "\"k7\":\"last\",")
            .replace(",\"k7\":\"last\"}", "}");
        assert_eq!(round_trip(&line), expected);
    }

    /// Strings are written as serde_json writes them: every byte value, escapes side by
    /// side, and long runs on either side of the 32-byte blocks.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut cases: Vec<String> = (0..=0x7Fu8).map(|b| char::from(b).to_string()).collect();
        cases.extend(
            [
                "",
                "é’“”\u{2028}\u{FEFF}",
                "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            ]
            .map(String::from),
        );
        for len in [31, 32, 33, 64, 65] {
            for at in [0, len / 2, len - 1] {
                let mut s: Vec<char> = "x".repeat(len).chars().collect();
                s[at] = '"';
                cases.push(s.into_iter().collect());
                cases.push(format!("{}\u{0}{}", "é".repeat(len), "y".repeat(len)));
            }
        }
        for case in cases {
            let mut ours = Vec::new();
            write_json_string(&case, &mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&case).unwrap(),
                "{case:?}"
            );
        }
    }

    #[test]
    fn string_arrays_are_written_as_serde_json_writes_them() {
        let cases: [&[&str]; 4] = [
            &[],
            &["One."],
            &["He said \"no\".", "Next\nline\t\u{1}", "é’“”\u{2028}"],
            &["", "\\", "a,b"],
        ];
        for strings in cases {
            let mut ours = Record::parse("{}").unwrap();
            ours.insert_strings("s".into(), strings.iter().copied());
            let mut theirs = Record::parse("{}").unwrap();
            theirs.insert_serialized("s".into(), &strings);
            assert_eq!(ours.to_json(), theirs.to_json(), "{strings:?}");
        }
    }

    /// Writing with the text set gives what setting it on a copy gives.
    #[test]
    fn setting_while_writing_agrees_with_setting_a_copy() {
        for line in [
            r#"{"id": 7, "text": "old", "n": 1.50}"#,
            r#"{"id":"x"}"#,
            "{}",
        ] {
            let record = Record::parse(line).unwrap();
            let mut written = Vec::new();
            record.write_json_setting(&mut written, "text", "new \"one\"\n");
            let mut copy = record.clone();
            set_field(&mut copy, "text", "new \"one\"\n");
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(copy.to_json()).unwrap()
            );
        }
    }
}
