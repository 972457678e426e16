#!/usr/bin/env bash
# Compose smoke test: the README's compose commands, unchanged, on the project's own docker-compose.yml, with a real
# Docker engine, then checks of what a user would see. Needs root (or a reachable Docker engine and the base images).
#
#   deploy/compose/smoke.sh          # ends with "compose smoke: N passed, N failed"
#
# - Docker: uses the running engine; otherwise installs Debian's docker.io if needed, starts dockerd, and stops it
#   again at the end (unless containers other than this test's are running on it by then).
# - Base images: official ones when they can be pulled, else local stand-ins under the same names (stand-ins/build.sh,
#   which says which and how they differ).
# - Compose: `docker compose` (v2) if there is one, else Debian's docker-compose; project name chat-smoke.
# - Checks: every container healthy; no "Overriding HTTP_PORTS"; host ports on 127.0.0.1 only; / serves the chat;
#   negotiates reach every replica; 80 SignalR clients (the load-test tool) spread over the replicas; `--scale chat=5`
#   balanced to max/mean <= 1.15 within 30 s; a `docker kill`ed replica's clients all elsewhere within 30 s; every
#   message delivered once; Prometheus has every target up; `down -v` leaves nothing behind.
# Every wait is bounded; whatever it started (containers, network, volume, dockerd) is removed or stopped on exit.
set -uo pipefail
cd "$(dirname "$0")/../.."

export COMPOSE_PROJECT_NAME=chat-smoke
configuration="${CONFIGURATION:-Release}"
gateway=http://127.0.0.1:8080
prometheus=http://127.0.0.1:9090
clients=80
rooms=4
hold_seconds=100
work="$(mktemp -d /tmp/chat-compose-smoke.XXXXXX)"
started_dockerd=""
passed=0
failed=0
t0=$SECONDS

say() { echo "[smoke $((SECONDS - t0))s] $*"; }
pass() { passed=$((passed + 1)); echo "ok     - $*"; }
fail() { failed=$((failed + 1)); echo "FAILED - $*"; }

# Runs the compose command of this machine with the arguments given (the README's, unchanged), bounded in time.
compose() { timeout "${COMPOSE_TIMEOUT:-180}" "${compose_cmd[@]}" "$@"; }

project_containers() { docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME"; }

# Polls a command until it succeeds, at most $1 seconds.
wait_for() {
  local limit="$1" start=$SECONDS
  shift
  until "$@"; do
    if [ $((SECONDS - start)) -ge "$limit" ]; then return 1; fi
    sleep 2
  done
}

finish() {
  local status=$?
  if [ -n "${compose_cmd[*]:-}" ] && [ -n "$(project_containers 2>/dev/null)" ]; then
    if [ "$failed" -gt 0 ]; then
      say "logs of the failed run (last lines of each service):"
      compose logs --no-color --tail=25 2>&1 | sed 's/^/    /'
    fi
    say "removing what is left: compose down -v"
    timeout 180 "${compose_cmd[@]}" down -v --remove-orphans >/dev/null 2>&1
  fi
  if [ -n "$started_dockerd" ]; then
    if [ -n "$(docker ps -q 2>/dev/null)" ]; then
      say "dockerd was started here but now runs other containers too: left running (pid $started_dockerd)"
    else
      say "stopping the dockerd started here"
      kill "$started_dockerd" 2>/dev/null
      for _ in $(seq 1 30); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 1; done
      kill -0 "$started_dockerd" 2>/dev/null && kill -9 "$started_dockerd" 2>/dev/null
    fi
  fi
  rm -rf "$work"
  echo "compose smoke: $passed passed, $failed failed ($((SECONDS - t0)) s)"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

# Setup failures end the run: what follows needs them.
abort() {
  fail "$*"
  exit 1
}

install_packages() {
  [ "$(id -u)" = 0 ] || return 1
  say "installing $*"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; return 1; }
}

ensure_docker() {
  if docker info >/dev/null 2>&1; then
    say "using the running Docker engine"
    return 0
  fi
  command -v dockerd >/dev/null || install_packages docker.io || return 1
  # Where the package's own start script ran (an init system), its dockerd is one this run started too.
  if docker info >/dev/null 2>&1; then
    started_dockerd="$(pgrep -x dockerd | head -n 1)"
    say "dockerd started by the docker.io package (pid $started_dockerd)"
    return 0
  fi
  say "starting dockerd"
  dockerd >"$work/dockerd.log" 2>&1 &
  started_dockerd=$!
  wait_for 60 docker info >/dev/null 2>&1 || { tail -n 20 "$work/dockerd.log"; return 1; }
  say "dockerd $(docker version -f '{{.Server.Version}}') is up (pid $started_dockerd)"
}

choose_compose() {
  if docker compose version >/dev/null 2>&1; then
    compose_cmd=(docker compose)
  else
    command -v docker-compose >/dev/null || install_packages docker-compose || return 1
    compose_cmd=(docker-compose)
  fi
  say "compose: ${compose_cmd[*]} ($("${compose_cmd[@]}" version --short 2>/dev/null || echo unknown version))"
}

all_healthy() {
  local ids states
  ids="$(project_containers)"
  [ -n "$ids" ] || return 1
  # shellcheck disable=SC2086
  states="$(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' $ids)"
  echo "$states" >"$work/states"
  ! echo "$states" | grep -Ev ' running (healthy|none)$' >/dev/null
}

# Container host names are the chat replicas' ids (Chat:ReplicaId defaults to the host name).
chat_replicas() {
  # shellcheck disable=SC2046
  docker inspect -f '{{.Config.Hostname}}' $(compose ps -q chat) | sort
}

negotiated_replicas() {
  for _ in $(seq 1 30); do
    curl -s -o /dev/null -D - -X POST "$gateway/hub/chat/negotiate?negotiateVersion=1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-chat-replica" { print $2 }'
  done | sort -u
}

prometheus_targets_up() {
  local expected="$1"
  curl -fsS "$prometheus/api/v1/targets?state=active" >"$work/targets.json" 2>/dev/null || return 1
  python3 - "$work/targets.json" "$expected" <<'EOF'
import json, sys
targets = json.load(open(sys.argv[1]))["data"]["activeTargets"]
chat = [t for t in targets if t["labels"]["job"] == "chat"]
gateway = [t for t in targets if t["labels"]["job"] == "gateway"]
ok = all(t["health"] == "up" for t in targets) and len(chat) == int(sys.argv[2]) and len(gateway) == 1
print(", ".join(f'{t["labels"]["job"]} {t["labels"]["instance"]} {t["health"]}' for t in targets))
sys.exit(0 if ok else 1)
EOF
}

# --- setup -------------------------------------------------------------------------------------------------------
ensure_docker || abort "a Docker engine (running, or Debian's docker.io started here)"
choose_compose || abort "docker compose or docker-compose"
pass "Docker engine $(docker version -f '{{.Server.Version}}' 2>/dev/null) and ${compose_cmd[*]}"

stand_ins="$(deploy/compose/stand-ins/build.sh 2>"$work/stand-ins.log")" \
  || { cat "$work/stand-ins.log"; abort "base images (official or stand-ins)"; }
sed 's/^/    /' "$work/stand-ins.log"
if [ "$stand_ins" = "stand-ins: none" ]; then
  pass "base images: the official ones"
else
  pass "base images: ${stand_ins#stand-ins: } are LOCAL STAND-INS (official images not pullable; differences above)"
fi

dotnet build loadtest/src/Chat.LoadTest -c "$configuration" -nologo -clp:ErrorsOnly >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; abort "the load-test tool builds"; }
loadtest=(dotnet "loadtest/src/Chat.LoadTest/bin/$configuration/net10.0/Chat.LoadTest.dll")

# A run that was interrupted before its clean-up left the same project behind.
[ -z "$(project_containers)" ] || timeout 180 "${compose_cmd[@]}" down -v --remove-orphans >/dev/null 2>&1

# --- the README's commands -----------------------------------------------------------------------------------------
say "docker compose up --build -d"
up_start=$SECONDS
if COMPOSE_TIMEOUT=900 compose up --build -d >"$work/up.log" 2>&1; then
  pass "compose up --build -d ($((SECONDS - up_start)) s, images built and started)"
else
  tail -n 40 "$work/up.log"
  abort "compose up --build -d"
fi

if wait_for 120 all_healthy; then
  pass "every container healthy or running within $((SECONDS - up_start)) s: $(awk '{ printf "%s%s %s", sep, substr($1, 2), $3; sep = ", " }' "$work/states")"
else
  fail "every container healthy within 120 s: $(tr '\n' ';' <"$work/states")"
fi
compose ps

overrides="$(compose logs --no-color chat gateway 2>&1 | grep -c 'Overriding HTTP_PORTS')"
if [ "$overrides" = 0 ]; then
  pass "no 'Overriding HTTP_PORTS' warning in the chat and gateway logs"
else
  fail "'Overriding HTTP_PORTS' logged $overrides times (ASPNETCORE_URLS set on top of ASPNETCORE_HTTP_PORTS)"
fi

bindings="$(docker ps --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" --format '{{.Ports}}' | tr ',' '\n' | grep -- '->' | sed 's/^ *//' | sort -u)"
if [ -n "$bindings" ] && ! echo "$bindings" | grep -v '^127\.0\.0\.1:' >/dev/null; then
  pass "host ports bound to 127.0.0.1 only: $(echo "$bindings" | tr '\n' ' ')"
else
  fail "host ports bound to 127.0.0.1 only: ${bindings:-none}"
fi

page="$(curl -fsS -D "$work/page.headers" "$gateway/" 2>&1)"
if echo "$page" | grep -q '<title>Chat</title>' && grep -qi '^x-chat-replica:' "$work/page.headers"; then
  pass "/ serves the chat through the gateway ($(grep -i '^x-chat-replica:' "$work/page.headers" | tr -d '\r'))"
else
  fail "/ serves the chat through the gateway: $(head -c 300 <<<"$page")"
fi

replicas="$(chat_replicas)"
negotiated="$(negotiated_replicas)"
if [ "$(echo "$replicas" | wc -l)" -ge 2 ] && [ "$negotiated" = "$replicas" ]; then
  pass "30 negotiates through the gateway reached every replica: $(echo "$negotiated" | tr '\n' ' ')"
else
  fail "negotiates reach every replica: replicas $(echo "$replicas" | tr '\n' ' '), negotiated $(echo "$negotiated" | tr '\n' ' ')"
fi

# --- clients while scaling out and killing a replica ---------------------------------------------------------------
# The tool runs the two commands a third and two thirds into the hold phase; the checks read its summary.json.
say "$clients SignalR clients in $rooms rooms for ${hold_seconds}s; then: compose up -d --scale chat=5, then docker kill of one replica"
timeout $((hold_seconds + 240)) "${loadtest[@]}" fanout --target "$gateway/" --rooms "$rooms" --members $((clients / rooms)) \
  --stomp-ratio 0 --publish-rate 1 --duration "${hold_seconds}s" --plain --out "$work/loadtest" \
  --exec "${compose_cmd[*]} up -d --scale chat=5" \
  --exec "docker kill \$(${compose_cmd[*]} ps -q chat | head -n1)" >"$work/loadtest.log" 2>&1
echo "    load test exited with $? ($(tail -n 1 "$work/loadtest.log" 2>/dev/null))"
grep -E 'exec:|holding\]' "$work/loadtest.log" | sed 's/^/    /' | awk 'NR % 2 == 1 || /exec:/'
if [ -f "$work/loadtest/summary.json" ]; then
  python3 deploy/compose/check-summary.py "$work/loadtest/summary.json" "$clients" >"$work/checks.txt" 2>&1
  while IFS= read -r line; do
    case "$line" in
      "ok "*) pass "${line#ok }" ;;
      "FAILED "*) fail "${line#FAILED }" ;;
      *) echo "    $line" ;;
    esac
  done <"$work/checks.txt"
else
  tail -n 30 "$work/loadtest.log"
  fail "the load test wrote no summary.json"
fi

running_chat="$(compose ps -q chat | xargs -r docker inspect -f '{{.State.Running}}' | grep -c true)"
if wait_for 60 prometheus_targets_up "$running_chat" >"$work/prometheus.txt"; then
  pass "Prometheus has every target up ($running_chat chat replicas and the gateway): $(tail -n 1 "$work/prometheus.txt")"
else
  fail "Prometheus has every target up within 60 s ($running_chat chat replicas expected): $(tail -n 1 "$work/prometheus.txt")"
fi

# --- down -v -------------------------------------------------------------------------------------------------------
say "docker compose down -v"
compose down -v >"$work/down.log" 2>&1
left="$(project_containers) $(docker network ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME") $(docker volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")"
if [ -z "${left// /}" ]; then
  pass "compose down -v removed every container, network and volume of the project"
else
  cat "$work/down.log"
  fail "compose down -v left: $left"
fi

[ "$failed" -eq 0 ]
