#!/usr/bin/env bash
# Google's Python containerregistry against tranship.compat.containerregistry
# (the same calls, the import swapped) and the native tranship API; same
# data, same run:
#
#   diff_ids of a schema1 image     v2.FromRegistry + v2_compat.V22FromV2;
#                                   native: Registry.copy(format="v2s2") to an OCI layout;
#                                   the image of the upconversion benchmark (this machine's
#                                   files, gzip -6) and the one below (random bytes, gzip -1)
#   save.tarball of the image       v2_2.FromRegistry + save.tarball into a tarfile;
#                                   native: Registry.copy to docker-archive:FILE:NAME
#   push of the image               FromDisk of a save.fast folder + docker_session.Push;
#                                   native: Registry.copy from the OCI layout
#
#   bench/compat.sh          # data once, build, registries, measure, table
#
# The image is the registry benchmarks' (bench/lib.sh makes it once: 8
# layers of random bytes, MB MiB in all, default 1024, gzip -1), pushed
# by tranship to a local distribution registry as it is and as signed
# schema1; the upconversion benchmark's 8 layers of real files (about
# 1 GB of tar, gzip -6, bench/lib.sh's bench_data) go there as schema1 too. Python runs the release build of the native module. Every push
# goes to a new, empty registry; every command runs $RUNS times (default
# 3) in rounds, the table shows the fastest run and the largest peak RSS.
# Each library's result is checked in the first round: the diff_ids are
# the image's, the tarball holds the image's config and layers
# (bench/check_copy.py), the pushed manifest has the expected digest.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh" # CARGO_TARGET_DIR, apt_install
. "$ROOT/bench/lib.sh"
. "$ROOT/tests/interop/registry.sh"
PYTHON_TOOLS=$TRANSHIP_CACHE/venv/bin/python # scripts/test-bindings makes it

apt_install docker-registry curl python3 python3-venv pigz time
bench_tools docker-registry curl
bench_registry_layout
bench_data
bench_part_diff_ids
src=$REGISTRY_LAYOUT
want=$REGISTRY_DIGEST
work=$(mktemp -d "${TMPDIR:-/tmp}/tranship-bench-compat.XXXXXX")
cleanup() {
    registry_stop_all
    rm -rf "$work"
}
trap cleanup EXIT

# The old library, when its virtualenv can be made; else the table says why not.
CR_MISSING=
if ! bench_venv >"$work/venv.log" 2>&1; then
    CR_MISSING="containerregistry could not be installed: $(grep -m1 -i error "$work/venv.log" || tail -n 1 "$work/venv.log")"
    echo "$CR_MISSING" >&2
fi

# 1. The native module in release mode, beside the package's Python files.
HOST=$(host_triple)
(
    cd "$ROOT"
    export CARGO_BUILD_TARGET=$HOST PYO3_PYTHON=$PYTHON_TOOLS PYO3_BUILD_EXTENSION_MODULE=1
    cargo build -q --release --lib -p tranship-python
)
mkdir -p "$work/python"
cp -r "$ROOT/bindings-python/python/tranship" "$work/python/"
cp "$CARGO_TARGET_DIR/$HOST/release/lib_native.so" "$work/python/tranship/_native.abi3.so"
export PYTHONPATH=$work/python
OP="$ROOT/bench/compat_containerregistry.py"

# 2. The source registry holds the image (bench/image:v1) and its schema1
# form (bench/image-s1:v1); the save.fast folder the pushes read is made
# once, by the compat layer.
REGISTRY_EXTRA_CONFIG=$'compatibility:\n  schema1:\n    enabled: true' registry_start source
trap cleanup EXIT
S=localhost:${REGISTRY_SOURCE##*:} # containerregistry speaks plain HTTP only to localhost
"$PYTHON_TOOLS" - "$src" "$S" <<'PY'
import sys, tranship
src, s = sys.argv[1:]
r = tranship.Registry()
r.copy(f"oci:{src}:v1", f"docker://{s}/bench/image:v1")
r.copy(f"docker://{s}/bench/image:v1", f"docker://{s}/bench/image-s1:v1", format="v2s1")
PY
# The real files' layers: an OCI layout around them, pushed as schema1.
"$PYTHON_TOOLS" - "$work/files" "$S" "$DATA"/part-?.tar.gz <<'PY'
import hashlib, json, os, shutil, sys, tranship
layout, s, parts = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(f"{layout}/blobs/sha256")
def put(data):
    d = hashlib.sha256(data).hexdigest()
    open(f"{layout}/blobs/sha256/{d}", "wb").write(data)
    return {"digest": "sha256:" + d, "size": len(data)}
layers, diff_ids = [], open(os.path.join(os.path.dirname(parts[0]), "parts.diff_ids")).read().split()
for p in parts:
    h = hashlib.sha256(open(p, "rb").read()).hexdigest()
    try:
        os.link(p, f"{layout}/blobs/sha256/{h}")
    except OSError:
        shutil.copyfile(p, f"{layout}/blobs/sha256/{h}")
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                   "digest": "sha256:" + h, "size": os.path.getsize(p)})
config = {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids},
          "history": [{"created": "2024-01-01T00:00:0%dZ" % (i + 1),
                       "created_by": "/bin/sh -c #(nop) ADD file:part-%d.tar in / " % i}
                      for i in range(len(parts))]}
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": dict(mediaType="application/vnd.oci.image.config.v1+json",
                           **put(json.dumps(config).encode())), "layers": layers}
m = put(json.dumps(manifest).encode())
json.dump({"schemaVersion": 2, "manifests": [dict(
    mediaType="application/vnd.oci.image.manifest.v1+json",
    annotations={"org.opencontainers.image.ref.name": "v1"}, **m)]}, open(f"{layout}/index.json", "w"))
open(f"{layout}/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
tranship.Registry().copy(f"oci:{layout}:v1", f"docker://{s}/bench/files-s1:v1", format="v2s1")
PY
rm -rf "$work/files"
cp "$DATA/parts.diff_ids" "$work/files.diff_ids"
mkdir -p "$work/fast"
"$PYTHON_TOOLS" - "$S" "$work/fast" <<'PY'
import sys
from tranship.compat.containerregistry.client import docker_creds, docker_name
from tranship.compat.containerregistry.client.v2_2 import docker_http, docker_image, save
s, out = sys.argv[1:]
with docker_image.FromRegistry(docker_name.Tag(f"{s}/bench/image:v1"), docker_creds.Anonymous(), None,
                               docker_http.SUPPORTED_MANIFEST_MIMES) as image:
    save.fast(image, out, threads=8)
PY
# What FromDisk pushes: its manifest, built from the folder (schema 2, keys sorted).
fromdisk=$("$PYTHON_TOOLS" -c '
import os, sys
from tranship.compat.containerregistry.client.v2_2 import docker_image
f = sys.argv[1]
n = len([x for x in os.listdir(f) if x.endswith(".tar.gz")])
layers = [(f"{f}/%03d.sha256" % i, f"{f}/%03d.tar.gz" % i) for i in range(n)]
print(docker_image.FromDisk(open(f + "/config.json").read(), layers).digest())' "$work/fast")
"$PYTHON_TOOLS" -c 'import json,sys; m=json.load(open(sys.argv[1])); print("\n".join(json.load(open(sys.argv[2] + "/blobs/sha256/" + m["config"]["digest"][7:]))["rootfs"]["diff_ids"]))' \
    "$src/blobs/sha256/${want#sha256:}" "$src" >"$work/want.diff_ids"

libraries=(compat native)
[ -z "$CR_MISSING" ] && libraries=(old compat native)
python_of() { if [ "$1" = old ]; then echo "$VENV/bin/python"; else echo "$PYTHON_TOOLS"; fi; }
checks=$work/checks
manifest_at() { curl -fsS -o /dev/null -D - -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$1/v2/bench/image/manifests/v1" |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'; }

# 3. Measure, in rounds.
wait_idle
IDLE_BEFORE=$IDLE
cat "$src"/blobs/sha256/* "$work"/fast/* >/dev/null # warm the page cache
for ((round = 0; round < RUNS; round++)); do
    for lib in "${libraries[@]}"; do
        py=$(python_of "$lib")
        # diff_ids of the schema1 images
        measure "${lib}_files" "$py" "$OP" "$lib" diff_ids "$S/bench/files-s1:v1"
        measure "${lib}_diff" "$py" "$OP" "$lib" diff_ids "$S/bench/image-s1:v1"
        if [ "$round" = 0 ]; then
            for image in files image; do
                "$py" "$OP" "$lib" diff_ids "$S/bench/$image-s1:v1" >"$work/$lib.$image.diff_ids"
                expected=$work/want.diff_ids
                [ "$image" = files ] && expected=$work/files.diff_ids
                cmp -s "$work/$lib.$image.diff_ids" "$expected" ||
                    { echo "$lib: diff_ids of $image-s1 differ from its layers'" >&2; exit 1; }
                echo "checked $lib diff_ids of $image-s1: its 8 layers'" >>"$checks"
            done
        fi
        # save.tarball
        out=$work/image.tar
        rm -f "$out"
        measure "${lib}_tar" "$py" "$OP" "$lib" tarball "$S/bench/image:v1" "$out"
        if [ "$round" = 0 ]; then
            said=$("$PYTHON_TOOLS" "$ROOT/bench/check_copy.py" "$src" archive "$out") ||
                { echo "$lib tarball: $said" >&2; exit 1; }
            echo "checked $lib save.tarball: $said" >>"$checks"
        fi
        rm -f "$out"
        # push into an empty registry
        registry_start "${lib}_$round"
        trap cleanup EXIT
        var=REGISTRY_${lib^^}_$round
        to=localhost:${!var##*:}
        if [ "$lib" = native ]; then
            measure "${lib}_push" "$py" "$OP" "$lib" push "$src" "$to/bench/image:v1"
            expect=$want
        else
            measure "${lib}_push" "$py" "$OP" "$lib" push "$work/fast" "$to/bench/image:v1"
            expect=$fromdisk
        fi
        got=$(manifest_at "$to")
        [ "$got" = "$expect" ] || { echo "$lib pushed $got, not $expect" >&2; exit 1; }
        [ "$round" -gt 0 ] || echo "checked $lib push: the registry holds $got" >>"$checks"
        log=REGISTRY_${lib^^}_${round}_LOG
        rm -rf "$(dirname "${!log}")/data"
    done
done
IDLE_AFTER=$(idle_pct)

row() { # TEXT NAME
    if [ -n "${BEST[$2]:-}" ]; then
        local vs=""
        [ -n "${BEST[old_${2#*_}]:-}" ] && vs=$(rel "old_${2#*_}" "$2")
        echo "| $1 | $(secs "$2") | $vs | $(mib "$2") |"
    fi
}
target() { # WHAT OLD NEW: compat at least 3x faster and under 1/4 of the peak RSS
    if [ -z "${BEST[$2]:-}" ]; then
        echo "target: $1: containerregistry missing"
        return
    fi
    local speed mem
    speed=$(rel "$2" "$3")
    mem=$(awk -v a="${RSS[$3]}" -v b="${RSS[$2]}" 'BEGIN { printf "%.3f", a / b }')
    echo "target: $1: $speed times faster (at least 3: $(awk -v s="$speed" 'BEGIN { print (s >= 3) ? "met" : "NOT met" }')), $mem of the peak RSS (under 0.25: $(awk -v m="$mem" 'BEGIN { print (m < 0.25) ? "met" : "NOT met" }'))"
}

echo
echo "compat images: 8 layers, $MB MiB of random bytes; 8 layers, $(cat "$DATA"/part-?.tar.gz | wc -c) bytes gzip -6 of $(cat "$DATA/layer.size") bytes of real files; $(nproc) CPUs ($IDLE_BEFORE% idle before, $IDLE_AFTER% after); best of $RUNS"
echo "containerregistry ${CR_MISSING:-$("$VENV/bin/pip" show containerregistry-ccwienk 2>/dev/null | sed -n 's/^Version: //p')}"
echo
echo "| what | seconds | old / this | peak RSS MiB |"
echo "|---|---:|---:|---:|"
row "containerregistry: diff_ids of schema1, real files, gzip -6 (V22FromV2)" old_files
row "tranship.compat.containerregistry: the same" compat_files
row "tranship: Registry.copy(format=\"v2s2\") to an OCI layout" native_files
row "containerregistry: diff_ids of schema1, random bytes, gzip -1 (V22FromV2)" old_diff
row "tranship.compat.containerregistry: the same" compat_diff
row "tranship: Registry.copy(format=\"v2s2\") to an OCI layout" native_diff
row "containerregistry: save.tarball from the registry" old_tar
row "tranship.compat.containerregistry: the same" compat_tar
row "tranship: Registry.copy to docker-archive (legacy=True)" native_tar
row "containerregistry: push of FromDisk (save.fast folder), 8 threads" old_push
row "tranship.compat.containerregistry: the same" compat_push
row "tranship: Registry.copy from the OCI layout" native_push
[ -z "$CR_MISSING" ] || echo "| containerregistry: missing ($CR_MISSING) | | | |"
echo
cat "$checks"
echo
target "compat / containerregistry, diff_ids of schema1 (real files)" old_files compat_files
target "compat / containerregistry, diff_ids of schema1 (random bytes)" old_diff compat_diff
target "compat / containerregistry, save.tarball" old_tar compat_tar
target "compat / containerregistry, push" old_push compat_push
