#!/usr/bin/env bash
# The Python package: build the wheel with maturin, install it in a fresh virtual
# environment with the engines (Spark, Ray, datatrove), and run its pytest suite, which
# compares every engine's output with the command line's (target/debug/textscrub).
set -euxo pipefail
cd "$(dirname "$0")/.."

# Spark needs a Java runtime (17 or newer).
if ! command -v java >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless) \
    || sudo apt-get install -y -qq openjdk-17-jre-headless
fi

venv=target/python-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q -r python/requirements-test.txt
# The dev profile shares the library's build with `cargo test`; the wheel is the same
# code. (Benchmarks use --release.)
rm -rf target/wheels
"$venv/bin/maturin" build --profile dev -m python/Cargo.toml --out target/wheels --interpreter "$venv/bin/python"
"$venv/bin/pip" install -q --no-deps target/wheels/textscrub-*.whl
# The language-identification test reads the model .ci/langid.sh fetched, when it did.
lid_model="$PWD/target/lid-model/lid.176.ftz"
[ -f "$lid_model" ] || lid_model=""
TEXTSCRUB_LID_MODEL="$lid_model" TEXTSCRUB_BIN="$PWD/target/debug/textscrub" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
