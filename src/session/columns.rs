//! What a cleaned Parquet row adds to its input's columns, as typed Arrow columns: the
//! same results a JSONL record gets as fields (`sentences`, `guard`, `quality`,
//! `language`, `language_score`, `language_script`), and the change records as a table.
//!
//! `quality` is a struct: `verdict`, `reasons` (a list of `{rule, signal, value, bound,
//! limit}`, where JSONL names the bound as a key: `"min": 50`), `recipe`, `language`,
//! `note`, and `signals` (a struct of every signal, null when the document was unjudged).

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, Float64Array, ListArray, RecordBatch, StringArray, StructArray};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use serde_json::{Map, Value};

use crate::io::parquet::Columns;
use crate::pipeline::{Change, Guard};
use crate::quality::{Quality, Signal, Verdict};

/// Which columns a Parquet output adds.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Added {
    pub(crate) sentences: bool,
    pub(crate) guard: bool,
    pub(crate) quality: bool,
    pub(crate) language: bool,
    /// `language_script` too (a fastText model's labels may carry a script).
    pub(crate) script: bool,
}

/// One row's added values.
#[derive(Debug, Default)]
pub(crate) struct Values {
    pub(crate) sentences: Option<Vec<String>>,
    pub(crate) guard: Option<Guard>,
    pub(crate) quality: Option<Quality>,
    /// `language`, `language_score`, `language_script` as the JSONL fields have them.
    pub(crate) language: Option<Map<String, Value>>,
}

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn float(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Float64, nullable)
}

fn guard_fields() -> Fields {
    Fields::from(vec![
        float("removed_share", false),
        float("threshold", false),
    ])
}

fn reason_fields() -> Fields {
    Fields::from(vec![
        utf8("rule", false),
        utf8("signal", false),
        float("value", false),
        utf8("bound", false),
        float("limit", false),
    ])
}

fn signal_fields() -> Fields {
    Signal::ALL
        .iter()
        .map(|s| float(s.name(), false))
        .collect::<Vec<_>>()
        .into()
}

fn reason_item() -> FieldRef {
    Arc::new(Field::new("item", DataType::Struct(reason_fields()), true))
}

fn quality_fields() -> Fields {
    Fields::from(vec![
        utf8("verdict", false),
        Field::new("reasons", DataType::List(reason_item()), false),
        utf8("recipe", true),
        utf8("language", true),
        utf8("note", true),
        Field::new("signals", DataType::Struct(signal_fields()), true),
    ])
}

fn string_item() -> FieldRef {
    Arc::new(Field::new("item", DataType::Utf8, true))
}

impl Columns for Added {
    type Values = Values;

    fn fields(&self) -> Vec<FieldRef> {
        let mut fields = Vec::new();
        if self.sentences {
            fields.push(Field::new("sentences", DataType::List(string_item()), true));
        }
        if self.guard {
            fields.push(Field::new("guard", DataType::Struct(guard_fields()), true));
        }
        if self.quality {
            fields.push(Field::new(
                "quality",
                DataType::Struct(quality_fields()),
                true,
            ));
        }
        if self.language {
            fields.push(utf8("language", true));
            fields.push(float("language_score", true));
            if self.script {
                fields.push(utf8("language_script", true));
            }
        }
        fields.into_iter().map(Arc::new).collect()
    }

    fn arrays(&self, rows: &[Values]) -> Vec<ArrayRef> {
        let mut arrays: Vec<ArrayRef> = Vec::new();
        if self.sentences {
            let mut list = ListBuilder::new(StringBuilder::new()).with_field(string_item());
            for row in rows {
                match &row.sentences {
                    Some(sentences) => {
                        for s in sentences {
                            list.values().append_value(s);
                        }
                        list.append(true);
                    }
                    None => list.append(false),
                }
            }
            arrays.push(Arc::new(list.finish()));
        }
        if self.guard {
            let nulls = NullBuffer::from_iter(rows.iter().map(|r| r.guard.is_some()));
            let removed: Float64Array = rows
                .iter()
                .map(|r| Some(r.guard.map_or(0.0, |g| g.removed_share)))
                .collect();
            let threshold: Float64Array = rows
                .iter()
                .map(|r| Some(r.guard.map_or(0.0, |g| g.threshold)))
                .collect();
            arrays.push(Arc::new(StructArray::new(
                guard_fields(),
                vec![Arc::new(removed), Arc::new(threshold)],
                Some(nulls),
            )));
        }
        if self.quality {
            arrays.push(quality_array(rows.iter().map(|r| r.quality.as_ref())));
        }
        if self.language {
            let text = |key: &str| -> ArrayRef {
                Arc::new(
                    rows.iter()
                        .map(|r| r.language.as_ref()?.get(key)?.as_str())
                        .collect::<StringArray>(),
                )
            };
            arrays.push(text("language"));
            arrays.push(Arc::new(
                rows.iter()
                    .map(|r| r.language.as_ref()?.get("language_score")?.as_f64())
                    .collect::<Float64Array>(),
            ));
            if self.script {
                arrays.push(text("language_script"));
            }
        }
        arrays
    }
}

/// The `quality` column of some rows (null where a row has none).
fn quality_array<'q>(rows: impl Iterator<Item = Option<&'q Quality>> + Clone) -> ArrayRef {
    let verdict: StringArray = rows
        .clone()
        .map(|q| {
            Some(match q.map(|q| q.verdict) {
                Some(Verdict::Keep) | None => "keep",
                Some(Verdict::Drop) => "drop",
                Some(Verdict::Unjudged) => "unjudged",
            })
        })
        .collect();
    let optional = |get: fn(&Quality) -> Option<&str>| -> ArrayRef {
        Arc::new(
            rows.clone()
                .map(|q| q.and_then(get))
                .collect::<StringArray>(),
        )
    };
    // Reasons: one list per row, its items flattened.
    let mut rule = StringBuilder::new();
    let mut signal = StringBuilder::new();
    let mut value = Float64Builder::new();
    let mut bound = StringBuilder::new();
    let mut limit = Float64Builder::new();
    let mut lengths = Vec::new();
    for q in rows.clone() {
        let reasons = q.map_or(&[][..], |q| &q.reasons[..]);
        lengths.push(reasons.len());
        for reason in reasons {
            rule.append_value(reason.rule.as_str());
            signal.append_value(reason.threshold.signal.name());
            value.append_value(reason.value);
            bound.append_value(reason.threshold.bound.key());
            limit.append_value(reason.threshold.bound.limit());
        }
    }
    let items = StructArray::new(
        reason_fields(),
        vec![
            Arc::new(rule.finish()),
            Arc::new(signal.finish()),
            Arc::new(value.finish()),
            Arc::new(bound.finish()),
            Arc::new(limit.finish()),
        ],
        None,
    );
    let reasons = ListArray::new(
        reason_item(),
        OffsetBuffer::from_lengths(lengths),
        Arc::new(items),
        None,
    );
    let signals: Vec<ArrayRef> = Signal::ALL
        .iter()
        .map(|&s| -> ArrayRef {
            Arc::new(
                rows.clone()
                    .map(|q| Some(q.and_then(|q| q.signals.as_ref()).map_or(0.0, |v| v.get(s))))
                    .collect::<Float64Array>(),
            )
        })
        .collect();
    let signals = StructArray::new(
        signal_fields(),
        signals,
        Some(NullBuffer::from_iter(
            rows.clone().map(|q| q.is_some_and(|q| q.signals.is_some())),
        )),
    );
    Arc::new(StructArray::new(
        quality_fields(),
        vec![
            Arc::new(verdict),
            Arc::new(reasons),
            optional(|q| q.recipe),
            optional(|q| q.language.as_deref()),
            optional(|q| q.note.as_deref()),
            Arc::new(signals),
        ],
        Some(NullBuffer::from_iter(rows.map(|q| q.is_some()))),
    ))
}

/// The columns of a change-record table: the JSONL change record's fields, `score` and
/// `count` null where a rule gives none.
pub(crate) fn change_schema() -> SchemaRef {
    let count = |name: &str| Field::new(name, DataType::UInt64, false);
    Arc::new(Schema::new(vec![
        utf8("id", false),
        utf8("rule", false),
        count("start"),
        count("end"),
        count("line"),
        count("column"),
        utf8("before", false),
        utf8("after", false),
        float("score", true),
        Field::new("count", DataType::UInt64, true),
    ]))
}

/// Change records gathered for a Parquet table.
#[derive(Default)]
pub(crate) struct ChangeRows {
    id: StringBuilder,
    rule: StringBuilder,
    start: UInt64Builder,
    end: UInt64Builder,
    line: UInt64Builder,
    column: UInt64Builder,
    before: StringBuilder,
    after: StringBuilder,
    score: Float64Builder,
    count: UInt64Builder,
    rows: usize,
}

impl ChangeRows {
    /// Adds a document's changes.
    pub(crate) fn add(&mut self, id: &str, changes: &[Change]) {
        let wide = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        for change in changes {
            self.id.append_value(id);
            self.rule.append_value(change.rule.as_str());
            self.start.append_value(wide(change.span.start));
            self.end.append_value(wide(change.span.end));
            self.line.append_value(wide(change.span.line));
            self.column.append_value(wide(change.span.column));
            self.before.append_value(&change.before);
            self.after.append_value(&change.after);
            self.score.append_option(change.score.map(|s| s.get()));
            self.count.append_option(change.count);
            self.rows += 1;
        }
    }

    /// Rows gathered since the last batch.
    pub(crate) fn len(&self) -> usize {
        self.rows
    }

    /// The gathered rows as a batch; the builders start again empty.
    pub(crate) fn batch(&mut self) -> RecordBatch {
        self.rows = 0;
        RecordBatch::try_new(
            change_schema(),
            vec![
                Arc::new(self.id.finish()),
                Arc::new(self.rule.finish()),
                Arc::new(self.start.finish()),
                Arc::new(self.end.finish()),
                Arc::new(self.line.finish()),
                Arc::new(self.column.finish()),
                Arc::new(self.before.finish()),
                Arc::new(self.after.finish()),
                Arc::new(self.score.finish()),
                Arc::new(self.count.finish()),
            ],
        )
        .expect("the builders match the schema")
    }
}
