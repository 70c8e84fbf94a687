#!/usr/bin/env bash
# The fake Tracker, TowerStore and Telegram as one process of their own (see README, "Stand-ins as processes").
# Usage: proof/standins.sh [--state=DIR] [--tracker-port=8081] [--towerstore-port=8082] [--telegram-port=8083]
#                          [--inspect-port=8084] [--towerstore-reports=data/samples/towerstore]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/standins.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/standins.classpath)" dispatch.standin.StandInProcess "$@"
