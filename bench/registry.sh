#!/usr/bin/env bash
# Pull and push against real registries: a ~1 GiB, 8-layer image pulled
# from a local distribution registry into an OCI layout, then pushed from
# that layout to an empty registry, by `tranship copy` (the release CLI),
# `skopeo copy`, and crane when `go install` can fetch it; same data, same
# run.
#
#   bench/registry.sh        # data once, build, registries, measure, table
#
# The layers are random bytes (MB MiB in all, default 1024; gzip -1), made
# once under $TRANSHIP_BENCH_DIR/registry (bench/lib.sh). Every tool pulls
# from the same source registry and pushes into a new, empty registry
# every round; the table shows the fastest of $RUNS rounds and the largest
# peak RSS. The machine's limit is curl fetching the same 9 blobs (config
# and layers) at once into files.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh" # CARGO_TARGET_DIR, apt_install
. "$ROOT/bench/lib.sh"
. "$ROOT/tests/interop/registry.sh"
BIN=$TARGET/release/tranship

apt_install skopeo docker-registry curl python3 time
bench_tools skopeo docker-registry curl
# 1. The CLI, crane, and the image as an OCI layout around 8 random
# layers, made once.
bench_registry_setup registry

# 2. The source registry holds it (pushed by tranship, checked by skopeo).
registry_start source
trap bench_cleanup EXIT
S=$REGISTRY_SOURCE
"$BIN" copy -q "oci:$src:v1" "docker://$S/bench/image:v1"
seen=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$S/bench/image:v1")
[ "$seen" = "$want" ] || { echo "skopeo sees $seen, the layout holds $want" >&2; exit 1; }
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
[ -n "$CRANE" ] && tools+=(crane)
for ((round = 0; round < RUNS; round++)); do
    rm -rf "$work/curl" && measure curl bash -c 'fetch "$1"' _ "$work/curl"
    rm -rf "$work/curl"
    for tool in "${tools[@]}"; do
        layout=$work/$tool
        rm -rf "$layout"
        registry_start "${tool}_$round"
        trap bench_cleanup EXIT
        var=REGISTRY_${tool^^}_$round
        to=${!var}/bench/image:v1
        case $tool in
        tranship)
            measure tranship_pull "$BIN" copy -q "docker://$S/bench/image:v1" "oci:$layout:v1"
            measure tranship_push "$BIN" copy -q "oci:$layout:v1" "docker://$to"
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
