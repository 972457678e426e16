#!/usr/bin/env bash
# The chat server beside socket.io in one run (see measure.cs); arguments go to measure.cs:
#   chat-server/benchmarks/run.sh [--rounds 2] [--members 200] [--rooms 1] [--messages 1000] [--same-rate 100] [--idle 5000] [--json PATH] [--systems signalr,stomp,socketio] [--redis-cluster] [--reverse]
set -euo pipefail
cd "$(dirname "$0")/../.."
peers=chat-server/benchmarks/peers
if [ ! -f "$peers/node_modules/.package-lock.json" ] || [ "$peers/package-lock.json" -nt "$peers/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$peers" --no-audit --no-fund
fi
dotnet build chat-server/src/Chat.Server -c Release -nologo -clp:ErrorsOnly -v:q
CHAT_BUILD_CONFIGURATION=Release exec dotnet run chat-server/benchmarks/measure.cs -- "$@"
