#!/usr/bin/env python3
"""End-to-end benchmark of textscrub on a reproducible news-like JSONL corpus.

Builds the corpus from the bundled fixtures (the seed articles and the real scraped pages)
with scraper artifacts injected at fixed-seed random places, then times, in one run:
the floor (read, parse and write back with no rules), default `clean`, and the full
pipeline (`clean --sentences --changes --quality`, where available), each at -j 1 and -j 2.
Reports MB/s, documents/s, the 1 -> 2 core speed-up, the ratio to the floor and peak RSS.

    python3 bench/e2e.py --size-mb 200          # build (cached) and run
    python3 bench/e2e.py --size-mb 2000 --only clean

Run by hand, not by `cargo test`. Needs only Python 3 and cargo.
"""
import argparse, json, os, random, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTIFACTS = [
    "[ad_{n}]",
    "\nAdvertisement\n",
    "\nRELATED Officials say talks will resume next week\n",
    " Photo by Jane Doe/AFP",
    "\nShare this story\n",
    "\nStory continues below advertisement\n",
]
NAMES = ["Sadır Caparov", "Ceenbekov", "Cumabekov", "Ala Too Square"]


def paragraphs():
    texts = []
    for name in sorted(os.listdir(os.path.join(ROOT, "fixtures/seeds/input"))):
        with open(os.path.join(ROOT, "fixtures/seeds/input", name), encoding="utf-8") as f:
            texts.append(f.read())
    with open(os.path.join(ROOT, "fixtures/scraped-dev/docs.jsonl"), encoding="utf-8") as f:
        texts.extend(json.loads(line)["text"] for line in f)
    paras = [p.strip() for t in texts for p in t.split("\n") if len(p.strip()) > 80]
    return paras


def build(path, size_mb, seed):
    rng = random.Random(seed)
    paras = paragraphs()
    target = size_mb * 1_000_000
    written, n = 0, 0
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        while written < target:
            body = []
            for _ in range(rng.randint(6, 30)):
                p = rng.choice(paras)
                if rng.random() < 0.15:
                    p = p + rng.choice(ARTIFACTS).replace("{n}", str(rng.randint(1, 9)))
                if rng.random() < 0.05:
                    p = rng.choice(NAMES) + " said " + p
                body.append(p)
            record = {"id": f"doc-{n}", "url": f"https://news.example/{n}", "text": "\n\n".join(body)}
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    os.replace(tmp, path)
    return n


def run(binary, args, corpus):
    """Wall time and this run's own peak RSS (MB), from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary, *args, corpus], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20201006)
    ap.add_argument("--corpus-dir", default=os.path.join(ROOT, "target/bench"))
    ap.add_argument("--only", choices=["floor", "clean", "full"], action="append")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target/release/textscrub")
    os.makedirs(args.corpus_dir, exist_ok=True)
    corpus = os.path.join(args.corpus_dir, f"news-{args.size_mb}mb-{args.seed}.jsonl")
    if not os.path.exists(corpus):
        print(f"building {corpus} ...", file=sys.stderr)
        build(corpus, args.size_mb, args.seed)
    size = os.path.getsize(corpus)
    with open(corpus, "rb") as f:
        docs = sum(1 for _ in f)

    help_text = subprocess.run([binary, "clean", "--help"], capture_output=True, text=True).stdout
    full = ["clean", "-q", "--sentences", "--changes", os.devnull]
    if "--quality" in help_text:
        full.append("--quality")
    configs = {
        "floor": ["clean", "-q", "--no-default-rules"],
        "clean": ["clean", "-q"],
        "full": full,
    }
    wanted = args.only or list(configs)
    results = {}
    for name in wanted:
        for jobs in (1, 2):
            elapsed, rss = run(binary, [*configs[name], "-j", str(jobs)], corpus)
            results[(name, jobs)] = (elapsed, rss)

    print(f"corpus: {size / 1e6:.0f} MB, {docs} documents ({os.path.basename(corpus)})\n")
    print("| run | jobs | MB/s | docs/s | speed-up 1->2 | vs floor | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in wanted:
        for jobs in (1, 2):
            elapsed, rss = results[(name, jobs)]
            speedup = results[(name, 1)][0] / elapsed if jobs == 2 else 1.0
            floor = results.get(("floor", jobs))
            vs_floor = f"{floor[0] / elapsed:.2f}" if floor else "-"
            print(f"| {name} | {jobs} | {size / 1e6 / elapsed:.1f} | {docs / elapsed:.0f} | {speedup:.2f} | {vs_floor} | {rss:.0f} |")


if __name__ == "__main__":
    main()
