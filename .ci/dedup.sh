#!/usr/bin/env bash
# MinHash dedup parity: datatrove 0.10.1's four stages, run locally, against `textscrub dedup`
# on planted near-duplicates and real pages in English and ten other languages, with the
# default and the FineWeb-2 configuration. Fails unless every signature, bucket and cluster
# file is byte-identical and the removed ids are the same. Shares the venv of .ci/fineweb2.sh
# (the languages' tokenizers). Expects target/debug/textscrub (built by `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="$(bash .ci/parity-venv.sh)"
log="$(mktemp)"
# datatrove logs every task to standard error: kept, and shown only when the harness fails.
if ! "$venv/bin/python" tests/parity/dedup_parity.py --textscrub target/debug/textscrub 2>"$log"; then
  tail -n 60 "$log"
  exit 1
fi
echo "dedup parity: done in ${SECONDS}s"
