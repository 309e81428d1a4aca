#!/usr/bin/env python3
"""`textscrub split` against its floor, `clean --no-default-rules`, on the same JSONL corpus
in one run (the corpus of bench/e2e.py), at -j 1 and -j 2, with and without language
detection (`--lang en` skips it).

    python3 bench/split.py --size-mb 50 [--binary target/release/textscrub]
"""
import argparse, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--binary", default=os.path.join(e2e.ROOT, "target/release/textscrub"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    corpus = os.path.join(e2e.ROOT, "target", f"bench-corpus-{args.size_mb}mb.jsonl")
    if not os.path.exists(corpus):
        e2e.build(corpus, args.size_mb, seed=42)
    size = os.path.getsize(corpus)
    configs = {
        "floor (clean --no-default-rules)": ["clean", "--no-default-rules", "-q", "--format", "jsonl"],
        "split --lang en": ["split", "--lang", "en", "-q", "--format", "jsonl"],
        "split (detects each language)": ["split", "-q", "--format", "jsonl"],
    }
    print("| run | jobs | MB/s | vs floor | peak RSS MB |\n|---|---:|---:|---:|---:|")
    for jobs in (1, 2):
        best = {}
        for _ in range(args.repeat):
            for name, config in configs.items():
                elapsed, rss = e2e.run(args.binary, [*config, "-j", str(jobs)], corpus)
                if name not in best or elapsed < best[name][0]:
                    best[name] = (elapsed, rss)
        floor = best["floor (clean --no-default-rules)"][0]
        for name, (elapsed, rss) in best.items():
            print(f"| {name} | {jobs} | {size / 1e6 / elapsed:.1f} | {floor / elapsed:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
