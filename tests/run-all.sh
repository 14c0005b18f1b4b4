#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the adapter tests need first
# (a PostgreSQL server for throwaway clusters via initdb/pg_ctl, and headless Chromium + ChromeDriver for the
# dashboard tests), then runs the whole suite and ends with one line "N passed, N failed[, N skipped]".
# Expected time: about 10 minutes on 2 cores (the first run also restores packages and builds).
# Usage: bash tests/run-all.sh [extra dotnet test arguments, e.g. --filter ...]
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
    # Fail loudly: the PostgreSQL and browser tests would fail without these, never skip silently.
    echo "error: could not install ${need[*]} (apt-get failed); install them and run again" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Projects run one after another (-m:1) so the process-level tests (crash kills, fleet processes, browser) do
# not compete for the cores with another project's tests.
dotnet test Degradation.Core.sln -c Release -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $status (build or run failure)"; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
