#!/usr/bin/env bash
# A real IMAP server for tests: Dovecot 2.3 from Debian's dovecot-imapd, on a loopback port, with its own
# configuration, maildir and logs under a temporary directory (nothing of the system's Dovecot is used or touched).
#
#   scripts/dovecot.sh run-hostile     # start Dovecot, run the hostile-mail suite against it, print figures, stop
#   scripts/dovecot.sh bench           # start Dovecot, run the intake benchmark against it (10,000 messages), stop
#                                      # (BENCH_BACKLOG=n, BENCH_RUNS=n, BENCH_PARSE=false: fetch path only)
#   scripts/dovecot.sh start [DIR]     # start and leave running; prints DOVECOT_DIR=... DOVECOT_PORT=...
#   scripts/dovecot.sh stop DIR        # stop the Dovecot started in DIR and remove DIR
#
# Sourced (". scripts/dovecot.sh"), it only defines dovecot_start DIR / dovecot_stop DIR, which set DOVECOT_PORT,
# DOVECOT_USER and DOVECOT_PASSWORD; a later suite reuses them. Installs dovecot-imapd with apt-get when it is
# missing and we are root. Listens on 127.0.0.1 only. Exits non-zero when the suite fails.

DOVECOT_USER=${DOVECOT_USER:-dispatch@example.test}
DOVECOT_PASSWORD=${DOVECOT_PASSWORD:-dispatch}

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dovecot_need() {
    PATH=$PATH:/usr/sbin:/sbin
    command -v dovecot >/dev/null 2>&1 && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing dovecot-imapd"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
    fi
    command -v dovecot >/dev/null 2>&1 || { echo "dovecot is missing: install the package dovecot-imapd" >&2; return 2; }
}

# dovecot_start DIR: writes DIR/dovecot.conf, starts Dovecot in the foreground in the background (its pid in
# DIR/dovecot.pid), waits until it greets on DOVECOT_PORT.
dovecot_start() {
    local dir=$1
    dovecot_need || return
    [[ $(id -u) -eq 0 ]] || { echo "Dovecot with mail_uid=dovecot needs root" >&2; return 2; }
    DOVECOT_PORT=$(free_port) || return
    mkdir -p "$dir/run" "$dir/state" "$dir/mail"
    chmod 755 "$dir" "$dir/run" "$dir/state"
    chown dovecot:dovecot "$dir/mail"
    cat >"$dir/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_uid = dovecot
mail_gid = dovecot
mail_location = maildir:$dir/mail/%u
mail_max_userip_connections = 100
imap_max_line_length = 10M
passdb {
  driver = static
  args = password=$DOVECOT_PASSWORD
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$dir/mail/%u
}
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
    dovecot -F -c "$dir/dovecot.conf" >>"$dir/dovecot.log" 2>&1 &
    echo $! >"$dir/dovecot.pid"
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$DOVECOT_PORT") 2>/dev/null; then
            export DOVECOT_PORT DOVECOT_USER DOVECOT_PASSWORD
            return 0
        fi
        kill -0 "$(cat "$dir/dovecot.pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "Dovecot did not start; its log:" >&2
    tail -n 30 "$dir/dovecot.log" >&2
    return 2
}

# dovecot_stop DIR: stops the Dovecot started in DIR (its master stops its children) and removes DIR.
dovecot_stop() {
    local dir=$1 pid
    if [[ -s "$dir/dovecot.pid" ]]; then
        pid=$(cat "$dir/dovecot.pid")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    return 0 # sourced: the functions only
fi

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

case "${1:-run-hostile}" in
    start)
        dir=${2:-$(mktemp -d "${TMPDIR:-/tmp}/dispatch-dovecot.XXXXXX")}
        dovecot_start "$dir"
        echo "DOVECOT_DIR=$dir DOVECOT_PORT=$DOVECOT_PORT DOVECOT_USER=$DOVECOT_USER DOVECOT_PASSWORD=$DOVECOT_PASSWORD"
        ;;
    stop)
        [[ -n "${2:-}" ]] || { echo "usage: $0 stop DIR" >&2; exit 2; }
        dovecot_stop "$2"
        ;;
    run-hostile)
        dir=$(mktemp -d "${TMPDIR:-/tmp}/dispatch-dovecot.XXXXXX")
        trap 'dovecot_stop "$dir"' EXIT
        trap 'exit 130' INT TERM
        dovecot_start "$dir"
        echo "Dovecot $(dovecot --version) on 127.0.0.1:$DOVECOT_PORT ($dir)"
        rm -f "$ROOT/target/hostile-dovecot.txt"
        start=$SECONDS
        (cd "$ROOT" && ./mvnw -o -B -q test -Dtest=HostileMailDovecotRun -Dsurefire.failIfNoSpecifiedTests=false \
            "-Ddovecot.port=$DOVECOT_PORT" "-Ddovecot.user=$DOVECOT_USER" "-Ddovecot.password=$DOVECOT_PASSWORD")
        [[ -s "$ROOT/target/hostile-dovecot.txt" ]] || { echo "the suite did not run (no figures)" >&2; exit 1; }
        cat "$ROOT/target/hostile-dovecot.txt"
        echo "(Maven and the test context included: $((SECONDS - start)) s)"
        ;;
    bench)
        dir=$(mktemp -d "${TMPDIR:-/tmp}/dispatch-dovecot.XXXXXX")
        trap 'dovecot_stop "$dir"' EXIT
        trap 'exit 130' INT TERM
        dovecot_start "$dir"
        echo "Dovecot $(dovecot --version) on 127.0.0.1:$DOVECOT_PORT ($dir)"
        (cd "$ROOT" && ./mvnw -o -B -q -Pbench test -Dtest=MailIntakeDovecotBench -Dsurefire.failIfNoSpecifiedTests=false \
            "-Ddovecot.port=$DOVECOT_PORT" ${BENCH_BACKLOG:+"-Dbench.backlog=$BENCH_BACKLOG"} \
            ${BENCH_RUNS:+"-Dbench.runs=$BENCH_RUNS"} ${BENCH_PARSE:+"-Dbench.parse=$BENCH_PARSE"})
        cat "$ROOT/target/bench/MailIntakeDovecotBench.txt"
        ;;
    *)
        echo "usage: $0 [run-hostile | bench | start [DIR] | stop DIR]" >&2
        exit 2
        ;;
esac
