#!/usr/bin/env python3
"""Bindings against the command line on the same corpus, in one run.

Builds (or reuses) bench/e2e.py's news-like corpus and times, one after the other:
the CLI (`textscrub clean -j N corpus.jsonl -o out.jsonl`), the same job in Python
(json.loads → Pipeline.clean_batch → json.dumps), and clean_batch alone on texts already
in memory (the bindings' own cost). Needs the wheel installed and a release binary:

    cargo build --release && maturin build --release -m python/Cargo.toml && pip install target/wheels/*.whl
    python python/bench.py --size-mb 50 --jobs 2
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import e2e  # noqa: E402

import textscrub  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/textscrub"))
    args = parser.parse_args()
    corpus = os.path.join(ROOT, "target", f"bench-corpus-{args.size_mb}mb.jsonl")
    if not os.path.exists(corpus):
        e2e.build(corpus, args.size_mb, 7)
    size = os.path.getsize(corpus) / 1e6
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run([args.binary, "clean", "-q", "-j", str(args.jobs), corpus, "-o",
                        os.path.join(folder, "cli.jsonl")], check=True)
        cli = time.perf_counter() - started

        os.environ["RAYON_NUM_THREADS"] = str(args.jobs)
        pipeline = textscrub.Pipeline()
        started = time.perf_counter()
        with open(corpus, encoding="utf-8") as lines, open(os.path.join(folder, "py.jsonl"), "w", encoding="utf-8") as out:
            batch = []
            for line in lines:
                batch.append(json.loads(line))
                if len(batch) == 2048:
                    for record, outcome in zip(batch, pipeline.clean_batch([r["text"] for r in batch])):
                        record["text"] = outcome.text
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    batch = []
            for record, outcome in zip(batch, pipeline.clean_batch([r["text"] for r in batch])):
                record["text"] = outcome.text
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        python = time.perf_counter() - started

        with open(corpus, encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for line in lines]
        started = time.perf_counter()
        for i in range(0, len(texts), 2048):
            pipeline.clean_batch(texts[i:i + 2048])
        batch_only = time.perf_counter() - started
        with open(os.path.join(folder, "cli.jsonl"), encoding="utf-8") as a, open(os.path.join(folder, "py.jsonl"), encoding="utf-8") as b:
            same = all(json.loads(x)["text"] == json.loads(y)["text"] for x, y in zip(a, b))
    print(f"corpus {size:.0f} MB, {args.jobs} thread(s); outputs identical: {same}")
    print(f"{'CLI clean':<40} {cli:7.2f} s  {size / cli:7.1f} MB/s  1.00x")
    print(f"{'Python: json + clean_batch + json':<40} {python:7.2f} s  {size / python:7.1f} MB/s  {python / cli:.2f}x")
    print(f"{'Python: clean_batch alone':<40} {batch_only:7.2f} s  {size / batch_only:7.1f} MB/s  {batch_only / cli:.2f}x")


if __name__ == "__main__":
    main()
