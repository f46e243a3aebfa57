#!/usr/bin/env bash
# Load test of the dashboard, list pages and API lists of `aims serve` on loopback.
#
#   bench/load/run.sh sqlite|postgres [SECONDS_PER_URL]
#
# Grows a fresh organisation (the demo, then 10,000 AI systems and 100,000 risks through the
# services) in a new SQLite data directory or a new PostgreSQL database `aims_bench_load_PID`,
# checks the ledger, starts the release `aims serve` on 127.0.0.1, signs in as the demo admin and
# runs wrk against each URL (a short warm-up, then SECONDS_PER_URL, default 20). Prints one table
# row per URL: requests/s, p50, p99 and errors (non-2xx answers plus socket errors).
# Needs: target/release/aims (cargo build --release -p aims-cli), wrk (apt-get install -y wrk),
# curl; for postgres, psql and a server at $AIMS_BENCH_PG (default postgres://postgres@127.0.0.1:5432).
# Every request goes to 127.0.0.1 and each wrk run stops by itself after its time.
set -euo pipefail

BACKEND=${1:-sqlite}
SECONDS_PER_URL=${2:-20}
WARMUP=${AIMS_BENCH_WARMUP:-3}
CONNECTIONS=${AIMS_BENCH_CONNECTIONS:-16}
SYSTEMS=${AIMS_BENCH_SYSTEMS:-10000}
RISKS=${AIMS_BENCH_RISKS:-100000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AIMS=${AIMS_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/aims}
PG=${AIMS_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
WORK=$(mktemp -d /tmp/aims-load.XXXXXX)
PORT=${AIMS_BENCH_PORT:-$((20000 + $$ % 20000))}
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
[ -x "$AIMS" ] || { echo "$AIMS not found: cargo build --release -p aims-cli" >&2; exit 1; }

case "$BACKEND" in
  sqlite) DB_ARGS=(--data-dir "$WORK/data") ;;
  postgres)
    DB_NAME="aims_bench_load_$$"
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB_NAME" -c "CREATE DATABASE $DB_NAME" >/dev/null
    DB_ARGS=(--database-url "$PG/$DB_NAME")
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac

SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== $BACKEND: growing to $SYSTEMS AI systems and $RISKS risks"
start=$(date +%s.%N)
"$AIMS" "${DB_ARGS[@]}" demo --grow "systems=$SYSTEMS,risks=$RISKS" 2>/dev/null | tail -1
echo "grow took $(echo "$(date +%s.%N) - $start" | bc) s in all (demo included)"
if [ "$BACKEND" = postgres ]; then
  # Fresh statistics and the visibility map that index-only counts need: what autovacuum leaves
  # soon after a bulk load.
  psql "$PG/$DB_NAME" -qc "VACUUM ANALYZE" >/dev/null
fi
start=$(date +%s.%N)
"$AIMS" "${DB_ARGS[@]}" ledger verify | head -1
echo "verify took $(echo "$(date +%s.%N) - $start" | bc) s"

"$AIMS" "${DB_ARGS[@]}" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
  curl -sf "$BASE/api/v1/health" >/dev/null && break
  sleep 0.1
done
curl -sf -c "$WORK/jar" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"admin-demo-pass"}' "$BASE/api/v1/auth/login" >/dev/null
COOKIE=$(awk '$6 == "aims_session" { print $6 "=" $7 }' "$WORK/jar")
[ -n "$COOKIE" ] || { echo "sign-in failed" >&2; exit 1; }

# wrk prints latencies as 850.00us, 1.20ms or 1.05s: in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000
    printf "%.2f", n }'
}

URLS=(
  /
  /systems
  /risks
  /incidents
  /controls
  /soa
  /ledger
  /context
  /parties
  /impacts
  /security-events
  "/search?q=drift"
  "/search?q=rsk-50000"
  "/api/v1/systems?per_page=50"
  "/api/v1/risks?per_page=50"
  /api/v1/incidents
  /api/v1/controls
  /api/v1/soa
  /api/v1/ledger/events
  "/api/v1/search?q=drift"
)

echo
echo "| backend | URL | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
for path in "${URLS[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$path")
  if [ "$status" != 200 ]; then
    echo "| $BACKEND | \`$path\` | answered $status | | | |"
    continue
  fi
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Cookie: $COOKIE" "$BASE$path" >/dev/null
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_URL}s" --latency -H "Cookie: $COOKIE" "$BASE$path")
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
  sock=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  echo "| $BACKEND | \`$path\` | $rps | $p50 | $p99 | $(( ${non2xx:-0} + ${sock:-0} )) |"
done

if [ "$BACKEND" = postgres ]; then
  kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null
fi
