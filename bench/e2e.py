#!/usr/bin/env python3
"""End-to-end benchmark of textscrub on a reproducible news-like JSONL corpus.

Builds the corpus from the bundled fixtures (the seed articles and the real scraped pages)
with scraper artifacts injected at fixed-seed random places, then times, in one run:
Python's bare json.loads/json.dumps pass over the same file (a fixed outside reference),
the floor (read, parse and write back with no rules), default `clean`, and the full
pipeline (`clean --sentences --changes --quality`), each at -j 1 and -j 2; then, on a few
MB, the Python pipeline a user would write instead (bench/python_pipeline.py, in its own
virtual environment). Reports MB/s by wall and by CPU time, ratios to the JSON pass and to
the floor, the 1 -> 2 core wall speed-up and CPU-time ratio, and peak RSS.

    python3 bench/e2e.py --size-mb 200          # build (cached) and run
    python3 bench/e2e.py --size-mb 2000 --only clean --python-mb 0
    python3 bench/e2e.py --size-mb 100 --repeat 3            # how noisy is the machine?
    python3 bench/e2e.py --size-mb 20 --timings 10 --python-mb 0   # and where the time goes

Run by hand, not by `cargo test`. Needs Python 3 and cargo (and PyPI for the reference
pipeline's virtual environment).
"""
import argparse, json, os, random, subprocess, sys, tempfile, time

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


def run(command, stdout=subprocess.DEVNULL):
    """Wall time, CPU time (user + system, all threads) and peak RSS (MB) of one process,
    from wait4. CPU time is the fair measure on a shared machine: other people's builds
    stretch wall time, not the CPU seconds this process used."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


# Python's bare JSON pass over the same file: the fixed outside reference.
JSON_PASS = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open("/dev/null", "w") as out:
    for line in f:
        out.write(json.dumps(json.loads(line)) + "\\n")
"""


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def spread(values):
    return f"{min(values):.2f}-{max(values):.2f}" if len(values) > 1 else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20201006)
    ap.add_argument("--corpus-dir", default=os.path.join(ROOT, "target/bench"))
    ap.add_argument("--only", choices=["floor", "clean", "full"], action="append")
    ap.add_argument("--repeat", type=int, default=1, help="rounds of every run; figures are medians")
    ap.add_argument("--python-mb", type=float, default=2,
                    help="MB for the Python reference pipeline (bench/python_pipeline.py); 0 skips it")
    ap.add_argument("--timings", type=int, default=0, metavar="N",
                    help="after the rounds, one more -j 1 run of each configuration with --timings: "
                         "its N costliest rules and stages, with their share of the time")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.path.join(target, "release/textscrub")
    os.makedirs(args.corpus_dir, exist_ok=True)
    corpus = os.path.join(args.corpus_dir, f"news-{args.size_mb}mb-{args.seed}.jsonl")
    if not os.path.exists(corpus):
        print(f"building {corpus} ...", file=sys.stderr)
        build(corpus, args.size_mb, args.seed)
    size = os.path.getsize(corpus)
    with open(corpus, "rb") as f:
        docs = sum(1 for _ in f)

    full = ["clean", "-q", "--sentences", "--changes", os.devnull, "--quality"]
    configs = {
        "floor": ["clean", "-q", "--no-default-rules"],
        "clean": ["clean", "-q"],
        "full": full,
    }
    wanted = args.only or list(configs)
    rounds = []
    for _ in range(args.repeat):
        results = {"json": run([sys.executable, "-c", JSON_PASS, corpus])}
        for name in wanted:
            for jobs in (1, 2):
                results[(name, jobs)] = run([binary, *configs[name], "-j", str(jobs), corpus])
        rounds.append(results)

    def figure(key, pick):
        return median([pick(r[key]) for r in rounds])

    json_cpu = [r["json"][1] for r in rounds]
    print(f"corpus: {size / 1e6:.0f} MB, {docs} documents ({os.path.basename(corpus)}); "
          f"{args.repeat} round(s), medians; ranges are min-max over rounds\n")
    print(f"Python bare json.loads/json.dumps pass: {size / 1e6 / median(json_cpu):.1f} MB/s of CPU "
          f"({median(json_cpu):.2f} s CPU, {figure('json', lambda x: x[0]):.2f} s wall)\n")
    print("| run | jobs | MB/s wall | MB/s CPU | CPU s | vs json pass (CPU) | wall 1->2 | CPU 2/1 | vs floor (CPU) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in wanted:
        for jobs in (1, 2):
            wall = figure((name, jobs), lambda x: x[0])
            cpu = figure((name, jobs), lambda x: x[1])
            rss = figure((name, jobs), lambda x: x[2])
            vs_json = [r["json"][1] / r[(name, jobs)][1] for r in rounds]
            speedup = [r[(name, 1)][0] / r[(name, jobs)][0] for r in rounds]
            cpu_ratio = [r[(name, jobs)][1] / r[(name, 1)][1] for r in rounds]
            floor = [r[("floor", jobs)][1] / r[(name, jobs)][1] for r in rounds] if "floor" in wanted else None
            row = [name, jobs, f"{size / 1e6 / wall:.1f}", f"{size / 1e6 / cpu:.1f}", f"{cpu:.2f}",
                   f"{median(vs_json):.2f} ({spread(vs_json)})",
                   f"{median(speedup):.2f} ({spread(speedup)})" if jobs == 2 else "1.00",
                   f"{median(cpu_ratio):.2f} ({spread(cpu_ratio)})" if jobs == 2 else "1.00",
                   f"{median(floor):.2f}" if floor else "-", f"{rss:.0f}"]
            print("| " + " | ".join(str(c) for c in row) + " |")

    if args.timings > 0:
        for name in wanted:
            with tempfile.TemporaryDirectory() as tmp:
                summary = os.path.join(tmp, "summary.json")
                subprocess.run([binary, *configs[name], "-j", "1", "--timings", "--summary", summary, corpus],
                               check=True, stdout=subprocess.DEVNULL)
                with open(summary) as f:
                    stages = json.load(f).get("seconds_per_stage", {})
            total = sum(stages.values())
            if not total:
                continue
            print(f"\n{name}, -j 1, --timings: {total:.2f} s in the rules and stages, the {args.timings} costliest:")
            for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1])[:args.timings]:
                print(f"  {seconds:6.3f} s  {100 * seconds / total:4.1f}%  {stage}")

    if args.python_mb > 0:
        # The pipeline a user would write in Python, on the first few MB of the same corpus.
        script = os.path.join(ROOT, "bench/python_pipeline.py")
        out = subprocess.run([sys.executable, script, corpus, "--mb", str(args.python_mb)],
                             check=True, capture_output=True, text=True).stdout
        py = json.loads(out.strip().splitlines()[-1])
        py_rate = py["bytes"] / 1e6 / py["cpu_seconds"]
        print(f"\nPython pipeline (ftfy + line regexes + datatrove C4/Gopher filters + pySBD + difflib), "
              f"{py['bytes'] / 1e6:.1f} MB, {py['docs']} documents: {py_rate:.3f} MB/s of CPU "
              f"({py['cpu_seconds']:.1f} s CPU, {py['seconds']:.1f} s wall)")
        if "full" in wanted:
            full_rate = size / 1e6 / figure(("full", 1), lambda x: x[1])
            print(f"textscrub full at -j 1 / Python pipeline (CPU): {full_rate / py_rate:.0f}x")


if __name__ == "__main__":
    main()
