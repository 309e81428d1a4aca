#!/usr/bin/env python3
"""Generates fixtures/tokens/cases.jsonl: spaCy's own tokens of real text in every
language whose tokenizer textscrub ports, for `cargo test` to compare against.

Texts: the multilingual fixture (fixtures/multilingual/docs.jsonl, each document under the
spaCy language datatrove assigns its label: its tokens as a count and a 64-bit
FNV-1a hash of them joined with newlines) and, per spaCy language, the example sentences spaCy ships
(`spacy/lang/{code}/examples.py`, MIT: their tokens in full). Tokens are datatrove's
`SpaCyTokenizer(code).word_tokenize` (white space dropped), the words the quality signals
count. The same for datatrove's `IndicNLPTokenizer` (lang `indic:{code}`): the fixture's
documents in its languages and strings that take it down each of its paths. Run with the
parity requirements installed (see scripts/gen_spacy_tables.py) and
`pip install --no-deps indic-nlp-library==0.92 jieba==0.42.1`. Chinese (spaCy's tokenizer on
jieba, lang `jieba`): the fixture's Chinese documents.
"""

import importlib
import json
import sys
from pathlib import Path

from datatrove.utils.word_tokenizers import SpaCyTokenizer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "tokens" / "cases.jsonl"
RECIPE = ROOT / "rules" / "quality" / "fineweb-2.json"


# Text that takes IndicNLP's tokenizer down each of its paths: numbers joined or not,
# punctuation of both sets, tabs, line breaks, white space it keeps inside words.
INDIC_SYNTHETIC = [
    "", " ", "\t", "\n", "\r\n", "।", "॥", "...", "\\", "a\\b", "C:\\path\\to",
    "1,000 रुपये", "कीमत 1,000.50 रुपये है।", "रुपये 1,00,000 मात्र", "दिनांक 12/05/2023 को", "समय 10:30 बजे",
    "10 : 30", "1, 2, 3", "x 1, 2, 3", "1 , 2", "x 1 ,  2", "x 1,\n2", "3.14", "x 3.14", "v1.2.3", "x a1,2b",
    "x 192.168.0.1", "Rs. 5", "x .5", "x 1/2/3", "x 2020-01-15", "१,००० रुपये", "۱۲,۳۴ روپے", "\t1,000",
    "क 1,000 ख 2,000", "क\tख", "\t\tक  ख\t", "पहला वाक्य।\nदूसरा वाक्य॥\n\nतीसरा", "क\nख", "क \nख",
    "क\r\nख", "क।ख", "(क) [ख] {ग} <घ>", "“उद्धरण” ‘एक’ «दो»", "क…ख", "क—ख–ग", "क_ख", "क'ख\"ग",
    "क`ख~ग^ह|य", "क@ख#ग$घ%ङ&च*छ+ज=झ", "Hello, world! C++ & Python_3.10.", "name@example.com",
    "क\u00a0ख", "क\u200bख", "क\u3000ख", "क\u2028ख", "क\x0bख\x0cग", "क\x1cख", "क\x85ख",
    "یہ ایک جملہ ہے۔ کیا؟ ہاں، 1,000 روپے ٪ ۔", "ہاں،نہیں؛ ٫٬٭ ؉؊؞", "꯫꯬ ꯭ ꯮꯯", "ᱸᱹ᱾ ᱿", "꫰꫱",
    "!!!१२३!!!", "1 , 2 , 3 , x", "x1 , 2 , 3", "$5.00", "x 50%", "x (1,000)", "[1.5]",
]


def indic_cases(root: Path) -> list:
    """datatrove's IndicNLPTokenizer (indic-nlp-library) on the fixture's documents in its
    languages (by count and hash) and on the strings above, for `hi`, `ur` and `kK`."""
    from datatrove.utils.word_tokenizers import IndicNLPTokenizer

    recipe = json.loads(RECIPE.read_text())["languages"]
    cases = []
    docs = root / "fixtures" / "multilingual" / "docs.jsonl"
    for line in docs.read_text().splitlines():
        doc = json.loads(line)
        tokenizer = recipe.get(doc["language"], {}).get("tokenizer", "")
        if tokenizer.startswith("indicnlp:"):
            code = tokenizer.removeprefix("indicnlp:")
            tokens = IndicNLPTokenizer(code).word_tokenize(doc["text"])
            digest = fnv1a("\n".join(tokens).encode())
            cases.append({"lang": f"indic:{code}", "source": doc["id"], "count": len(tokens), "fnv1a": f"{digest:016x}"})
    for text in INDIC_SYNTHETIC:
        for code in ("hi", "ur", "kK"):
            tokens = IndicNLPTokenizer(code).word_tokenize(text)
            cases.append({"lang": f"indic:{code}", "source": "synthetic", "text": text, "tokens": tokens})
    return cases


def chinese_cases(root: Path) -> list:
    """datatrove's SpaCyTokenizer("zh") (spaCy on jieba 0.42.1) on the fixture's Chinese
    documents, by count and hash (lang `jieba`)."""
    from datatrove.utils.word_tokenizers import SpaCyTokenizer

    recipe = json.loads(RECIPE.read_text())["languages"]
    tokenizer = SpaCyTokenizer("zh")
    cases = []
    docs = root / "fixtures" / "multilingual" / "docs.jsonl"
    for line in docs.read_text().splitlines():
        doc = json.loads(line)
        if recipe.get(doc["language"], {}).get("tokenizer") == "spacy:zh":
            tokens = tokenizer.word_tokenize(doc["text"])
            digest = fnv1a("\n".join(tokens).encode())
            cases.append({"lang": "jieba", "source": doc["id"], "count": len(tokens), "fnv1a": f"{digest:016x}"})
    return cases


def thai_cases(root: Path) -> list:
    """datatrove's ThaiTokenizer (pythainlp 5.4.0, newmm-safe) on the fixture's Thai
    documents, by count and hash, and on strings that exercise its paths (lang `thai`)."""
    from datatrove.utils.word_tokenizers import ThaiTokenizer

    recipe = json.loads(RECIPE.read_text())["languages"]
    tokenizer = ThaiTokenizer()
    cases = []
    docs = root / "fixtures" / "multilingual" / "docs.jsonl"
    texts = []
    for line in docs.read_text().splitlines():
        doc = json.loads(line)
        if recipe.get(doc["language"], {}).get("tokenizer") == "thai":
            texts.append((doc["id"], doc["text"]))
            # Without spaces: the long-text cutting (chunks of under 140 characters).
            texts.append((doc["id"] + "#nospace", doc["text"].replace(" ", "")))
    for source, text in texts:
        tokens = tokenizer.word_tokenize(text)
        if source.endswith("#nospace"):
            cases.append({"lang": "thai", "source": source, "text": text, "tokens": tokens})
            continue
        digest = fnv1a("\n".join(tokens).encode())
        cases.append({"lang": "thai", "source": source, "count": len(tokens), "fnv1a": f"{digest:016x}"})
    for text in ["เปลี่ยน เปลี่ย\nx", "ราคา 1,000.50 บาท เวลา 10:30 น.", "%s #แฮชแท็ก @ผู้ใช้ https://example.com",
                 "สวรรค์ เสียง์ ค. 2015 (สธ.)", "๑๒๓ ๔,๕๖๗ บาท", "ก\tข\r\nค  ง"]:
        cases.append({"lang": "thai", "source": "synthetic", "text": text, "tokens": tokenizer.word_tokenize(text)})
    return cases


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
    indic = indic_cases(ROOT) + chinese_cases(ROOT) + thai_cases(ROOT)
    with OUT.open("w", encoding="utf-8") as out:
        for case in indic:
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
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
