#!/bin/sh
# The official image builds redis-server with protected mode off; Debian's keeps it on, so say it on the command line.
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi
exec "$@"
