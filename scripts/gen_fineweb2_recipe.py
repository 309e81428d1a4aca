#!/usr/bin/env python3
"""Generates rules/quality/fineweb-2.json: FineWeb-2's quality recipe for every language.

FineWeb-2 (https://github.com/huggingface/fineweb-2, Apache-2.0) filters each language with
three datatrove filters configured from `configs/{iso3}_{Script}.yml` (thresholds and stop
words) and tokenizes its words with the tokenizer datatrove assigns to the language
(`datatrove/assets/tokenizer_assignment.csv`). This script reads both and writes, per
language label: the config's values as they are, and the tokenizer (`spacy:xx`,
`stanza:kmr`, `thai`, ...). It also writes which labels an ISO 639-1 or a bare ISO 639-3
code stands for, as datatrove's `load_word_tokenizer` resolves them.

    git clone https://github.com/huggingface/fineweb-2 /tmp/fineweb-2
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install -r tests/parity/requirements.txt
    /tmp/venv/bin/python scripts/gen_fineweb2_recipe.py /tmp/fineweb-2
"""

import csv
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import yaml
from datatrove.utils._import_utils import ASSETS_PATH

OUT = Path(__file__).resolve().parent.parent / "rules" / "quality" / "fineweb-2.json"
KEYS = [
    "language_score",
    "dup_line_frac",
    "top_n_grams",
    "dup_n_grams",
    "line_punct_thr",
    "new_line_ratio",
    "min_avg_word_length",
    "max_avg_word_length",
    "max_non_alpha_words_ratio",
    "stopwords",
]


def tokenizers() -> dict:
    """label -> tokenizer, and the short codes datatrove also accepts, as its
    `load_tokenizer_assignments` builds them (the first row wins; its `default_*` columns
    hold the strings TRUE/FALSE, both of which it takes for true)."""
    by_label = {}
    aliases = {}
    with open(Path(ASSETS_PATH) / "tokenizer_assignment.csv") as f:
        for row in csv.DictReader(f):
            kind, arg = row["type"], row["tok_code"]
            if not kind:
                continue
            name = {
                "SpaCyTokenizer": f"spacy:{arg}",
                "WhitespaceTokenizer": "spacy:xx",
                "StanzaTokenizer": f"stanza:{arg}",
                "IndicNLPTokenizer": f"indicnlp:{arg}",
            }.get(kind, kind.removesuffix("Tokenizer").lower())
            label = f"{row['code_3']}_{row['script']}"
            if label not in by_label:
                by_label[label] = name
                if row["default_script"]:
                    aliases.setdefault(row["code_3"], label)
            if row["code_1"] and row["default_code_1"]:
                short = f"{row['code_1']}_{row['script']}"
                if short not in by_label:
                    by_label[short] = name
                    if row["default_script"]:
                        aliases.setdefault(row["code_1"], label)
    return by_label, aliases


def main() -> None:
    configs = Path(sys.argv[1]) / "configs" if len(sys.argv) > 1 else None
    if configs is None or not configs.is_dir():
        sys.exit("usage: gen_fineweb2_recipe.py PATH-TO-FINEWEB-2-CHECKOUT")
    by_label, aliases = tokenizers()
    languages = {}
    for path in sorted(configs.glob("*.yml")):
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        entry = {"tokenizer": by_label[path.stem]}
        entry.update({key: config[key] for key in KEYS})
        languages[path.stem] = entry
    commit = ""
    try:
        commit = subprocess.run(
            ["git", "-C", str(configs.parent), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        pass
    data = {
        "generated_by": "scripts/gen_fineweb2_recipe.py",
        "source": "https://github.com/huggingface/fineweb-2 configs/*.yml (Apache-2.0)",
        "source_commit": commit or "d0defb24f193bb9a5a11b8b14524a03c4858e1b6",
        "datatrove": importlib.metadata.version("datatrove"),
        # Short codes (ISO 639-1, or ISO 639-3 alone) and the label datatrove reads them as.
        "aliases": {code: label for code, label in sorted(aliases.items()) if label in languages},
        "languages": languages,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), indent=None) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(languages)} languages", file=sys.stderr)


if __name__ == "__main__":
    main()
