"""`Pipeline.clean_arrow` against `clean_batch` on the same documents."""

from __future__ import annotations

import pytest

import textscrub

pa = pytest.importorskip("pyarrow")


def test_clean_arrow_matches_clean_batch_and_passes_other_columns_on(corpus):
    texts = [r["text"] for r in corpus] + [None]
    ids = [r["id"] for r in corpus] + ["missing"]
    numbers = list(range(len(texts)))
    table = pa.table({"id": ids, "n": numbers, "text": texts, "tags": [[i] for i in numbers]})
    pipeline = textscrub.Pipeline()
    # Two batches: the result is one table of both.
    out = pipeline.clean_arrow(pa.Table.from_batches(table.to_batches(max_chunksize=20)), id_column="id")
    assert isinstance(out, pa.Table)
    assert out.column_names == ["id", "n", "text", "tags", "changes", "changed"]
    assert out.column("n").to_pylist() == numbers
    assert out.column("tags").to_pylist() == [[i] for i in numbers]
    outcomes = pipeline.clean_batch([r["text"] for r in corpus], [r["id"] for r in corpus])
    assert out.column("text").to_pylist() == [o.text for o in outcomes] + [None]
    assert out.column("changes").to_pylist() == [o.change_records() for o in outcomes] + [""]
    assert out.column("changed").to_pylist() == [o.changed for o in outcomes] + [False]
    assert any(out.column("changed").to_pylist())


def test_clean_arrow_takes_batches_large_strings_and_integer_ids():
    pipeline = textscrub.Pipeline()
    batch = pa.record_batch(
        {"id": pa.array([7], pa.int64()), "text": pa.array(["[ad_1]\nHello there.\n"], pa.large_string())}
    )
    out = pipeline.clean_arrow(batch, id_column="id")
    assert out.schema.field("text").type == pa.large_string()
    assert out.column("text").to_pylist() == ["Hello there.\n"]
    assert '"id":"7"' in out.column("changes")[0].as_py().replace(" ", "")
    empty = pipeline.clean_arrow(pa.Table.from_batches([], schema=batch.schema))
    assert empty.num_rows == 0 and "changes" in empty.column_names
    with pytest.raises(ValueError, match="no column `body`"):
        pipeline.clean_arrow(batch, text_column="body")
