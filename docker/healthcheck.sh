#!/bin/bash
# No curl in the JRE image: bash's /dev/tcp is enough for one local HTTP GET.
# PID 1 is the java process the entrypoint exec'd: the server answers /health (PostgreSQL and
# Redis up), the worker answers on its metrics port.
set -eu
if tr '\0' ' ' </proc/1/cmdline | grep -q skillquest-worker.jar; then
    port="${SKILLQUEST_WORKER_METRICS_PORT:-9091}" path=/metrics
else
    port="${SKILLQUEST_PORT:-8080}" path=/health
fi
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
head -n 1 <&3 | grep -q ' 200 '
