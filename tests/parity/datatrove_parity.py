#!/usr/bin/env python3
"""Runs datatrove's quality filters and textscrub on the same cleaned documents and compares.

For every document: textscrub cleans it with the default rules and judges it
(`textscrub clean --quality --recipe fineweb`: the English recipe on every page, whatever its language); datatrove's `GopherQualityFilter`, `GopherRepetitionFilter`,
`C4QualityFilter` and `FineWebQualityFilter` judge the cleaned text. Compared, per family:

- the verdict (keep or drop) of datatrove's filter with its default arguments;
- the failing rules: for each textscrub rule, datatrove's filter with only that check
  switched on (datatrove stops at its first failing check, so this is how it tells all);
- every signal a datatrove filter reads, computed from datatrove's own functions
  (`split_into_words`, `find_duplicates`, `find_top_duplicate`, ...), within 1e-9.

Exits 1 on any disagreement (unless --report), 2 on a usage error.

    python tests/parity/datatrove_parity.py --textscrub target/debug/textscrub \
        --jsonl fixtures/scraped-dev/docs.jsonl --seeds fixtures/seeds/input
"""

import argparse
import importlib.metadata
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)
from datatrove.pipeline.filters.c4_filters import CITATION_REGEX, ELLIPSIS, END_PUNCTUATION
from datatrove.pipeline.filters.gopher_quality_filter import STOP_WORDS
from datatrove.pipeline.filters.gopher_repetition_filter import (
    find_all_duplicate,
    find_duplicates,
    find_top_duplicate,
    get_n_grams,
)
from datatrove.utils.text import PUNCTUATION_SET, TERMINAL_PUNCTUATION, split_into_sentences, split_into_words

import textscrub_clean

TOLERANCE = 1e-9

GOPHER_OFF = dict(
    min_doc_words=None,
    max_doc_words=None,
    min_avg_word_length=None,
    max_avg_word_length=None,
    max_symbol_word_ratio=None,
    max_bullet_lines_ratio=None,
    max_ellipsis_lines_ratio=None,
    max_non_alpha_words_ratio=None,
    min_stop_words=None,
)
REPETITION_OFF = dict(
    dup_line_frac=None,
    dup_para_frac=None,
    dup_line_char_frac=None,
    dup_para_char_frac=None,
    top_n_grams=(),
    dup_n_grams=(),
)
FINEWEB_OFF = dict(line_punct_thr=0.0, short_line_thr=1.0, char_duplicates_ratio=1.0, new_line_ratio=math.inf)


def only(cls, off, **on):
    return cls(**{**off, **on})


# textscrub rule -> (family, datatrove filter with only that check on, reasons meaning it failed)
def isolated_filters():
    g = lambda **on: only(GopherQualityFilter, GOPHER_OFF, **on)  # noqa: E731
    r = lambda **on: only(GopherRepetitionFilter, REPETITION_OFF, **on)  # noqa: E731
    f = lambda **on: only(FineWebQualityFilter, FINEWEB_OFF, **on)  # noqa: E731
    return {
        "quality/gopher-min-words": ("gopher", g(min_doc_words=50)),
        "quality/gopher-max-words": ("gopher", g(max_doc_words=100000)),
        "quality/gopher-min-word-length": ("gopher", g(min_avg_word_length=3)),
        "quality/gopher-max-word-length": ("gopher", g(max_avg_word_length=10)),
        "quality/gopher-hash-ratio": ("gopher", g(max_symbol_word_ratio=0.1)),
        "quality/gopher-ellipsis-ratio": ("gopher", g(max_symbol_word_ratio=0.1)),
        "quality/gopher-bullet-lines": ("gopher", g(max_bullet_lines_ratio=0.9)),
        "quality/gopher-ellipsis-lines": ("gopher", g(max_ellipsis_lines_ratio=0.3)),
        "quality/gopher-alpha-words": ("gopher", g(max_non_alpha_words_ratio=0.8)),
        "quality/gopher-stop-words": ("gopher", g(min_stop_words=2)),
        "quality/gopher-dup-lines": ("repetition", r(dup_line_frac=0.3)),
        "quality/gopher-dup-paragraphs": ("repetition", r(dup_para_frac=0.3)),
        "quality/gopher-dup-line-chars": ("repetition", r(dup_line_char_frac=0.2)),
        "quality/gopher-dup-paragraph-chars": ("repetition", r(dup_para_char_frac=0.2)),
        "quality/gopher-top-2gram": ("repetition", r(top_n_grams=((2, 0.2),))),
        "quality/gopher-top-3gram": ("repetition", r(top_n_grams=((3, 0.18),))),
        "quality/gopher-top-4gram": ("repetition", r(top_n_grams=((4, 0.16),))),
        "quality/gopher-dup-5gram": ("repetition", r(dup_n_grams=((5, 0.15),))),
        "quality/gopher-dup-6gram": ("repetition", r(dup_n_grams=((6, 0.14),))),
        "quality/gopher-dup-7gram": ("repetition", r(dup_n_grams=((7, 0.13),))),
        "quality/gopher-dup-8gram": ("repetition", r(dup_n_grams=((8, 0.12),))),
        "quality/gopher-dup-9gram": ("repetition", r(dup_n_grams=((9, 0.11),))),
        "quality/gopher-dup-10gram": ("repetition", r(dup_n_grams=((10, 0.10),))),
        "quality/c4-min-sentences": ("c4", C4QualityFilter(filter_lorem_ipsum=False, filter_curly_bracket=False)),
        "quality/c4-lorem-ipsum": ("c4", C4QualityFilter(min_num_sentences=-1, filter_curly_bracket=False)),
        "quality/c4-curly-bracket": ("c4", C4QualityFilter(min_num_sentences=-1, filter_lorem_ipsum=False)),
        "quality/fineweb-line-punct": ("fineweb", f(line_punct_thr=0.12)),
        "quality/fineweb-short-lines": ("fineweb", f(short_line_thr=0.67)),
        "quality/fineweb-dup-line-chars": ("fineweb", f(char_duplicates_ratio=0.01)),
        "quality/fineweb-list-ratio": ("fineweb", f(new_line_ratio=0.3)),
    }


FAMILIES = {
    "gopher": GopherQualityFilter,
    "repetition": GopherRepetitionFilter,
    "c4": C4QualityFilter,
    "fineweb": FineWebQualityFilter,
}


def run(filter_, text):
    """datatrove's verdict: (kept, reason). C4 rewrites doc.text, so each run gets its own."""
    result = filter_.filter(Document(text=text, id="doc"))
    if result is True:
        return True, None
    if isinstance(result, tuple):
        return bool(result[0]), result[1]
    return bool(result), None


def ratio(part, whole):
    return part / whole if whole else 0.0


def datatrove_signals(text):
    """Every signal a datatrove filter reads, from datatrove's own functions."""
    s = {}
    words = split_into_words(text, "en")
    n_words = len(words)
    non_symbol = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
    s["tokens"] = n_words
    s["words"] = len(non_symbol)
    s["mean_word_length"] = float(np.mean([len(w) for w in non_symbol])) if non_symbol else 0.0
    s["hash_ratio"] = ratio(text.count("#"), n_words)
    s["ellipsis_ratio"] = ratio(text.count("...") + text.count("…"), n_words)
    lines = text.splitlines()
    s["bullet_line_fraction"] = ratio(
        sum(x.lstrip().startswith("•") or x.lstrip().startswith("-") for x in lines), len(lines)
    )
    s["ellipsis_line_fraction"] = ratio(
        sum(x.rstrip().endswith("...") or x.rstrip().endswith("…") for x in lines), len(lines)
    )
    s["alpha_word_fraction"] = ratio(sum(any(c.isalpha() for c in w) for w in words), n_words)
    s["stop_words"] = len(set(STOP_WORDS).intersection(set(words)))

    paragraphs = re.split(r"\n{2,}", text.strip())
    dup, chars = find_duplicates(paragraphs)
    s["dup_paragraph_fraction"] = ratio(dup, len(paragraphs))
    s["dup_paragraph_char_fraction"] = ratio(chars, len(text))
    gl = re.split("\n+", text)
    dup, chars = find_duplicates(gl)
    s["dup_line_fraction"] = ratio(dup, len(gl))
    s["dup_line_char_fraction"] = ratio(chars, len(text))
    for n in (2, 3, 4):
        grams = get_n_grams(words, n)
        s[f"top_{n}gram_char_fraction"] = ratio(find_top_duplicate(grams), len(text)) if grams else 0.0
    for n in range(5, 11):
        s[f"dup_{n}gram_char_fraction"] = ratio(find_all_duplicate(words, n), len(text))

    fl = [x for x in text.split("\n") if x.strip() != ""]
    stops = tuple(TERMINAL_PUNCTUATION)
    s["line_punct_fraction"] = ratio(sum(1 for x in fl if x.endswith(stops)), len(fl))
    s["short_line_fraction"] = ratio(sum(1 for x in fl if len(x) <= 30), len(fl))
    s["dup_line_char_share"] = ratio(find_duplicates(fl)[1], len(text.replace("\n", "")))
    s["newline_ratio"] = ratio(text.count("\n"), n_words)

    # C4QualityFilter.filter's loop, each document check as if it were the only one on.
    sentences, lorem, curly = 0, 0, 0
    for line in text.splitlines():
        line = line.strip()
        line_words = line.split()
        if any(len(w) > 1000 for w in line_words):
            continue
        line = CITATION_REGEX.sub("", line)
        if not line.endswith(END_PUNCTUATION) or line.endswith(ELLIPSIS):
            continue
        if len(line_words) < 3:
            continue
        line_l = line.lower()
        if "lorem ipsum" in line_l:
            lorem = 1
        if "javascript" in line_l:
            continue
        if "{" in line:
            curly = 1
        if any(p in line_l for p in ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")):
            continue
        sentences += len(split_into_sentences(line, "en"))
    s["c4_sentences"] = sentences
    s["c4_lorem_ipsum"] = lorem
    s["c4_curly_bracket"] = curly
    return s


def load_inputs(jsonl_paths, seed_dirs):
    records = []
    for path in jsonl_paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    rec = json.loads(line)
                    records.append({"id": str(rec.get("id", f"{path}:{n}")), "text": rec["text"]})
    for folder in seed_dirs:
        for path in sorted(Path(folder).glob("*.txt")):
            records.append({"id": path.name, "text": path.read_text(encoding="utf-8")})
    return records


def textscrub_judge(binary, records):
    return textscrub_clean.clean(binary, records, ["--quality", "--recipe", "fineweb"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--textscrub", required=True, help="path to the textscrub binary")
    parser.add_argument("--jsonl", action="append", default=[], help="JSONL with id and text (repeatable)")
    parser.add_argument("--seeds", action="append", default=[], help="folder of .txt documents (repeatable)")
    parser.add_argument("--report", action="store_true", help="print agreement figures, never fail")
    parser.add_argument("--show", type=int, default=20, help="disagreements to print")
    args = parser.parse_args()

    print(
        f"datatrove {importlib.metadata.version('datatrove')}, spaCy {importlib.metadata.version('spacy')}",
        flush=True,
    )
    records = load_inputs(args.jsonl, args.seeds)
    if not records:
        parser.error("no documents")
    judged = textscrub_judge(args.textscrub, records)
    assert len(judged) == len(records), "textscrub returned a different number of records"

    isolated = isolated_filters()
    full = {name: cls() for name, cls in FAMILIES.items()}
    problems = []
    agree = {name: 0 for name in FAMILIES}
    signal_mismatches = 0
    for rec in judged:
        doc_id, text, quality = rec["id"], rec["text"], rec["quality"]
        ours = {r["rule"] for r in quality["reasons"]}
        theirs = set()
        errors = []
        for rule, (family, filter_) in isolated.items():
            try:
                kept, reason = run(filter_, text)
            except Exception as e:  # noqa: BLE001 (datatrove divides by zero on some texts)
                errors.append(f"{rule}: datatrove raised {e!r}")
                continue
            failed = not kept
            if rule == "quality/gopher-hash-ratio":
                failed = reason == "gopher_too_many_hashes"
            elif rule == "quality/gopher-ellipsis-ratio":
                # Both share max_symbol_word_ratio; when hashes fail first, datatrove's own
                # expression decides the ellipsis check.
                if reason == "gopher_too_many_hashes":
                    n_words = len(split_into_words(text, "en"))
                    failed = (text.count("...") + text.count("…")) / n_words > 0.1
                else:
                    failed = reason == "gopher_too_many_ellipsis"
            if failed:
                theirs.add(rule)
        for family, filter_ in full.items():
            kept, reason = run(filter_, text)
            rules = {r for r, (f, _) in isolated.items() if f == family}
            our_kept = not (ours & rules)
            same = kept == our_kept and (ours & rules) == (theirs & rules)
            if same:
                agree[family] += 1
            else:
                problems.append(
                    f"{doc_id}: {family}: datatrove {'keep' if kept else 'drop'} ({reason}), "
                    f"failing {sorted(theirs & rules)}; textscrub {'keep' if our_kept else 'drop'}, "
                    f"failing {sorted(ours & rules)}"
                )
        problems.extend(f"{doc_id}: {e}" for e in errors)
        expected = datatrove_signals(text)
        for name, value in expected.items():
            got = quality["signals"].get(name)
            if got is None or abs(float(got) - float(value)) > TOLERANCE:
                signal_mismatches += 1
                problems.append(f"{doc_id}: signal {name}: datatrove {value!r}, textscrub {got!r}")

    total = len(judged)
    for family, n in agree.items():
        print(f"{family:>10}: {n}/{total} documents agree ({100 * n / total:.2f}%)")
    print(f"signals: {signal_mismatches} values differ by more than {TOLERANCE}")
    for line in problems[: args.show]:
        print("  " + line)
    if len(problems) > args.show:
        print(f"  ... and {len(problems) - args.show} more")
    if problems and not args.report:
        print(f"FAIL: {len(problems)} disagreements", file=sys.stderr)
        return 1
    print("OK" if not problems else f"{len(problems)} disagreements (report only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
