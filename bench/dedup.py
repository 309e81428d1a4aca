#!/usr/bin/env python3
"""MinHash dedup: `textscrub dedup` against datatrove 0.10.1's four stages on the same corpus.

Builds the e2e corpus of bench/e2e.py (real pages and seed articles cut into paragraphs and
recombined: many documents share paragraphs, so there are near-duplicates to find), then
runs, in one go:
- `textscrub dedup -j 1` and `-j 2`, reading its per-stage wall and CPU seconds and peak
  memory from `--summary`;
- datatrove's MinhashDedupSignature, MinhashDedupBuckets, MinhashDedupCluster and
  MinhashDedupFilter with FineWeb-2's configuration, each stage in its own process (one task,
  one worker, as on one machine), timed by wall and CPU seconds and peak memory;
and checks that both removed the same documents. Absolute times vary twofold on a shared
machine: compare the ratios and the CPU seconds.

    python3 bench/dedup.py --size-mb 20 --python target/parity-venv/bin/python

Needs a Python with datatrove==0.10.1 and tests/parity/requirements-dedup.txt (the venv of
.ci/dedup.sh) and a release build (cargo build --release).
"""
import argparse, json, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import e2e  # noqa: E402

STAGE = r"""
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.hashing import HashConfig

if __name__ == "__main__":
    stage, corpus, work = sys.argv[1:]
    config = MinhashConfig(hash_config=HashConfig(hash_fc="xxhash", precision=64), num_buckets=14, hashes_per_bucket=8, n_grams=5)
    reader = lambda: JsonlReader(corpus, glob_pattern="*.jsonl")
    steps = {
        "signatures": ([reader(), MinhashDedupSignature(output_folder=f"{work}/signatures", config=config, language="eng")], 1),
        "buckets": ([MinhashDedupBuckets(input_folder=f"{work}/signatures", output_folder=f"{work}/buckets", config=config)], 14),
        "clusters": ([MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids", config=config, save_cluster_size=True)], 1),
        "filter": ([reader(), MinhashDedupFilter(input_folder=f"{work}/remove_ids", exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)),
                    JsonlWriter(f"{work}/kept", compression=None)], 1),
    }
    pipeline, tasks = steps[stage]
    LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=f"{work}/logs/{stage}").run()
"""


def run(command):
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed: {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=20)
    ap.add_argument("--python", required=True, help="a Python with datatrove 0.10.1")
    ap.add_argument("--textscrub", default=os.path.join(ROOT, "target/release/textscrub"))
    args = ap.parse_args()
    corpus_dir = os.path.join(ROOT, "target/bench", f"dedup-{args.size_mb}")
    os.makedirs(corpus_dir, exist_ok=True)
    corpus = os.path.join(corpus_dir, "docs.jsonl")
    if not os.path.exists(corpus):
        e2e.build(corpus, args.size_mb, 20201006)
    size = os.path.getsize(corpus) / 1e6
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ours = {}
        for jobs in (1, 2):
            summary = os.path.join(tmp, f"summary-{jobs}.json")
            wall, cpu, rss = run([args.textscrub, "dedup", "-q", "-j", str(jobs), "--config", "fineweb-2",
                                  "--summary", summary, "--rejects", os.path.join(tmp, f"removed-{jobs}.jsonl"),
                                  "-o", os.path.join(tmp, f"kept-{jobs}.jsonl"), corpus])
            with open(summary) as f:
                report = json.load(f)
            ours[jobs] = (wall, cpu, rss, report)
        script = os.path.join(tmp, "stage.py")
        with open(script, "w") as f:
            f.write(STAGE)
        theirs = {}
        work = os.path.join(tmp, "datatrove")
        for stage in ["signatures", "buckets", "clusters", "filter"]:
            theirs[stage] = run([args.python, script, stage, corpus_dir, work])
        removed_dt = sorted(json.loads(line)["id"] for name in os.listdir(f"{work}/removed")
                            for line in open(os.path.join(work, "removed", name)))
        removed_ts = sorted(json.loads(line)["id"] for line in open(os.path.join(tmp, "removed-1.jsonl")))
    same = "the same" if removed_dt == removed_ts else "DIFFERENT"
    print(f"corpus: {size:.1f} MB, {ours[1][3]['run']['documents']} documents; removed: textscrub "
          f"{len(removed_ts)}, datatrove {len(removed_dt)} ({same} ids)\n")
    print("| stage | textscrub -j 1: wall s / CPU s / peak MB | textscrub -j 2: wall s / CPU s | datatrove: wall s / CPU s / peak MB | CPU ratio |")
    print("| --- | --- | --- | --- | --- |")
    total_ts, total_dt = 0.0, 0.0
    for stage in ["signatures", "buckets", "clusters", "filter"]:
        one = next(c for c in ours[1][3]["stages"] if c["stage"] == stage)
        two = next(c for c in ours[2][3]["stages"] if c["stage"] == stage)
        wall, cpu, rss = theirs[stage]
        total_ts += one["cpu_seconds"]
        total_dt += cpu
        ratio = cpu / one["cpu_seconds"] if one["cpu_seconds"] > 0 else float("inf")
        print(f"| {stage} | {one['seconds']:.2f} / {one['cpu_seconds']:.2f} / {one['peak_rss_mb']:.0f} "
              f"| {two['seconds']:.2f} / {two['cpu_seconds']:.2f} | {wall:.2f} / {cpu:.2f} / {rss:.0f} | {ratio:.0f}x |")
    print(f"| whole run | {ours[1][0]:.2f} / {ours[1][1]:.2f} / {ours[1][2]:.0f} | {ours[2][0]:.2f} / {ours[2][1]:.2f} "
          f"| {sum(t[0] for t in theirs.values()):.2f} / {total_dt:.2f} / {max(t[2] for t in theirs.values()):.0f} "
          f"| {total_dt / ours[1][1]:.0f}x |")
    sig = next(c for c in ours[1][3]["stages"] if c["stage"] == "signatures")
    print(f"\nsignatures: {size / sig['cpu_seconds']:.0f} MB/s of text per CPU second (textscrub), "
          f"{size / theirs['signatures'][1]:.2f} MB/s (datatrove)")


if __name__ == "__main__":
    main()
