#!/usr/bin/env bash
# Benchmarks telev side by side with its peers, on one machine, in one run, and writes
# bench/RESULTS.md. Rerun: bash bench/run.sh        (about 10 minutes on 2 cores)
# One part only, written to bench/out/RESULTS.md: bash bench/run.sh listen   (filter, tail,
# listen, replay, calls, startup)
#
# Every number is the median of $REPS runs (replay --to's: of $PAIRS runs, each beside wrk).
# Corpora are generated deterministically by examples/corpus.rs (all five providers in
# realistic proportions); the loopback servers are
# examples/sse_blast.rs (SSE as fast as the socket takes it) and examples/http_ok.rs (the
# smallest hyper server: the ceiling for listen, the sink for replay --to). The floors:
# examples/listen_floor.rs (listen's receiver with nothing behind it), examples/post_floor.rs
# (replay's HTTP client alone, and hyper's connections alone), bench/floor (JSON checking).
set -euo pipefail
cd "$(dirname "$0")/.."
all=(filter tail listen replay calls startup)
parts=("$@")
((${#parts[@]})) || parts=("${all[@]}")
for part in "${parts[@]}"; do
  [[ " ${all[*]} " == *" $part "* ]] || { echo "unknown part: $part (one of: ${all[*]})" >&2; exit 2; }
done
REPS=${REPS:-3}
CALLS=${CALLS:-62000}            # ≈ 205,000 envelopes
TAIL_EVENTS=${TAIL_EVENTS:-1000000}
SOAK_EVENTS=${SOAK_EVENTS:-10000000}
out=bench/out
mkdir -p "$out"
export PATH="$HOME/.cargo/bin:$PATH"

# ---- peers --------------------------------------------------------------------------------
missing=()
for tool in jq gojq wrk hyperfine curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
command -v jaq >/dev/null || cargo install --locked --quiet jaq
command -v qj >/dev/null || cargo install --locked --quiet qj

# The release build, with the symbols perf needs for the profiles (the `profiling` profile).
cargo build --profile profiling --locked --quiet --bin telev --example corpus --example sse_blast --example http_ok --example sse_latency --example listen_floor --example post_floor
telev=target/profiling/telev
bin=target/profiling/examples
"$bin/corpus" "$CALLS" 1 > "$out/corpus.ndjson"
events=$(wc -l < "$out/corpus.ndjson")

# ---- helpers ------------------------------------------------------------------------------
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The median of column $2 of the table in file $1 (runs in turns: listen's, replay's).
median_of() { awk -v k="$2" '{print $k}' "$1" | median; }
# Seconds for one run of "$@" (stdout discarded), median of $REPS.
seconds() {
  for _ in $(seq "$REPS"); do
    /usr/bin/time -f %e -o "$out/time" "$@" > /dev/null 2> "$out/stderr" || {
      cat "$out/stderr" >&2
      return 1
    }
    cat "$out/time"
  done | median
}
# Peak resident memory of one run of "$@", in MiB.
peak_mib() {
  /usr/bin/time -f %M -o "$out/time" "$@" > /dev/null 2> "$out/stderr"
  echo $(($(cat "$out/time") / 1024))
}
# CPU (user + system) one run of "$@" spends per item, of $1 items, in microseconds; median
# of $REPS.
cpu_us() {
  local n=$1
  shift
  for _ in $(seq "$REPS"); do
    /usr/bin/time -f "%U %S" -o "$out/time" "$@" > /dev/null 2> "$out/stderr"
    awk -v n="$n" '{ printf "%.1f\n", ($1 + $2) * 1e6 / n }' "$out/time"
  done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
# Starts a server example that prints its base URL first, and sets $url.
start() {
  "$@" > "$out/url" &
  server=$!
  for _ in $(seq 100); do [[ -s $out/url ]] && break; sleep 0.05; done
  url=$(head -1 "$out/url")
}
stop() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; : > "$out/url"; }
# CPU time a process has used so far, in clock ticks (user and system, all its threads).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Requests/s, p99 and total requests of one wrk run (32 connections, 10 s, one thread), and
# the CPU time each request took, in µs: the server's ($server) and wrk's own.
wrk_run() {
  local before
  before=$(ticks "$server")
  /usr/bin/time -f "%U %S" -o "$out/wrk.cpu" \
    wrk -t1 -c"${2:-32}" -d"${WRK_SECONDS:-10}s" --latency -s bench/post.lua "$1" > "$out/wrk"
  local used=$(($(ticks "$server") - before)) hz
  hz=$(getconf CLK_TCK)
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$out/wrk")
  requests=$(awk '/requests in/ {print $1}' "$out/wrk")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/wrk")
  server_us=$(awk -v t="$used" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  wrk_us=$(awk -v n="$requests" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$out/wrk.cpu")
}
profile() {
  command -v perf >/dev/null || return 0
  perf record -q -o "$out/perf.data" -g "$@" > /dev/null 2>&1 || return 0
  echo '```'
  perf report -i "$out/perf.data" --no-children --sort comm,sym --stdio 2>/dev/null |
    grep -E '^ +[0-9]' | head -15 || true
  echo '```'
}

header() {
  cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
  echo "# telev benchmarks"
  echo
  echo "$(date -u +%Y-%m-%d), $cpu, $(nproc) cores, $(uname -sr). Median of $REPS runs."
  echo "Peers: $(jq --version), gojq $(gojq --version | cut -d' ' -f2), $(jaq --version),"
  echo "$(qj --version 2>&1 | head -1), $(curl --version | head -1 | cut -d' ' -f1-2), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
  echo "Rerun with \`bash bench/run.sh\`; targets and their status are in bench/README.md."
}

filter() {
  echo
  echo "## filter: $events envelopes ($(du -h "$out/corpus.ndjson" | cut -f1))"
  echo
  echo "Seconds; ratios are the peer's time over telev's (above 1× means telev is faster)."
  echo "telev and qj use every core on a large file; \"1 thread\" is each held to one"
  echo "(\`TELEV_THREADS=1\`, \`qj --threads 1\`), and the last ratio compares those two."
  echo
  echo "| expression | telev | telev 1 thread | jq | gojq | jaq | qj | qj 1 thread | ×jq | ×jaq | ×qj | ×qj, both 1 thread | telev events/s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  exprs=(
    '.'
    '.type'
    'select(.type == "hangup")'
    'select(.kind == "call.ended") | {call_id, from, to}'
    '[.provider, .kind] | join("/")'
    '.raw | keys | length'
    'select(.direction == "inbound") | .raw'
  )
  # One row: its label, the expression the peers run, then telev filter's arguments.
  row() {
    local label=$1 e=$2
    shift 2
    t=$(seconds "$telev" filter "$@" "$out/corpus.ndjson")
    t1=$(seconds env TELEV_THREADS=1 "$telev" filter "$@" "$out/corpus.ndjson")
    j=$(seconds jq -c "$e" "$out/corpus.ndjson")
    g=$(seconds gojq -c "$e" "$out/corpus.ndjson")
    a=$(seconds jaq -c "$e" "$out/corpus.ndjson")
    q=$(seconds qj -c "$e" "$out/corpus.ndjson")
    q1=$(seconds qj -c --threads 1 "$e" "$out/corpus.ndjson")
    echo "| $label | $t | $t1 | $j | $g | $a | $q | $q1 | $(ratio "$j" "$t") | $(ratio "$a" "$t") | $(ratio "$q" "$t") | $(ratio "$q1" "$t1") | $(rate "$events" "$t") |"
  }
  for e in "${exprs[@]}"; do
    row "\`${e//|/\\|}\`" "$e" "$e"
  done
  only='select(.type | test("hangup$"))'
  row "\`--only hangup\` (peers: \`${only//|/\\|}\`)" "$only" --only hangup
  echo
  # The ratios to qj again, the two run by turns: on this machine a tool's time moves by a
  # third from one minute to the next, more than the gaps the table above measures.
  local turns=${QJ_TURNS:-7}
  echo "telev against qj run by turns, $turns times each (medians; seconds; ratio: qj's time over telev's):"
  echo
  echo "| expression | telev | qj | ×qj | telev 1 thread | qj 1 thread | ×qj, both 1 thread |"
  echo "|---|---|---|---|---|---|---|"
  for e in "${exprs[@]}"; do
    for _ in $(seq "$turns"); do
      for who in t q t1 q1; do
        case $who in
          t) cmd=("$telev" filter "$e") ;;
          q) cmd=(qj -c "$e") ;;
          t1) cmd=(env TELEV_THREADS=1 "$telev" filter "$e") ;;
          q1) cmd=(qj -c --threads 1 "$e") ;;
        esac
        /usr/bin/time -f "$who %e" -o "$out/time" "${cmd[@]}" "$out/corpus.ndjson" > /dev/null
        cat "$out/time"
      done
    done > "$out/turns"
    m() { awk -v w="$1" '$1 == w {print $2}' "$out/turns" | median; }
    t=$(m t) q=$(m q) t1=$(m t1) q1=$(m q1)
    echo "| \`${e//|/\\|}\` | $t | $q | $(ratio "$q" "$t") | $t1 | $q1 | $(ratio "$q1" "$t1") |"
  done
  echo
  echo "Peak memory on \`.\`: telev $(peak_mib "$telev" filter . "$out/corpus.ndjson") MiB"
  echo "($(peak_mib env TELEV_THREADS=1 "$telev" filter . "$out/corpus.ndjson") MiB on one thread),"
  echo "jq $(peak_mib jq -c . "$out/corpus.ndjson") MiB, gojq $(peak_mib gojq -c . "$out/corpus.ndjson") MiB,"
  echo "jaq $(peak_mib jaq -c . "$out/corpus.ndjson") MiB, qj $(peak_mib qj -c . "$out/corpus.ndjson") MiB;"
  for _ in 1 2 3 4; do cat "$out/corpus.ndjson"; done > "$out/corpus4.ndjson"
  echo "telev on 4× the input: $(peak_mib "$telev" filter . "$out/corpus4.ndjson") MiB (flat: it streams)."
  rm "$out/corpus4.ndjson"
  echo
  # The floor: only checking each line is JSON, in memory, one thread (bench/floor).
  cargo build --release --quiet --manifest-path bench/floor/Cargo.toml
  echo "The floor under every row: checking each line of the corpus is one JSON value, in memory, on"
  echo "one thread (\`bench/floor\`; seconds, MB/s): telev checks every line whole, so that a bad line"
  echo "is never skipped unseen, with a reader of its own (\`src/filter/probe.rs\`) that also finds the"
  echo "fields its fast paths read and whether a text is already as \`jq -c\` prints it, in the same pass."
  echo
  echo "| reader | seconds | MB/s |"
  echo "|---|---|---|"
  bench/floor/target/release/floor "$out/corpus.ndjson" | awk -F'\t' '{printf "| %s | %s | %s |\n", $1, $2, $3}'
  echo
  echo "Where filter's time goes on \`select(.kind == \"call.ended\") | {call_id, from, to}\`, one thread (perf):"
  echo
  profile env TELEV_THREADS=1 "$telev" filter 'select(.kind == "call.ended") | {call_id, from, to}' "$out/corpus.ndjson"
}

tail_() {
  echo
  echo "## tail: $TAIL_EVENTS Cytracom events from a loopback SSE server"
  echo
  start "$bin/sse_blast" "$TAIL_EVENTS"
  c=$(seconds curl -sN "$url/v1.0/events/sse/chan")
  # What a user would build instead: curl, the data lines cut out, each payload parsed by jq.
  cj=$(seconds sh -c "curl -sN $url/v1.0/events/sse/chan | sed -n 's/^data: //p' | jq -c .")
  t=$(seconds "$telev" tail cytracom --url "$url/v1.0" --token bench --count "$TAIL_EVENTS" -o ndjson)
  rss=$(peak_mib "$telev" tail cytracom --url "$url/v1.0" --token bench --count "$TAIL_EVENTS" -o ndjson)
  # The ceiling the SSE framer sets: telev's framer over the same bytes, in memory.
  e=$(for _ in $(seq "$REPS"); do "$bin/sse_blast" "$TAIL_EVENTS" --parse-only; done | median)
  # The floor under any framing: check each payload is JSON and escape it once as wire.data.
  f=$(for _ in $(seq "$REPS"); do "$bin/sse_blast" "$TAIL_EVENTS" --envelope-floor; done | median)
  # Into a pipe, as into `| jq`: writes there cost more and wake the reader.
  p=$(seconds sh -c "\"$telev\" tail cytracom --url $url/v1.0 --token bench --count $TAIL_EVENTS -o ndjson | cat")
  echo "| | seconds | events/s | peak RSS |"
  echo "|---|---|---|---|"
  echo "| \`curl -N > /dev/null\` | $c | $(rate "$TAIL_EVENTS" "$c") | |"
  echo "| \`curl -N \| sed -n 's/^data: //p' \| jq -c .\` | $cj | $(rate "$TAIL_EVENTS" "$cj") | |"
  echo "| \`telev tail cytracom -o ndjson > /dev/null\` | $t | $(rate "$TAIL_EVENTS" "$t") | $rss MiB |"
  echo "| \`telev tail cytracom -o ndjson \\| cat > /dev/null\` | $p | $(rate "$TAIL_EVENTS" "$p") | |"
  echo "| telev's SSE framer alone, the same bytes in memory, one thread | $e | $(rate "$TAIL_EVENTS" "$e") | |"
  echo "| each payload checked as JSON and escaped once (\`wire.data\`), in memory, one thread | $f | $(rate "$TAIL_EVENTS" "$f") | |"
  echo
  echo "telev / curl rate: $(awk -v c="$c" -v t="$t" 'BEGIN { printf "%.2f", c / t }') (target ≥ 0.15); telev ≥ 100,000 events/s: $(awk -v r="$(rate "$TAIL_EVENTS" "$t")" 'BEGIN { print (r >= 100000 ? "met" : "not met") }')."
  echo "telev / curl | sed | jq -c rate: $(ratio "$cj" "$t") (the pipeline parses each payload, as telev does)."
  echo "The framer alone, with no network, decoding or output, reaches $(awk -v c="$c" -v e="$e" 'BEGIN { printf "%.2f", c / e }') of curl's rate"
  echo "(\`sse_blast N --parse-only\`)."
  echo "Whatever the framing, every envelope needs its payload checked as JSON and escaped as"
  echo "\`wire.data\`; those two passes alone reach $(awk -v c="$c" -v f="$f" 'BEGIN { printf "%.2f", c / f }') of curl's rate on one thread, and"
  echo "$(awk -v c="$c" -v f="$f" 'BEGIN { printf "%.2f", 2 * c / f }') on both cores if split perfectly with the server taking none (\`sse_blast N --envelope-floor\`)."
  stop
  echo
  echo "Latency at 1,000 events/s for 10 s, from the server's write to the line on stdout (ms):"
  echo
  echo "| client | p50 | p99 | events |"
  echo "|---|---|---|---|"
  start "$bin/sse_latency" serve 1000 10
  read -r lp50 lp99 ln < <("$telev" tail cytracom --url "$url/v1.0" --token bench --count 10000 -o ndjson 2>/dev/null | "$bin/sse_latency" measure)
  echo "| \`telev tail cytracom -o ndjson\` | $lp50 | $lp99 | $ln |"
  read -r lp50 lp99 ln < <(timeout 15 curl -sN "$url/v1.0/events/sse/chan" | "$bin/sse_latency" measure)
  echo "| \`curl -N\` | $lp50 | $lp99 | $ln |"
  stop
  start "$bin/sse_blast" "$SOAK_EVENTS"
  soak=$(peak_mib "$telev" tail cytracom --url "$url/v1.0" --token bench --count "$SOAK_EVENTS" -o ndjson)
  echo "Memory over $SOAK_EVENTS events: peak $soak MiB, against $rss MiB over $TAIL_EVENTS (flat)."
  stop
  echo
  echo "Where tail's time goes (perf, by thread and symbol):"
  echo
  start "$bin/sse_blast" 300000
  profile "$telev" tail cytracom --url "$url/v1.0" --token bench --count 300000 -o ndjson
  stop
}

# The body wrk (post.lua) and post_floor send: the corpus's first TelTel event.
body() {
  jq -cjn 'first(inputs | select(.provider == "teltel") | .raw)' "$out/corpus.ndjson" > "$out/teltel.json"
  export BENCH_BODY="$out/teltel.json"
}

listen() {
  body
  local pairs=${PAIRS:-5} seconds=${WRK_SECONDS:-4}
  echo
  echo "## listen: wrk posting a TelTel event ($(wc -c < "$out/teltel.json") bytes), 32 connections"
  echo
  echo "This machine's rates swing from one minute to the next, so each server runs in turns"
  echo "with the others, $pairs turns of $seconds s each; a rate is the median of its $pairs runs,"
  echo "and a ratio the median of its $pairs ratios to the bare server's run in the same turn."
  echo
  : > "$out/turns"
  : > "$out/cpu"
  local recorded=0 completed=0 failed=0
  for _ in $(seq "$pairs"); do
    start "$bin/http_ok"
    WRK_SECONDS=$seconds wrk_run "$url/hook"
    local line="$rps $p99" cpu="$server_us $wrk_us"
    stop
    # The floor: listen's receiver decoding each request into an envelope, then answering at once.
    start "$bin/listen_floor"
    WRK_SECONDS=$seconds wrk_run "$url/hook"
    line="$line $rps $p99"
    cpu="$cpu $server_us $wrk_us"
    stop
    for record in no yes; do
      rm -f "$out/listen.ndjson"
      flags=(listen teltel --port 0 -o ndjson)
      [[ $record == yes ]] && flags+=(--record "$out/listen.ndjson")
      # Emptied first: the shell may look for the new URL before the child's redirection
      # has truncated the file, and find the last run's (wrk then fails to connect).
      : > "$out/listen.err"
      "$telev" "${flags[@]}" > /dev/null 2> "$out/listen.err" &
      server=$!
      for _ in $(seq 100); do grep -q listening "$out/listen.err" && break; sleep 0.05; done
      url=$(grep -o 'http://[^/ ]*' "$out/listen.err" | head -1)
      WRK_SECONDS=$seconds wrk_run "$url/hook"
      kill -TERM "$server"; wait "$server" || true
      line="$line $rps $p99"
      cpu="$cpu $server_us $wrk_us"
      failed=$((failed + ${non2xx:-0}))
      if [[ $record == yes ]]; then
        recorded=$((recorded + $(wc -l < "$out/listen.ndjson")))
        completed=$((completed + requests))
      fi
    done
    echo "$line" >> "$out/turns"
    echo "$cpu" >> "$out/cpu"
  done
  # Columns of $out/turns: rate and p99 of the bare server, the floor, telev, telev --record;
  # of $out/cpu: the CPU µs a request of each, the server's then wrk's.
  share() { awk -v k="$1" '{ printf "%.2f\n", $k / $1 }' "$out/turns" | median; }
  p99s() { awk -v k="$1" '{print $k}' "$out/turns" | tr '\n' ' '; }
  echo "| server | requests/s | of the bare server's rate | p99 (each turn) |"
  echo "|---|---|---|---|"
  echo "| minimal hyper server (ceiling) | $(median_of "$out/turns" 1) | 1 | $(p99s 2)|"
  echo "| telev's receiver alone: decoded, answered, nothing recorded or printed (\`listen_floor\`) | $(median_of "$out/turns" 3) | $(share 3) | $(p99s 4)|"
  echo "| \`telev listen teltel -o ndjson\` | $(median_of "$out/turns" 5) | $(share 5) | $(p99s 6)|"
  echo "| \`telev listen teltel -o ndjson --record\` | $(median_of "$out/turns" 7) | $(share 7) | $(p99s 8)|"
  echo
  echo "With --record, $recorded events recorded for $completed requests wrk saw completed, over all"
  echo "turns; telev answered $failed requests with other than 2xx."
  echo
  echo "telev / ceiling (with --record): $(share 7) (target ≥ 0.8); the receiver alone / ceiling:"
  echo "$(share 3), the most telev could reach if recording and printing cost nothing."
  echo
  echo "CPU time a request took, µs (medians of the turns; all the server's threads, user and"
  echo "system): wrk shares the two cores, so a server's rate is about the cores kept busy over"
  echo "its CPU and wrk's together a request."
  echo
  echo "| server | server's CPU a request | wrk's CPU a request |"
  echo "|---|---|---|"
  local names=("minimal hyper server" "telev's receiver alone" "listen -o ndjson" "listen -o ndjson --record")
  for i in 0 1 2 3; do
    echo "| ${names[$i]} | $(median_of "$out/cpu" $((2 * i + 1))) | $(median_of "$out/cpu" $((2 * i + 2))) |"
  done
  local budget
  budget=$(awk '{ printf "%.1f\n", ($1 + $2) / 0.8 - $8 }' "$out/cpu" | median)
  echo
  echo "At 0.8 of the bare server's rate (wrk's CPU as it was beside telev), telev may take"
  echo "about $budget µs a request: $(median_of "$out/cpu" 7) with --record, $(median_of "$out/cpu" 3) for the receiver alone."
}

replay() {
  body
  head -100000 "$out/corpus.ndjson" > "$out/replay.ndjson"
  n=$(wc -l < "$out/replay.ndjson")
  local pairs=${PAIRS:-5}
  echo
  echo "## replay --speed max --to: $n events into the minimal hyper server"
  echo
  echo "This machine's loopback rates swing by 2× from one minute to the next, for wrk as for"
  echo "telev, so a ratio of runs minutes apart says little. Each sender runs between two wrk"
  echo "runs, $pairs times over; a ratio is the median of its $pairs ratios to the mean of the wrk"
  echo "runs on either side, and a rate the median of its $pairs runs."
  echo
  echo "| sender | deliveries/s | of wrk's rate beside it |"
  echo "|---|---|---|"
  start "$bin/http_ok"
  summary=()
  for c in 1 32; do
    : > "$out/pairs"
    WRK_SECONDS=2 wrk_run "$url/hook" "$c"
    before=$rps
    for _ in $(seq "$pairs"); do
      # Each line: telev, reqwest alone, hyper alone (bench/post_floor: the floors), and the
      # wrk runs before telev, between telev and the floors, and after them.
      t=$(REPS=1 seconds "$telev" replay "$out/replay.ndjson" --speed max --to "$url/hook" --concurrency "$c" -o ndjson)
      WRK_SECONDS=2 wrk_run "$url/hook" "$c"
      between=$rps
      r=$("$bin/post_floor" "$url/hook" "$n" "$c")
      h=$("$bin/post_floor" "$url/hook" "$n" "$c" --hyper)
      WRK_SECONDS=2 wrk_run "$url/hook" "$c"
      echo "$(rate "$n" "$t") $r $h $before $between $rps" >> "$out/pairs"
      before=$rps
    done
    # The ratio of column $1 to the wrk runs around it: telev's, or the floors'.
    share() {
      awk -v k="$1" '{ w = k == 1 ? ($4 + $5) / 2 : ($5 + $6) / 2; printf "%.2f\n", $k / w }' "$out/pairs" | median
    }
    echo "| telev, --concurrency $c | $(median_of "$out/pairs" 1) | $(share 1) |"
    echo "| reqwest alone (telev's client, nothing read or printed), $c at once | $(median_of "$out/pairs" 2) | $(share 2) |"
    echo "| hyper's connections alone, $c | $(median_of "$out/pairs" 3) | $(share 3) |"
    echo "| wrk, $c connection(s) (ceiling) | $(median_of "$out/pairs" 5) | 1 |"
    summary+=("$c at once: telev $(share 1), hyper alone $(share 3)")
  done
  echo
  echo "Of wrk's rate (targets: 0.8 in order, 0.6 at 32): ${summary[0]}; ${summary[1]}."
  # At 32 at once the client and the app share the cores, both busy: the rate is set by the
  # CPU each spends on a request, so telev's is measured beside wrk's and hyper's.
  echo
  echo "CPU per delivery at 32 at once (user + system, µs; the app's own is not counted):"
  echo
  echo "| sender | µs per delivery |"
  echo "|---|---|"
  WRK_SECONDS=5 wrk_run "$url/hook"
  echo "| wrk | $wrk_us |"
  echo "| hyper's connections alone (\`post_floor --hyper\`) | $(cpu_us "$n" "$bin/post_floor" "$url/hook" "$n" 32 --hyper) |"
  echo "| telev replay --to, --concurrency 32 | $(cpu_us "$n" "$telev" replay "$out/replay.ndjson" --speed max --to "$url/hook" --concurrency 32 -o ndjson) |"
  echo "| of which reading, deciding and printing (telev replay, no --to) | $(cpu_us "$n" "$telev" replay "$out/replay.ndjson" --speed max -o ndjson) |"
  stop
  pinned
}

# One request at a time, the rate is set by where the sender runs beside the app: on another
# core each answer is a wake-up across cores; on the same core, by the CPU both spend. Both
# measured with taskset (the app on core 1), where unpinned runs get whatever the scheduler
# chose that minute.
pinned() {
  command -v taskset >/dev/null && (($(nproc) >= 2)) || return 0
  local m=20000
  head -"$m" "$out/replay.ndjson" > "$out/pinned.ndjson"
  start taskset -c 1 "$bin/http_ok"
  echo
  echo "In order, the app pinned to core 1 and the sender to core 0 (apart) or 1 (together),"
  echo "deliveries/s, median of $REPS; $m events for telev and hyper alone, 3 s of wrk:"
  echo
  echo "| sender | apart | together |"
  echo "|---|---|---|"
  local apart together ta ha wa tt ht wt
  for core in 0 1; do
    local t w h
    t=$(seconds taskset -c "$core" "$telev" replay "$out/pinned.ndjson" --speed max --to "$url/hook" -o ndjson)
    h=$(for _ in $(seq "$REPS"); do taskset -c "$core" "$bin/post_floor" "$url/hook" "$m" 1 --hyper; done | median)
    w=$(for _ in $(seq "$REPS"); do
      taskset -c "$core" wrk -t1 -c1 -d3s -s bench/post.lua "$url/hook" | awk '/Requests\/sec/ {print $2}'
    done | median)
    local row="$(rate "$m" "$t") $h $w"
    [[ $core == 0 ]] && apart=$row || together=$row
  done
  read -r ta ha wa <<< "$apart"
  read -r tt ht wt <<< "$together"
  echo "| telev replay --to | $ta ($(awk -v a="$ta" -v b="$wa" 'BEGIN { printf "%.2f", a / b }') of wrk) | $tt ($(awk -v a="$tt" -v b="$wt" 'BEGIN { printf "%.2f", a / b }') of wrk) |"
  echo "| hyper's connections alone | $ha | $ht |"
  echo "| wrk | $wa | $wt |"
  stop
}

calls() {
  echo
  echo "## replay --calls: memory against capture size"
  echo
  echo "| events | calls | peak RSS |"
  echo "|---|---|---|"
  for n in 100000 1000000; do
    cargo run --release --locked --quiet --example corpus -- $((n * 31 / 100)) 2 > "$out/calls.ndjson"
    e=$(wc -l < "$out/calls.ndjson")
    calls=$("$telev" replay "$out/calls.ndjson" --calls -o ndjson | wc -l)
    rss=$(peak_mib "$telev" replay "$out/calls.ndjson" --calls -o ndjson)
    echo "| $e | $calls | $rss MiB |"
    eval "calls_$n=$calls rss_$n=$rss"
  done
  rm -f "$out/calls.ndjson"
  # The table grows by the same amount per call; what does not grow is everything else.
  awk -v c1="$calls_100000" -v r1="$rss_100000" -v c2="$calls_1000000" -v r2="$rss_1000000" 'BEGIN {
    per = (r2 - r1) * 1048576 / (c2 - c1); base = r2 - c2 * per / 1048576
    printf "\nThe per-call table costs %.0f bytes a call; beyond it, %.1f MiB (target < 30 MiB).\n", per, base }'
}

startup() {
  echo
  echo "## start-up"
  echo
  cargo build --release --locked --quiet --bin telev
  size=$(stat -c %s target/release/telev)
  echo "The release binary (stripped): $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB (target under 12 MiB)."
  echo
  hyperfine -N --warmup 3 --runs 30 --export-json "$out/startup.json" "$telev --version" > /dev/null 2>&1
  jq -r '.results[0] | "`telev --version`: \(.median * 1000 * 100 | round / 100) ms (median of 30)"' "$out/startup.json"
}

{
  header
  for part in "${parts[@]}"; do
    case $part in
      tail) tail_ ;;
      *) "$part" ;;
    esac
  done
} > "$out/RESULTS.md"
(($#)) || cp "$out/RESULTS.md" bench/RESULTS.md
cat "$out/RESULTS.md"
