#!/usr/bin/env bash
# Per-call overhead of the bindings: the same pure calls (parse a
# reference, parse a 735-byte schema2 manifest, build a parsed manifest's
# report) made directly in Rust and through the Python, Node and Kotlin
# bindings, all built in release mode. Prints one line per language and
# operation (`LANG OP NS_PER_CALL`, the median of 5 rounds) and then a
# Markdown table for docs/BENCHMARKS.md.
#
# Needs the tools scripts/test-bindings installs (run it once first).
# Usage: bench/binding_overhead.sh
set -euo pipefail

cd "$(dirname "$0")/.."
CACHE=${TRANSHIP_CACHE:-$HOME/.cache/tranship}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
HOST=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_BUILD_TARGET=$HOST
LIBDIR=$CARGO_TARGET_DIR/$HOST/release
MANIFEST=tests/corpus/manifest/data/schema2.json
PYTHON=$CACHE/venv/bin/python
KOTLIN_HOME=$(ls -d "$CACHE"/kotlin-*/node_modules/kotlin-compiler | tail -n 1)
CP=$(ls "$CACHE"/jars/jna-*.jar | tail -n 1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== build (release, one cargo invocation as in scripts/test-bindings)" >&2
export PYO3_PYTHON=$PYTHON PYO3_BUILD_EXTENSION_MODULE=1
(cd bindings-node && npx --no-install napi build --platform --release --package tranship-node \
    --output-dir "$WORK/node" --js index.js --dts index.d.ts -- \
    --lib --package tranship-python --package tranship-uniffi \
    --package tranship --example binding_overhead >&2)
mkdir -p "$WORK/python"
cp -r bindings-python/python/tranship "$WORK/python/"
cp "$LIBDIR/lib_native.so" "$WORK/python/tranship/_native.abi3.so"
"$KOTLIN_HOME/bin/kotlinc" -nowarn -cp "$CP" -d "$WORK/overhead.jar" \
    bindings-uniffi/kotlin/dev/tranship/tranship.kt bench/binding_overhead/Overhead.kt

echo "== run" >&2
{
    "$LIBDIR/examples/binding_overhead" "$MANIFEST"
    PYTHONPATH=$WORK/python "$PYTHON" bench/binding_overhead/overhead.py "$MANIFEST"
    node bench/binding_overhead/overhead.mjs "$WORK/node/index.js" "$MANIFEST"
    java -Djna.library.path="$LIBDIR" -cp "$WORK/overhead.jar:$KOTLIN_HOME/lib/kotlin-stdlib.jar:$CP" \
        OverheadKt "$MANIFEST"
} | tee "$WORK/results"

echo
echo "| operation | Rust (ns) | Python (ns, +overhead) | Node (ns, +overhead) | Kotlin/JVM (ns, +overhead) |"
echo "|---|---:|---:|---:|---:|"
for op in parse_reference parse_manifest report; do
    awk -v op="$op" '
        $2 == op { ns[$1] = $3 }
        END {
            cell = ""
            split("python node kotlin", langs, " ")
            for (i = 1; i <= 3; i++) {
                l = langs[i]
                cell = cell sprintf(" %d (+%d) |", ns[l], ns[l] - ns["rust"])
            }
            printf "| `%s` | %d |%s\n", op, ns["rust"], cell
        }' "$WORK/results"
done
