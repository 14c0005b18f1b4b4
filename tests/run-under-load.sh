#!/usr/bin/env bash
# Runs the whole suite (tests/run-all.sh) N times in a row while stress-ng keeps both cores busy, and logs each run:
# commit, start, minutes, load average (mean / peak of the 1-minute figure, sampled every 20 s) and the result line.
# A run that fails keeps its full log. This is how "the suite does not flake under load" is checked.
# Usage: N=10 bash tests/run-under-load.sh [log directory, default /tmp/under-load]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${N:-10}
out=${1:-/tmp/under-load}
mkdir -p "$out"
command -v stress-ng >/dev/null || { echo "stress-ng is not installed (apt-get install stress-ng)" >&2; exit 2; }
stress-ng --cpu 2 --timeout 0 >/dev/null 2>&1 &
stress=$!
trap 'kill $stress 2>/dev/null' EXIT
table="$out/runs.md"
echo "| run | commit | start (UTC) | minutes | load avg (mean / max) | result |" > "$table"
echo "|---|---|---|---|---|---|" >> "$table"
passed_in_a_row=0
for i in $(seq 1 "$runs"); do
  start=$(date -u +%H:%M); t0=$(date +%s)
  : > "$out/load$i.txt"
  ( while true; do cut -d' ' -f1 /proc/loadavg >> "$out/load$i.txt"; sleep 20; done ) & sampler=$!
  bash tests/run-all.sh > "$out/run$i.log" 2>&1
  status=$?
  kill $sampler 2>/dev/null
  load=$(awk '{s+=$1; if($1>m)m=$1} END {if (NR) printf "%.1f / %.1f", s/NR, m}' "$out/load$i.txt")
  echo "| $i | $(git rev-parse --short HEAD) | $start | $(( ($(date +%s) - t0) / 60 )) | $load | $(tail -1 "$out/run$i.log") |" >> "$table"
  if [ $status -eq 0 ]; then passed_in_a_row=$((passed_in_a_row + 1)); else passed_in_a_row=0; fi
done
cat "$table"
echo "$passed_in_a_row of $runs runs passed in a row at the end"
[ "$passed_in_a_row" -eq "$runs" ]
