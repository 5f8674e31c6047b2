# Markdown from the measurements: medians with [min–max] ranges of the interleaved runs, void runs counted apart
# (never averaged in), ratios of OneHop to each peer and to the pod called directly.
# Sourced, not executed.

REPORT="$OUT/report.md"

# summary SUITE KEY TARGET: "median min max valid void" over the runs recorded for KEY and TARGET.
summary() {
  [[ -f $DATA/$1.tsv ]] || { echo "- - - 0 0"; return; }
  awk -F'\t' -v k="$2" -v t="$3" '
    $1 == k && $2 == t { if ($3 == "void") void++; else v[++n] = $3 + 0 }
    END {
      if (n == 0) { printf "- - - 0 %d\n", void; exit }
      for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
      m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf "%s %s %s %d %d\n", m, v[1], v[n], n, void
    }' "$DATA/$1.tsv"
}

median() { local m; read -r m _ < <(summary "$@"); echo "$m"; }

# cell SUITE KEY TARGET DECIMALS: "1234 [1200–1250]", "void" when every run was void, "–" when not measured.
cell() {
  local m lo hi n void
  read -r m lo hi n void < <(summary "$1" "$2" "$3")
  if ((n == 0)); then ((void > 0)) && echo "void ($void runs)" || echo "–"; return; fi
  awk -v m="$m" -v lo="$lo" -v hi="$hi" -v n="$n" -v void="$void" -v d="$4" 'BEGIN {
    f = "%." d "f"
    s = sprintf(f, m)
    if (n > 1) s = s sprintf(" [" f "–" f "]", lo, hi)
    if (void > 0) s = s sprintf(" (%d void)", void)
    print s }'
}

# ratio A B: A ÷ B as "0.42×", or "–".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f×\n", a / b }'; }

# table SUITE "TARGET..." "Label|key|decimals"...: one row per target, then OneHop ÷ each other target.
table() {
  local suite=$1 targets=($2) col t other
  shift 2
  local cols=("$@")
  local line="| |" sep="|---|"
  for col in "${cols[@]}"; do line+=" ${col%%|*} |"; sep+="---|"; done
  echo "$line"
  echo "$sep"
  for t in "${targets[@]}"; do
    line="| ${TARGET_LABEL[$t]} |"
    for col in "${cols[@]}"; do
      IFS='|' read -r _ key dec <<<"$col"
      line+=" $(cell "$suite" "$key" "$t" "$dec") |"
    done
    echo "$line"
  done
  local others=()
  [[ " ${targets[*]} " == *" onehop "* ]] && others=(onehop-yarp haproxy nginx bareyarp direct)
  for other in "${others[@]}"; do
    [[ " ${targets[*]} " == *" $other "* ]] || continue
    line="| **OneHop ÷ ${TARGET_LABEL[$other]}** |"
    for col in "${cols[@]}"; do
      IFS='|' read -r _ key _ <<<"$col"
      # Added latency is a difference over the pod's own: a ratio of two small, noisy differences means nothing.
      if [[ $key == add* ]]; then line+=" – |"; continue; fi
      line+=" $(ratio "$(median "$suite" "$key" onehop)" "$(median "$suite" "$key" "$other")") |"
    done
    echo "$line"
  done
  # OneHop's variants (thread-pool I/O, Native AOT, .NET sockets, thread-pool spin) against OneHop itself and the others.
  local variant
  for variant in onehop-pool onehop-aot onehop-sockets onehop-spin; do
    [[ " ${targets[*]} " == *" $variant "* ]] || continue
    for other in onehop haproxy nginx; do
      [[ " ${targets[*]} " == *" $other "* ]] || continue
      line="| **${TARGET_LABEL[$variant]} ÷ ${TARGET_LABEL[$other]}** |"
      for col in "${cols[@]}"; do
        IFS='|' read -r _ key _ <<<"$col"
        if [[ $key == add* ]]; then line+=" – |"; continue; fi
        line+=" $(ratio "$(median "$suite" "$key" "$variant")" "$(median "$suite" "$key" "$other")") |"
      done
      echo "$line"
    done
  done
}

report_header() {
  local suites=$1
  {
    echo "### $(date -u +%Y-%m-%d) — commit $(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet HEAD -- src 2>/dev/null || echo ' (with uncommitted changes under src/)'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
    echo
    echo "Command: \`$(env_knobs) bench/run.sh $suites\` — proxy on core $PROXY_CORE; load generator and backend on core $LOAD_CORE;" \
      "nginx $(nginx -v 2>&1 | cut -d/ -f2), HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }'), wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }'), $(h2load --version | head -1), .NET $(dotnet --version)"
    echo
  } >"$REPORT"
}

env_knobs() { echo "$([[ ${suites:-} == *tcp* || ${suites:-} == *udp* ]] && echo "TCP_PROXIES=\"${TCP_PROXIES:-}\" ")PROXIES=\"$PROXIES\" DURATION=$DURATION FIXED_DURATION=$FIXED_DURATION WARMUP=$WARMUP JIT_SETTLE=$JIT_SETTLE REPEATS=$REPEATS CONNECTIONS=\"$CONNECTIONS\"${ONEHOP_ARGS:+ ONEHOP_ARGS=\"$ONEHOP_ARGS\"}${ONEHOP_ENV:+ ONEHOP_ENV=\"$ONEHOP_ENV\"} ONEHOP_OBS=$ONEHOP_OBS$([[ $ONEHOP_OBS == trace || $ONEHOP_OBS == both ]] && echo " OTLP_ENDPOINT=$OTLP_ENDPOINT")"; }

# The exact command lines and the config templates, collapsed, so a reader can check the proxies' settings.
report_configs() {
  local name
  {
    echo "<details><summary>Proxy settings of this run</summary>"
    echo
    for name in "${!PROXY_CMD[@]}"; do echo "- $name: \`${PROXY_CMD[$name]}\`"; done
    echo "- templates: bench/config/proxy-nginx.conf, bench/config/haproxy.cfg, bench/config/backend-nginx.conf, bench/config/onehop-bench.yaml; BareYarp: bench/BareYarp/Program.cs"
    echo
    echo "</details>"
    echo
  } >>"$REPORT"
}

# Printed always; appended to bench/RESULTS.md only with RECORD=1: figures from a busy development machine are
# not worth keeping.
report_finish() {
  cat "$REPORT"
  if [[ $RECORD == 1 ]]; then
    { echo; cat "$REPORT"; } >>"$BENCH_DIR/RESULTS.md"
    log "appended to bench/RESULTS.md"
  else
    log "report in bench/out/report.md (RECORD=1 appends it to bench/RESULTS.md)"
  fi
}
