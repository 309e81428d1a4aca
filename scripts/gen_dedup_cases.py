"""Writes fixtures/dedup/cases.jsonl: datatrove's own simplified text and MinHash signature for
hand-picked strings and for the first two documents of each language of the multilingual
fixture whose word tokenizer runs here, so `cargo test` checks textscrub's against them.

Each line: `language` (the label datatrove's signature step is given), the text (`text`, or
`source`: a document id of fixtures/multilingual/docs.jsonl), datatrove's `simplified` text,
and the signature (default MinhashConfig) as `signature` (hand-picked strings) or as
`xxh64`, the xxHash-64 of its values as little-endian u64 (null: no signature).

    python scripts/gen_dedup_cases.py   # the venv of .ci/dedup.sh
"""

import json
import struct
from collections import defaultdict
from pathlib import Path

import xxhash
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.utils.text import simplify_text

ROOT = Path(__file__).resolve().parents[1]
STRINGS = [
    "Hello, World!  It's 3.14 or 2,5 -- 1.2.3 on 10/12\r\n\tbye. One two three four five six.",
    "ΣΟΦΟΣ σοφός — Café ÉTÉ 12,5 ١٢٣ and\u00a0more\u2003words\x1cthan five here",
    "Tabs\tand\u0085next lines\u2028and   spaces; «quotes» “curly” ‘single’ (brackets) [and] {braces}",
    "Ａ fullwidth ＡＢＣ １２３ text with ﬁ ligatures and ß and İstanbul and DŽ digraphs",
    "Breaking news",
    "",
    "x \u0301 y \u0301 z \u0301 w \u0301 v \u0301",
    "Numbers 1,000,000 and 3.5.7 and ٣٫١٤ and ⎖ and 12:30 and 2026-12-07 shows up here",
]


def main():
    signer = {}

    def signature(language, text):
        if language not in signer:
            signer[language] = MinhashDedupSignature(output_folder="/tmp/unused", config=MinhashConfig(), language=language)
        step = signer[language]
        shingles = step.get_shingles(text)
        if shingles.size == 0:
            return None
        return [v for bucket in step.get_signature(shingles) for v in bucket]

    out = []
    for text in STRINGS:
        out.append({"language": "eng", "text": text, "simplified": simplify_text(text), "signature": signature("eng", text)})
    per_language = defaultdict(list)
    with open(ROOT / "fixtures/multilingual/docs.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            per_language[doc["id"].split("/")[0]].append(doc)
    skipped = []
    for label in sorted(per_language):
        for doc in per_language[label][:2]:
            try:
                sig = signature(label, doc["text"])
            except Exception:  # a tokenizer that needs packages or models not installed
                skipped.append(label)
                break
            digest = None if sig is None else xxhash.xxh64_hexdigest(struct.pack(f"<{len(sig)}Q", *sig))
            out.append({"language": label, "source": doc["id"], "simplified": simplify_text(doc["text"]), "xxh64": digest})
    path = ROOT / "fixtures/dedup/cases.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for case in out:
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(out)} cases; languages skipped (tokenizer not available): {', '.join(skipped)}")


if __name__ == "__main__":
    main()
