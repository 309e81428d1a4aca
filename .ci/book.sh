#!/usr/bin/env bash
# CI: build the book in docs/ with mdBook, installed from crates.io at a pinned version into
# a cache folder that later runs on the same machine reuse. (`cargo test` checks that the
# generated reference pages and man pages are what the code generates, and that the book's
# relative links lead to files.)
set -euxo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
root="${TEXTSCRUB_CI_CACHE:-$HOME/.cache/textscrub-ci}/mdbook-$MDBOOK_VERSION"
if ! "$root/bin/mdbook" --version 2>/dev/null | grep -qx "mdbook v$MDBOOK_VERSION"; then
  # Without the `serve` and `watch` features (a web server and a file watcher the build
  # does not use): fewer crates to compile.
  cargo install mdbook --version "$MDBOOK_VERSION" --locked \
    --no-default-features --features search --root "$root"
fi
"$root/bin/mdbook" build docs
test -s docs/book/index.html
