# Shared helpers for bench/run.sh: dependencies, processes pinned to cores, wrk runs and their parsing.
# Sourced, not executed.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
OUT="$BENCH_DIR/out"
PIDS=()

# Cores: the proxy under test gets its own core; the load generator and the backend share the other.
PROXY_CORE=${PROXY_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
REPEATS=${REPEATS:-5}
CONNECTIONS=${CONNECTIONS:-64}

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ensure_packages() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v h2load >/dev/null || missing+=(nghttp2-client)
  command -v taskset >/dev/null || missing+=(util-linux)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

build_onehop() {
  log "building OneHop (Release)"
  dotnet publish "$REPO_DIR/src/OneHop/OneHop.csproj" -c Release -o "$OUT/onehop" --nologo -v quiet >/dev/null
}

# start NAME CORE COMMAND...: runs COMMAND pinned to CORE in the background, output to $OUT/NAME.log.
start() {
  local name=$1 core=$2
  shift 2
  taskset -c "$core" "$@" >"$OUT/$name.log" 2>&1 &
  PIDS+=($!)
  echo $!
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

wait_http() {
  local url=$1
  for _ in $(seq 1 200); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1
  done
  log "no answer from $url"; return 1
}

# run_wrk URL [HOST]: one measured wrk run; prints "rps p50_ms p99_ms errors".
run_wrk() {
  local url=$1
  local out
  out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" 2>&1)
  echo "$out" >>"$OUT/wrk.log"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { split($0, a, /[ ,]+/); for (i in a) if (a[i] ~ /^[0-9]+$/) errors += a[i] }
    END { printf "%s %.3f %.3f %d\n", rps, p50, p99, errors + 0 }' <<<"$out"
}

# median / min / max of a list of numbers.
stats() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, v[1], v[NR] }'; }
