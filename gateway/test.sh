#!/usr/bin/env bash
# Proves the gateway config (gateway/nginx.conf) in front of a running app, without Docker:
# renders the template like the nginx image does, runs a local nginx on a free loopback port
# and checks what is exposed, what is not, the security headers and the rate limit.
#
#   gateway/test.sh                          # app at 127.0.0.1:8080, started here if not running
#   BACKEND=127.0.0.1:9090 gateway/test.sh   # any app (or stand-in) already listening there
#
# Installs gettext-base (envsubst) and nginx with apt-get when they are missing and we are root.
# Sends traffic to 127.0.0.1 only. Exits non-zero when a check fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BACKEND=${BACKEND:-127.0.0.1:8080}
APP_WAIT_SECONDS=${APP_WAIT_SECONDS:-240}
# A read token the app accepts (the dev run's, see README)
READ_TOKEN=${READ_TOKEN:-dev-token-for-local-runs-only}
# An admin token the app accepts (the dev run's), for the status page
ADMIN_TOKEN=${ADMIN_TOKEN:-dev-admin-token-for-local-runs-only}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dispatch-gateway-test.XXXXXX")
nginx_started=""
app_pid=""

cleanup() {
    local rc=$?
    if [[ -n "$nginx_started" && -s "$tmp/nginx.pid" ]]; then
        kill -TERM "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
    fi
    if [[ -n "$app_pid" ]]; then
        # The app runs in its own session (setsid): stop Maven and its forked JVM together.
        kill -TERM -- "-$app_pid" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$app_pid" 2>/dev/null || break
            sleep 1
        done
        kill -KILL -- "-$app_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "test.sh: $*" >&2; exit 2; }

need() { # need COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing $2 (for $1)"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    fi
    command -v "$1" >/dev/null 2>&1 || die "$1 is missing: install the package $2"
}

PATH=$PATH:/usr/sbin:/sbin
need curl curl
need envsubst gettext-base
need nginx nginx

# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh" # free_port

# --- the app -------------------------------------------------------------------------------
app_url="http://$BACKEND"
if curl -fsS -o /dev/null --max-time 5 "$app_url/actuator/health" 2>/dev/null; then
    echo "app answers at $app_url"
else
    app_host=${BACKEND%:*}
    app_port=${BACKEND##*:}
    case "$app_host" in
        127.0.0.1 | localhost) ;;
        *) die "nothing answers $app_url/actuator/health, and only a loopback app can be started here" ;;
    esac
    echo "nothing answers at $app_url: starting the app (./mvnw -q spring-boot:test-run, port $app_port)"
    (cd "$ROOT" && exec setsid ./mvnw -q spring-boot:test-run \
        "-Dspring-boot.run.arguments=--server.port=$app_port" >"$tmp/app.log" 2>&1) &
    app_pid=$!
    deadline=$((SECONDS + APP_WAIT_SECONDS))
    until curl -fsS -o /dev/null --max-time 5 "$app_url/actuator/health" 2>/dev/null; do
        if ! kill -0 "$app_pid" 2>/dev/null; then
            tail -n 40 "$tmp/app.log" >&2 || true
            die "the app stopped before it was healthy (log above)"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 40 "$tmp/app.log" >&2 || true
            die "the app was not healthy within ${APP_WAIT_SECONDS}s (log above)"
        fi
        sleep 2
    done
    echo "app is up at $app_url"
fi

# --- the gateway ---------------------------------------------------------------------------
gw_port=$(free_port)
health_port=$(free_port)
[[ "$gw_port" != "$health_port" ]] || health_port=$(free_port)
mkdir -p "$tmp/logs"
chmod 755 "$tmp" # nginx workers may run as another user and need to reach the temp dirs

# Render exactly like the image: only our DISPATCH_* variables, nginx's $variables untouched.
DISPATCH_BACKEND="$BACKEND" DISPATCH_HSTS_MAX_AGE="${DISPATCH_HSTS_MAX_AGE:-0}" \
    envsubst '${DISPATCH_BACKEND} ${DISPATCH_HSTS_MAX_AGE}' <"$ROOT/gateway/nginx.conf" >"$tmp/rendered.conf"
if grep -n '\${' "$tmp/rendered.conf"; then
    die "unsubstituted \${...} left in the rendered template (above)"
fi
grep -q '^    listen 80;$' "$tmp/rendered.conf" || die "template has no 'listen 80;' line"
grep -q '^    listen 127.0.0.1:8081;$' "$tmp/rendered.conf" || die "template has no 'listen 127.0.0.1:8081;' line"
sed -e "s|^    listen 80;\$|    listen 127.0.0.1:$gw_port;|" \
    -e "s|^    listen 127.0.0.1:8081;\$|    listen 127.0.0.1:$health_port;|" \
    -e "s|/var/log/nginx|$tmp/logs|g" \
    "$tmp/rendered.conf" >"$tmp/server.conf"

cat >"$tmp/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/logs/main-error.log warn;
events { worker_connections 256; }
http {
    default_type application/octet-stream;
    client_body_temp_path $tmp/client_body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    include $tmp/server.conf;
}
EOF

nginx_args=(-p "$tmp/" -c "$tmp/nginx.conf" -e "$tmp/logs/startup-error.log")
if ! nginx -t -q "${nginx_args[@]}"; then
    die "nginx -t failed for the rendered template"
fi
echo "nginx -t: configuration OK"
nginx "${nginx_args[@]}"
nginx_started=yes
gw="http://127.0.0.1:$gw_port"
for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$gw_port") 2>/dev/null && break
    sleep 0.1
done
echo "gateway listens at $gw (backend $BACKEND)"

# --- checks --------------------------------------------------------------------------------
passed=0
failed=0
ok() { echo "PASS  $1"; passed=$((passed + 1)); }
ko() { echo "FAIL  $1${2:+  ($2)}"; failed=$((failed + 1)); }

# fetch NAME URL [CURL-ARGS]: status in $status, body in $tmp/NAME.body, headers in $tmp/NAME.headers
fetch() {
    local name=$1 url=$2
    shift 2
    status=$(curl -s --path-as-is --max-time 15 -o "$tmp/$name.body" -D "$tmp/$name.headers" \
        -w '%{http_code}' "$@" "$url" || true)
}
gateway_404() { # the gateway's own 404, not one proxied from the app
    [[ "$status" == 404 ]] && grep -q 'Not exposed by the gateway' "$tmp/$1.body"
}
header() { # header NAME HEADER-NAME: its value, or nothing
    grep -i "^$2:" "$tmp/$1.headers" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}

# 1. health through the gateway
fetch health "$gw/actuator/health"
if [[ "$status" == 200 ]] && grep -q '"UP"' "$tmp/health.body"; then
    ok "/actuator/health through the gateway: 200 UP"
else
    ko "/actuator/health through the gateway: 200 UP" "got $status: $(head -c 200 "$tmp/health.body")"
fi

# 2. paths that are passed through answer what the app answers
for path in /actuator/health/liveness /actuator/health/readiness /api/v1/incidents /api/v1/reports/sla \
    /v3/api-docs /v3/api-docs/swagger-config /swagger-ui.html /swagger-ui/index.html /admin/login /admin/status; do
    fetch direct "$app_url$path"
    direct=$status
    fetch via "$gw$path"
    if gateway_404 via; then
        ko "$path is passed through" "the gateway's own 404"
    elif [[ "$status" == "$direct" ]]; then
        ok "$path is passed through (app and gateway both $status)"
    else
        ko "$path is passed through" "app $direct, gateway $status"
    fi
done

# 2b. the SLA statistics with a token, their query string and the app's own 400 for a bad parameter
fetch sla "$gw/api/v1/reports/sla?from=2026-11-01&to=2026-12-01&group_by=region&format=csv" \
    -H "Authorization: Bearer $READ_TOKEN"
if [[ "$status" == 200 ]] && head -c 20 "$tmp/sla.body" | grep -q 'group' \
    && [[ "$(header sla Content-Type)" == text/csv* ]]; then
    ok "/api/v1/reports/sla?...&format=csv through the gateway: 200 CSV"
else
    ko "/api/v1/reports/sla?...&format=csv through the gateway: 200 CSV" "got $status $(header sla Content-Type)"
fi
fetch sla_bad "$gw/api/v1/reports/sla?group_by=pole" -H "Authorization: Bearer $READ_TOKEN"
if [[ "$status" == 400 ]] && grep -q '"parameter":"group_by"' "$tmp/sla_bad.body"; then
    ok "/api/v1/reports/sla?group_by=pole through the gateway: the app's 400 naming group_by"
else
    ko "/api/v1/reports/sla?group_by=pole through the gateway: the app's 400" "got $status $(head -c 200 "$tmp/sla_bad.body")"
fi

# 3. metrics: open on the app, closed at the gateway
fetch direct "$app_url/actuator/prometheus"
if [[ "$status" == 200 ]]; then
    ok "/actuator/prometheus straight from the app: 200"
else
    ko "/actuator/prometheus straight from the app: 200" "got $status"
fi
fetch via "$gw/actuator/prometheus"
if gateway_404 via; then
    ok "/actuator/prometheus through the gateway: 404"
else
    ko "/actuator/prometheus through the gateway: 404" "got $status"
fi

# 3b. the app itself never takes a forwarded request for a local one
fetch forwarded "$app_url/actuator/prometheus" -H 'X-Forwarded-For: 127.0.0.1'
if [[ "$status" == 401 ]]; then
    ok "/actuator/prometheus on the app with X-Forwarded-For: 401 (a forwarded request needs the metrics token)"
else
    ko "/actuator/prometheus on the app with X-Forwarded-For: 401" "got $status"
fi

# 4. everything else is the gateway's 404
for path in /actuator /actuator/ /actuator/env /actuator/healthx /API/v1/incidents /Api/v1/incidents \
    /api /admin/ /admin /admin/statusx /admin/Status /admin/loginx /admin/other /media/attachment.pdf /static/ / \
    /swagger-ui.htmlx; do
    fetch via "$gw$path"
    if gateway_404 via; then
        ok "$path through the gateway: 404"
    else
        ko "$path through the gateway: 404" "got $status"
    fi
done

# 4b. odd spellings are the gateway's own 400 and never reach the app: %-escapes (also of plain letters, and
# double), ';' (matrix parameters), '\', empty and dot segments. Sent over a raw socket, exactly as written.
raw_status() { # raw_status PORT METHOD TARGET [HEADER]: the status and the first 200 bytes of the body
    local port=$1 method=$2 target=$3 header=${4:-}
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n' "$method" "$target" \
        "${header:+$header$'\r\n'}" >&3
    local answer
    answer=$(timeout 15 cat <&3 | tr -d '\r' || true)
    exec 3<&-
    echo "$(head -n 1 <<<"$answer" | cut -d' ' -f2) $(sed -n '/^$/,$p' <<<"$answer" | tr -d '\n' | head -c 200)"
}
odd=(
    '/%61pi/v1/incidents' '/api/v1/%69ncidents' '/api/v1/%2569ncidents' '/api/v1/%61dmin/outbox'
    '/api/v1/admin%2Foutbox' '/api/v1/admin%2foutbox' '/api%5Cv1/incidents' '/api/v1/%2e%2e/admin/outbox'
    '/api;x/v1/incidents' '/api;/v1/admin/outbox' '/api/v1/admin;x/outbox' '/api/v1/incidents;jsessionid=1'
    '/api/v1/x/../admin/outbox' '/api/v1/./incidents' '/api/v1/incidents/.' '/api//v1/incidents'
    '//api/v1/incidents' '/api/v1/admin//outbox' '/api\v1\incidents' '/api/..;/actuator/prometheus'
    '/api/v1/..;/../actuator/env' '/api/%2e%2e/actuator/prometheus' '/actuator/health;x=1'
    '/actuator/health/../prometheus' '/actuator/%68ealth' '/actuator/health/%2e%2e/prometheus'
    '/swagger-ui/%2e%2e/actuator/env' '/v3/api-docs;x'
)
for target in "${odd[@]}"; do
    for method in GET HEAD OPTIONS POST; do
        got=$(raw_status "$gw_port" "$method" "$target" "Authorization: Bearer $READ_TOKEN")
        if [[ "${got%% *}" == 400 && ($method == HEAD || "$got" == *"Path not in canonical form"*) ]]; then
            ok "$method $target through the gateway: its own 400"
        else
            ko "$method $target through the gateway: its own 400" "got ${got:0:160}"
        fi
    done
done
# ... and the same spellings straight at the app, without a token, are refused there too (never 2xx; only
# /actuator/%68ealth is fine: a %-escaped plain letter is decoded, and health is public)
for target in "${odd[@]}"; do
    [[ "$target" == /actuator/%68ealth ]] && continue
    got=$(raw_status "${BACKEND##*:}" GET "$target")
    case "${got%% *}" in
        400 | 401 | 403 | 404) ok "GET $target straight at the app: ${got%% *}" ;;
        *) ko "GET $target straight at the app: refused" "got ${got:0:160}" ;;
    esac
done

# 4c. canonical paths: the app's own answers pass through (a read token reads, but is no admin)
fetch noauth "$gw/api/v1/incidents"
[[ "$status" == 401 ]] && grep -q '"status":401' "$tmp/noauth.body" &&
    ok "/api/v1/incidents without a token through the gateway: the app's 401" ||
    ko "/api/v1/incidents without a token through the gateway: 401" "got $status"
fetch read "$gw/api/v1/incidents?limit=1" -H "Authorization: Bearer $READ_TOKEN"
[[ "$status" == 200 ]] && ok "/api/v1/incidents with a read token through the gateway: 200" ||
    ko "/api/v1/incidents with a read token through the gateway: 200" "got $status"
for path in /api/v1/admin/outbox /api/V1/ADMIN/outbox /api/v1/Admin/outbox; do
    fetch admin "$gw$path" -H "Authorization: Bearer $READ_TOKEN"
    [[ "$status" == 403 ]] && ok "$path with a read token through the gateway: 403" ||
        ko "$path with a read token through the gateway: 403" "got $status"
done

# 4d. the status page (decision 0029): an admin token opens it, a browser without a session goes to the login form
fetch status "$gw/admin/status" -H "Authorization: Bearer $ADMIN_TOKEN"
[[ "$status" == 200 ]] && grep -q 'Dispatch status' "$tmp/status.body" &&
    ok "/admin/status with an admin token through the gateway: 200, the page" ||
    ko "/admin/status with an admin token through the gateway: 200" "got $status"
fetch statusbrowser "$gw/admin/status" -H 'Accept: text/html'
[[ "$status" == 302 && "$(header statusbrowser Location)" == */admin/login ]] &&
    ok "/admin/status from a browser without a session: to the login form" ||
    ko "/admin/status from a browser without a session: 302 to /admin/login" "got $status $(header statusbrowser Location)"
fetch forged "$gw/admin/status/quarantine/1/replay" -X POST
[[ "$status" == 401 || "$status" == 403 ]] &&
    ok "a status page button without a session and CSRF token through the gateway: $status" ||
    ko "a status page button without a session and CSRF token: refused" "got $status"

# 5. security headers, on a proxied answer and on the gateway's own 404
fetch proxied "$gw/actuator/health"
fetch blocked "$gw/actuator/env"
for name in proxied blocked; do
    missing=""
    [[ "$(header "$name" X-Content-Type-Options)" == nosniff ]] || missing+=" X-Content-Type-Options"
    [[ "$(header "$name" X-Frame-Options)" == DENY ]] || missing+=" X-Frame-Options"
    [[ "$(header "$name" Referrer-Policy)" == no-referrer ]] || missing+=" Referrer-Policy"
    [[ "$(header "$name" Content-Security-Policy)" == *"default-src 'self'"* ]] || missing+=" Content-Security-Policy"
    [[ -z "$(header "$name" Server | tr -dc 0-9)" ]] || missing+=" Server-without-version"
    if [[ -z "$missing" ]]; then
        ok "security headers on the $name answer"
    else
        ko "security headers on the $name answer" "missing or wrong:$missing"
    fi
done
if [[ "${DISPATCH_HSTS_MAX_AGE:-0}" == 0 ]]; then
    if [[ -z "$(header proxied Strict-Transport-Security)" ]]; then
        ok "no HSTS header while DISPATCH_HSTS_MAX_AGE=0"
    else
        ko "no HSTS header while DISPATCH_HSTS_MAX_AGE=0"
    fi
elif [[ "$(header proxied Strict-Transport-Security)" == "max-age=${DISPATCH_HSTS_MAX_AGE}"* ]]; then
    ok "HSTS header with max-age=${DISPATCH_HSTS_MAX_AGE}"
else
    ko "HSTS header with max-age=${DISPATCH_HSTS_MAX_AGE}"
fi

# 6. the container health endpoint (loopback-only server block)
fetch gwhealth "http://127.0.0.1:$health_port/gateway-health"
if [[ "$status" == 200 ]]; then
    ok "gateway health endpoint: 200"
else
    ko "gateway health endpoint: 200" "got $status"
fi

# 7. rate limit: 40 concurrent requests from one client (last, as it drains the bucket)
seq 1 40 | xargs -P 20 -I{} curl -s -o /dev/null --max-time 15 -w '%{http_code}\n' \
    "$gw/actuator/health" >"$tmp/burst.txt" || true
n200=$(grep -c '^200$' "$tmp/burst.txt" || true)
n429=$(grep -c '^429$' "$tmp/burst.txt" || true)
if ((n429 > 0 && n200 > 0)); then
    ok "burst of 40 requests: $n200 x 200, $n429 x 429"
else
    ko "burst of 40 requests gets some 429s" "$n200 x 200, $n429 x 429, $(sort "$tmp/burst.txt" | uniq -c | tr '\n' ' ')"
fi

echo
echo "gateway: $passed passed, $failed failed"
((failed == 0))
