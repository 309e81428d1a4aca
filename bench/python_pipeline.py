#!/usr/bin/env python3
"""The Python pipeline a user would write instead of textscrub, as an outside reference.

    python3 bench/python_pipeline.py CORPUS.jsonl --mb 4      # sets up its venv on first use

Per JSONL record: ftfy.fix_text, line regexes for the same boilerplate the default rules
drop, datatrove's C4QualityFilter, GopherQualityFilter and GopherRepetitionFilter, pySBD
sentences and difflib change records, written back as JSON lines. Prints one JSON object:
{"bytes", "docs", "seconds", "cpu_seconds", "kept"}.

The packages live in a virtual environment under target/bench/pyenv (pinned versions
below), created on first use. NLTK's punkt model cannot be downloaded on the project's
machines, so datatrove's filters get a tokenizer built from what installs from PyPI alone:
NLTK's Treebank word tokenizer (the second half of `nltk.word_tokenize`, which needs no
model) and pySBD for sentences. Run by hand, not by `cargo test`.
"""
import json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "target/bench/pyenv")
PACKAGES = ["ftfy==6.3.1", "datatrove==0.10.1", "pysbd==0.3.4", "nltk==3.10.4", "regex==2026.11.15"]


def ensure_venv():
    """Re-runs this script inside the venv, creating it first if needed."""
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(python):
        print(f"creating {VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", *PACKAGES], check=True)
    os.execv(python, [python, *sys.argv])


LINE_PATTERNS = [
    r"\s*(?:advertisement|story continues below(?: advertisement)?|sponsored content|report this ad)\s*",
    r"\s*(?:related(?: stories)?:?|read more:|also read:)(?:\s.*)?",
    r"\s*(?:image copyright|photograph:|getty images|reuters)\b.*",
    r"\s*(?:share this(?: story| article)?|tweet|follow us on \w+|subscribe to our newsletter)\s*",
    r"\s*(?:we use cookies\b.*|cookie policy)\s*",
]


def main():
    ensure_venv()
    import argparse, difflib, re

    import ftfy
    import pysbd
    from datatrove.data import Document
    from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter, GopherRepetitionFilter
    from datatrove.utils.word_tokenizers import WordTokenizer
    from nltk.tokenize import NLTKWordTokenizer

    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--mb", type=float, default=4)
    args = ap.parse_args()

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    words = NLTKWordTokenizer()

    class Tokenizer(WordTokenizer):
        def word_tokenize(self, text):
            return [t.strip() for t in words.tokenize(text) if t.strip()]

        def sent_tokenize(self, text):
            return [s.sent.strip() for s in segmenter.segment(text) if s.sent.strip()]

        def span_tokenize(self, text):
            return [(s.start, s.end) for s in segmenter.segment(text)]

    tokenizer = Tokenizer("en")
    filters = [
        C4QualityFilter(language=tokenizer),
        GopherRepetitionFilter(language=tokenizer),
        GopherQualityFilter(language=tokenizer),
    ]
    line_re = re.compile("|".join(f"(?:{p})" for p in LINE_PATTERNS), re.IGNORECASE)

    limit = int(args.mb * 1_000_000)
    lines = []
    with open(args.corpus, "rb") as f:
        taken = 0
        for raw in f:
            if taken >= limit:
                break
            lines.append(raw)
            taken += len(raw)

    out = open(os.devnull, "w")
    kept = 0
    start, cpu = time.perf_counter(), time.process_time()
    for raw in lines:
        record = json.loads(raw)
        original = record["text"]
        text = ftfy.fix_text(original)
        text = "\n".join(l for l in text.split("\n") if not line_re.fullmatch(l))
        doc = Document(text=text, id=str(record.get("id")))
        verdicts = []
        for f in filters:
            verdict = f.filter(doc)
            verdicts.append(verdict if isinstance(verdict, bool) else verdict[0])
        text = doc.text
        record["text"] = text
        record["sentences"] = [s.sent for s in segmenter.segment(text)]
        record["keep"] = all(verdicts)
        kept += record["keep"]
        out.write(json.dumps(record) + "\n")
        # What changed, line by line, as a unified diff.
        for line in difflib.unified_diff(original.splitlines(), text.splitlines(), lineterm=""):
            out.write(line + "\n")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"bytes": taken, "docs": len(lines), "seconds": elapsed, "cpu_seconds": cpu, "kept": kept}))


if __name__ == "__main__":
    main()
