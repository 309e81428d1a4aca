#!/usr/bin/env python3
"""The drop-in datatrove steps against datatrove's own, and clean_arrow against clean_batch.

One process, the same documents for both sides:

- FineWeb-2's filtering stage (GopherRepetition, FineWebQuality, GopherQuality with the
  language's config, then PIIFormatter and SymbolLinesFormatter) per language of
  fixtures/multilingual/docs.jsonl, and FineWeb's English stage (GopherRepetition,
  GopherQuality, C4Quality, FineWebQuality; C4 runs datatrove's code on both sides) on
  fixtures/scraped-dev/docs.jsonl, each repeated --repeat times;
- `Pipeline.clean_arrow` on a table of those pages against `clean_batch` on the same texts
  plus building the same columns with pyarrow (what the Spark and Ray adapters did before).

    python python/bench_steps.py --repeat 5
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from datatrove.pipeline import filters as dt_filters  # noqa: E402
from datatrove.pipeline import formatters as dt_formatters  # noqa: E402

import textscrub  # noqa: E402
import textscrub.datatrove as ours  # noqa: E402
from test_datatrove_steps import ROOT, corpus, fineweb2_stage, fineweb_english_stage  # noqa: E402


def timed(stage, modules, records, language):
    from datatrove.data import Document

    steps = stage(*modules, language, lambda name: None)
    documents = [Document(text=r["text"], id=r["id"], metadata={}) for r in records]
    start = time.perf_counter()
    stream = iter(documents)
    for step in steps:
        stream = step.run(stream, rank=0, world_size=1)
    kept = sum(1 for _ in stream)
    return time.perf_counter() - start, kept


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    multilingual = ROOT / "fixtures" / "multilingual" / "docs.jsonl"
    labels = sorted({json.loads(line)["language"] for line in open(multilingual, encoding="utf-8")})
    runs = [("FineWeb-2 stage", fineweb2_stage, label, corpus(multilingual, label)) for label in labels]
    english = corpus(ROOT / "fixtures" / "scraped-dev" / "docs.jsonl")
    runs.append(("FineWeb English stage", fineweb_english_stage, "eng", english))
    totals = {}
    for name, stage, language, records in runs:
        try:
            # Tokenizers and tables load on first use: one warm-up run each, not timed.
            timed(stage, (dt_filters, dt_formatters), records[:2], language)
            timed(stage, (ours, ours), records[:2], language)
        except Exception as e:  # a language whose tokenizer datatrove cannot load here
            print(f"skip {language}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        for side, modules in (("datatrove", (dt_filters, dt_formatters)), ("textscrub", (ours, ours))):
            seconds, kept = 0.0, 0
            for _ in range(args.repeat):
                s, kept = timed(stage, modules, records, language)
                seconds += s
            size = sum(len(r["text"].encode()) for r in records) * args.repeat
            entry = totals.setdefault((name, side), [0.0, 0, 0])
            entry[0] += seconds
            entry[1] += size
            entry[2] += len(records) * args.repeat
    for name in ("FineWeb-2 stage", "FineWeb English stage"):
        dt, ts = totals[(name, "datatrove")], totals[(name, "textscrub")]
        print(f"{name}: {dt[2]} documents, {dt[1] / 1e6:.1f} MB: datatrove {dt[0]:.2f} s, "
              f"textscrub {ts[0]:.2f} s, speed-up {dt[0] / ts[0]:.1f}x")

    import pyarrow as pa

    texts = [r["text"] for r in english] * 20
    ids = [f"{i}" for i in range(len(texts))]
    table = pa.table({"id": ids, "n": list(range(len(texts))), "text": texts})
    pipeline = textscrub.Pipeline()
    pipeline.clean_batch(texts[:10])
    best = {}
    for _ in range(3):
        start = time.perf_counter()
        pipeline.clean_arrow(table, id_column="id")
        arrow = time.perf_counter() - start
        start = time.perf_counter()
        columns = textscrub.clean_columns(pipeline, table.column("text").to_pylist(), table.column("id").to_pylist())
        table.set_column(2, "text", pa.array(columns["text"], pa.string())).append_column(
            "changes", pa.array(columns["changes"], pa.string())
        ).append_column("changed", pa.array(columns["changed"], pa.bool_()))
        batch = time.perf_counter() - start
        best["arrow"] = min(best.get("arrow", arrow), arrow)
        best["batch"] = min(best.get("batch", batch), batch)
    size = sum(len(t.encode()) for t in texts) / 1e6
    print(f"clean_arrow {best['arrow']:.3f} s, clean_batch + columns {best['batch']:.3f} s on {len(texts)} "
          f"documents ({size:.1f} MB): clean_arrow takes {best['arrow'] / best['batch']:.2f}x the time")


if __name__ == "__main__":
    main()
