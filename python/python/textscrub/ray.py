"""Ray Data glue: a callable for ``Dataset.map_batches``.

>>> import ray, textscrub
>>> from textscrub.ray import Cleaner
>>> ds = ray.data.read_json("corpus.jsonl").map_batches(Cleaner(textscrub.Pipeline()), batch_format="pyarrow")

Adds ``changes`` (change records as JSON lines) and ``changed`` columns.
"""

from __future__ import annotations

from textscrub._batch import clean_columns
from textscrub._native import Pipeline


class Cleaner:
    """Cleans a batch's text column; works with ``batch_format="pyarrow"`` or ``"pandas"``."""

    def __init__(self, pipeline: Pipeline, text_column: str = "text", id_column: str | None = "id"):
        self.pipeline = pipeline
        self.text_column = text_column
        self.id_column = id_column

    def __call__(self, batch):
        try:
            import pyarrow as pa

            is_arrow = isinstance(batch, pa.Table)
        except ImportError:  # pragma: no cover - pandas-only installs
            is_arrow = False
        if is_arrow:
            # Through the Arrow C data interface: the other columns are not copied.
            return self.pipeline.clean_arrow(batch, self.text_column, self.id_column)
        texts = list(batch[self.text_column])
        ids = list(batch[self.id_column]) if self.id_column else None
        columns = clean_columns(self.pipeline, texts, ids)
        batch = batch.copy()
        for name, values in columns.items():
            batch[name] = values
        return batch
