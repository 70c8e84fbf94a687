#!/usr/bin/env bash
# Proves the backup and restore procedure of README "Backup and restore" on this machine, without Docker:
#   1. a PostgreSQL server of its own (Debian's postgresql package: installed with apt-get when missing and root;
#      its pg_dump matches the server, as the compose backup service's does),
#   2. the service's jar migrates an empty database; incidents are added,
#   3. scripts/backup.sh once  (the very script the compose service runs) dumps it,
#   4. pg_restore into a new, empty database, the jar started on it,
#   5. the reports API of both answers the same incidents, byte for byte.
# Loopback only; everything it starts is stopped on exit. Usage: scripts/restore-test.sh [incidents, default 500]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib.sh
incidents=${1:-500}

if ! ls /usr/lib/postgresql/*/bin/pg_ctl > /dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
    else
        echo "restore-test: needs Debian's postgresql package (run as root to install it)" >&2
        exit 2
    fi
fi
pgbin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
jar=$(ls target/dispatch-*.jar 2> /dev/null | grep -v plain | head -1 || true)
if [ -z "$jar" ]; then
    ./mvnw -B -q package -DskipTests
    jar=$(ls target/dispatch-*.jar | grep -v plain | head -1)
fi

work=$(mktemp -d /tmp/dispatch-restore.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    # start_app runs in a command substitution (a subshell): its processes are known by their pid files
    for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2> /dev/null || true; done
    sleep 1
    as_postgres "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/pg" "$work/data-a" "$work/data-b" "$work/backups"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_postgres "$pgbin/initdb" -D "$work/pg" -U postgres -A trust > /dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg" start > /dev/null
export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres
"$pgbin/psql" -q -d postgres -c "create database dispatch" -c "create database restored"

token=restore-test-token-0123456789abcdef
start_app() { # database, data directory -> port on stdout
    local port
    port=$(free_port)
    env -i PATH="$PATH" HOME="$HOME" \
        SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg_port/$1" SPRING_DATASOURCE_USERNAME=postgres \
        SPRING_DATASOURCE_PASSWORD= SERVER_PORT="$port" SERVER_ADDRESS=127.0.0.1 \
        DISPATCH_INSTALLATIONID=restore-test DISPATCH_DATADIRECTORY="$2" DISPATCH_API_TOKENS_REPORTS="$token" \
        DISPATCH_MAIL_ENABLED=false DISPATCH_TRACKER_ENABLED=false DISPATCH_TOWERSTORE_ENABLED=false \
        DISPATCH_TELEGRAM_ENABLED=false LOGGING_FILE_NAME="$work/app-$1.log" \
        java -Xmx512m -jar "$jar" > "$work/app-$1.out" 2>&1 &
    echo $! > "$work/app-$1.pid"
    for _ in $(seq 1 120); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/actuator/health/liveness" 2> /dev/null; then
            echo "$port"
            return 0
        fi
        sleep 1
    done
    echo "restore-test: the app on database $1 did not start; its output:" >&2
    tail -40 "$work/app-$1.out" >&2
    return 1
}
report() { # port -> the incidents report as CSV
    curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$1/api/v1/incidents?format=csv"
}

start=$(date +%s)
a=$(start_app dispatch "$work/data-a")
"$pgbin/psql" -q -d dispatch -v n="$incidents" <<'SQL'
insert into incident (code, incident_at, finished_at, registration_method, summary, type_id)
select 'RESTORE-' || g, now() - g * interval '37 minutes',
       case when g % 3 = 0 then now() - g * interval '11 minutes' end, 'EMAIL', 'Авария ' || g,
       (select id from incident_type order by id limit 1 offset (g % 3))
from generate_series(1, :n) g;
SQL
before=$(report "$a")
rows=$(printf '%s\n' "$before" | wc -l)

BACKUP_DIR="$work/backups" PGDATABASE=dispatch PATH="$pgbin:$PATH" sh scripts/backup.sh once
dump=$(ls "$work"/backups/dispatch-*.dump)
grep -q "^ok " "$work/backups/status" || { echo "restore-test: status says $(cat "$work/backups/status")" >&2; exit 1; }
"$pgbin/pg_restore" --no-owner --exit-on-error -d restored "$dump"
"$pgbin/psql" -q -d restored -c \
    "select setval(pg_get_serial_sequence('incident', 'id'), (select coalesce(max(id), 0) + 100000 from incident))" \
    > /dev/null

b=$(start_app restored "$work/data-b")
after=$(report "$b")
if [ "$before" != "$after" ]; then
    echo "restore-test: the restored database answers differently" >&2
    diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | head -20 >&2
    echo "restore-test: 0 passed, 1 failed"
    exit 1
fi
[ "$rows" -gt "$incidents" ] || { echo "restore-test: only $rows report lines for $incidents incidents" >&2; exit 1; }
echo "restore-test: $incidents incidents, dump $(wc -c < "$dump") bytes ($("$pgbin/pg_dump" --version)),"\
     "restored and served identically by a new instance in $(($(date +%s) - start)) s"
echo "restore-test: 1 passed, 0 failed"
