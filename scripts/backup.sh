#!/bin/sh
# The database backup of docker-compose.production.yml (service "backup", PostgreSQL's own image, so pg_dump matches
# the server). Every BACKUP_INTERVAL_HOURS: pg_dump in custom format into BACKUP_DIR, then dumps older than
# BACKUP_KEEP_DAYS are removed. BACKUP_DIR/status says how the last run went ("ok <epoch> <file>" or
# "failed <epoch> <reason>"); the app's health "backup" reads it and alerts when it failed or is too old.
# Connection: the usual PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
#   backup.sh once   one dump now (also what the restore test runs)
#   backup.sh loop   the service: once, then every interval
set -u
dir=${BACKUP_DIR:-/backups}
interval_hours=${BACKUP_INTERVAL_HOURS:-6}
keep_days=${BACKUP_KEEP_DAYS:-7}

status() {
    printf '%s %s %s\n' "$1" "$(date -u +%s)" "$2" > "$dir/.status.tmp" && mv "$dir/.status.tmp" "$dir/status"
}

once() {
    mkdir -p "$dir" || return 1
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    file="dispatch-$stamp.dump"
    if err=$(pg_dump --format=custom --file="$dir/.$file.partial" 2>&1) \
        && mv "$dir/.$file.partial" "$dir/$file"; then
        find "$dir" -maxdepth 1 -name 'dispatch-*.dump' -mmin "+$((keep_days * 1440))" -exec rm -f {} +
        status ok "$file"
        echo "backup: $dir/$file ($(wc -c < "$dir/$file") bytes)"
    else
        rm -f "$dir/.$file.partial"
        reason=$(printf '%s' "$err" | tr '\n' ' ' | cut -c1-300)
        status failed "pg_dump: ${reason:-failed}"
        echo "backup failed: $reason" >&2
        return 1
    fi
}

case "${1:-loop}" in
    once) once ;;
    loop)
        while :; do
            once || true
            sleep "$((interval_hours * 3600))"
        done
        ;;
    *) echo "usage: $0 once|loop" >&2; exit 2 ;;
esac
