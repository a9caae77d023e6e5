#!/usr/bin/env bash
# Layer compression and decompression: tranship's codec against igzip,
# pigz, gzip, zstd and Python's gzip, on the same data in the same run.
#
#   bench/compress.sh           # data once, build, measure, print a table
#
# Data: the tar of this machine's files bench/lib.sh makes (about
# $LAYER_BYTES bytes, default 1e9), kept plain as layer.tar too. Every
# command runs $RUNS times (default 3) in rounds; the table shows the
# fastest run and the largest peak RSS. Rates are MB (10^6 bytes) of tar
# per second of wall time; "size" is the output over the tar's size.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh" # CARGO_TARGET_DIR, apt_install
. "$ROOT/bench/lib.sh"
BIN=$TARGET/release/tranship
bench_tools zstd gzip
# igzip comes in Debian's isal package.
command -v igzip >/dev/null || apt_install isal

bench_data
cd "$DATA"
if [ ! -s layer.tar ]; then
    pigz -dc layer.tar.gz >layer.tar.tmp && mv layer.tar.tmp layer.tar
fi
SIZE=$(stat -c %s layer.tar)
EXPECT=sha256:$(cat layer.sha256)
OUT=$DATA/compress-out
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT

(cd "$ROOT" && cargo build -q --release -p tranship-cli)

# Correctness first: what we write decodes to the tar (with the peers'
# decoders), and the thread count does not change the bytes.
"$BIN" layer compress layer.tar -o "$OUT/t.gz" --json >"$OUT/gz.json"
"$BIN" layer compress layer.tar -o "$OUT/t1.gz" --threads 1 >/dev/null
# A difference is reported in the targets (and the measuring goes on).
SAME_BYTES=yes
cmp -s "$OUT/t.gz" "$OUT/t1.gz" || { SAME_BYTES=NO; echo "gzip: 1 thread and all threads wrote different bytes" >&2; }
[ "sha256:$(igzip -dc "$OUT/t.gz" | sha256sum | cut -d' ' -f1)" == "$EXPECT" ] || { echo "our gzip does not decode to the tar" >&2; exit 1; }
"$BIN" layer compress layer.tar --format zstd -o "$OUT/t.zst" >/dev/null
[ "sha256:$(zstd -dc "$OUT/t.zst" | sha256sum | cut -d' ' -f1)" == "$EXPECT" ] || { echo "our zstd does not decode to the tar" >&2; exit 1; }
grep -q "\"diff_id\":\"$EXPECT\"" "$OUT/gz.json" || { echo "layer compress reported another diff_id" >&2; exit 1; }

PY_ENC='import gzip, shutil, sys
with open(sys.argv[1], "rb") as src, gzip.open(sys.argv[2], "wb", compresslevel=int(sys.argv[3])) as dst:
    shutil.copyfileobj(src, dst, 1 << 20)'
PY_DEC='import gzip, hashlib, sys
h = hashlib.sha256()
with gzip.open(sys.argv[1], "rb") as f:
    while b := f.read(1 << 20):
        h.update(b)'

declare -A BYTES
size_of() { BYTES[$1]=$(stat -c %s "$2"); }

wait_idle
cat layer.tar layer.tar.gz >/dev/null # warm the page cache
for ((round = 0; round < RUNS; round++)); do
    measure ours_gz "$BIN" layer compress layer.tar -o "$OUT/ours.gz"
    measure ours_gz1 "$BIN" layer compress layer.tar -o "$OUT/ours1.gz" --threads 1
    measure ours_gz_cpu taskset -c 0 "$BIN" layer compress layer.tar -o "$OUT/ours1.gz" --threads 1
    measure igzip bash -c "igzip -1 -c layer.tar >'$OUT/igzip.gz'"
    measure pigz6 bash -c "pigz -6 -c layer.tar >'$OUT/pigz.gz'"
    measure ours_zst "$BIN" layer compress layer.tar --format zstd -o "$OUT/ours.zst"
    measure zstd3 bash -c "zstd -q -3 -T0 -c layer.tar >'$OUT/zstd.zst'"
    measure ours_gz_dec "$BIN" layer decompress "$OUT/ours.gz" -o "$OUT/back.tar"
    measure ours_diff_id "$BIN" layer diff-id layer.tar.gz
    measure igzip_dec bash -c "igzip -dc layer.tar.gz >/dev/null"
    measure pigz_dec bash -c "pigz -dc layer.tar.gz >/dev/null"
    measure python_dec python3 -c "$PY_DEC" layer.tar.gz
    measure ours_zst_dec "$BIN" layer decompress "$OUT/ours.zst" -o "$OUT/back.tar"
    measure zstd_dec bash -c "zstd -q -dc '$OUT/ours.zst' >/dev/null"
done
# The slowest peers once each: they take tens of seconds.
measure gzip6 bash -c "gzip -6 -c layer.tar >'$OUT/gzip.gz'"
measure python1 python3 -c "$PY_ENC" layer.tar "$OUT/python.gz" 1
for f in ours.gz:ours_gz ours1.gz:ours_gz1 igzip.gz:igzip pigz.gz:pigz6 gzip.gz:gzip6 python.gz:python1 ours.zst:ours_zst zstd.zst:zstd3; do
    size_of "${f#*:}" "$OUT/${f%%:*}"
done

rate() { awk -v b="$SIZE" -v s="${BEST[$1]}" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
ratio() { awk -v a="${BYTES[$1]}" -v b="$SIZE" 'BEGIN { printf "%.3f", a / b }'; }
over() { awk -v x="${BEST[$1]}" -v y="${BEST[$2]}" 'BEGIN { printf "%.2f", y / x }'; }
row() { echo "| $1 | $(rate "$2") | ${3:-$(ratio "$2")} | $(mib "$2") |"; }

echo
echo "compress: $SIZE bytes of tar ($(nproc) CPUs, $IDLE% idle before, $(idle_pct)% after); best of $RUNS (gzip -6 and Python once)"
echo
echo "| encode | MB/s | size | peak RSS MiB |"
echo "|---|---:|---:|---:|"
row "tranship layer compress (gzip 1, every CPU)" ours_gz
row "tranship layer compress --threads 1 (gzip 1)" ours_gz1
row "tranship layer compress --threads 1 on one CPU (taskset -c 0)" ours_gz_cpu "$(ratio ours_gz1)"
row "igzip -1 (one thread)" igzip
row "pigz -6 (every CPU)" pigz6
row "gzip -6" gzip6
row "Python gzip, level 1" python1
row "tranship layer compress --format zstd (3, every CPU)" ours_zst
row "zstd -3 -T0" zstd3
echo
echo "| decode | MB/s | | peak RSS MiB |"
echo "|---|---:|---:|---:|"
row "tranship layer decompress (gzip, to a file)" ours_gz_dec "-"
row "tranship layer diff-id (gzip -6 layer, both digests)" ours_diff_id "-"
row "igzip -dc > /dev/null (ISA-L, inflate only)" igzip_dec "-"
row "pigz -dc > /dev/null" pigz_dec "-"
row "Python gzip + hashlib loop" python_dec "-"
row "tranship layer decompress (zstd, to a file)" ours_zst_dec "-"
row "zstd -dc > /dev/null" zstd_dec "-"
echo
echo "target: gzip, 1 thread and every CPU write the same bytes: $SAME_BYTES"
echo "target: gzip 1 thread / igzip -1 >= 0.90: $(over ours_gz1 igzip); on one CPU: $(over ours_gz_cpu igzip) (size $(awk -v a="${BYTES[ours_gz1]}" -v b="${BYTES[igzip]}" 'BEGIN { printf "%.4f", a / b }')x igzip's, <= 1.03)"
echo "target: gzip every CPU / one CPU >= 1.7: $(over ours_gz ours_gz_cpu) (/ 1 thread on every CPU: $(over ours_gz ours_gz1))"
echo "target: zstd / zstd -3 -T0 >= 0.90: $(over ours_zst zstd3)"
echo "target: diff-id / igzip -dc >= 0.90: $(over ours_diff_id igzip_dec); diff-id / Python >= 2.5: $(over ours_diff_id python_dec)"
echo "target: peak RSS < 64 MiB: gzip $(mib ours_gz), zstd $(mib ours_zst), diff-id $(mib ours_diff_id)"
