"""Runs `textscrub clean` on records for the parity scripts beside it: the records go to a
temporary JSONL file, the cleaned ones come back in order. Exits 2, with textscrub's error,
when it fails or returns other records."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def clean(binary, records, flags):
    """`binary clean FLAGS -q IN -o OUT` on `records` (dicts); the output records."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "input.jsonl", Path(tmp) / "output.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        command = [binary, "clean", *flags, "-q", str(src), "-o", str(out)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"error: textscrub exited {done.returncode}: {' '.join(command)}\n{done.stderr.strip()[-3000:]}",
                  file=sys.stderr)
            sys.exit(2)
        with open(out, encoding="utf-8") as f:
            cleaned = [json.loads(line) for line in f if line.strip()]
    if len(cleaned) != len(records):
        sys.exit(f"error: textscrub returned {len(cleaned)} records for {len(records)}")
    for record, got in zip(records, cleaned):
        if "id" in record and str(got.get("id")) != str(record["id"]):
            sys.exit(f"error: textscrub's records are out of order ({got.get('id')!r} for {record['id']!r})")
    return cleaned
