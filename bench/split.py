#!/usr/bin/env python3
"""`textscrub split` against its floor, `clean --no-default-rules`, on the same JSONL corpus
in one run (the corpus of bench/e2e.py), at -j 1 and -j 2, with and without language
detection (`--lang en` skips it). Figures are medians over the rounds; ratios are of CPU
time (user + system), which other work on a shared machine does not stretch.

    python3 bench/split.py --size-mb 50 [--repeat 3] [--binary target/release/textscrub]
"""
import argparse, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20201006)
    parser.add_argument("--binary", default=os.path.join(e2e.ROOT, "target/release/textscrub"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus_dir = os.path.join(e2e.ROOT, "target/bench")
    os.makedirs(corpus_dir, exist_ok=True)
    corpus = os.path.join(corpus_dir, f"news-{args.size_mb}mb-{args.seed}.jsonl")
    if not os.path.exists(corpus):
        e2e.build(corpus, args.size_mb, args.seed)
    size = os.path.getsize(corpus)
    floor = "floor (clean --no-default-rules)"
    configs = {
        floor: ["clean", "--no-default-rules", "-q"],
        "split --lang en": ["split", "--lang", "en", "-q"],
        "split, language detected (256-byte sample)": ["split", "-q"],
    }
    print(f"corpus: {size / 1e6:.0f} MB ({os.path.basename(corpus)}); {args.repeat} round(s), medians\n")
    print("| run | jobs | MB/s wall | MB/s of CPU | vs floor (CPU) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for jobs in (1, 2):
        runs = {name: [] for name in configs}
        for _ in range(args.repeat):
            for name, config in configs.items():
                runs[name].append(e2e.run([args.binary, *config, "-j", str(jobs), corpus]))
        floor_cpu = e2e.median([cpu for _, cpu, _ in runs[floor]])
        for name, results in runs.items():
            wall = e2e.median([w for w, _, _ in results])
            cpu = e2e.median([c for _, c, _ in results])
            rss = max(r for _, _, r in results)
            print(f"| {name} | {jobs} | {size / 1e6 / wall:.1f} | {size / 1e6 / cpu:.1f} "
                  f"| {floor_cpu / cpu:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
