#!/usr/bin/env python3
"""FineWeb-2's finishing touches, textscrub against datatrove itself, byte for byte.

For every document of the JSONL files: datatrove's `PIIFormatter()` (a fresh one per
document: its placeholder rotation starts afresh, as textscrub's does) and
`SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\\n")`, each alone, against
`textscrub clean --select 'pii/*'` and `--select fineweb-2/symbol-lines`. Exits 1 on any
difference.

    python tests/parity/finishing_parity.py --textscrub target/debug/textscrub FILE.jsonl...
"""

import argparse
import json
import sys
from pathlib import Path

from datatrove.pipeline.formatters import PIIFormatter, SymbolLinesFormatter

import textscrub_clean


def textscrub(binary: str, select: str, docs: list) -> list:
    records = [{"id": str(i), "text": text} for i, text in enumerate(docs)]
    return [r["text"] for r in textscrub_clean.clean(binary, records, ["--select", select])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textscrub", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    docs = [json.loads(line)["text"] for f in args.files for line in Path(f).read_text().splitlines() if line.strip()]
    # Text that has what the formatters look for, beside the real documents.
    docs += [
        "Mail jane.doe@mail.example.net, press@news.example.co.uk or x@[192.168.0.1] now.",
        "Hosts 8.8.8.8 and 10.0.0.1, 100.64.3.2, 01.2.3.4, 1.2.3.4.5, 256.1.1.1 and 192.0.0.171.",
        "Table\n| | |\n|\n\nCell | cell\r\nend\n",
    ]
    failures = 0
    for name, select, formatter in [
        ("pii", "pii/*", lambda: PIIFormatter()),
        ("symbol-lines", "fineweb-2/symbol-lines", lambda: SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\n")),
    ]:
        ours = textscrub(args.textscrub, select, docs)
        changed = 0
        for i, (text, got) in enumerate(zip(docs, ours)):
            want = formatter().format(text)
            changed += want != text
            if got != want:
                failures += 1
                print(f"{name}: document {i} differs:\n  datatrove {want[:300]!r}\n  textscrub {got[:300]!r}")
        print(f"{name}: {len(docs)} documents, {changed} changed by datatrove, {sum(g != d for g, d in zip(ours, docs))} by textscrub")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
