#!/bin/sh
# Usage: run-in-session.sh [--display] PROGRAM [ARG…]
#
# Runs a test program inside its own session bus with a fresh, unlocked
# gnome-keyring, so that libsecret talks to a real Secret Service and never to
# the developer's keyring; with --display, also on its own Xvfb server.
# Outside CI a missing peer skips (77); under CI (CI=true) it fails.
set -eu

with_display=
if [ "${1:-}" = --display ]; then
  with_display=1
  shift
fi

require() {
  if ! command -v "$1" >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
      echo "FAIL: $1 is required under CI" >&2
      exit 1
    fi
    echo "SKIP: $1 is not installed (Debian package $2)" >&2
    exit 77
  fi
}
require dbus-run-session dbus
require gnome-keyring-daemon gnome-keyring
[ -z "$with_display" ] || require Xvfb xvfb

if [ -z "${CACHET_TEST_SESSION:-}" ]; then
  export CACHET_TEST_SESSION=1
  exec dbus-run-session -- "$0" ${with_display:+--display} "$@"
fi

session_home=$(mktemp -d)
xvfb_pid=
cleanup() {
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$session_home"
}
trap cleanup EXIT

# The keyring lives in the session's own directories.
export XDG_DATA_HOME="$session_home/data" XDG_RUNTIME_DIR="$session_home/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
printf 'test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null

if [ -n "$with_display" ]; then
  # -displayfd: Xvfb picks a free display and tells us which one.
  exec 3>"$session_home/display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null &
  xvfb_pid=$!
  exec 3>&-
  for _ in $(seq 100); do
    [ -s "$session_home/display" ] && break
    sleep 0.1
  done
  DISPLAY=":$(cat "$session_home/display")"
  export DISPLAY GDK_BACKEND=x11
fi

"$@"
