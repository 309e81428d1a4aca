#!/usr/bin/env python3
"""Differential harness: ftfy.fix_encoding against textscrub's `unicode/mojibake` rule on
any JSONL file, printing where each one wins.

    python3 bench/ftfy_diff.py FILE.jsonl [--text-field text] [--expected-field output]
                               [--binary target/release/textscrub] [--show 20]

Creates (once) a virtual environment in bench/.venv-ftfy with a pinned ftfy, runs both
tools on every record's text and compares them. With --expected-field (a field holding the
right answer, as in fixtures/encoding/cases.jsonl) each tool is scored against it: "wins"
are records one gets right and the other does not. Without it, the script reports records
where the two disagree, split by which one changed the text. textscrub runs as
`textscrub clean --select unicode/mojibake` on the JSONL.

Not part of `cargo test`: it needs PyPI for ftfy.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import venv

FTFY_VERSION = "6.3.1"
ROOT = pathlib.Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".venv-ftfy"


def venv_python() -> pathlib.Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.create(VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"ftfy=={FTFY_VERSION}"],
                       check=True)
    return python


def field(record: dict, path: str):
    value = record
    for part in path.split("."):
        value = value[part]
    return value


def run_ftfy(texts: list[str]) -> list[str]:
    script = (
        "import json, sys, ftfy\n"
        "for line in sys.stdin:\n"
        "    print(json.dumps(ftfy.fix_encoding(json.loads(line)), ensure_ascii=False))\n"
    )
    payload = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts)
    out = subprocess.run([str(venv_python()), "-c", script], input=payload,
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def run_textscrub(binary: str, texts: list[str]) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "in.jsonl"
        dst = pathlib.Path(tmp) / "out.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for i, t in enumerate(texts):
                f.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
        subprocess.run([binary, "clean", "-q", "--select", "unicode/mojibake", "-o", str(dst),
                        str(src)], check=True)
        return [json.loads(line)["text"] for line in dst.read_text("utf-8").splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--expected-field")
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "textscrub"))
    parser.add_argument("--show", type=int, default=15, help="examples to print per group")
    args = parser.parse_args()

    records = [json.loads(line) for line in open(args.file, encoding="utf-8") if line.strip()]
    texts = [field(r, args.text_field) for r in records]
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: build it with `cargo build --release`")
    ours = run_textscrub(args.binary, texts)
    theirs = run_ftfy(texts)

    groups: dict[str, list[int]] = {}
    if args.expected_field:
        expected = [field(r, args.expected_field) for r in records]
        for i, want in enumerate(expected):
            a, b = ours[i] == want, theirs[i] == want
            key = ("both right" if a and b else "textscrub wins" if a else
                   "ftfy wins" if b else "both wrong")
            groups.setdefault(key, []).append(i)
        print(f"{len(records)} records; right: textscrub {sum(o == e for o, e in zip(ours, expected))}, "
              f"ftfy {sum(t == e for t, e in zip(theirs, expected))}")
    else:
        for i, text in enumerate(texts):
            if ours[i] == theirs[i]:
                key = "agree (changed)" if ours[i] != text else "agree (unchanged)"
            elif ours[i] == text:
                key = "only ftfy changed it"
            elif theirs[i] == text:
                key = "only textscrub changed it"
            else:
                key = "both changed it, differently"
            groups.setdefault(key, []).append(i)
        print(f"{len(records)} records")
    for key, members in sorted(groups.items()):
        print(f"\n== {key}: {len(members)}")
        if key.startswith(("both right", "agree")):
            continue
        for i in members[: args.show]:
            print(f"  input:     {texts[i]!r}")
            if args.expected_field:
                print(f"  expected:  {field(records[i], args.expected_field)!r}")
            print(f"  textscrub: {ours[i]!r}")
            print(f"  ftfy:      {theirs[i]!r}\n")


if __name__ == "__main__":
    main()
