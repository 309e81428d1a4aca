//! Cleaning an Arrow record batch in place of its text column (the Python package's
//! `Pipeline.clean_arrow`, and through it the Spark and Ray adapters).
//!
//! The other columns are passed on as they are (the same buffers); the text column is
//! replaced by the cleaned texts, with its type (`string` or `large_string`) and its nulls,
//! and two columns are added, as `textscrub.clean_columns` gives them: `changes` (the change
//! records as JSON lines, as `clean --changes` writes them; empty when nothing changed) and
//! `changed` (bool).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, BooleanArray, LargeStringArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use rayon::prelude::*;

use crate::{diff, Pipeline};

/// Why a batch cannot be cleaned.
#[derive(Debug, thiserror::Error)]
pub enum ArrowError {
    /// No column of that name.
    #[error("no column `{0}` in the batch (columns: {1})")]
    Missing(String, String),
    /// A column of a type that is not read.
    #[error("column `{0}` is {1}: expected string or large_string{2}")]
    Type(String, DataType, &'static str),
    /// Arrow refused the batch built.
    #[error("{0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef, ArrowError> {
    batch.column_by_name(name).ok_or_else(|| {
        let names: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        ArrowError::Missing(name.to_string(), names.join(", "))
    })
}

/// The strings of a string column, `None` for nulls.
fn strings(array: &ArrayRef, name: &str) -> Result<Vec<Option<String>>, ArrowError> {
    Ok(match array.data_type() {
        DataType::Utf8 => array
            .as_string::<i32>()
            .iter()
            .map(|s| s.map(str::to_string))
            .collect(),
        DataType::LargeUtf8 => array
            .as_string::<i64>()
            .iter()
            .map(|s| s.map(str::to_string))
            .collect(),
        DataType::Utf8View => array
            .as_string_view()
            .iter()
            .map(|s| s.map(str::to_string))
            .collect(),
        other => return Err(ArrowError::Type(name.to_string(), other.clone(), "")),
    })
}

/// The ids of an id column, as text (`""` for nulls).
fn ids(array: &ArrayRef, name: &str) -> Result<Vec<String>, ArrowError> {
    fn text<T: ToString>(values: impl Iterator<Item = Option<T>>) -> Vec<String> {
        values
            .map(|v| v.map(|v| v.to_string()).unwrap_or_default())
            .collect()
    }
    Ok(match array.data_type() {
        DataType::Int64 => text(array.as_primitive::<Int64Type>().iter()),
        DataType::Int32 => text(array.as_primitive::<Int32Type>().iter()),
        DataType::UInt64 => text(array.as_primitive::<UInt64Type>().iter()),
        DataType::UInt32 => text(array.as_primitive::<UInt32Type>().iter()),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => strings(array, name)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
        other => {
            return Err(ArrowError::Type(
                name.to_string(),
                other.clone(),
                " or an integer type",
            ))
        }
    })
}

/// `batch` with its column `text` cleaned by `pipeline` (in parallel) and `changes` and
/// `changed` appended; `id` names the column whose values name the documents in the change
/// records.
pub fn clean_batch(
    pipeline: &Pipeline,
    batch: &RecordBatch,
    text: &str,
    id: Option<&str>,
) -> Result<RecordBatch, ArrowError> {
    let texts_column = column(batch, text)?;
    let texts = strings(texts_column, text)?;
    let ids = match id {
        Some(name) => ids(column(batch, name)?, name)?,
        None => vec![String::new(); texts.len()],
    };
    let cleaned: Vec<(Option<String>, String, bool)> = texts
        .par_iter()
        .zip(ids.par_iter())
        .map(|(text, id)| match text {
            None => (None, String::new(), false),
            Some(text) => {
                let outcome = pipeline.run(text);
                let changed = outcome.is_changed();
                let records = diff::change_records(id, &outcome.changes);
                (Some(outcome.text), records, changed)
            }
        })
        .collect();
    let new_text: ArrayRef = match texts_column.data_type() {
        DataType::LargeUtf8 => Arc::new(
            cleaned
                .iter()
                .map(|(t, _, _)| t.as_deref())
                .collect::<LargeStringArray>(),
        ),
        _ => Arc::new(
            cleaned
                .iter()
                .map(|(t, _, _)| t.as_deref())
                .collect::<StringArray>(),
        ),
    };
    let changes: ArrayRef = Arc::new(StringArray::from_iter_values(
        cleaned.iter().map(|(_, c, _)| c.as_str()),
    ));
    let changed: ArrayRef = Arc::new(BooleanArray::from(
        cleaned.iter().map(|(_, _, c)| *c).collect::<Vec<_>>(),
    ));
    let schema = batch.schema_ref();
    let mut fields: Vec<Field> = Vec::with_capacity(schema.fields().len() + 2);
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(fields.capacity());
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        if field.name() == text {
            fields.push(Field::new(
                field.name(),
                new_text.data_type().clone(),
                field.is_nullable() || new_text.null_count() > 0,
            ));
            columns.push(new_text.clone());
        } else {
            fields.push(field.as_ref().clone());
            columns.push(array.clone());
        }
    }
    fields.push(Field::new("changes", DataType::Utf8, false));
    columns.push(changes);
    fields.push(Field::new("changed", DataType::Boolean, false));
    columns.push(changed);
    let schema = Schema::new_with_metadata(fields, schema.metadata().clone());
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_the_text_column_and_keeps_the_others() {
        let pipeline = Pipeline::new(crate::RuleSet::defaults().unwrap(), Default::default());
        let batch = RecordBatch::try_from_iter([
            (
                "id",
                Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
            ),
            (
                "text",
                Arc::new(StringArray::from(vec![
                    Some("[ad_1]\nPresident Sooronbay Ceenbekov spoke.\n"),
                    None,
                ])) as ArrayRef,
            ),
        ])
        .unwrap();
        let out = clean_batch(&pipeline, &batch, "text", Some("id")).unwrap();
        assert_eq!(out.num_columns(), 4);
        let text = out.column(1).as_string::<i32>();
        assert_eq!(text.value(0), "President Sooronbay Jeenbekov spoke.\n");
        assert!(text.is_null(1));
        assert!(out.column(3).as_boolean().value(0));
        assert!(!out.column(3).as_boolean().value(1));
    }
}
