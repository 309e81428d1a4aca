"""MinHash deduplication parity: datatrove 0.10.1's four stages against `textscrub dedup`.

For each corpus and configuration, runs datatrove's MinhashDedupSignature, MinhashDedupBuckets,
MinhashDedupCluster (cluster ids and sizes saved) and MinhashDedupFilter locally, and
`textscrub dedup --work-dir`, then requires:
- every signature file byte-identical (so datatrove's later stages can read textscrub's);
- every bucket (.dups) file and the .remove, .clusters and .sizes files byte-identical;
- the same removed ids, and each textscrub removal naming a kept document of its cluster.

Corpora (built here, deterministically, from the bundled fixtures):
- `planted-en`: the real scraped pages of fixtures/scraped-dev and the English sentences of
  the multilingual fixture, with planted near-duplicates (word edits, shuffled paragraphs,
  boilerplate headers and footers, case/number/punctuation variants, exact copies, short
  texts) and documents without text;
- `real-en`: fixtures/scraped-dev and fixtures/boilerplate-heldout as they are (pages of the
  same sites share their furniture);
- one corpus per language of `--languages`, from fixtures/multilingual with planted variants,
  the language named by each record's `language` field (datatrove: `language=` on the
  signature step, as FineWeb-2 runs it per language).

    python tests/parity/dedup_parity.py --textscrub target/debug/textscrub

Needs datatrove==0.10.1 with xxhash<4 (tests/parity/requirements-dedup.txt).
"""

import argparse
import filecmp
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ["default", "fineweb-2"]
DEFAULT_LANGUAGES = "deu_Latn,rus_Cyrl,fra_Latn,cmn_Hani,hin_Deva,tha_Thai,arb_Arab,ell_Grek,tur_Latn,pol_Latn"


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def variants(rng, base_id, text):
    """Near-duplicates of one text, each with what was done to it."""
    words = text.split(" ")
    out = []
    # A few words replaced.
    edited = list(words)
    for _ in range(max(1, len(words) // 40)):
        edited[rng.randrange(len(edited))] = rng.choice(["lorem", "quux", "zebra", "42"])
    out.append(("edit", " ".join(edited)))
    # Paragraphs shuffled.
    paragraphs = text.split("\n")
    if len(paragraphs) > 2:
        shuffled = list(paragraphs)
        rng.shuffle(shuffled)
        out.append(("shuffle", "\n".join(shuffled)))
    # Page furniture around it.
    out.append(("boilerplate", "Home | News | Sport | Contact\n" + text + "\nShare this story\n© 2026 Example Media"))
    # Case, numbers and punctuation: simplify_text makes these one.
    out.append(("case", text.upper().replace(".", "!").replace("1", "7")))
    # An exact copy.
    out.append(("copy", text))
    # A trimmed tail.
    if len(words) > 60:
        out.append(("truncate", " ".join(words[: len(words) * 9 // 10])))
    return [(f"{base_id}#{kind}", variant) for kind, variant in out]


def planted(records, rng, language=None, share=0.5):
    """The records, near-duplicates of about `share` of them mixed in, short and empty texts."""
    out = []
    for record in records:
        doc = {"id": record["id"], "text": record["text"]}
        if language:
            doc["language"] = language
        out.append(doc)
        if rng.random() < share:
            for vid, text in variants(rng, record["id"], record["text"]):
                extra = {"id": vid, "text": text}
                if language:
                    extra["language"] = language
                out.append(extra)
    # Texts of fewer words than a shingle, duplicated, and records without text.
    for i in range(6):
        short = {"id": f"short-{i}", "text": "Breaking news" if i % 2 else "See more"}
        empty = {"id": f"empty-{i}", "text": ""}
        if language:
            short["language"] = language
            empty["language"] = language
        out.extend([short, empty])
    rng.shuffle(out)
    return out


def write_jsonl(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_datatrove(corpus_dir, work, language):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    config = MinhashConfig(hash_config=HashConfig(hash_fc="xxhash", precision=64), num_buckets=14, hashes_per_bucket=8, n_grams=5)
    logs = work / "logs"

    def reader():
        return JsonlReader(str(corpus_dir), glob_pattern="*.jsonl")

    def execute(pipeline, tasks, name):
        from loguru import logger

        logger.remove()  # datatrove's progress and stats, per task
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=str(logs / name),
                              skip_completed=False).run()

    execute([reader(), MinhashDedupSignature(output_folder=str(work / "signatures"), config=config, language=language)], 1, "sig")
    execute([MinhashDedupBuckets(input_folder=str(work / "signatures"), output_folder=str(work / "buckets"), config=config)],
            config.num_buckets, "buckets")
    execute([MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove_ids"), config=config,
                                 save_cluster_id=True, save_cluster_size=True)], 1, "clusters")
    execute([reader(),
             MinhashDedupFilter(input_folder=str(work / "remove_ids"), exclusion_writer=JsonlWriter(str(work / "removed"), compression=None),
                                load_cluster_ids=True, load_cluster_sizes=True),
             JsonlWriter(str(work / "kept"), compression=None)], 1, "filter")
    removed = [doc["id"] for path in sorted((work / "removed").glob("*.jsonl")) for doc in read_jsonl(path)]
    kept = [doc for path in sorted((work / "kept").glob("*.jsonl")) for doc in read_jsonl(path)]
    return removed, kept


def run_textscrub(binary, corpus, work, config_name):
    rejects, kept = work / "rejects.jsonl", work / "kept.jsonl"
    command = [binary, "dedup", "-q", "--config", config_name, "--work-dir", str(work), "--rejects", str(rejects),
               "-o", str(kept), str(corpus)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"error: textscrub exited {done.returncode}: {' '.join(command)}\n{done.stderr[-3000:]}")
    return read_jsonl(rejects), read_jsonl(kept)


def same_files(ours, theirs, pattern):
    """Names of files matching `pattern` under `theirs` that differ from (or are missing in) `ours`."""
    differ = []
    for path in sorted(theirs.glob(pattern)):
        mine = ours / path.relative_to(theirs)
        if not mine.exists() or not filecmp.cmp(path, mine, shallow=False):
            differ.append(str(path.relative_to(theirs)))
    return differ


def compare(name, binary, records, language, tmp):
    """Both configurations against one datatrove run: they differ only in what textscrub
    writes on the kept records (datatrove's filter loads cluster sizes either way here)."""
    corpus_dir = tmp / name / "corpus"
    corpus = corpus_dir / "docs.jsonl"
    write_jsonl(corpus, records)
    theirs = tmp / name / "datatrove"
    removed, dt_kept = run_datatrove(corpus_dir, theirs, language)
    return all([compare_config(name, binary, records, config_name, corpus, theirs, removed, dt_kept, tmp)
                for config_name in CONFIGS])


def compare_config(name, binary, records, config_name, corpus, theirs, removed, dt_kept, tmp):
    ours = tmp / name / f"textscrub-{config_name}"
    rejects, kept = run_textscrub(binary, corpus, ours, config_name)
    problems = []
    for pattern in ["signatures/bucket_*/*.minhash.sig", "buckets/*.dups", "remove_ids/*.remove",
                    "remove_ids/*.clusters", "remove_ids/*.sizes"]:
        differ = same_files(ours, theirs, pattern)
        if differ:
            problems.append(f"{len(differ)} file(s) differ: {', '.join(differ[:4])}")
    our_removed = [r["id"] for r in rejects]
    if our_removed != removed:
        problems.append(f"removed ids differ: {len(our_removed)} against datatrove's {len(removed)}; "
                        f"only ours {sorted(set(our_removed) - set(removed))[:5]}, only datatrove's {sorted(set(removed) - set(our_removed))[:5]}")
    kept_ids = {r["id"] for r in kept}
    for r in rejects:
        if r.get("duplicate_of") not in kept_ids:
            problems.append(f"{r['id']}: its twin {r.get('duplicate_of')!r} is not kept")
            break
    # Every record is kept or removed (the empty ones, which datatrove drops unread, kept).
    if len(kept) + len(rejects) != len(records):
        problems.append(f"{len(kept)} kept + {len(rejects)} removed for {len(records)} records")
    if config_name == "default" and any("minhash_cluster_size" in r for r in kept):
        problems.append("the default configuration added minhash_cluster_size")
    if config_name == "fineweb-2":
        sizes = {d["id"]: d["metadata"].get("minhash_cluster_size") for d in dt_kept}
        wrong = [r["id"] for r in kept if r["id"] in sizes and r.get("minhash_cluster_size") != sizes[r["id"]]]
        if wrong:
            problems.append(f"cluster sizes differ on {len(wrong)} kept records, e.g. {wrong[:3]}")
    pairs = sum(os.path.getsize(p) for p in (ours / "buckets").glob("*.dups")) // 16
    status = "ok" if not problems else "DIFFERENT"
    print(f"{name:<14} {config_name:<10} {len(records):>5} docs  {pairs:>5} pairs  {len(removed):>4} removed  {status}")
    for problem in problems:
        print(f"    {problem}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--textscrub", required=True)
    parser.add_argument("--languages", default=DEFAULT_LANGUAGES)
    parser.add_argument("--keep", help="keep the work folders here")
    args = parser.parse_args()
    binary = str(Path(args.textscrub).resolve())
    rng = random.Random(20261207)
    scraped = read_jsonl(ROOT / "fixtures/scraped-dev/docs.jsonl")
    heldout = [ROOT / "fixtures/boilerplate-heldout/docs.jsonl"]
    multilingual = read_jsonl(ROOT / "fixtures/multilingual/docs.jsonl")
    english = [r for r in multilingual if r["id"].startswith("eng_Latn/")]
    corpora = [
        ("planted-en", planted(scraped + english, rng), "eng"),
        ("real-en", [{"id": r["id"], "text": r["text"]} for path in [ROOT / "fixtures/scraped-dev/docs.jsonl", *heldout]
                     for r in read_jsonl(path)], "eng"),
    ]
    for label in args.languages.split(","):
        docs = [r for r in multilingual if r["id"].startswith(label + "/")]
        if not docs:
            sys.exit(f"error: no documents of {label} in the multilingual fixture")
        corpora.append((label, planted(docs, rng, language=label, share=0.7), label))
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(args.keep) if args.keep else Path(tmp)
        for name, records, language in corpora:
            ok &= compare(name, binary, records, language, tmp)
    if not ok:
        sys.exit("dedup parity: textscrub differs from datatrove")
    print("dedup parity: every signature, pair and removal equal to datatrove's")


if __name__ == "__main__":
    main()
