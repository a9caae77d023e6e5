#!/usr/bin/env bash
# diff_id throughput: tranship against the decoder's own limit and peers.
#
#   bench/diff_id.sh            # generate data once, build, measure, print a table
#
# Data goes to $TRANSHIP_BENCH_DIR (default ~/.cache/tranship/bench): a tar
# of this machine's system files of about $LAYER_BYTES bytes (default 1e9),
# compressed with gzip level 6, and the same tar split into 8 layers.
# Every command runs $RUNS times (default 3), in rounds; the table shows
# the fastest run and the largest peak RSS. Rates are decompressed MB
# (10^6 bytes) per second of wall time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh" # CARGO_TARGET_DIR, apt_install
. "$ROOT/bench/lib.sh"
BIN=$TARGET/release/examples/diff_id
bench_tools

# 1. Data, made once (bench/lib.sh).
bench_data
cd "$DATA"
SIZE=$(cat layer.size)
EXPECT=$(cat layer.sha256)

# 2. Build.
(cd "$ROOT" && cargo build -q --release -p tranship --example diff_id)

# 3. Measure (bench/lib.sh: measure, wait_idle).
# Correctness first: our diff_id must be the sha256 of the tar.
out=$("$BIN" layer.tar.gz)
got=${out%% *}
if [ "$got" != "sha256:$EXPECT" ]; then
    echo "diff_id mismatch: got $got, expected sha256:$EXPECT" >&2
    exit 1
fi

# A large layer with small ones, the usual shape of an image: the whole
# tar and two of its parts.
MIX=(layer.tar.gz part-0.tar.gz part-1.tar.gz)
MIX_SIZE=$("$BIN" "${MIX[@]}" | sed -n 's/.*uncompressed_bytes=\([0-9]*\).*/\1/p')

PY='import gzip, hashlib, sys
h = hashlib.sha256()
with gzip.open(sys.argv[1], "rb") as f:
    while b := f.read(1 << 20):
        h.update(b)
print(h.hexdigest())'

wait_idle

cat layer.tar.gz part-?.tar.gz >/dev/null # warm the page cache
# Rounds of every command in turn, so that a burst of other work on the
# machine hits them all alike.
for ((round = 0; round < RUNS; round++)); do
    measure ours "$BIN" layer.tar.gz
    measure ours8 "$BIN" part-?.tar.gz
    measure mix "$BIN" "${MIX[@]}"
    measure inflate "$BIN" --inflate-only layer.tar.gz
    measure serial "$BIN" --serial layer.tar.gz
    measure python python3 -c "$PY" layer.tar.gz
    measure pigz bash -c 'pigz -dc layer.tar.gz | sha256sum'
done

rate() { awk -v b="${2:-$SIZE}" -v s="${BEST[$1]}" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
# speedup X Y: rate of X divided by rate of Y.
speedup() { awk -v x="${BEST[$1]}" -v y="${BEST[$2]}" 'BEGIN { printf "%.2f", y / x }'; }

echo
echo "layer: $SIZE bytes of tar, $(stat -c %s layer.tar.gz) bytes gzip -6; $(nproc) CPUs ($IDLE% idle before, $(idle_pct)% after); best of $RUNS"
echo
echo "| what | MB/s | rate / ours | peak RSS MiB |"
echo "|---|---:|---:|---:|"
echo "| tranship diff_id, 1 layer | $(rate ours) | 1.00 | $(mib ours) |"
echo "| limit: same decoder, inflate only, no hashing | $(rate inflate) | $(speedup inflate ours) | $(mib inflate) |"
echo "| tranship decoder + hashes on one thread (no pipeline) | $(rate serial) | $(speedup serial ours) | $(mib serial) |"
echo "| Python gzip + hashlib loop | $(rate python) | $(speedup python ours) | $(mib python) |"
echo "| pigz -dc \| sha256sum | $(rate pigz) | $(speedup pigz ours) | $(mib pigz) |"
echo "| tranship diff_ids, same data as 8 layers | $(rate ours8) | $(speedup ours8 ours) | $(mib ours8) |"
echo "| tranship diff_ids, the layer and 2 of the 8 ($MIX_SIZE bytes) | $(rate mix "$MIX_SIZE") | $(awk -v a="$(rate mix "$MIX_SIZE")" -v b="$(rate ours)" 'BEGIN { printf "%.2f", a / b }') | $(mib mix) |"
echo
echo "targets: ours / limit >= 0.90: $(speedup ours inflate); ours / Python >= 2.5: $(speedup ours python); 8 layers / 1 layer >= 1.3: $(speedup ours8 ours)"
