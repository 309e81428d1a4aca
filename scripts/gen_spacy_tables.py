#!/usr/bin/env python3
"""Generates src/quality/spacy_en.json: the data of datatrove's English word tokenizer.

datatrove's `load_word_tokenizer("en")` is `spacy.blank("en")` plus the rule-based
`sentencizer`. This script reads, from the installed spaCy and datatrove packages:

- the tokenizer's prefix, suffix and infix patterns, piece by piece, each split into its
  lookbehind, body and lookahead (textscrub's port runs them without lookaround support),
  in the regex syntax of Rust's `regex` crate;
- the URL pattern (run with `fancy-regex`, which has lookahead);
- the tokenizer exceptions (special cases), and those that spaCy also matches across
  tokens after splitting (its special-case phrase matcher);
- the sentencizer's end marks;
- the Python character predicates the filters depend on (`str.isspace`, `str.isalpha`,
  `unicodedata.category(c).startswith("P")`) as code point ranges;
- datatrove's `PUNCTUATION_SET` and `TERMINAL_PUNCTUATION`.

Run it again after upgrading either package:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install -r tests/parity/requirements.txt
    /tmp/venv/bin/python scripts/gen_spacy_tables.py
"""

import importlib.metadata
import json
import re
import sys
import unicodedata
from pathlib import Path


import spacy
from datatrove.utils.text import PUNCTUATION_SET, TERMINAL_PUNCTUATION
from spacy.attrs import ORTH
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokenizer import Tokenizer

OUT = Path(__file__).resolve().parent.parent / "src" / "quality" / "spacy_en.json"


def to_rust(pattern: str) -> str:
    """Python `re` escapes that Rust's `regex` spells differently."""
    pattern = re.sub(r"\\U([0-9A-Fa-f]{8})", lambda m: "\\x{%X}" % int(m.group(1), 16), pattern)
    pattern = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: "\\x{%X}" % int(m.group(1), 16), pattern)
    return pattern


def group_end(pattern: str, start: int) -> int:
    """Index just past the group opening at `start`, skipping escapes and classes."""
    depth = 0
    i = start
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def split_piece(piece: str) -> dict:
    """`(?<=B)body(?=A)` / `body(?!A)` into its parts; asserts nothing else is lookaround."""
    behind = None
    if piece.startswith("(?<="):
        end = group_end(piece, 0)
        behind = piece[4 : end - 1]
        piece = piece[end:]
    ahead = None
    negative = False
    for opener in ("(?=", "(?!"):
        at = piece.rfind(opener)
        if at > 0 and group_end(piece, at) == len(piece):
            ahead = piece[at + 3 : -1]
            negative = opener == "(?!"
            piece = piece[:at]
            break
    for part in (behind, piece, ahead):
        if part is not None:
            assert "(?<" not in part and "(?=" not in part and "(?!" not in part, part
    return {
        "behind": None if behind is None else to_rust(behind),
        "body": to_rust(piece),
        "ahead": None if ahead is None else to_rust(ahead),
        "ahead_negative": negative,
    }


def ranges(predicate) -> list:
    out = []
    start = None
    for cp in range(0x110000 + 1):
        inside = cp < 0x110000 and predicate(chr(cp))
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            out.append([start, cp - 1])
            start = None
    return out


def main() -> None:
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    defaults = nlp.Defaults
    prefixes = [p for p in defaults.prefixes if p.strip()]
    suffixes = [p for p in defaults.suffixes if p.strip()]
    infixes = [p for p in defaults.infixes if p.strip()]
    # The lists are what the tokenizer compiled (spacy.util.compile_*_regex).
    assert tokenizer.prefix_search.__self__.pattern == "|".join("^" + p for p in prefixes)
    assert tokenizer.suffix_search.__self__.pattern == "|".join(p + "$" for p in suffixes)
    assert tokenizer.infix_finditer.__self__.pattern == "|".join(infixes)
    assert tokenizer.token_match is None
    assert tokenizer.faster_heuristics

    # The special-case phrase matcher holds the exceptions that affixes or spaces would
    # split; its patterns are their tokens without special cases.
    bare = Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=tokenizer.infix_finditer,
        url_match=tokenizer.url_match,
    )
    specials = {}
    matcher = []
    for string, substrings in sorted(tokenizer.rules.items()):
        specials[string] = [s[ORTH] for s in substrings]
        split = (
            tokenizer.find_prefix(string)
            or tokenizer.find_infix(string)
            or tokenizer.find_suffix(string)
            or " " in string
        )
        if split:
            matcher.append([string, [t.text for t in bare(string)]])

    data = {
        "generated_by": "scripts/gen_spacy_tables.py",
        "spacy": spacy.__version__,
        "datatrove": importlib.metadata.version("datatrove"),
        "python_unicode": unicodedata.unidata_version,
        "prefixes": [split_piece(p) for p in prefixes],
        "suffixes": [split_piece(p) for p in suffixes],
        "infixes": [split_piece(p) for p in infixes],
        "url": to_rust(tokenizer.url_match.__self__.pattern),
        "specials": specials,
        "matcher": matcher,
        "sentence_ends": sorted(Sentencizer.default_punct_chars),
        "space": ranges(str.isspace),
        "alpha": ranges(str.isalpha),
        "punct_category": ranges(lambda c: unicodedata.category(c).startswith("P")),
        "punctuation_set": sorted(PUNCTUATION_SET),
        "terminal_punctuation": sorted(TERMINAL_PUNCTUATION),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT} (spaCy {spacy.__version__}, {len(specials)} special cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
