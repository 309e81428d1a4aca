"""One end-to-end run per engine, each on loopback only, each compared with the command
line's output for the same documents."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
import tempfile

import pytest

import textscrub


def test_spark_local_matches_the_command_line(corpus, expected):
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StringType, StructField, StructType

    from textscrub.spark import clean_dataframe

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    # Workers must run this interpreter (the one with textscrub installed).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    try:
        schema = StructType([StructField("id", StringType()), StructField("text", StringType())])
        df = spark.createDataFrame([(r["id"], r["text"]) for r in corpus], schema).repartition(2)
        rows = clean_dataframe(df, textscrub.Pipeline()).collect()
    finally:
        spark.stop()
    assert len(rows) == len(corpus)
    for row in rows:
        assert (row["text"], row["changes"]) == expected[row["id"]], row["id"]
    print(f"pyspark {pyspark.__version__}: {len(rows)} documents identical to the CLI")


def test_ray_local_matches_the_command_line(corpus, expected):
    home = tempfile.mkdtemp(prefix="textscrub-ray-")
    saved = {k: os.environ.get(k) for k in ("HOME", "RAY_USAGE_STATS_ENABLED", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER")}
    os.environ.update(
        HOME=home, RAY_USAGE_STATS_ENABLED="0", RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0"
    )
    # Without it Ray probes cloud metadata addresses.
    with open(os.path.join(home, "ray_bootstrap_config.yaml"), "w") as config:
        config.write("{}\n")
    try:
        ray = pytest.importorskip("ray")
        from textscrub.ray import Cleaner

        ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False)
        try:
            ds = ray.data.from_items(corpus).map_batches(
                Cleaner(textscrub.Pipeline()), batch_format="pyarrow", batch_size=16
            )
            rows = ds.take_all()
        finally:
            ray.shutdown()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(home, ignore_errors=True)
    assert len(rows) == len(corpus)
    for row in rows:
        assert (row["text"], row["changes"]) == expected[row["id"]], row["id"]


def test_datatrove_local_executor_matches_the_command_line(corpus, expected, tmp_path):
    pytest.importorskip("datatrove")
    from datatrove.data import Document
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter

    from textscrub.datatrove import TextscrubCleaner

    documents = [Document(text=r["text"], id=r["id"]) for r in corpus]
    LocalPipelineExecutor(
        pipeline=[documents, TextscrubCleaner(), JsonlWriter(str(tmp_path / "out"))],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    rows = []
    for path in sorted((tmp_path / "out").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows.extend(json.loads(line) for line in lines)
    assert len(rows) == len(corpus)
    for row in rows:
        text, records = expected[row["id"]]
        assert row["text"] == text, row["id"]
        changes = row["metadata"]["textscrub_changes"]
        assert [json.loads(line) for line in records.splitlines()] == [
            {"id": row["id"], **change} for change in changes
        ], row["id"]
