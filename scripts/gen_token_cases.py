#!/usr/bin/env python3
"""Generates fixtures/tokens/cases.jsonl: spaCy's own tokens of real text in every
language whose tokenizer textscrub ports, for `cargo test` to compare against.

Texts: the multilingual fixture (fixtures/multilingual/docs.jsonl, each document under the
spaCy language datatrove assigns its label: its tokens as a count and a 64-bit
FNV-1a hash of them joined with newlines) and, per spaCy language, the example sentences spaCy ships
(`spacy/lang/{code}/examples.py`, MIT: their tokens in full). Tokens are datatrove's
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


def fnv1a(data: bytes) -> int:
    digest = 0xCBF29CE484222325
    for byte in data:
        digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return digest


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
                if source == "spacy-examples":
                    case = {"lang": code, "source": source, "text": text, "tokens": tokens}
                else:
                    # The document's text is in the fixture; its tokens by count and digest.
                    digest = fnv1a("\n".join(tokens).encode())
                    case = {"lang": code, "source": source, "count": len(tokens), "fnv1a": f"{digest:016x}"}
                out.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
