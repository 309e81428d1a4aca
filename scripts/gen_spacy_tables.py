#!/usr/bin/env python3
"""Generates src/quality/spacy_tables/: the data of datatrove's spaCy word tokenizers.

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

OUT = Path(__file__).resolve().parent.parent / "src" / "quality" / "spacy_tables"


def to_rust(pattern: str) -> str:
    """Python `re` escapes that Rust's `regex` spells differently (and `\\•`, an escaped
    character outside ASCII, which Rust does not accept, as the character)."""
    pattern = re.sub(r"\\(\\|[^\x00-\x7f])", lambda m: m.group(0) if m.group(1) == "\\" else m.group(1), pattern)
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
    """`(?<=B)body(?=A)` / `body(?!A)` into its parts. A piece with lookaround elsewhere is
    also kept whole (`fancy`, run with `fancy-regex`), its `body` then being the piece with
    every lookaround left out: it matches wherever the piece does, and more."""
    original = piece
    behind = None
    if piece.startswith("(?<="):
        end = group_end(piece, 0)
        behind = piece[4 : end - 1]
        piece = piece[end:]
    ahead = None
    negative = False
    for opener in ("(?=", "(?!"):
        at = piece.rfind(opener)
        # `(?<=B)(?=A)`: an empty body between two lookarounds (Catalan, French, Italian).
        if (at > 0 or (at == 0 and behind is not None)) and group_end(piece, at) == len(piece):
            ahead = piece[at + 3 : -1]
            negative = opener == "(?!"
            piece = piece[:at]
            break
    for part in (behind, piece, ahead):
        if part is not None and ("(?<" in part or "(?=" in part or "(?!" in part):
            return {
                "behind": None,
                "body": to_rust(without_lookaround(original)),
                "ahead": None,
                "ahead_negative": False,
                "fancy": to_rust(original),
            }
    return {
        "behind": None if behind is None else to_rust(behind),
        "body": to_rust(piece),
        "ahead": None if ahead is None else to_rust(ahead),
        "ahead_negative": negative,
    }


def without_lookaround(pattern: str) -> str:
    """`pattern` with every lookaround group removed."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = group_end(pattern, i)
            continue
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if pattern[i] == "[":
            end = class_end(pattern, i)
            out.append(pattern[i:end])
            i = end
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


def class_end(pattern: str, start: int) -> int:
    """Index just past the character class opening at `start`."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


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


def assigned_languages() -> list:
    """The spaCy languages datatrove's tokenizer assignment names (`SpaCyTokenizer` rows),
    and `en`. Those whose blank pipeline is not rule-based are left out: `vi` (pyvi, a
    trained model), `ja` (SudachiPy) and `zh` (jieba; textscrub runs jieba-rs)."""
    import csv
    from datatrove.utils._import_utils import ASSETS_PATH

    with open(Path(ASSETS_PATH) / "tokenizer_assignment.csv") as f:
        codes = {row["tok_code"] for row in csv.DictReader(f) if row["type"] == "SpaCyTokenizer"}
    return sorted((codes | {"en"}) - NOT_RULE_BASED)


NOT_RULE_BASED = {"vi", "ja", "zh"}


def language_tables(code: str) -> dict:
    nlp = spacy.blank(code)
    tokenizer = nlp.tokenizer
    defaults = nlp.Defaults
    prefixes = [p for p in (defaults.prefixes or []) if p.strip()]
    suffixes = [p for p in (defaults.suffixes or []) if p.strip()]
    infixes = [p for p in (defaults.infixes or []) if p.strip()]
    # The lists are what the tokenizer compiled (spacy.util.compile_*_regex).
    assert tokenizer.prefix_search.__self__.pattern == "|".join("^" + p for p in prefixes)
    assert tokenizer.suffix_search.__self__.pattern == "|".join(p + "$" for p in suffixes)
    assert tokenizer.infix_finditer.__self__.pattern == "|".join(infixes)
    assert tokenizer.faster_heuristics
    token_match = tokenizer.token_match.__self__.pattern if tokenizer.token_match else None

    # The special-case phrase matcher holds the exceptions that affixes or spaces would
    # split; its patterns are their tokens without special cases.
    bare = Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=tokenizer.prefix_search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=tokenizer.infix_finditer,
        token_match=tokenizer.token_match,
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
    return {
        "prefixes": [split_piece(p) for p in prefixes],
        "suffixes": [split_piece(p) for p in suffixes],
        "infixes": [split_piece(p) for p in infixes],
        "url": to_rust(tokenizer.url_match.__self__.pattern),
        "token_match": None if token_match is None else to_rust(token_match),
        "specials": specials,
        "matcher": matcher,
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    shared = {
        "generated_by": "scripts/gen_spacy_tables.py",
        "spacy": spacy.__version__,
        "datatrove": importlib.metadata.version("datatrove"),
        "python_unicode": unicodedata.unidata_version,
        "sentence_ends": sorted(Sentencizer.default_punct_chars),
        "space": ranges(str.isspace),
        "alpha": ranges(str.isalpha),
        "punct_category": ranges(lambda c: unicodedata.category(c).startswith("P")),
        "punctuation_set": sorted(PUNCTUATION_SET),
        "terminal_punctuation": sorted(TERMINAL_PUNCTUATION),
    }
    (OUT / "chars.json").write_text(json.dumps(shared, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    codes = assigned_languages()
    for code in codes:
        data = language_tables(code)
        (OUT / f"{code}.json").write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    entries = "".join(f'    ("{code}", include_str!("{code}.json")),\n' for code in codes)
    (OUT / "languages.rs").write_text(
        "// Generated by scripts/gen_spacy_tables.py: each language's code and tables.\n"
        f"&[\n{entries}]\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT}: {len(codes)} languages (spaCy {spacy.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
