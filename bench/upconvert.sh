#!/usr/bin/env bash
# Upconversion of a schema1 image (schema1 -> schema 2, diff_ids included):
# tranship against `skopeo copy --format v2s2`, Python containerregistry and
# a Python gzip + hashlib loop, on the same ~1 GB 8-layer image, same run.
#
#   bench/upconvert.sh        # data once, build, registries, measure, table
#
# The 8 layers are bench/diff_id.sh's (bench/lib.sh makes them once under
# $TRANSHIP_BENCH_DIR). An OCI layout is written by hand around them
# (config with rootfs.diff_ids and history), copied into registry A as
# schema 2 by skopeo, then into A again as schema1 (`--format v2s1`).
# Every command runs $RUNS times (default 3), in rounds; the table shows the
# fastest run. skopeo copies into a new, empty registry every round.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh" # CARGO_TARGET_DIR, apt_install
. "$ROOT/bench/lib.sh"
. "$ROOT/tests/interop/registry.sh"
BIN=$TARGET/release/tranship

apt_install skopeo docker-registry curl python3 python3-venv pigz time
bench_tools skopeo docker-registry curl
bench_data
bench_part_diff_ids
bench_venv
(cd "$ROOT" && cargo build -q --release -p tranship-cli)

work=$(mktemp -d "${TMPDIR:-/tmp}/tranship-bench-upconvert.XXXXXX")
cleanup() {
    registry_stop_all
    rm -rf "$work"
}
trap cleanup EXIT

# 1. The image, as an OCI layout written by hand around the 8 layers.
oci=$work/oci
mkdir -p "$oci/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' >"$oci/oci-layout"
mapfile -t diff_ids <"$DATA/parts.diff_ids"
layers=()
for i in 0 1 2 3 4 5 6 7; do
    p=$DATA/part-$i.tar.gz
    hex=$(sha256sum "$p" | cut -d' ' -f1)
    ln "$p" "$oci/blobs/sha256/$hex" 2>/dev/null || cp "$p" "$oci/blobs/sha256/$hex"
    layers+=("sha256:$hex $(stat -c %s "$p")")
done
python3 - "$oci" "${diff_ids[@]}" -- "${layers[@]}" <<'PY'
import hashlib, json, os, sys
oci = sys.argv[1]
args = sys.argv[2:]
sep = args.index("--")
diff_ids, layers = args[:sep], [l.split() for l in args[sep + 1:]]
def put(obj):
    data = json.dumps(obj, separators=(",", ":")).encode()
    hex_ = hashlib.sha256(data).hexdigest()
    open(os.path.join(oci, "blobs", "sha256", hex_), "wb").write(data)
    return {"digest": "sha256:" + hex_, "size": len(data)}
config = {
    "created": "2024-01-01T00:00:08Z",
    "architecture": "amd64",
    "os": "linux",
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
               "Cmd": ["/bin/sh"], "WorkingDir": "/"},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [{"created": "2024-01-01T00:00:0%dZ" % (i + 1),
                 "created_by": "/bin/sh -c #(nop) ADD file:part-%d.tar in / " % i}
                for i in range(len(layers))],
}
manifest = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **put(config)),
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": d, "size": int(s)} for d, s in layers],
}
m = put(manifest)
json.dump({"schemaVersion": 2, "manifests": [dict(
    mediaType="application/vnd.oci.image.manifest.v1+json",
    annotations={"org.opencontainers.image.ref.name": "img"}, **m)]},
    open(os.path.join(oci, "index.json"), "w"))
PY

# skopeo's blob-info cache (bench/lib.sh's skopeo_cache): the image is new
# to the measured runs, so they start from an empty one each. The
# correctness check's copy fills $work/cache-check; a second row shows
# skopeo with that cache (as on a machine that converted the image before).
export -f skopeo_cache

# 2. Registry A holds it as schema 2 (bench/img:1) and schema1 (bench/img-s1:1).
REGISTRY_EXTRA_CONFIG=$'compatibility:\n  schema1:\n    enabled: true' registry_start a
A=$REGISTRY_A
A_LOCAL=localhost:${A##*:} # containerregistry speaks plain HTTP only to localhost
tls=(--src-tls-verify=false --dest-tls-verify=false)
skopeo_cache "$work/cache-setup" copy -q --dest-tls-verify=false --format v2s2 "oci:$oci:img" "docker://$A/bench/img:1"
skopeo_cache "$work/cache-setup" copy -q "${tls[@]}" --format v2s1 "docker://$A/bench/img:1" "docker://$A/bench/img-s1:1"
rm -rf "$oci"

# fetch DIR: the schema1 manifest and its blobs from A into DIR (curl, 8 at a time).
fetch() {
    local dir=$1
    mkdir -p "$dir/blobs/sha256"
    curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v1+prettyjws' \
        "http://$A/v2/bench/img-s1/manifests/1" -o "$dir/manifest.json"
    python3 -c 'import json,sys; print("\n".join(sorted({l["blobSum"] for l in json.load(open(sys.argv[1]))["fsLayers"]})))' "$dir/manifest.json" |
        xargs -P 8 -I{} sh -c 'd={}; curl -fsS "http://$1/v2/bench/img-s1/blobs/$d" -o "$2/blobs/sha256/${d#sha256:}"' _ "$A" "$dir"
}
convert() { "$BIN" convert --to v2s2 --file "$1/manifest.json" --blobs "$1" -o "$1/v2s2.json"; }
export -f fetch convert
export A BIN

# Correctness first: our diff_ids are the layers', our manifest is skopeo's,
# containerregistry finds the same diff_ids.
fetch "$work/local"
convert "$work/local" 2>/dev/null
config_hex=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["digest"].split(":")[1])' "$work/local/v2s2.json")
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["rootfs"]["diff_ids"]))' \
    "$work/local/blobs/sha256/$config_hex" >"$work/ours.diff_ids"
cmp -s "$work/ours.diff_ids" "$DATA/parts.diff_ids" || { echo "tranship diff_ids differ from the layers'" >&2; exit 1; }
registry_start check
skopeo_cache "$work/cache-check" copy -q "${tls[@]}" --format v2s2 "docker://$A/bench/img-s1:1" "docker://$REGISTRY_CHECK/bench/img:1"
curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_CHECK/v2/bench/img/manifests/1" -o "$work/skopeo-v2s2.json"
if cmp -s "$work/local/v2s2.json" "$work/skopeo-v2s2.json"; then same_as_skopeo=yes; else same_as_skopeo=NO; fi
"$VENV/bin/python" "$ROOT/bench/containerregistry_upconvert.py" "$A_LOCAL/bench/img-s1:1" >"$work/cr.diff_ids"
cmp -s "$work/cr.diff_ids" "$DATA/parts.diff_ids" || { echo "containerregistry diff_ids differ from the layers'" >&2; exit 1; }

PY='import gzip, hashlib, sys
for path in sys.argv[1:]:
    h = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        while b := f.read(1 << 20):
            h.update(b)
    print("sha256:" + h.hexdigest())'

# 3. Measure, in rounds.
wait_idle
IDLE_BEFORE=$IDLE
cat "$work"/local/blobs/sha256/* >/dev/null # warm the page cache
for ((round = 0; round < RUNS; round++)); do
    registry_start "b$round"
    b_var=REGISTRY_B$round
    rm -rf "$work/cache-cold"
    measure skopeo bash -c 'skopeo_cache "$@"' _ "$work/cache-cold" copy -q "${tls[@]}" --format v2s2 "docker://$A/bench/img-s1:1" "docker://${!b_var}/bench/img:1"
    b_log=REGISTRY_B${round}_LOG
    rm -rf "$(dirname "${!b_log}")/data" # free the disk; the registry is not used again
    registry_start "w$round"
    w_var=REGISTRY_W$round
    measure skopeo_warm bash -c 'skopeo_cache "$@"' _ "$work/cache-check" copy -q "${tls[@]}" --format v2s2 "docker://$A/bench/img-s1:1" "docker://${!w_var}/bench/img:1"
    w_log=REGISTRY_W${round}_LOG
    rm -rf "$(dirname "${!w_log}")/data"
    measure ours bash -c 'convert "$1"' _ "$work/local"
    rm -rf "$work/fresh"
    measure fetch bash -c 'fetch "$1"' _ "$work/fresh"
    measure fetch_ours bash -c 'rm -rf "$1" && fetch "$1" && convert "$1"' _ "$work/fresh"
    measure containerregistry "$VENV/bin/python" "$ROOT/bench/containerregistry_upconvert.py" "$A_LOCAL/bench/img-s1:1"
    measure python python3 -c "$PY" "$DATA"/part-?.tar.gz
done
IDLE_AFTER=$(idle_pct)


echo
echo "image: 8 layers, $(cat "$DATA"/part-?.tar.gz | wc -c) bytes gzip -6, $(cat "$DATA/layer.size") bytes of tar;" \
    "$(nproc) CPUs ($IDLE_BEFORE% idle before, $IDLE_AFTER% after); best of $RUNS"
echo "tranship's schema 2 manifest is byte for byte skopeo's: $same_as_skopeo; containerregistry's diff_ids are the layers': yes"
echo
echo "| what | seconds | time / skopeo | time / ours | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
echo "| skopeo copy --format v2s2, registry A -> empty registry B | $(secs skopeo) | 1.00 | $(rel skopeo ours) | $(mib skopeo) |"
echo "| (skopeo, same, its blob-info cache filled by an earlier upconversion) | $(secs skopeo_warm) | $(rel skopeo_warm skopeo) | $(rel skopeo_warm ours) | $(mib skopeo_warm) |"
echo "| tranship convert --to v2s2, blobs already local | $(secs ours) | $(rel ours skopeo) | 1.00 | $(mib ours) |"
echo "| curl manifest + blobs from A (8 at a time), then tranship convert | $(secs fetch_ours) | $(rel fetch_ours skopeo) | $(rel fetch_ours ours) | $(mib fetch_ours) |"
echo "| (curl manifest + blobs alone) | $(secs fetch) | $(rel fetch skopeo) | $(rel fetch ours) | $(mib fetch) |"
echo "| Python containerregistry V22FromV2, from A | $(secs containerregistry) | $(rel containerregistry skopeo) | $(rel containerregistry ours) | $(mib containerregistry) |"
echo "| Python gzip + hashlib loop, 8 local layers | $(secs python) | $(rel python skopeo) | $(rel python ours) | $(mib python) |"
echo
echo "target: tranship / skopeo <= 0.40: $(rel ours skopeo) (conversion alone), $(rel fetch_ours skopeo) (with the download)"
