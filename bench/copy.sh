#!/usr/bin/env bash
# Copies of one image by `tranship copy` (the release CLI), `skopeo copy`,
# crane and Python containerregistry; same data, same run:
#
#   registry -> empty registry       tranship, skopeo, crane copy
#   registry -> docker-archive       tranship, skopeo, crane pull --format=tarball,
#                                    containerregistry save.tarball
#   registry -> OCI layout           tranship, skopeo, crane pull --format=oci
#                                    (and containerregistry save.fast, a folder)
#   schema1 -> schema 2, registry -> empty registry
#                                    tranship, skopeo (--format v2s2)
#
#   bench/copy.sh            # data once, build, registries, measure, table
#
# The image is bench/registry.sh's (bench/lib.sh makes it once: 8 layers
# of random bytes, MB MiB in all, default 1024, gzip -1). tranship pushes it
# to a local distribution registry, then copies it there again as signed
# schema1 (`--format v2s1`) for the upconversion rows. Every round gives
# each tool a new, empty registry or a new file; the table shows the
# fastest of $RUNS rounds and the largest peak RSS. The machine's limit is
# curl fetching the same 9 blobs (config and layers) at once into files.
# Each tool's result is checked once (first round): the manifest digest at
# a destination registry or in a layout, the config and layers' bytes in an
# archive; the two schema 2 manifests made from schema1 are compared.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh" # CARGO_TARGET_DIR, apt_install
. "$ROOT/bench/lib.sh"
. "$ROOT/tests/interop/registry.sh"
BIN=$TARGET/release/tranship

apt_install skopeo docker-registry curl python3 python3-venv pigz time
bench_tools skopeo docker-registry curl
bench_registry_setup copy

# containerregistry, when its virtualenv can be made; else the table says why not.
CR_MISSING=
if ! bench_venv >"$work/venv.log" 2>&1; then
    CR_MISSING="containerregistry could not be installed: $(grep -m1 -i error "$work/venv.log" || tail -n 1 "$work/venv.log")"
    echo "$CR_MISSING" >&2
fi

# 1. The source registry holds the image as it is (bench/image:v1) and as
# schema1 (bench/image-s1:v1), both pushed by tranship and read back by
# skopeo.
REGISTRY_EXTRA_CONFIG=$'compatibility:\n  schema1:\n    enabled: true' registry_start source
trap bench_cleanup EXIT
S=$REGISTRY_SOURCE
S_LOCAL=localhost:${S##*:} # containerregistry speaks plain HTTP only to localhost
"$BIN" copy -q "oci:$src:v1" "docker://$S/bench/image:v1"
seen=$(skopeo inspect --tls-verify=false --raw "docker://$S/bench/image:v1" | sha256sum | cut -d' ' -f1)
[ "sha256:$seen" = "$want" ] || { echo "skopeo sees sha256:$seen, the layout holds $want" >&2; exit 1; }
"$BIN" copy -q --format v2s1 "docker://$S/bench/image:v1" "docker://$S/bench/image-s1:v1"
skopeo inspect --tls-verify=false --raw "docker://$S/bench/image-s1:v1" |
    python3 -c 'import json,sys; m=json.load(sys.stdin); assert m["schemaVersion"] == 1 and len(m["fsLayers"]) == 8, m'

fetch() { # DIR: curl, every blob at once
    mkdir -p "$1"
    printf '%s\n' $blobs | xargs -P 9 -I{} curl -fsS "http://$S/v2/bench/image/blobs/{}" -o "$1/{}"
}
export -f fetch skopeo_cache
export S blobs

# Checks, once per tool and destination.
at_registry() { skopeo inspect --tls-verify=false --raw "docker://$1" | sha256sum | cut -d' ' -f1 | sed 's/^/sha256:/'; }
check_registry() { # WHO TO
    local got
    got=$(at_registry "$2")
    [ "$got" = "$want" ] || { echo "$1: the destination holds $got, not $want" >&2; exit 1; }
    echo "checked $1: manifest $want at the destination"
}
check_file() { # WHO KIND PATH
    local said
    said=$(python3 "$ROOT/bench/check_copy.py" "$src" "$2" "$3") || { echo "$1: $said" >&2; exit 1; }
    echo "checked $1: $said"
}
# An empty registry for one copy: sets TO (REPO:TAG in it) and FREE (its data).
new_registry() {
    registry_start "$1"
    trap bench_cleanup EXIT
    local var=REGISTRY_${1^^} log=REGISTRY_${1^^}_LOG
    TO=${!var}/bench/image:v1
    FREE=$(dirname "${!log}")/data
}

tools=(tranship skopeo)
[ -n "$CRANE" ] && tools+=(crane)
[ -z "$CR_MISSING" ] && tools+=(containerregistry)
tls=(--src-tls-verify=false --dest-tls-verify=false)
checks=$work/checks

# 2. Measure, in rounds.
wait_idle
IDLE_BEFORE=$IDLE
cat "$src"/blobs/sha256/* >/dev/null # the source registry's files came from here: warm
for ((round = 0; round < RUNS; round++)); do
    rm -rf "$work/curl" && measure curl bash -c 'fetch "$1"' _ "$work/curl"
    rm -rf "$work/curl"
    for tool in "${tools[@]}"; do
        from=$S/bench/image:v1
        # registry -> registry
        if [ "$tool" != containerregistry ]; then
            new_registry "${tool}_$round"
            case $tool in
            tranship) measure tranship_reg "$BIN" copy -q "docker://$from" "docker://$TO" ;;
            skopeo) measure skopeo_reg skopeo copy -q "${tls[@]}" "docker://$from" "docker://$TO" ;;
            crane) measure crane_reg crane copy --insecure "$from" "$TO" ;;
            esac
            [ "$round" -gt 0 ] || check_registry "$tool registry -> registry" "$TO" >>"$checks"
            rm -rf "$FREE"
        fi
        # registry -> docker-archive
        out=$work/image.tar
        rm -f "$out"
        case $tool in
        tranship) measure tranship_tar "$BIN" copy -q "docker://$from" "docker-archive:$out:bench/image:v1" ;;
        skopeo) measure skopeo_tar skopeo copy -q "${tls[@]}" "docker://$from" "docker-archive:$out:bench/image:v1" ;;
        crane) measure crane_tar crane pull --insecure --format=tarball "$from" "$out" ;;
        containerregistry) measure containerregistry_tar "$VENV/bin/python" "$ROOT/bench/containerregistry_copy.py" tarball "$S_LOCAL/bench/image:v1" "$out" ;;
        esac
        [ "$round" -gt 0 ] || check_file "$tool registry -> docker-archive" archive "$out" >>"$checks"
        rm -f "$out"
        # registry -> OCI layout (containerregistry: its save.fast folder)
        out=$work/layout
        rm -rf "$out"
        case $tool in
        tranship) measure tranship_oci "$BIN" copy -q "docker://$from" "oci:$out:v1" ;;
        skopeo) measure skopeo_oci skopeo copy -q "${tls[@]}" "docker://$from" "oci:$out:v1" ;;
        crane) measure crane_oci crane pull --insecure --format=oci "$from" "$out" ;;
        containerregistry)
            mkdir -p "$out"
            measure containerregistry_fast "$VENV/bin/python" "$ROOT/bench/containerregistry_copy.py" fast "$S_LOCAL/bench/image:v1" "$out"
            ;;
        esac
        if [ "$round" = 0 ]; then
            case $tool in
            containerregistry) check_file "$tool save.fast" fast "$out" >>"$checks" ;;
            *) check_file "$tool registry -> OCI layout" layout "$out" >>"$checks" ;;
            esac
        fi
        rm -rf "$out"
        # schema1 -> schema 2, registry -> registry (skopeo: an empty blob-info cache)
        from=$S/bench/image-s1:v1
        case $tool in
        tranship | skopeo) new_registry "${tool}_s1_$round" ;;
        esac
        case $tool in
        tranship) measure tranship_s1 "$BIN" copy -q --format v2s2 "docker://$from" "docker://$TO" ;;
        skopeo)
            rm -rf "$work/cache"
            measure skopeo_s1 bash -c 'skopeo_cache "$@"' _ "$work/cache" copy -q "${tls[@]}" --format v2s2 "docker://$from" "docker://$TO"
            ;;
        esac
        case $tool in
        tranship | skopeo)
            if [ "$round" = 0 ]; then
                curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
                    "http://${TO%%/*}/v2/bench/image/manifests/v1" -o "$work/$tool-v2s2.json"
            fi
            rm -rf "$FREE"
            ;;
        esac
        # gzip -> zstd, registry -> registry (every layer recompressed)
        from=$S/bench/image:v1
        case $tool in
        tranship)
            new_registry "${tool}_zstd_$round"
            measure tranship_zstd "$BIN" copy -q --compress zstd "docker://$from" "docker://$TO"
            rm -rf "$FREE"
            ;;
        skopeo)
            new_registry "${tool}_zstd_$round"
            measure skopeo_zstd skopeo copy -q "${tls[@]}" --dest-compress-format zstd "docker://$from" "docker://$TO"
            rm -rf "$FREE"
            ;;
        esac
    done
done
IDLE_AFTER=$(idle_pct)

# The two upconversions made the same schema 2 manifest, with the layers' diff_ids.
cmp -s "$work/tranship-v2s2.json" "$work/skopeo-v2s2.json" && same_v2s2=yes || same_v2s2=NO
echo "checked tranship and skopeo schema1 -> schema 2: the same manifest, byte for byte: $same_v2s2" >>"$checks"

# Table cells of a measured NAME.
cells() { # NAME REFERENCE: seconds | vs limit | vs REFERENCE | RSS
    echo "$(secs "$1") | $(rel "$1" curl) | $(rel "$1" "$2") | $(mib "$1")"
}
row() { # TEXT NAME REFERENCE
    if [ -n "${BEST[$2]:-}" ]; then
        echo "| $1 | $(cells "$2" "$3") |"
    fi
}
# target TEXT VALUE MAX [under]: met when VALUE <= MAX (VALUE < MAX with `under`).
target() {
    local met
    met=$(awk -v v="$2" -v m="$3" -v under="${4:-}" 'BEGIN { print (under ? v < m : v <= m) ? "met" : "NOT met" }')
    echo "target: $1: $2 (${4:-at most} $3): $met"
}

echo
echo "copy image: 8 layers, $MB MiB; $(nproc) CPUs ($IDLE_BEFORE% idle before, $IDLE_AFTER% after); best of $RUNS"
echo "skopeo $(skopeo --version | cut -d' ' -f3); crane $([ -n "$CRANE" ] && crane version || echo missing); containerregistry ${CR_MISSING:-$("$VENV/bin/pip" show containerregistry-ccwienk 2>/dev/null | sed -n 's/^Version: //p')}"
echo
echo "| what | seconds | vs limit | vs ours | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
echo "| limit: curl, the 9 blobs at once -> files | $(secs curl) | 1.00 | | $(mib curl) |"
row "tranship copy, registry -> empty registry" tranship_reg tranship_reg
row "skopeo copy, registry -> empty registry" skopeo_reg tranship_reg
row "crane copy, registry -> empty registry" crane_reg tranship_reg
row "tranship copy, registry -> docker-archive" tranship_tar tranship_tar
row "skopeo copy, registry -> docker-archive" skopeo_tar tranship_tar
row "crane pull --format=tarball, registry -> docker-archive" crane_tar tranship_tar
row "containerregistry save.tarball, registry -> docker-archive (layers decompressed)" containerregistry_tar tranship_tar
[ -z "$CR_MISSING" ] || echo "| containerregistry, registry -> docker-archive: missing ($CR_MISSING) | | | | |"
row "tranship copy, registry -> OCI layout" tranship_oci tranship_oci
row "skopeo copy, registry -> OCI layout" skopeo_oci tranship_oci
row "crane pull --format=oci, registry -> OCI layout" crane_oci tranship_oci
row "(containerregistry save.fast, registry -> folder of blobs)" containerregistry_fast tranship_oci
row "tranship copy --format v2s2, schema1 registry -> empty registry" tranship_s1 tranship_s1
row "skopeo copy --format v2s2, schema1 registry -> empty registry" skopeo_s1 tranship_s1
row "tranship copy --compress zstd, gzip layers recompressed, registry -> empty registry" tranship_zstd tranship_zstd
row "skopeo copy --dest-compress-format zstd, the same" skopeo_zstd tranship_zstd
echo
cat "$checks"
echo
for what in reg:"registry -> registry" tar:"registry -> docker-archive" oci:"registry -> OCI layout" s1:"schema1 -> schema 2"; do
    target "tranship ${what#*:} / limit" "$(rel "tranship_${what%%:*}" curl)" 1.30
done
if [ -n "$CRANE" ]; then
    target "tranship / crane, registry -> registry" "$(rel tranship_reg crane_reg)" 1.00
else
    echo "target: tranship / crane, registry -> registry: crane missing"
fi
target "tranship / skopeo, registry -> docker-archive" "$(rel tranship_tar skopeo_tar)" 0.50
target "tranship / skopeo, schema1 -> schema 2" "$(rel tranship_s1 skopeo_s1)" 0.40
peak=0
for name in tranship_reg tranship_tar tranship_oci tranship_s1; do
    [ "${RSS[$name]}" -gt "$peak" ] && peak=${RSS[$name]}
done
target "tranship peak RSS MiB, largest of its copies" "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')" 64 under
