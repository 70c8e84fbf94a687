#!/usr/bin/env bash
# Shell helpers shared by the scripts that start real servers (gateway/test.sh, scripts/dovecot.sh). Source it.

# free_port: a loopback port nothing listens on (loopback only; gives up after 100 tries).
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    echo "no free loopback port found" >&2
    return 2
}
