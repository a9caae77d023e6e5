#!/usr/bin/env bash
# Pull and push against real registries: a ~1 GiB, 8-layer image pulled
# from a local distribution registry into an OCI layout, then pushed from
# that layout to an empty registry, by tranship (bench/tool), skopeo, and
# crane when `go install` can fetch it; same data, same run.
#
#   bench/registry.sh        # data once, build, registries, measure, table
#
# The layers are random bytes (MB in all, default 1024; gzip -1), made once under
# $TRANSHIP_BENCH_DIR/registry. Every tool pulls from the same source
# registry and pushes into a new, empty registry every round; the table
# shows the fastest of $RUNS rounds and the largest peak RSS. The machine's
# limit is curl fetching the same 8 blobs at once into files.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh" # CARGO_TARGET_DIR, apt_install
. "$ROOT/bench/lib.sh"
. "$ROOT/tests/interop/registry.sh"
BIN=$TARGET/release/tranship-bench
MB=${MB:-1024}

apt_install skopeo docker-registry curl python3 time
bench_tools skopeo docker-registry curl
(cd "$ROOT" && cargo build -q --release -p tranship-bench)
if ! command -v crane >/dev/null && [ -x "$HOME/go/bin/crane" ]; then
    PATH=$PATH:$HOME/go/bin
fi
if ! command -v crane >/dev/null && command -v go >/dev/null; then
    echo "installing crane with go install (left out if it cannot be fetched)" >&2
    go install github.com/google/go-containerregistry/cmd/crane@latest >/dev/null 2>&1 &&
        PATH=$PATH:$(go env GOPATH)/bin ||
        echo "crane could not be installed; the table leaves it out" >&2
fi

# 1. The image, as an OCI layout around 8 random layers, made once.
src=$DATA/registry/layout-$MB
if [ ! -s "$src/index.json" ]; then
    echo "generating an 8-layer image of $MB MiB in $src ..." >&2
    rm -rf "$src" && mkdir -p "$src/blobs/sha256"
    layers=()
    for i in 0 1 2 3 4 5 6 7; do
        # gzip, as registries hold layers: skopeo would compress a plain tar
        # layer on its way to a registry, and change the digests.
        head -c $((MB * 1024 * 1024 / 8)) /dev/urandom >"$src/layer"
        diff_id=sha256:$(sha256sum "$src/layer" | cut -d' ' -f1)
        pigz -1 -c "$src/layer" >"$src/layer.gz" && rm "$src/layer"
        hex=$(sha256sum "$src/layer.gz" | cut -d' ' -f1)
        layers+=("sha256:$hex $(stat -c %s "$src/layer.gz") $diff_id")
        mv "$src/layer.gz" "$src/blobs/sha256/$hex"
    done
    python3 - "$src" "${layers[@]}" <<'PY'
import hashlib, json, os, sys
layout, layers = sys.argv[1], [l.split() for l in sys.argv[2:]]
def put(obj):
    data = json.dumps(obj, separators=(",", ":")).encode()
    hex_ = hashlib.sha256(data).hexdigest()
    open(os.path.join(layout, "blobs", "sha256", hex_), "wb").write(data)
    return {"digest": "sha256:" + hex_, "size": len(data)}
config = {"architecture": "amd64", "os": "linux",
          "rootfs": {"type": "layers", "diff_ids": [i for _, _, i in layers]}}
manifest = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **put(config)),
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d,
                "size": int(s)} for d, s, _ in layers],
}
json.dump({"schemaVersion": 2, "manifests": [dict(
    mediaType="application/vnd.oci.image.manifest.v1+json",
    annotations={"org.opencontainers.image.ref.name": "v1"}, **put(manifest))]},
    open(os.path.join(layout, "index.json"), "w"))
PY
    echo '{"imageLayoutVersion":"1.0.0"}' >"$src/oci-layout"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tranship-bench-registry.XXXXXX")
cleanup() {
    registry_stop_all
    rm -rf "$work"
}
trap cleanup EXIT

# 2. The source registry holds it (pushed by tranship, checked by skopeo).
registry_start source
trap cleanup EXIT
S=$REGISTRY_SOURCE
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$src/index.json")
pushed=$("$BIN" push "$src" "$S/bench/image:v1")
[ "$pushed" = "$want" ] || { echo "pushed $pushed, the layout holds $want" >&2; exit 1; }
seen=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$S/bench/image:v1")
[ "$seen" = "$want" ] || { echo "skopeo sees $seen, we pushed $want" >&2; exit 1; }
blobs=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(" ".join([m["config"]["digest"]] + [l["digest"] for l in m["layers"]]))' \
    "$src/blobs/sha256/${want#sha256:}")
export S
fetch() { # DIR: curl, every blob at once
    mkdir -p "$1"
    printf '%s\n' $blobs | xargs -P 9 -I{} curl -fsS "http://$S/v2/bench/image/blobs/{}" -o "$1/{}"
}
export -f fetch
export blobs

# 3. Measure, in rounds; every push goes to a new, empty registry.
wait_idle
IDLE_BEFORE=$IDLE
tools=(tranship skopeo)
command -v crane >/dev/null && tools+=(crane)
for ((round = 0; round < RUNS; round++)); do
    rm -rf "$work/curl" && measure curl bash -c 'fetch "$1"' _ "$work/curl"
    rm -rf "$work/curl"
    for tool in "${tools[@]}"; do
        layout=$work/$tool
        rm -rf "$layout"
        registry_start "${tool}_$round"
        trap cleanup EXIT
        var=REGISTRY_${tool^^}_$round
        to=${!var}/bench/image:v1
        case $tool in
        tranship)
            measure tranship_pull "$BIN" pull "$S/bench/image:v1" "$layout"
            measure tranship_push "$BIN" push "$layout" "$to"
            ;;
        skopeo)
            measure skopeo_pull skopeo copy -q --src-tls-verify=false "docker://$S/bench/image:v1" "oci:$layout:v1"
            measure skopeo_push skopeo copy -q --dest-tls-verify=false "oci:$layout:v1" "docker://$to"
            ;;
        crane)
            measure crane_pull crane pull --insecure --format=oci "$S/bench/image:v1" "$layout"
            measure crane_push crane push --insecure "$layout" "$to"
            ;;
        esac
        got=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$to")
        [ "$got" = "$want" ] || { echo "$tool pushed $got, not $want" >&2; exit 1; }
        log=REGISTRY_${tool^^}_${round}_LOG
        rm -rf "$(dirname "${!log}")/data" "$layout" # free the disk
    done
done
IDLE_AFTER=$(idle_pct)

rate() { awk -v s="${BEST[$1]}" -v mb="$MB" 'BEGIN { printf "%.0f", mb / s }'; }

echo
echo "registry image: 8 layers, $MB MiB; $(nproc) CPUs ($IDLE_BEFORE% idle before, $IDLE_AFTER% after); best of $RUNS"
echo
echo "| what | seconds | MiB/s | time / tranship | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
echo "| limit: curl, the 9 blobs at once -> files | $(secs curl) | $(rate curl) | $(rel curl tranship_pull) | $(mib curl) |"
for tool in "${tools[@]}"; do
    echo "| $tool pull, registry -> OCI layout | $(secs "${tool}_pull") | $(rate "${tool}_pull") | $(rel "${tool}_pull" tranship_pull) | $(mib "${tool}_pull") |"
done
for tool in "${tools[@]}"; do
    echo "| $tool push, OCI layout -> empty registry | $(secs "${tool}_push") | $(rate "${tool}_push") | $(rel "${tool}_push" tranship_push) | $(mib "${tool}_push") |"
done
