# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

# One cargo target directory outside the clone, so a reused machine
# reuses it and a fresh one builds from nothing.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tranship/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
TRANSHIP_CACHE="${TRANSHIP_CACHE:-$HOME/.cache/tranship}"
mkdir -p "$TRANSHIP_CACHE"

step() { printf '\n==> %s\n' "$*"; }

# apt_install PKG...: installs the Debian packages that are missing.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ ! -f "$TRANSHIP_CACHE/.apt-updated" ] || ! $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
    $sudo apt-get update -qq
    touch "$TRANSHIP_CACHE/.apt-updated"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

# build_tools: what building the core needs beyond Rust: ISA-L (the gzip
# codec) is built from source with nasm and the autotools.
build_tools() {
  apt_install nasm autoconf automake libtool make
}

# The host's target triple. `napi build` always passes `--target`, so the
# bindings' libraries are in $CARGO_TARGET_DIR/$(host_triple)/debug (or
# release).
host_triple() { rustc -vV | sed -n 's/^host: //p'; }

# The one version of every package: the workspace's, in Cargo.toml.
workspace_version() { sed -n '/^\[workspace.package\]$/,/^\[/s/^version = "\(.*\)"$/\1/p' Cargo.toml; }

# The tranship binary built by `cargo build`.
tranship_bin() { echo "$CARGO_TARGET_DIR/debug/tranship"; }

# --- the bindings' tools ------------------------------------------------------
# binding_tools installs them once under $TRANSHIP_CACHE: a Python venv
# (maturin, pytest, mypy), bindings-node/node_modules (the napi CLI), the
# Kotlin compiler (npm package kotlin-compiler) and the JNA, org.json and
# kotlinx-coroutines jars (Maven Central). Run it from the checkout's root.
KOTLIN_VERSION=2.4.20
JNA_VERSION=5.17.0
ORG_JSON_VERSION=20250517
COROUTINES_VERSION=1.10.2
VENV=$TRANSHIP_CACHE/venv
KOTLIN_HOME=$TRANSHIP_CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler
JARS=$TRANSHIP_CACHE/jars
# Read by the scripts that source this file.
# shellcheck disable=SC2034
{
  KOTLIN_STDLIB=$KOTLIN_HOME/lib/kotlin-stdlib.jar
  JNA_JAR=$JARS/jna-$JNA_VERSION.jar
  JSON_JAR=$JARS/json-$ORG_JSON_VERSION.jar
  # The generated Kotlin's suspend functions need kotlinx-coroutines.
  COROUTINES_JAR=$JARS/kotlinx-coroutines-core-jvm-$COROUTINES_VERSION.jar
}

binding_tools() {
  if [[ ! -x $VENV/bin/python ]]; then
    python3 -m venv "$VENV"
  fi
  if ! cmp -s bindings-python/requirements-dev.txt "$VENV/.tranship-requirements"; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r bindings-python/requirements-dev.txt
    # A `maturin develop` install would shadow the checkout's package.
    "$VENV/bin/pip" uninstall --quiet --yes tranship 2>/dev/null || true
    cp bindings-python/requirements-dev.txt "$VENV/.tranship-requirements"
  fi
  if ! cmp -s bindings-node/package-lock.json bindings-node/node_modules/.tranship-lock; then
    # `npm install` keeps the committed lock file; `npm ci` refuses it because
    # the lock omits other platforms' optional packages.
    (cd bindings-node && npm install --no-audit --no-fund --loglevel=error)
    cp bindings-node/package-lock.json bindings-node/node_modules/.tranship-lock
  fi
  if [[ ! -x $KOTLIN_HOME/bin/kotlinc ]]; then
    npm install --prefix "$TRANSHIP_CACHE/kotlin-$KOTLIN_VERSION" --no-audit --no-fund --loglevel=error \
      "kotlin-compiler@$KOTLIN_VERSION"
  fi
  local artifact name version
  for artifact in "net.java.dev.jna:jna:$JNA_VERSION" "org.json:json:$ORG_JSON_VERSION" \
    "org.jetbrains.kotlinx:kotlinx-coroutines-core-jvm:$COROUTINES_VERSION"; do
    IFS=: read -r _ name version <<<"$artifact"
    if [[ ! -f $JARS/$name-$version.jar ]]; then
      # From the jars' folder, so that no project's pom.xml is read.
      mkdir -p "$JARS"
      (cd "$JARS" && mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="$artifact" \
        -DoutputDirectory="$JARS" >/dev/null)
    fi
  done
}

# containerregistry_venv: a virtualenv with Google's Python containerregistry
# (the ccwienk fork, which installs on current Pythons) and the modules it
# imports, installed without its pinned dependencies, once, at
# $CONTAINERREGISTRY_VENV. Returns non-zero (pip's output on stderr) when
# it cannot be installed.
CONTAINERREGISTRY_VENV=$TRANSHIP_CACHE/containerregistry-venv
containerregistry_venv() {
  local python=$CONTAINERREGISTRY_VENV/bin/python
  if ! "$python" -c 'import containerregistry.client.v2_2.save, httplib2, oauth2client' 2>/dev/null; then
    python3 -m venv "$CONTAINERREGISTRY_VENV" &&
      "$CONTAINERREGISTRY_VENV/bin/pip" install -q --disable-pip-version-check --no-deps \
        containerregistry-ccwienk httplib2 pyparsing oauth2client six
  fi
}

# kotlin_jar CLASSPATH SOURCE...: compiles the Kotlin sources against the
# classpath and prints the jar's path. kotlinc takes ~30 s, so the jar is
# kept under $TRANSHIP_CACHE/kotlin-build, keyed by the sources and the
# classpath's jars, and reused while they are unchanged; the newest few are
# kept, so checkouts sharing the cache (worktrees) keep each other's.
kotlin_jar() {
  local classpath=$1 key jar
  shift
  local jars
  IFS=: read -r -a jars <<<"$classpath"
  key=$(cat "$@" "${jars[@]}" | sha256sum | cut -c1-16)
  jar=$TRANSHIP_CACHE/kotlin-build/$KOTLIN_VERSION-$key.jar
  if [[ ! -f $jar ]]; then
    mkdir -p "$TRANSHIP_CACHE/kotlin-build/$$"
    "$KOTLIN_HOME/bin/kotlinc" -nowarn -cp "$classpath" -d "$TRANSHIP_CACHE/kotlin-build/$$/out.jar" "$@" >&2
    mv "$TRANSHIP_CACHE/kotlin-build/$$/out.jar" "$jar"
    rmdir "$TRANSHIP_CACHE/kotlin-build/$$"
    # shellcheck disable=SC2012 # names are ours: version-hex.jar
    ls -t "$TRANSHIP_CACHE"/kotlin-build/*.jar | tail -n +7 | xargs -r rm -f
  fi
  echo "$jar"
}
