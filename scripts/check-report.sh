#!/usr/bin/env bash
# Renders an HTML report and loads it in headless Chromium: fails when the page does not load,
# logs a console error, or lacks a section. With --screenshot PATH, also saves a screenshot.
#
#   bash scripts/check-report.sh [--screenshot docs/report.png] [SENDERSCORE] [SCENARIO]
set -euo pipefail
cd "$(dirname "$0")/.."
screenshot=""
if [ "${1:-}" = "--screenshot" ]; then screenshot=$2; shift 2; fi
bin=${1:-.build/debug/senderscore}
scenario=${2:-Scenarios/combined-plan.yaml}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "check-report: no Chromium; install it with: apt-get install chromium" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" run "$scenario" --trials 2000 --format html -o "$work/report.html" --quiet
flags=(--headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/profile"
       --enable-logging=stderr --v=0)

"$browser" "${flags[@]}" --dump-dom "file://$work/report.html" > "$work/dom.html" 2> "$work/log.txt" || {
  cat "$work/log.txt" >&2; echo "check-report: Chromium could not load the report" >&2; exit 1; }
if grep -E "CONSOLE|Uncaught|Failed to load resource|net::ERR" "$work/log.txt" >&2; then
  echo "check-report: the page logged errors" >&2; exit 1
fi
sections="bands rates tables assumptions"
grep -q '^strategies:' "$scenario" && sections="$sections strategies"
for section in $sections; do
  grep -q "id=\"$section\"" "$work/dom.html" || { echo "check-report: section '$section' missing" >&2; exit 1; }
done
charts=$(grep -o '<figure class="chart' "$work/dom.html" | wc -l)
[ "$charts" -gt 0 ] || { echo "check-report: no charts rendered" >&2; exit 1; }
echo "check-report: $scenario renders in $(basename "$browser"): $charts charts, no console errors"

if [ -n "$screenshot" ]; then
  "$browser" "${flags[@]}" --window-size=1280,2600 --screenshot="$work/shot.png" "file://$work/report.html" 2> /dev/null
  cp "$work/shot.png" "$screenshot"
  echo "check-report: screenshot saved to $screenshot"
fi
