#!/usr/bin/env bash
# Quality gates on the built site (see tests/browser/README.md).
#
# Run from the repository root after the site was built into site/
# (cargo run -q -- build). Needs, installed by the caller: Debian's chromium
# (/usr/bin/chromium), a Java runtime (default-jre-headless), Node.js 20 with npm,
# poppler-utils (pdfinfo, pdftoppm) and cargo (to install hyperlink if missing).
#
#   bash .ci/gates.sh
#
# SCREENSHOTS_DIR  where the screenshots go (default tests/browser/out/screenshots)
# HANDOUTS_DIR     where the printed handouts go, as PDF and PNG (default tests/browser/out/handouts)
# SITE_DIR         the built site (default site)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SITE_DIR="${SITE_DIR:-site}"
SCREENSHOTS_DIR="${SCREENSHOTS_DIR:-tests/browser/out/screenshots}"
HYPERLINK_VERSION=0.3.2

t_all=$(date +%s)
stamp() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(stamp)" 'BEGIN { printf "%.1f s", b - a }'; }
say() { printf '\n=== %s\n' "$*"; }

if [[ ! -f "$SITE_DIR/index.html" ]]; then
  echo "gates.sh: $SITE_DIR/index.html not found: build the site first (cargo run -q -- build)" >&2
  exit 2
fi
for tool in node npm java pdfinfo pdftoppm; do
  command -v "$tool" >/dev/null || { echo "gates.sh: $tool not found" >&2; exit 2; }
done
[[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || { echo "gates.sh: ${CHROMIUM_PATH:-/usr/bin/chromium} not found (apt-get install chromium)" >&2; exit 2; }

say "npm ci (tests/browser)"
t=$(stamp)
(cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "npm ci: $(took "$t")"

say "hyperlink"
t=$(stamp)
export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
if ! command -v hyperlink >/dev/null; then
  cargo install hyperlink --locked --version "$HYPERLINK_VERSION"
fi
echo "$(command -v hyperlink) ($(hyperlink --version 2>/dev/null || echo '?')): $(took "$t")"

log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
rc=0

say "gates on $SITE_DIR (screenshots to $SCREENSHOTS_DIR)"
t=$(stamp)
node tests/browser/gates.mjs "$SITE_DIR" --screens-dir "$SCREENSHOTS_DIR" | tee "$log_dir/gates.log" || rc=1
echo "gates on $SITE_DIR: $(took "$t")"

say "each gate fails on the bad-site fixture"
t=$(stamp)
node tests/browser/expect-failures.mjs | tee "$log_dir/fixtures.log" || rc=1
echo "expect-failures: $(took "$t")"

say "search in headless Chromium (http and file://)"
t=$(stamp)
node tests/browser/search.mjs "$SITE_DIR" | tee "$log_dir/search.log" || rc=1
echo "search: $(took "$t")"

say "receipt helper and deadline calculator in headless Chromium"
t=$(stamp)
node tests/browser/helpers.mjs "$SITE_DIR" | tee "$log_dir/helpers.log" || rc=1
echo "helpers: $(took "$t")"

say "flowchart: every walk, with and without JavaScript, states only the reader's own answers"
t=$(stamp)
node tests/browser/flowchart-walk.mjs "$SITE_DIR" | tee "$log_dir/flowchart-walk.log" || rc=1
echo "flowchart-walk: $(took "$t")"

say "handouts print on one page (Letter and A4), without and with a base URL (QR code)"
t=$(stamp)
HANDOUTS_DIR="${HANDOUTS_DIR:-tests/browser/out/handouts}"
node tests/browser/handouts.mjs "$SITE_DIR" --out "$HANDOUTS_DIR" | tee "$log_dir/handouts.log" || rc=1
cargo run -q --release -- build --out "$log_dir/site-qr" --base-url https://user.github.io/guide
node tests/browser/handouts.mjs "$log_dir/site-qr" --out "$HANDOUTS_DIR/with-base-url" | tee "$log_dir/handouts-qr.log" || rc=1
echo "handouts: $(took "$t")"

if [[ -x target/release/casepath ]]; then
  say "live preview (casepath serve) in headless Chromium"
  t=$(stamp)
  node tests/browser/serve.mjs --binary target/release/casepath --screens-dir "$SCREENSHOTS_DIR/serve" | tee "$log_dir/serve.log" || rc=1
  echo "serve: $(took "$t")"
else
  echo "gates.sh: target/release/casepath not built; skipping the live-preview check"
fi

count() { # count NAME FIELD LOG: a number from the "NAME: N passed, N failed" line, else 0
  local n
  n=$(sed -n "s/^$1: \([0-9]*\) passed, \([0-9]*\) failed$/\\$2/p" "$3" | tail -1)
  echo "${n:-0}"
}
passed=$(( $(count gates 1 "$log_dir/gates.log") + $(count fixtures 1 "$log_dir/fixtures.log") ))
failed=$(( $(count gates 2 "$log_dir/gates.log") + $(count fixtures 2 "$log_dir/fixtures.log") ))
for log in handouts handouts-qr; do
  passed=$(( passed + $(count handouts 1 "$log_dir/$log.log") )); failed=$(( failed + $(count handouts 2 "$log_dir/$log.log") ))
done
passed=$(( passed + $(count flowchart-walk 1 "$log_dir/flowchart-walk.log") )); failed=$(( failed + $(count flowchart-walk 2 "$log_dir/flowchart-walk.log") ))
if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo
echo "screenshots: $SCREENSHOTS_DIR; handouts: $HANDOUTS_DIR"
echo "gates.sh took $(( $(date +%s) - t_all )) s"
echo "gates: $passed passed, $failed failed"
exit "$rc"
