#!/usr/bin/env bash
# The status page in headless Chromium (README "Status page"): starts the app on its embedded stand-ins (the test
# StatusPageBrowserRun, not part of ./mvnw verify), puts data in every section, logs in through the form, checks
# the sections in the browser's DOM and the phone layout, writes docs/status-page.png (phone) and
# docs/status-page-desktop.png, and presses a quarantined mail's "Replay" button in the browser.
#
#   scripts/status-page-test.sh
#
# Installs Debian's chromium with apt-get when it is missing and we are root. Traffic to 127.0.0.1 only. The test
# stops Chromium and the app it started; the whole run is bounded by STATUS_PAGE_TIMEOUT seconds (default 900).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TIMEOUT=${STATUS_PAGE_TIMEOUT:-900}

die() { echo "status-page-test.sh: $*" >&2; exit 2; }

chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium" ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing chromium"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
        chromium=$(command -v chromium || true)
    fi
    [[ -n "$chromium" ]] || die "chromium is missing: install the package chromium"
fi
echo "using $("$chromium" --version 2>/dev/null || echo "$chromium")"

cd "$ROOT"
timeout --kill-after=30 "$TIMEOUT" ./mvnw -o -B -q test -Dtest=StatusPageBrowserRun \
    -Dsurefire.failIfNoSpecifiedTests=false "-Dchromium=$chromium" "-Dstatus.screenshots=$ROOT/docs"
for png in docs/status-page.png docs/status-page-desktop.png; do
    [[ -s "$png" ]] || die "$png was not written"
done
echo "status page: checks passed; screenshots in docs/status-page.png and docs/status-page-desktop.png"
