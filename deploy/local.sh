#!/usr/bin/env bash
# The whole deployment on one machine: nginx on --port in front of --replicas Streamlit replicas
# on the loopback ports after it. Ctrl-C, or SIGTERM to this script or its process group, stops
# every process it started. See docs/deploy.md.
#
#   deploy/local.sh [--replicas N] [--port P] [--address A]
#
# PYTHON chooses the interpreter (default python3). Needs nginx, Debian's libnginx-mod-http-brotli-filter and envsubst (gettext-base).
set -euo pipefail

replicas=2
port=8080
address=127.0.0.1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --replicas) replicas="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --address) address="$2"; shift 2 ;;
    -h | --help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "local.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ $replicas =~ ^[1-9][0-9]*$ && $port =~ ^[1-9][0-9]*$ ]]; then
  echo "local.sh: --replicas and --port take whole numbers" >&2
  exit 2
fi
for tool in nginx envsubst; do
  command -v "$tool" >/dev/null || { echo "local.sh: $tool not found (apt-get install nginx gettext-base)" >&2; exit 1; }
done
if [[ ! -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ]]; then
  echo "local.sh: nginx's brotli module not found (apt-get install libnginx-mod-http-brotli-filter)" >&2
  exit 1
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$(mktemp -d "${TMPDIR:-/tmp}/dashboard-deploy.XXXXXX")"
chmod 755 "$prefix"  # nginx workers (nobody when started as root) buffer large answers in tmp/
mkdir -p "$prefix/tmp"
pids=()

stop() {
  trap - INT TERM EXIT
  if [[ ${#pids[@]} -gt 0 ]]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "${pids[@]}" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  rm -rf "$prefix"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# Every replica signs cookies with the same secret, so a reader moved to another replica keeps them.
export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')}"
servers=""
for i in $(seq 1 "$replicas"); do
  replica_port=$((port + i))
  # Websocket compression: chart data crosses a phone's link about five times smaller.
  (cd "$repo" && exec "${PYTHON:-python3}" -m streamlit run dashboard.py --server.address 127.0.0.1 \
    --server.port "$replica_port" --server.headless true --server.enableWebsocketCompression true) \
    >"$prefix/replica-$i.log" 2>&1 &
  pids+=($!)
  servers+="server 127.0.0.1:$replica_port max_fails=1 fail_timeout=10s; "
done

for i in $(seq 1 "$replicas"); do
  until curl -fsS -o /dev/null "http://127.0.0.1:$((port + i))/_stcore/health" 2>/dev/null; do
    if ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; then
      echo "local.sh: replica $i did not start:" >&2
      cat "$prefix/replica-$i.log" >&2
      exit 1
    fi
    sleep 0.3
  done
done

# The installed Streamlit's Plotly chunk (its name carries a content hash), for the Link preload.
plotly_chunk="$(cd "$repo" && "${PYTHON:-python3}" -c 'import pathlib, streamlit
print(next(pathlib.Path(streamlit.__file__).parent.glob("static/static/js/PlotlyChart.*.js")).name)')"
LISTEN_PORT="$address:$port" UPSTREAM_SERVERS="$servers" \
  FIRST_CHART_PRELOAD="</static/js/$plotly_chunk>; rel=modulepreload" \
  envsubst '${LISTEN_PORT} ${UPSTREAM_SERVERS} ${FIRST_CHART_PRELOAD}' <"$repo/deploy/nginx.conf" >"$prefix/nginx.conf"
nginx -p "$prefix" -c "$prefix/nginx.conf" -e stderr &
pids+=($!)
until curl -fsS -o /dev/null "http://127.0.0.1:$port/_stcore/health" 2>/dev/null; do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "local.sh: nginx did not start" >&2; exit 1; }
  sleep 0.2
done
echo "local.sh: http://$address:$port/ serves $replicas replicas on ports $((port + 1))-$((port + replicas)); Ctrl-C stops"

# nginx only notices a dead replica when a request to it fails; say so here as soon as it happens.
healthy=()
for i in $(seq 1 "$replicas"); do healthy+=(yes); done
while kill -0 "${pids[-1]}" 2>/dev/null; do
  for i in $(seq 1 "$replicas"); do
    now=no
    curl -fsS -o /dev/null -m 3 "http://127.0.0.1:$((port + i))/_stcore/health" 2>/dev/null && now=yes
    if [[ $now != "${healthy[$((i - 1))]}" ]]; then
      [[ $now == yes ]] && state="answers again" || state="does not answer"
      echo "local.sh: replica $i (port $((port + i))) $state on /_stcore/health" >&2
      healthy[i - 1]=$now
    fi
  done
  sleep 2 &
  wait $! || true
done
echo "local.sh: nginx stopped" >&2
exit 1
