#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: bash fuzz/run.sh [SECONDS per target, default 60].
# Not part of CI. cargo-fuzz needs nightly flags; the machine's stable toolchain accepts them
# with RUSTC_BOOTSTRAP=1, which is set here and nowhere else. Findings land in
# fuzz/artifacts/TARGET/; rerun one with `cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-…`.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
for target in $(cargo fuzz list); do
  echo "== $target ($seconds s)"
  cargo fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 |
    grep -E '^(#[0-9]+ *DONE|==[0-9]+==|SUMMARY|Done)' || true
  if compgen -G "artifacts/$target/crash-*" >/dev/null; then
    echo "$target: found a crash, see fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
