#!/usr/bin/env bash
# The virtual environment of the parity scripts (.ci/fineweb2.sh, .ci/dedup.sh): datatrove
# 0.10.1 with the tokenizers FineWeb-2 assigns and what its MinHash stages import, pinned.
# Prints the venv's folder.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TEXTSCRUB_PARITY_VENV:-target/parity-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  -r tests/parity/requirements.txt -r tests/parity/requirements-fineweb2.txt \
  -r tests/parity/requirements-dedup.txt >&2
# IndicNLP's tokenizer is one module of the standard library's; its declared dependencies
# (pandas, Sphinx, ...) are for other parts of the package.
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps indic-nlp-library==0.92 >&2
echo "$venv"
