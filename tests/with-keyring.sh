#!/bin/sh
# Runs a test program inside its own session bus with a fresh, unlocked
# gnome-keyring, so libsecret talks to a real Secret Service and never to the
# developer's keyring. Outside CI a missing peer skips (77); under CI it fails.
set -eu

for program in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$program" >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
      echo "FAIL: $program is required under CI" >&2
      exit 1
    fi
    echo "SKIP: $program is not installed (Debian packages dbus, gnome-keyring)" >&2
    exit 77
  fi
done

if [ -z "${CACHET_KEYRING_SESSION:-}" ]; then
  export CACHET_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

# The keyring lives in the test's own data directory.
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
printf 'test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
