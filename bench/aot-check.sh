#!/usr/bin/env bash
# The Native AOT build against the Kubernetes API and `migrate`: publishes OneHop with Native AOT into
# bench/out-aot/onehop-aot (build_aot, minutes; NOBUILD=1 reuses it), then runs the integration tests that start onehop
# as a process (KubeconfigProcessTests: `onehop run --kubeconfig` against the API test server with real pods) and the
# migrate and routes tests with ONEHOP_EXE set to that executable, so they run the AOT build instead of
# `dotnet onehop.dll`.
# Usage: bench/aot-check.sh  (on a shared machine: nice -n 10 bench/aot-check.sh). Needs root and iproute2 for the
# pods' network namespace, as the integration tests do. Knobs: NOBUILD (0) FILTER (the test filter).
set -euo pipefail
BENCH_LIB="$(cd "$(dirname "$0")" && pwd)"
source "$BENCH_LIB/lib/common.sh"

OUT="$BENCH_DIR/out-aot"
FILTER=${FILTER:-"FullyQualifiedName~KubeconfigProcessTests|FullyQualifiedName~MigrateCommandTests|FullyQualifiedName~MigrateToGatewayApiTests|FullyQualifiedName~RoutesCommandTests"}

main() {
  if [[ ${1-} == -h || ${1-} == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0; fi
  mkdir -p "$OUT"
  [[ ${NOBUILD:-0} == 1 ]] || build_aot
  [[ -x $OUT/onehop-aot/onehop ]] || die "no Native AOT build at $OUT/onehop-aot/onehop (run without NOBUILD=1)"
  log "running the tests against $OUT/onehop-aot/onehop"
  ONEHOP_EXE="$OUT/onehop-aot/onehop" dotnet test "$REPO_DIR/tests/OneHop.IntegrationTests" --filter "$FILTER"
}

main "$@"
