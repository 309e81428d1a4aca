#!/usr/bin/env python3
"""Fetches src/quality/thai/words_th.txt: pythainlp's word list (CC0-1.0), the dictionary
of the newmm tokenizer datatrove uses for Thai (`word_tokenize(..., engine="newmm-safe")`).

    python3 scripts/get_thai_words.py            # pythainlp 5.4.0 from PyPI
"""

import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "5.4.0"
OUT = Path(__file__).resolve().parent.parent / "src" / "quality" / "thai" / "words_th.txt"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             f"pythainlp=={VERSION}", "-d", tmp],
            check=True,
        )
        sdist = next(Path(tmp).glob("pythainlp-*.tar.gz"))
        with tarfile.open(sdist) as archive:
            member = next(m for m in archive.getmembers() if m.name.endswith("pythainlp/corpus/words_th.txt"))
            OUT.write_bytes(archive.extractfile(member).read())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
