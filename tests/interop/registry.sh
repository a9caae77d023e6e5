# Starts and stops the real distribution registry (Debian `docker-registry`)
# on 127.0.0.1 for tests. Source it; then:
#   registry_start NAME      # sets REGISTRY_<NAME>=127.0.0.1:PORT
#   registry_stop_all        # also run on EXIT by registry_start
# Extra YAML for the config (auth, ...) may be given in $REGISTRY_EXTRA_CONFIG;
# $REGISTRY_ADDR listens on another address than 127.0.0.1.

_registry_pids=()
_registry_dirs=()

_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

registry_start() {
  local name="$1" port dir addr="${REGISTRY_ADDR:-127.0.0.1}"
  port=$(_free_port)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tranship-registry-$name.XXXXXX")
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr:$port
${REGISTRY_EXTRA_CONFIG:-}
YAML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  _registry_pids+=($!)
  _registry_dirs+=("$dir")
  trap registry_stop_all EXIT
  local i
  for i in $(seq 1 100); do
    if curl -s -o /dev/null "http://$addr:$port/v2/"; then
      printf -v "REGISTRY_${name^^}" '%s' "$addr:$port"
      export "REGISTRY_${name^^}"
      printf -v "REGISTRY_${name^^}_LOG" '%s' "$dir/log"
      return 0
    fi
    sleep 0.1
  done
  echo "registry $name did not start; its log:" >&2
  cat "$dir/log" >&2
  return 1
}

# Stops PID with the registries (token issuers, proxies started beside them).
registry_track_pid() {
  _registry_pids+=("$1")
  trap registry_stop_all EXIT
}

registry_stop_all() {
  local pid dir
  for pid in "${_registry_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${_registry_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "${_registry_dirs[@]}"; do rm -rf "$dir"; done
  _registry_pids=()
  _registry_dirs=()
}
