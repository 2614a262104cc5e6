#!/bin/sh
# Picks the process this container runs; extra arguments go to it (e.g. `worker rebuild-leaderboard`).
set -eu
role="${1:-server}"
[ $# -gt 0 ] && shift
case "$role" in
    server) exec java $JAVA_OPTS -jar /app/skillquest-server.jar "$@" ;;
    worker) exec java $JAVA_OPTS -jar /app/skillquest-worker.jar "$@" ;;
    *) echo "usage: server | worker [rebuild-leaderboard]" >&2; exit 64 ;;
esac
