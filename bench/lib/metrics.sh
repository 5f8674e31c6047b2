# What is measured besides the load generators' own figures: the proxies' CPU time and peak memory, interface
# byte counters; and the store of every measurement (one TSV per suite) that bench/lib/report.sh summarizes.
# Sourced, not executed.

CLK_TCK=$(getconf CLK_TCK)

# cpu_ticks PID...: utime + stime (fields 14 and 15 of /proc/PID/stat, clock ticks) summed. They include the
# threads that already exited (the .NET thread pool retires threads), which per-thread counters would lose.
cpu_ticks() {
  local pid total=0 stat
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    # The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    stat=${stat##*) }
    total=$((total + $(awk '{ print $12 + $13 }' <<<"$stat")))
  done
  echo "$total"
}

# thread_ticks PID: utime + stime of PID's live threads summed by thread name (the kernel's comm, 15 characters),
# "NAME<TAB>TICKS" lines. Threads that exited in between are lost, unlike cpu_ticks: compare the sum with it.
thread_ticks() {
  local t stat name
  for t in /proc/"$1"/task/*; do
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    name=${stat#*(}
    name=${name%)*}
    stat=${stat##*) }
    printf '%s\t%s\n' "$name" "$(awk '{ print $12 + $13 }' <<<"$stat")"
  done | awk -F'\t' '{ s[$1] += $2 } END { for (n in s) printf "%s\t%d\n", n, s[n] }'
}

# thread_us_per_request BEFORE AFTER N: CPU µs per request by thread name between two thread_ticks outputs, largest first.
thread_us_per_request() {
  awk -F'\t' -v n="$3" -v hz="$CLK_TCK" '
    FNR == NR { before[$1] = $2; next }
    { d = $2 - before[$1]; if (d > 0) printf "%8.1f  %s\n", d * 1e6 / hz / n, $1 }' <(echo "$1") <(echo "$2") | sort -rn
}

# microseconds of CPU per request from a tick count and a request count.
cpu_us_per_request() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.1f\n", t * 1e6 / hz / n; else print "void" }'; }

# vmhwm_mib PID...: peak resident set size (VmHWM) summed over the processes, in MiB. For nginx that is master plus
# worker, which counts their shared pages twice: a slight overstatement in nginx's disfavour.
vmhwm_mib() {
  local pid kb=0 v
  for pid in "$@"; do
    v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
    kb=$((kb + ${v:-0}))
  done
  awk -v kb="$kb" 'BEGIN { printf "%.1f\n", kb / 1024 }'
}

# jit_methods TARGET: the methods OneHop's runtime compiled so far (tier-ups included), from its admin /metrics; empty
# for the other targets.
jit_methods() {
  [[ $1 == onehop* ]] || return 0
  curl -s "http://${PROXY_ADDR[$1]}:$ONEHOP_ADMIN_PORT/metrics" | awk '/^dotnet_jit_compiled_methods_total[{ ]/ { printf "%.0f\n", $NF }'
}

# settle_jit TARGET COMMAND...: for OneHop, runs COMMAND with 2 more (seconds of load) until its JIT compiled at most
# 10 methods in those 2 s, JIT_SETTLE seconds at most. Tiered compilation recompiles hot methods twice (instrumented,
# then optimised) after a delay that restarts with every new method: a few seconds of load leave OneHop measured while
# its JIT still runs (12% of its CPU in libclrjit 4-10 s after start, bench/PROFILE.md) and in PGO's instrumented
# code. A long-running proxy is past that in its first minute; HAProxy and nginx have nothing to settle.
# At least JIT_SETTLE_MIN seconds: pinned to one core the runtime waits 1 s (not 0.1) after the last new method
# before it starts counting calls, so a few quiet seconds can come before tiering has begun, not after it ended
# (seen 2026-12-07: "settled" after 4 s with 6,600 methods against 11,000 after 26 s, and 55 µs per request
# against 21).
settle_jit() {
  local target=$1 before after waited=0
  shift
  [[ $target == onehop* ]] && ((JIT_SETTLE > 0)) || return 0
  after=$(jit_methods "$target")
  while ((waited < JIT_SETTLE)); do
    before=$after
    "$@" 2 >/dev/null
    waited=$((waited + 2))
    after=$(jit_methods "$target")
    [[ -n $before && -n $after ]] || break
    ((after - before <= 10 && waited >= JIT_SETTLE_MIN)) && break
  done
  log "$target: JIT settled after ${waited}s more (${after:-?} methods compiled)"
}

# allocated_bytes TARGET: the managed bytes OneHop (either variant) allocated so far, from its admin /metrics; empty
# for the other targets.
allocated_bytes() {
  [[ $1 == onehop* ]] || return 0
  curl -s "http://${PROXY_ADDR[$1]}:$ONEHOP_ADMIN_PORT/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total[{ ]/ { printf "%.0f\n", $NF }'
}

# gc_counts TARGET: OneHop's garbage collections so far, "gen0 gen1 gen2 pause-seconds", from its admin /metrics.
gc_counts() {
  [[ $1 == onehop* ]] || return 0
  curl -s "http://${PROXY_ADDR[$1]}:$ONEHOP_ADMIN_PORT/metrics" | awk '
    /^dotnet_gc_collections_total[{]/ { match($0, /gen[0-2]/); n[substr($0, RSTART, RLENGTH)] = $NF }
    /^dotnet_gc_pause_time_seconds_total[{ ]/ { p = $NF }
    END { printf "%d %d %d %s\n", n["gen0"], n["gen1"], n["gen2"], p }'
}

# gc_window BEFORE AFTER: what gc_counts said changed between two readings, as one line (the runtime counts a
# collection under the oldest generation it collected).
gc_window() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); n = y[1] + y[2] + y[3] - x[1] - x[2] - x[3]
    printf "GCs: gen0 %d, gen1 %d, gen2 %d; paused %.1f ms in all, %.2f ms per GC\n", y[1] - x[1], y[2] - x[2], y[3] - x[3], (y[4] - x[4]) * 1000, (n > 0 ? (y[4] - x[4]) * 1000 / n : 0) }'
}

# bytes_per_request BEFORE AFTER REQUESTS
bytes_per_request() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { if (n > 0 && a != "" && b != "") printf "%.0f\n", (b - a) / n; else print "void" }'; }

# tx_bytes NAMESPACE IFACE: bytes sent by the interface, as `ip -s link` reports them.
tx_bytes() { ip -n "$1" -s link show dev "$2" | awk '/TX:/ { getline; print $1; exit }'; }

# record SUITE KEY TARGET VALUE: one measurement ("void" for a void run) into $DATA/SUITE.tsv.
record() { mkdir -p "$DATA" && printf '%s\t%s\t%s\n' "$2" "$3" "$4" >>"$DATA/$1.tsv"; }

# strace_during FILE "PIDS" UNIT COMMAND [ARG...]: system calls per UNIT while COMMAND runs (it prints how many units it
# did), every thread of PIDS traced with `strace -c -f`; the whole table goes to FILE.
strace_during() {
  local file=$1 pids=$2 unit=$3 args=() p count trace_pid
  shift 3
  for p in $pids; do args+=(-p "$p"); done
  strace -c -f -o "$file" "${args[@]}" 2>/dev/null &
  trace_pid=$!
  sleep 1 # attached to every thread before the load starts
  count=$("$@")
  kill -INT "$trace_pid"
  wait "$trace_pid" 2>/dev/null || true
  strace_summary "$file" "$count" "$unit"
}

# strace_summary FILE N UNIT: an `strace -c -f` table over N units of work (requests, connections), as system calls per unit.
strace_summary() {
  awk -v n="$2" -v unit="$3" '
    $1 ~ /^[0-9.]+$/ && $NF == "total" { total = $4 }
    $1 ~ /^[0-9.]+$/ && $NF != "total" { calls[$NF] = $4 }
    END {
      printf "%8d %ss  %6.1f syscalls/%s:", n, unit, total / n, unit
      for (c in calls) if (calls[c] / n >= 0.05) printf " %s %.2f", c, calls[c] / n
      printf "\n"
    }' "$1"
}
