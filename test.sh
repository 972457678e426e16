#!/usr/bin/env bash
# Runs every test of the repository against real parts (redis-server, Chromium, nginx, Node clients), then the
# compose smoke test (deploy/compose/smoke.sh: docker compose for real, each of its checks counted as a test), and
# ends with the total on a line of its own: "N passed, N failed[, N skipped]".
# Missing system packages are installed with apt-get when running as root; otherwise it says what to install.
# CHAT_COMPOSE_SMOKE=0 skips the smoke test (it is skipped too without root or a reachable Docker engine).
set -uo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"
packages=(redis-server chromium nginx-light docker-compose)
missing=()
for cmd in redis-server chromium nginx docker-compose; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${packages[*]} (missing: ${missing[*]})"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install with: sudo apt-get install ${packages[*]}" >&2
    exit 2
  fi
fi

log="$(mktemp)"
# The browser client module's node:test files run inside a chat server test, which leaves their TAP output here.
export CHAT_NODE_TEST_REPORTS="$(mktemp -d)"
trap 'rm -rf "$log" "$CHAT_NODE_TEST_REPORTS"' EXIT

echo "Building ($configuration)"
if ! dotnet build Chat.sln -c "$configuration" -nologo -clp:ErrorsOnly 2>&1 | tee "$log"; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
if grep -q ': error ' "$log"; then
  echo "0 passed, 1 failed"
  exit 1
fi

# Test projects run one after another: their tests start real processes and share two cores.
dotnet test Chat.sln -c "$configuration" --no-build -m:1 -nologo \
  --blame-hang-timeout 10m 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! *- *Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i + 1))
      if ($i == "Failed:") f += $(i + 1)
      if ($i == "Passed:") p += $(i + 1)
      if ($i == "Skipped:") s += $(i + 1)
    }
    n++
  }
  END { print p + 0, f + 0, s + 0, n + 0 }' "$log")

# Each node:test test counts as a test of its own: "# pass 7", "# fail 0", "# skipped 0" at the end of its TAP.
read -r node_passed node_failed node_skipped < <(cat "$CHAT_NODE_TEST_REPORTS"/*.tap 2>/dev/null | awk '
  /^# pass / { p += $3 } /^# fail / { f += $3 } /^# skipped / { s += $3 }
  END { print p + 0, f + 0, s + 0 }')
echo "node:test (client/browser): $node_passed passed, $node_failed failed, $node_skipped skipped"
passed=$((passed + node_passed))
failed=$((failed + node_failed))
skipped=$((skipped + node_skipped))

# A test host that crashed prints no summary line: count it as a failure rather than hide it.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

# The compose smoke test: after the unit tests (their build is reused), with a bound of its own.
if [ "${CHAT_COMPOSE_SMOKE:-1}" = 0 ]; then
  echo "compose smoke test skipped (CHAT_COMPOSE_SMOKE=0)"
  skipped=$((skipped + 1))
elif [ "$(id -u)" != 0 ] && ! docker info >/dev/null 2>&1; then
  echo "compose smoke test skipped: needs root (to install and start dockerd) or a reachable Docker engine"
  skipped=$((skipped + 1))
else
  echo
  echo "Compose smoke test (deploy/compose/smoke.sh)"
  CONFIGURATION="$configuration" timeout 1500 deploy/compose/smoke.sh 2>&1 | tee "$log"
  read -r smoke_passed smoke_failed < <(awk '/^compose smoke: [0-9]+ passed, [0-9]+ failed/ { p = $3; f = $5 } END { print p + 0, f + 0 }' "$log")
  # Killed before its summary: count it as a failure.
  if ! grep -q '^compose smoke: ' "$log"; then smoke_failed=$((smoke_failed + 1)); fi
  passed=$((passed + smoke_passed))
  failed=$((failed + smoke_failed))
fi

summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary="$summary, $skipped skipped"; fi
echo
echo "$summary"
[ "$failed" -eq 0 ]
