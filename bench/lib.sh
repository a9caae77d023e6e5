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
# largest of the processes it waited for).
declare -A BEST RSS
measure() {
    local name=$1
    shift
    local out secs kb
    out=$({ /usr/bin/time -f 'TIME %e %M' "$@" >/dev/null; } 2>&1 | grep '^TIME' | tail -1)
    read -r _ secs kb <<<"$out"
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
