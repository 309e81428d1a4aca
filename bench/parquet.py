#!/usr/bin/env python3
"""Speed and memory of `clean` on Parquet against the same corpus as JSONL.

Builds the e2e corpus (bench/e2e.py) as JSONL, writes the same records as a Parquet file
with pyarrow (zstd, 5,000 rows per row group, so the file has many row groups), then times
in one run, round by round:

    clean corpus.jsonl   -o out.jsonl
    clean corpus.parquet -o out.parquet
    clean corpus.parquet -o out.jsonl       (Parquet in, JSONL out)

and prints wall and CPU time, MB/s of text and peak RSS for each, and the ratios to JSONL.
Needs pyarrow (pip install pyarrow) only to write the corpus.

    python3 bench/parquet.py --size-mb 100 --repeat 3
"""

import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(__file__))
import e2e  # noqa: E402


def to_parquet(jsonl, parquet, rows_per_group):
    import pyarrow as pa
    import pyarrow.parquet as pq

    with open(jsonl, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    table = pa.Table.from_pylist(records)
    pq.write_table(table, parquet + ".tmp", compression="zstd", row_group_size=rows_per_group)
    os.replace(parquet + ".tmp", parquet)
    return pq.ParquetFile(parquet).metadata.num_row_groups


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rows-per-group", type=int, default=5000)
    parser.add_argument("--binary", default=os.path.join(e2e.ROOT, "target/release/textscrub"))
    args = parser.parse_args()

    folder = os.path.join(e2e.ROOT, "target/bench-corpus")
    os.makedirs(folder, exist_ok=True)
    jsonl = os.path.join(folder, f"e2e-{args.size_mb}mb.jsonl")
    if not os.path.exists(jsonl):
        e2e.build(jsonl, args.size_mb, seed=7)
    parquet = os.path.join(folder, f"e2e-{args.size_mb}mb.parquet")
    if not os.path.exists(parquet):
        to_parquet(jsonl, parquet, args.rows_per_group)
    import pyarrow.parquet as pq

    groups = pq.ParquetFile(parquet).metadata.num_row_groups
    text_mb = os.path.getsize(jsonl) / 1e6
    print(
        f"corpus: {text_mb:.0f} MB JSONL, {os.path.getsize(parquet) / 1e6:.0f} MB Parquet "
        f"(zstd, {groups} row groups), -j {args.jobs}, {args.repeat} rounds (medians)"
    )
    runs = {
        "jsonl -> jsonl": (jsonl, "out.jsonl"),
        "parquet -> parquet": (parquet, "out.parquet"),
        "parquet -> jsonl": (parquet, "out-from-parquet.jsonl"),
    }
    results = {name: [] for name in runs}
    for _ in range(args.repeat):
        for name, (source, out) in runs.items():
            command = [args.binary, "clean", "-q", "-j", str(args.jobs), "-o",
                       os.path.join(folder, out), source]
            results[name].append(e2e.run(command))
    base = None
    print("| run | wall s | CPU s | MB/s wall | CPU vs JSONL | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, rounds in results.items():
        wall = statistics.median(r[0] for r in rounds)
        cpu = statistics.median(r[1] for r in rounds)
        rss = max(r[2] for r in rounds)
        base = base or cpu
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {text_mb / wall:.1f} | {cpu / base:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
