"""Spark glue: clean a DataFrame's text column with ``mapInArrow``.

>>> from textscrub import Pipeline
>>> from textscrub.spark import clean_dataframe
>>> cleaned = clean_dataframe(df, Pipeline(), text_column="text", id_column="id")

Adds a ``changes`` column (change records as JSON lines) and a ``changed`` column. The
pipeline is pickled to the executors once per task. Users with only the command line can
use ``rdd.pipe("textscrub clean --format jsonl")`` on JSON lines instead.
"""

from __future__ import annotations

from typing import Iterator

from textscrub._batch import clean_columns
from textscrub._native import Pipeline


def arrow_cleaner(pipeline: Pipeline, text_column: str = "text", id_column: str | None = "id"):
    """A function for ``DataFrame.mapInArrow``: cleans each record batch's text column."""

    def clean(batches: Iterator["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:  # noqa: F821
        import pyarrow as pa

        for batch in batches:
            texts = batch.column(text_column).to_pylist()
            ids = batch.column(id_column).to_pylist() if id_column else None
            columns = clean_columns(pipeline, texts, ids)
            arrays = [
                pa.array(columns["text"], pa.string()) if name == text_column else batch.column(name)
                for name in batch.schema.names
            ]
            arrays.append(pa.array(columns["changes"], pa.string()))
            arrays.append(pa.array(columns["changed"], pa.bool_()))
            yield pa.RecordBatch.from_arrays(arrays, names=batch.schema.names + ["changes", "changed"])

    return clean


def clean_dataframe(df, pipeline: Pipeline, text_column: str = "text", id_column: str | None = "id"):
    """``df`` with its text column cleaned and ``changes`` / ``changed`` columns added."""
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    schema = StructType(
        list(df.schema.fields)
        + [StructField("changes", StringType()), StructField("changed", BooleanType())]
    )
    return df.mapInArrow(arrow_cleaner(pipeline, text_column, id_column), schema)
