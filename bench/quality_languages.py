#!/usr/bin/env python3
"""Speed of the quality signals per language: textscrub's FineWeb-2 recipe against its
English recipe and against datatrove's three FineWeb-2 filters, on the same text.

For each language, a corpus of about --size-mb MB is made by repeating the prose documents
of fixtures/multilingual/docs.jsonl in that language (each copy a new record). In one run it
times, on one core (-j 1): the floor (`clean --no-default-rules`, reading, parsing and
writing with no rules), `clean --no-default-rules --recipe fineweb-2` (English: `--recipe
fineweb`), and, unless --no-datatrove, datatrove's GopherRepetitionFilter,
FineWebQualityFilter and GopherQualityFilter configured as FineWeb-2 configures them, on the
first --datatrove-mb MB of the same records. Reports MB/s of the quality stage alone (run
time minus the floor's), and the speed-up over datatrove.

    python3 bench/quality_languages.py --binary target/release/textscrub
    target/parity-venv/bin/python bench/quality_languages.py --binary target/release/textscrub

datatrove runs only where it imports (the parity venv of .ci/quality.sh has it).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGUAGES = ["eng", "deu_Latn", "fra_Latn", "rus_Cyrl", "ind_Latn", "hun_Latn", "arb_Arab",
             "ell_Grek", "swh_Latn", "epo_Latn", "kat_Geor"]


def english_docs():
    with open(os.path.join(ROOT, "fixtures/scraped-dev/docs.jsonl"), encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def prose(label):
    if label == "eng":
        return english_docs()
    docs = []
    with open(os.path.join(ROOT, "fixtures/multilingual/docs.jsonl"), encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc["language"] == label and "/x-" not in doc["id"] and len(doc["text"]) > 300:
                docs.append(doc["text"])
    return docs


def build(label, size_mb, path):
    texts = prose(label)
    written, n = 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size_mb * 1e6:
            for text in texts:
                record = {"id": f"{label}/{n}", "text": text}
                if label != "eng":
                    record["language"] = label
                line = json.dumps(record, ensure_ascii=False) + "\n"
                out.write(line)
                written += len(line.encode())
                n += 1
    return written


def cpu_of(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def datatrove_seconds(label, path, limit_mb):
    try:
        import yaml  # noqa: F401
        from datatrove.data import Document
        from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter
    except ImportError:
        return None
    recipe = json.load(open(os.path.join(ROOT, "rules/quality/fineweb-2.json"), encoding="utf-8"))
    config = recipe["languages"][label]
    language = label
    filters = [
        GopherRepetitionFilter(language=language, dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0,
                               dup_line_frac=config["dup_line_frac"], top_n_grams=config["top_n_grams"],
                               dup_n_grams=config["dup_n_grams"]),
        FineWebQualityFilter(language=language, short_line_thr=999, char_duplicates_ratio=0.1,
                             line_punct_thr=config["line_punct_thr"], new_line_ratio=config["new_line_ratio"]),
        GopherQualityFilter(language=language, max_avg_word_length=config["max_avg_word_length"],
                            min_avg_word_length=config["min_avg_word_length"], stop_words=config["stopwords"],
                            max_non_alpha_words_ratio=config["max_non_alpha_words_ratio"], min_stop_words=2),
    ]
    docs, size = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            size += len(line.encode())
            docs.append(Document(text=json.loads(line)["text"], id=str(len(docs))))
            if size > limit_mb * 1e6:
                break
    for f in filters:  # load the tokenizers before timing
        f.filter(Document(text="warm up.", id="w"))
    start = time.process_time()
    for doc in docs:
        for f in filters:
            if f.filter(doc) is not True:
                break
    return time.process_time() - start, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/textscrub"))
    parser.add_argument("--size-mb", type=float, default=10)
    parser.add_argument("--datatrove-mb", type=float, default=1)
    parser.add_argument("--no-datatrove", action="store_true")
    parser.add_argument("--languages", nargs="*", default=LANGUAGES)
    args = parser.parse_args()
    print(f"| language | tokenizer | floor MB/s | quality MB/s | datatrove MB/s | speed-up |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    recipe = json.load(open(os.path.join(ROOT, "rules/quality/fineweb-2.json"), encoding="utf-8"))["languages"]
    with tempfile.TemporaryDirectory() as tmp:
        for label in args.languages:
            path = os.path.join(tmp, f"{label}.jsonl")
            size = build(label, args.size_mb, path) / 1e6
            base = [args.binary, "clean", "--no-default-rules", "-q", "-j", "1", path, "-o", os.devnull]
            floor = cpu_of(base)
            recipe_flag = ["--recipe", "fineweb" if label == "eng" else "fineweb-2"]
            judged = cpu_of(base + recipe_flag)
            quality = size / max(judged - floor, 1e-9)
            reference = None if args.no_datatrove or label == "eng" else datatrove_seconds(label, path, args.datatrove_mb)
            tokenizer = "spacy:en" if label == "eng" else recipe[label]["tokenizer"]
            if reference:
                seconds, dt_size = reference
                dt = dt_size / 1e6 / seconds
                print(f"| {label} | {tokenizer} | {size / floor:.0f} | {quality:.1f} | {dt:.2f} | {quality / dt:.0f}x |")
            else:
                print(f"| {label} | {tokenizer} | {size / floor:.0f} | {quality:.1f} | | |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
