#!/usr/bin/env python3
"""Generates fixtures/tokens/cases.jsonl: spaCy's own tokens of real text in every
language whose tokenizer textscrub ports, for `cargo test` to compare against.

Texts: the multilingual fixture (fixtures/multilingual/docs.jsonl, each document under the
spaCy language datatrove assigns its label) and, per spaCy language, the example sentences
spaCy ships (`spacy/lang/{code}/examples.py`, MIT). Tokens are datatrove's
`SpaCyTokenizer(code).word_tokenize` (white space dropped), the words the quality signals
count. Run with the parity requirements installed (see scripts/gen_spacy_tables.py).
"""

import importlib
import json
import sys
from pathlib import Path

from datatrove.utils.word_tokenizers import SpaCyTokenizer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "tokens" / "cases.jsonl"
RECIPE = ROOT / "rules" / "quality" / "fineweb-2.json"


def main() -> None:
    codes = (ROOT / "src" / "quality" / "spacy_tables" / "languages.rs").read_text()
    codes = [line.split('"')[1] for line in codes.splitlines() if line.strip().startswith('("')]
    texts = {code: [] for code in codes}
    for code in codes:
        try:
            module = importlib.import_module(f"spacy.lang.{code}.examples")
        except ImportError:
            continue
        texts[code] += [("spacy-examples", s) for s in module.sentences]
    docs = ROOT / "fixtures" / "multilingual" / "docs.jsonl"
    if docs.exists():
        recipe = json.loads(RECIPE.read_text())["languages"]
        for line in docs.read_text().splitlines():
            doc = json.loads(line)
            tokenizer = recipe.get(doc["language"], {}).get("tokenizer", "")
            code = tokenizer.removeprefix("spacy:")
            if tokenizer.startswith("spacy:") and code in texts:
                texts[code].append((doc["id"], doc["text"]))
    with OUT.open("w", encoding="utf-8") as out:
        for code in codes:
            tokenizer = SpaCyTokenizer(code)
            for source, text in texts[code]:
                tokens = tokenizer.word_tokenize(text)
                out.write(json.dumps({"lang": code, "source": source, "text": text, "tokens": tokens}, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
