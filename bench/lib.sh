# Shared by the benchmark scripts in this folder. Source it; do not run it.
#
#   bench_data             # make the layer data once under $DATA
#   wait_idle              # wait (WAIT_IDLE s at most) for idle CPUs; sets IDLE
#   measure NAME CMD...    # one timed run; keeps the fastest and largest RSS
#
# Data goes to $TRANSHIP_BENCH_DIR (default ~/.cache/tranship/bench): a tar
# of this machine's system files of about $LAYER_BYTES bytes (default 1e9),
# compressed with gzip level 6 (layer.tar.gz), and the same tar split into
# 8 layers (part-0.tar.gz ... part-7.tar.gz).

DATA=${TRANSHIP_BENCH_DIR:-$HOME/.cache/tranship/bench}
# Where cargo puts the release binaries, as an absolute path.
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case $TARGET in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
LAYER_BYTES=${LAYER_BYTES:-1000000000}
RUNS=${RUNS:-3}

# bench_tools PROGRAM...: GNU time for peak memory, pigz (as a peer and to
# compress faster), and whatever else the caller needs.
bench_tools() {
    local missing=()
    [ -x /usr/bin/time ] || missing+=(time)
    local p
    for p in pigz "$@"; do command -v "$p" >/dev/null || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -q "${missing[@]}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
    else
        echo "please install: ${missing[*]}" >&2
        exit 2
    fi
}

# Real files (libraries, text, images), as a layer holds, made once.
bench_data() {
    mkdir -p "$DATA"
    (
        cd "$DATA"
        if [ ! -s layer.tar.gz ] || [ ! -s layer.sha256 ]; then
            echo "generating ~$LAYER_BYTES bytes of layer data in $DATA ..." >&2
            # Shared libraries, Python, data and docs, then programs: a
            # typical distribution-based layer, cut at about LAYER_BYTES.
            find /usr/lib/x86_64-linux-gnu /usr/lib/python3* /usr/share /usr/bin -xdev -type f -readable \
                -printf '%i\t%s\t%p\n' 2>/dev/null |
                awk -F'\t' -v max="$LAYER_BYTES" '!seen[$1]++ { t += $2 + 512 } t <= max { print $3 }' >files.txt
            tar -cf layer.tar --verbatim-files-from -T files.txt 2>/dev/null || true
            # pigz writes a standard single-member gzip stream at the same
            # level as gzip -6, only faster to make.
            pigz -6 -c layer.tar >layer.tar.gz
            rm -f part-* parts.diff_ids
            split -n 8 -d -a 1 layer.tar part-
            for p in part-?; do pigz -6 -c "$p" >"$p.tar.gz" && rm "$p"; done
            sha256sum layer.tar | cut -d' ' -f1 >layer.sha256
            stat -c %s layer.tar >layer.size
            rm layer.tar files.txt
        fi
    )
}

# Percentage of idle CPU time over one second.
idle_pct() {
    local a b
    read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ </proc/stat
    sleep 1
    read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ </proc/stat
    a=$((a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8))
    b=$((b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8))
    echo $((100 * ((b4 + b5) - (a4 + a5)) / (b - a > 0 ? b - a : 1)))
}

# Other work on the machine distorts every number (these are 2-CPU
# machines): wait up to $WAIT_IDLE seconds (default 300) for the CPUs to be
# at least 90% idle; IDLE says how idle they were.
wait_idle() {
    local waited
    IDLE=$(idle_pct)
    for ((waited = 0; IDLE < 90 && waited < ${WAIT_IDLE:-300}; waited += 6)); do
        sleep 5
        IDLE=$(idle_pct)
    done
}

# measure NAME CMD... times one run, keeping the fastest wall time and the
# largest peak RSS of each NAME over the rounds (GNU time; the RSS is the
# largest of the processes it waited for). A command that fails stops the
# script with its error output: a failed run is no measurement.
declare -A BEST RSS
measure() {
    local name=$1
    shift
    local log secs kb
    log=$(mktemp)
    if ! /usr/bin/time -f 'TIME %e %M' -o "$log.time" "$@" >/dev/null 2>"$log"; then
        echo "$name failed: $*" >&2
        cat "$log" >&2
        rm -f "$log" "$log.time"
        exit 1
    fi
    read -r _ secs kb <"$log.time"
    rm -f "$log" "$log.time"
    if [ -z "${BEST[$name]:-}" ] || awk "BEGIN{exit !($secs < ${BEST[$name]})}"; then BEST[$name]=$secs; fi
    if [ -z "${RSS[$name]:-}" ] || [ "$kb" -gt "${RSS[$name]}" ]; then RSS[$name]=$kb; fi
}

# Table cells of the measured NAME: seconds, peak RSS in MiB, and (rel X Y)
# the time of X over the time of Y.
secs() { printf '%.2f' "${BEST[$1]}"; }
mib() { awk -v k="${RSS[$1]}" 'BEGIN { printf "%.1f", k / 1024 }'; }
rel() { awk -v x="${BEST[$1]}" -v y="${BEST[$2]}" 'BEGIN { printf "%.2f", x / y }'; }

# The diff_ids of the 8 layers (sha256 of each decompressed part), made once.
bench_part_diff_ids() {
    if [ ! -s "$DATA/parts.diff_ids" ]; then
        local p
        for p in "$DATA"/part-?.tar.gz; do
            echo "sha256:$(pigz -dc "$p" | sha256sum | cut -d' ' -f1)"
        done >"$DATA/parts.diff_ids.tmp"
        mv "$DATA/parts.diff_ids.tmp" "$DATA/parts.diff_ids"
    fi
}

# A virtualenv for the Python peers, so that nothing is installed system-wide:
# containerregistry (the ccwienk fork that installs on current Pythons) and
# the modules it needs (httplib2 needs pyparsing), installed without its
# pinned dependencies.
VENV=$DATA/venv
bench_venv() {
    if ! "$VENV/bin/python" -c 'import containerregistry.client.v2_2.v2_compat, httplib2, oauth2client' 2>/dev/null; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q --no-deps containerregistry-ccwienk httplib2 pyparsing oauth2client six
    fi
}

# The registry benchmarks' image (bench/registry.sh, bench/copy.sh), made
# once: an OCI layout around 8 layers of random bytes (MB MiB in all,
# default 1024; gzip -1, as registries hold layers) in
# $DATA/registry/image-$MB, its image named `v1`. Sets REGISTRY_LAYOUT,
# REGISTRY_DIGEST (the manifest's digest) and REGISTRY_BLOBS (config and
# layer digests, space-separated).
MB=${MB:-1024}
bench_registry_layout() {
    REGISTRY_LAYOUT=$DATA/registry/image-$MB
    if [ ! -s "$REGISTRY_LAYOUT/index.json" ]; then
        echo "generating an 8-layer image of $MB MiB in $REGISTRY_LAYOUT ..." >&2
        rm -rf "$REGISTRY_LAYOUT" && mkdir -p "$REGISTRY_LAYOUT/blobs/sha256"
        layers=()
        for i in 0 1 2 3 4 5 6 7; do
            # gzip, as registries hold layers: skopeo would compress a plain tar
            # layer on its way to a registry, and change the digests.
            head -c $((MB * 1024 * 1024 / 8)) /dev/urandom >"$REGISTRY_LAYOUT/layer"
            diff_id=sha256:$(sha256sum "$REGISTRY_LAYOUT/layer" | cut -d' ' -f1)
            pigz -1 -c "$REGISTRY_LAYOUT/layer" >"$REGISTRY_LAYOUT/layer.gz" && rm "$REGISTRY_LAYOUT/layer"
            hex=$(sha256sum "$REGISTRY_LAYOUT/layer.gz" | cut -d' ' -f1)
            layers+=("sha256:$hex $(stat -c %s "$REGISTRY_LAYOUT/layer.gz") $diff_id")
            mv "$REGISTRY_LAYOUT/layer.gz" "$REGISTRY_LAYOUT/blobs/sha256/$hex"
        done
        python3 - "$REGISTRY_LAYOUT" "${layers[@]}" <<'PY'
import hashlib, json, os, sys
layout, layers = sys.argv[1], [l.split() for l in sys.argv[2:]]
def put(obj):
    data = json.dumps(obj, separators=(",", ":")).encode()
    hex_ = hashlib.sha256(data).hexdigest()
    open(os.path.join(layout, "blobs", "sha256", hex_), "wb").write(data)
    return {"digest": "sha256:" + hex_, "size": len(data)}
config = {"architecture": "amd64", "os": "linux",
          "rootfs": {"type": "layers", "diff_ids": [i for _, _, i in layers]},
          # One entry per layer, which a schema1 copy of the image needs.
          "history": [{"created": "2024-01-01T00:00:0%dZ" % (n + 1),
                       "created_by": "/bin/sh -c #(nop) ADD file:layer-%d in / " % n}
                      for n in range(len(layers))]}
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
        echo '{"imageLayoutVersion":"1.0.0"}' >"$REGISTRY_LAYOUT/oci-layout"
    fi
    REGISTRY_DIGEST=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$REGISTRY_LAYOUT/index.json")
    REGISTRY_BLOBS=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(" ".join([m["config"]["digest"]] + [l["digest"] for l in m["layers"]]))' \
        "$REGISTRY_LAYOUT/blobs/sha256/${REGISTRY_DIGEST#sha256:}")
}

# bench_crane: puts crane (go-containerregistry's CLI, this exact version)
# on PATH, installed with `go install` when missing; CRANE says whether it
# is there (left out of the tables when it cannot be fetched).
CRANE_VERSION=v0.22.1
bench_crane() {
    local gobin
    gobin=$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin
    PATH=$PATH:$gobin
    CRANE=yes
    if ! crane version 2>/dev/null | grep -qx -e "$CRANE_VERSION" -e "${CRANE_VERSION#v}"; then
        echo "installing crane $CRANE_VERSION with go install" >&2
        go install "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION" >/dev/null 2>&1 || {
            echo "crane $CRANE_VERSION could not be installed; the table leaves it out" >&2
            CRANE=
        }
    fi
}

# bench_registry_setup NAME: what the registry and copy benchmarks share:
# the release CLI built, crane, the 8-layer image made once (src: its
# layout, want: its manifest digest, blobs: config and layer digests) and
# a scratch folder `work`, removed with every registry started on exit
# (bench_cleanup, also the trap to set again after registry_start).
bench_registry_setup() {
    (cd "$ROOT" && cargo build -q --release -p tranship-cli)
    bench_crane
    bench_registry_layout
    src=$REGISTRY_LAYOUT
    want=$REGISTRY_DIGEST
    blobs=$REGISTRY_BLOBS
    work=$(mktemp -d "${TMPDIR:-/tmp}/tranship-bench-$1.XXXXXX")
    trap bench_cleanup EXIT
}

bench_cleanup() {
    registry_stop_all
    rm -rf "$work"
}

# skopeo_cache DIR ARGS...: skopeo with its blob-info cache in DIR. That
# cache maps compressed digests to diff_ids: with it, skopeo skips
# decompressing the layers it has seen before, so measured runs start
# from an empty one; root's cache is the fixed /var/lib/containers/cache,
# replaced in a private mount namespace.
skopeo_cache() {
    local dir=$1
    shift
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        mkdir -p /var/lib/containers/cache
        unshare -m sh -c 'mount --bind "$0" /var/lib/containers/cache && exec skopeo "$@"' "$dir" "$@"
    else
        mkdir -p "$dir/containers"
        rm -rf "$dir/containers/cache" && ln -s "$dir" "$dir/containers/cache"
        XDG_DATA_HOME=$dir skopeo "$@"
    fi
}
