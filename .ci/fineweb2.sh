#!/usr/bin/env bash
# FineWeb-2 quality parity, per language: installs the pinned datatrove and spaCy in a virtual
# environment (shared with .ci/quality.sh), then runs datatrove's three FineWeb-2 filters,
# configured from FineWeb-2's configs/{lang}.yml as fineweb-2-pipeline.py does, and
# `textscrub clean --no-default-rules --quality --recipe fineweb-2` on the multilingual
# fixture (1,731 documents, 92 languages), and fails on any different verdict, failing
# filter, reason or word count in a language with a rule-based tokenizer, or when datatrove's
# verdicts no longer match fixtures/multilingual/expected.jsonl.
# Expects target/debug/textscrub (built by `cargo test`). FineWeb-2's thresholds and stop words
# come from rules/quality/fineweb-2.json (generated from its configs; $FINEWEB2_CONFIGS points
# the harness at a checkout's configs/ instead). Warm: about 30 s to compare (datatrove ~20 s).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="$(bash .ci/parity-venv.sh)"
echo "fineweb-2 parity: venv ready in ${SECONDS}s"
"$venv/bin/python" tests/parity/fineweb2_parity.py \
  --textscrub target/debug/textscrub \
  --jsonl fixtures/multilingual/docs.jsonl \
  --check-expected fixtures/multilingual/expected.jsonl
echo "fineweb-2 parity: done in ${SECONDS}s"
# FineWeb-2's finishing touches (PII placeholders, symbol lines), byte for byte.
"$venv/bin/python" tests/parity/finishing_parity.py --textscrub target/debug/textscrub \
  fixtures/scraped-dev/docs.jsonl fixtures/multilingual/docs.jsonl
echo "fineweb-2 finishing touches: done in ${SECONDS}s"
