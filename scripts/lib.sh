# Shared helpers for the scripts in this folder. Source it; do not run it.

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

# The tranship binary built by `cargo build`.
tranship_bin() { echo "$CARGO_TARGET_DIR/debug/tranship"; }
