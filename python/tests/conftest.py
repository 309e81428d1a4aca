"""Shared fixtures: a small corpus from the repository's fixtures, and what the command
line makes of it (the reference every binding and engine must match byte for byte)."""

from __future__ import annotations

import json
import os
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli_binary() -> str:
    path = os.environ.get("TEXTSCRUB_BIN", str(ROOT / "target" / "debug" / "textscrub"))
    if not Path(path).exists():
        pytest.fail(f"the textscrub binary is missing at {path}: build it or set TEXTSCRUB_BIN")
    return path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> list[dict]:
    """The two seed articles and 40 real scraped pages, as {id, text} records."""
    records = []
    for path in sorted((ROOT / "fixtures" / "seeds" / "input").glob("*.txt")):
        records.append({"id": path.name, "text": path.read_text(encoding="utf-8")})
    with open(ROOT / "fixtures" / "scraped-dev" / "docs.jsonl", encoding="utf-8") as lines:
        for line, _ in zip(lines, range(40)):
            record = json.loads(line)
            records.append({"id": record["id"], "text": record["text"]})
    return records


@pytest.fixture(scope="session")
def expected(corpus, tmp_path_factory) -> dict:
    """id → (cleaned text, change records as JSON lines) from `textscrub clean`."""
    folder = tmp_path_factory.mktemp("cli")
    source = folder / "corpus.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus), encoding="utf-8")
    subprocess.run(
        [cli_binary(), "clean", "-q", str(source), "-o", str(folder / "out.jsonl"),
         "--changes", str(folder / "changes.jsonl")],
        check=True,
    )
    changes: dict = defaultdict(str)
    for line in (folder / "changes.jsonl").read_text(encoding="utf-8").splitlines(keepends=True):
        changes[json.loads(line)["id"]] += line
    result = {}
    for line in (folder / "out.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        result[record["id"]] = (record["text"], changes.get(record["id"], ""))
    assert len(result) == len(corpus)
    return result
