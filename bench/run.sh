#!/usr/bin/env bash
# Benchmarks telev side by side with its peers on one machine, in one run, and writes
# bench/RESULTS.md. Rerun: bash bench/run.sh [CALLS]   (default 60000 calls ≈ 230,000 events)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-60000}
out=bench/out
mkdir -p "$out"

command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }
command -v gojq >/dev/null || apt-get install -y -qq gojq >/dev/null 2>&1 || true
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null 2>&1 || true

cargo build --release --locked --quiet
cargo run --release --locked --quiet --example corpus -- "$calls" 1 > "$out/corpus.ndjson"
telev=target/release/telev
events=$(wc -l < "$out/corpus.ndjson")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# seconds for one run of "$@", median of 3
time_of() {
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done | median
}
peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

exprs=(
  '.'
  '.type'
  'select(.type == "hangup")'
  'select(.kind == "call.ended") | {call_id, from, to}'
  '[.provider, .kind] | join("/")'
  '.raw | keys | length'
)
{
  echo "# telev benchmarks"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); $($telev --version); $(jq --version)$(command -v gojq >/dev/null && echo ", gojq $(gojq --version)")"
  echo
  echo "## filter: $events envelopes ($(du -h "$out/corpus.ndjson" | cut -f1))"
  echo
  echo "| expression | telev s | jq s | jq / telev | gojq / telev | telev events/s | telev peak RSS |"
  echo "|---|---|---|---|---|---|---|"
  for e in "${exprs[@]}"; do
    t=$(time_of "$telev" filter "$e" "$out/corpus.ndjson")
    j=$(time_of jq -c "$e" "$out/corpus.ndjson")
    g="-"
    if command -v gojq >/dev/null; then g=$(printf '%.1f×' "$(echo "$(time_of gojq -c "$e" "$out/corpus.ndjson") / $t" | bc -l)"); fi
    rss=$(peak_kib "$telev" filter "$e" "$out/corpus.ndjson")
    printf '| `%s` | %.3f | %.3f | %.1f× | %s | %.0f | %s MiB |\n' "$e" "$t" "$j" "$(echo "$j / $t" | bc -l)" "$g" "$(echo "$events / $t" | bc -l)" "$((rss / 1024))"
  done
  t=$(time_of "$telev" filter --only hangup "$out/corpus.ndjson")
  j=$(time_of jq -c 'select(.type | test("hangup$"))' "$out/corpus.ndjson")
  printf '| `--only hangup` (jq: `select(.type|test("hangup$"))`) | %.3f | %.3f | %.1f× | | %.0f | |\n' "$t" "$j" "$(echo "$j / $t" | bc -l)" "$(echo "$events / $t" | bc -l)"
  echo
  echo "## start-up"
  echo
  printf '`telev --version`: %.1f ms (median of 3)\n' "$(echo "$(time_of "$telev" --version) * 1000" | bc -l)"
} > bench/RESULTS.md
cat bench/RESULTS.md
