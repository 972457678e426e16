#!/usr/bin/env bash
# What classic pub/sub (PUBLISH, which SignalR's Redis backplane uses) costs on a Redis Cluster against sharded
# pub/sub (SPUBLISH, which the room broker uses): a 6-node cluster (3 primaries, 1 replica each) on loopback, the
# same number of messages published either way, then the cluster-bus messages and CPU seconds on every node.
#   chat-server/benchmarks/cluster-pubsub.sh [messages=200000]
# Needs redis-server, redis-cli and redis-benchmark (Debian's redis-server and redis-tools). Stops what it starts.
set -euo pipefail
messages="${1:-200000}"
dir="$(mktemp -d)"
ports=()
cleanup() {
  for port in "${ports[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for i in 1 2 3 4 5 6; do
  port="$(free_port)"
  ports+=("$port")
  # The bus port is given too: the default (port + 10000) fails for ports above 55535.
  mkdir -p "$dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-port "$(free_port)" --cluster-config-file "$dir/$port/nodes.conf" \
    --dir "$dir/$port" --save '' --appendonly no --daemonize yes --logfile "$dir/$port/log" >/dev/null
done
for port in "${ports[@]}"; do
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 1 --cluster-yes >/dev/null
until redis-cli -p "${ports[0]}" cluster info | grep -q 'cluster_state:ok'; do sleep 0.2; done
sleep 2

channel='chat:room:{bench}'
slot="$(redis-cli -p "${ports[0]}" cluster keyslot "$channel" | tr -d '\r')"
owner="$(redis-cli -c -p "${ports[0]}" --no-raw cluster nodes | awk -v s="$slot" '
  $3 ~ /master/ { for (i = 9; i <= NF; i++) { split($i, r, "-"); if (r[2] == "") r[2] = r[1]; if (s >= r[1] && s <= r[2]) { split($2, a, "[:@]"); print a[2] } } }')"

stat() { # port -> "bus-publish-messages-received cpu-seconds"
  redis-cli -p "$1" cluster info | tr -d '\r' | awk -F: '/cluster_stats_messages_(publish|publishshard)_received/ { n += $2 } END { printf "%d ", n }'
  redis-cli -p "$1" info cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ { c += $2 } END { printf "%.3f\n", c }'
}
measure() { # command
  declare -A before
  for port in "${ports[@]}"; do before[$port]="$(stat "$port")"; done
  redis-benchmark -p "$owner" -n "$messages" -c 10 -P 16 -q "$1" "$channel" "0123456789012345678901234567890123456789012345678901234567890123" >/dev/null
  sleep 1
  local bus=0 cpu=0 nodes=0
  for port in "${ports[@]}"; do
    read -r b0 c0 <<<"${before[$port]}"
    read -r b1 c1 <<<"$(stat "$port")"
    bus=$((bus + b1 - b0))
    cpu="$(python3 -c "print($cpu + $c1 - $c0)")"
    if [ $((b1 - b0)) -gt 0 ]; then nodes=$((nodes + 1)); fi
  done
  printf '%-9s %9d messages  %9d cluster-bus deliveries (%d other nodes)  %.2f µs Redis CPU per message (all nodes)\n' \
    "$1" "$messages" "$bus" "$nodes" "$(python3 -c "print($cpu / $messages * 1e6)")"
}
echo "Redis Cluster, 3 primaries + 3 replicas on loopback; channel slot $slot owned by :$owner; $(redis-server --version | cut -d' ' -f3)"
measure PUBLISH
measure SPUBLISH
measure PUBLISH
measure SPUBLISH
