#!/usr/bin/env bash
# Quality parity with datatrove itself: installs the pinned datatrove and spaCy in a
# virtual environment, then runs datatrove's Gopher, C4 and FineWeb filters and textscrub
# on the fixtures' real pages and the seeds (cleaned by textscrub's default rules) and
# fails on any different verdict, failing rule, or signal off by more than 1e-9.
# Expects target/debug/textscrub (built by `cargo test`). Cold on a quiet 2-core machine:
# about 1.5 minutes to install, 0.5 to 2.5 minutes to compare (spaCy runs per line for C4).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${TEXTSCRUB_PARITY_VENV:-target/parity-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/parity/requirements.txt
echo "quality parity: venv ready in ${SECONDS}s"
"$venv/bin/python" tests/parity/datatrove_parity.py \
  --textscrub target/debug/textscrub \
  --jsonl fixtures/scraped-dev/docs.jsonl \
  --seeds fixtures/seeds/input
echo "quality parity: done in ${SECONDS}s"
