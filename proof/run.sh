#!/usr/bin/env bash
# The proof (README, "The proof"): the production jar against servers in processes of their own, killed, doubled and
# starved; the invariants checked from outside; a table in target/proof/results.md. Exits non-zero on any violation.
#
#   proof/run.sh                       # the full run (issue #24's sizes: 2,000 mails, 10 kills, ...)
#   PROOF_PROFILE=ci proof/run.sh      # the short run of .ci/run
#   PROOF_SKIP_BUILD=true|false ...    # reuse target/dispatch-*.jar and the test classes, or build them; unset:
#                                      # reuse them when nothing in src/ or pom.xml is newer (as after .ci/run's verify)
#   PROOF_SCENARIOS=faults,smtp ...    # only these (kills,two,faults,smtp,postgres,imap,latency,idle,reports; default all,
#                                      # and then the full profile also quotes scripts/dovecot.sh bench)
#
# Bash only orchestrates: it builds, starts Dovecot (scripts/dovecot.sh, needs root) and runs the Java driver
# dispatch.proof.ProofRun, which starts PostgreSQL, the stand-ins, the SMTP sink and the app. Everything started is
# stopped on exit (also on failure or Ctrl-C): the driver's children by the pids it recorded, Dovecot by its pid.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PROFILE=${PROOF_PROFILE:-full}
OUT=target/proof
WORLD=$OUT/world
# Hard bound on the whole run (the driver bounds every wait itself; this catches what it cannot).
LIMIT=${PROOF_TIMEOUT:-$([[ $PROFILE == ci ]] && echo 3600 || echo 10800)}

# shellcheck source=scripts/dovecot.sh
. scripts/dovecot.sh

DOVECOT_DIR=
cleanup() {
    local pid
    if [[ -s $WORLD/pids ]]; then
        while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$WORLD/pids"
        sleep 2
        while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$WORLD/pids"
    fi
    # PostgreSQL outlives a killed parent JVM: stop it by its own pid file.
    if [[ -s $WORLD/postgres/postmaster.pid ]]; then
        kill -QUIT "$(head -n 1 "$WORLD/postgres/postmaster.pid")" 2>/dev/null || true
    fi
    [[ -n $DOVECOT_DIR ]] && dovecot_stop "$DOVECOT_DIR"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$OUT"
mkdir -p "$WORLD"
built() {
    local jar
    jar=$(ls target/dispatch-*.jar 2>/dev/null | grep -v -e '\.original$' -e 'plain' | head -n 1)
    [[ -n $jar && -d target/test-classes ]] && [[ -z $(find src pom.xml -newer "$jar" -type f -print -quit) ]]
}
SKIP=${PROOF_SKIP_BUILD:-}
[[ -n $SKIP ]] || { built && SKIP=true || SKIP=false; }
if [[ $SKIP != true ]]; then
    echo "building the jar and the test classes"
    ./mvnw -B -q -o package -DskipTests || ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/proof.classpath \
    || ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/proof.classpath
JAR=$(ls target/dispatch-*.jar | grep -v -e '\.original$' -e 'plain' | head -n 1)
[[ -f $JAR ]] || { echo "no jar in target/" >&2; exit 2; }

DOVECOT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dispatch-proof-dovecot.XXXXXX")
dovecot_start "$DOVECOT_DIR"
echo "Dovecot on 127.0.0.1:$DOVECOT_PORT; the app: $JAR; profile $PROFILE; world in $WORLD"

set +e
timeout --kill-after=30 "$LIMIT" java -cp "target/test-classes:target/classes:$(cat target/proof.classpath)" \
    dispatch.proof.ProofRun --profile="$PROFILE" --jar="$JAR" --dir="$WORLD" --out="$OUT/results.md" \
    --dovecot-dir="$DOVECOT_DIR" --imap-port="$DOVECOT_PORT" ${PROOF_SCENARIOS:+--scenarios="$PROOF_SCENARIOS"}
status=$?
set -e
[[ -s $OUT/results.md ]] || { echo "the proof wrote no results (exit $status)" >&2; exit 2; }
[[ $status -ne 124 && $status -ne 137 ]] || { cat "$OUT/results.md"; echo "the proof ran out of time (PROOF_TIMEOUT=$LIMIT s)" >&2; exit 2; }
if [[ $PROFILE == full && -z ${PROOF_SCENARIOS:-} ]]; then
    # Intake of a 10,000-mail backlog against a bare Jakarta Mail read of the same Dovecot folder: the existing
    # benchmark, its own Dovecot; its figures are quoted as printed (in a whole run, not with PROOF_SCENARIOS).
    { echo; echo "## Intake of a 10,000-mail backlog vs a bare Jakarta Mail read (scripts/dovecot.sh bench)"; echo
      echo '```'; BENCH_BACKLOG=10000 scripts/dovecot.sh bench >"$OUT/dovecot-bench.log" 2>&1 \
          && cat target/bench/MailIntakeDovecotBench.txt || echo "the bench failed: $OUT/dovecot-bench.log"
      echo '```'; } >>"$OUT/results.md"
fi
echo "results: $OUT/results.md (exit $status)"
exit "$status"
