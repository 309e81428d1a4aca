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

from textscrub._native import Pipeline


def arrow_cleaner(pipeline: Pipeline, text_column: str = "text", id_column: str | None = "id"):
    """A function for ``DataFrame.mapInArrow``: cleans each record batch's text column."""

    def clean(batches: Iterator["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:  # noqa: F821
        # Through the Arrow C data interface: the other columns are not copied.
        for batch in batches:
            yield from pipeline.clean_arrow(batch, text_column, id_column).to_batches()

    return clean


def clean_dataframe(df, pipeline: Pipeline, text_column: str = "text", id_column: str | None = "id"):
    """``df`` with its text column cleaned and ``changes`` / ``changed`` columns added."""
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    schema = StructType(
        list(df.schema.fields)
        + [StructField("changes", StringType()), StructField("changed", BooleanType())]
    )
    return df.mapInArrow(arrow_cleaner(pipeline, text_column, id_column), schema)
