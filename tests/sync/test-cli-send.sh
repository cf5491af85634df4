#!/bin/bash
# cachet-cli send and outbox against the real operator in a box: a message is
# accepted by Postfix, delivered to Dovecot, copied to the sender's Sent
# folder, and leaves the outbox; a refused recipient leaves a failed entry;
# with the server down the message waits in the outbox.
# Run inside run-in-session.sh (for the keyring). Skips (77) without root or
# the peers, unless CI=true.
set -euo pipefail

skip_or_fail() {
  if [ "${CI:-}" = true ]; then echo "FAIL: $1 (required under CI)" >&2; exit 1; fi
  echo "SKIP: $1" >&2; exit 77
}
[ "$(id -u)" -eq 0 ] || skip_or_fail "the operator in a box needs root"
for program in curl dovecot postfix openssl; do
  command -v "$program" >/dev/null || skip_or_fail "$program is not installed"
done

here=$(cd "$(dirname "$0")" && pwd)
operator="$here/../operator/cachet-operator"
cli="$CACHET_CLI"
work=$(mktemp -d)
chmod 755 "$work"
trap '"$operator" stop "$work/operator" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"

"$operator" start "$work/operator"
# shellcheck disable=SC1091
source "$work/operator/operator.env"

fail() { echo "FAIL: $*" >&2; exit 1; }
imap_search() { # user password folder criteria
  curl -s --cacert "$CA_FILE" "imaps://127.0.0.1:$IMAPS_PORT/$3" -u "$1:$2" -X "SEARCH $4"
}

printf '%s\n' "$ALICE_PASSWORD" | "$cli" account add --name Alice --address "$ALICE_EMAIL" \
  --imap "imaps://127.0.0.1:$IMAPS_PORT" --smtp "smtp://127.0.0.1:$SUBMISSION_PORT" \
  --ca-file "$CA_FILE" --password-stdin

token="token-$RANDOM$RANDOM"
printf 'Compte rendu joint.\n' > "$work/compte-rendu.txt"
"$cli" send --account Alice --to "$BOB_EMAIL" --subject "Compte rendu $token é" \
  --body $'Bonjour,\n.\nUne ligne qui commence par un point.' --attach "$work/compte-rendu.txt" \
  || fail "send exited with $?"

for _ in $(seq 50); do
  imap_search "$BOB_EMAIL" "$BOB_PASSWORD" INBOX "SUBJECT $token" | grep -q '^\* SEARCH [0-9]' && break
  sleep 0.2
done
imap_search "$BOB_EMAIL" "$BOB_PASSWORD" INBOX "SUBJECT $token" | grep -q '^\* SEARCH [0-9]' \
  || fail "bob did not receive the message"
imap_search "$ALICE_EMAIL" "$ALICE_PASSWORD" Sent "SUBJECT $token" | grep -q '^\* SEARCH [0-9]' \
  || fail "the message is not in alice's Sent folder"
[ "$("$cli" outbox --account Alice --json | tr -d ' \n')" = "[]" ] || fail "the outbox is not empty"

status=0
"$cli" send --account Alice --to nobody@elsewhere.example --subject x --body y 2>/dev/null || status=$?
[ "$status" -eq 1 ] || fail "a refused recipient gave status $status, not 1"
"$cli" outbox --account Alice --json | grep -q '"state" : "failed"' || fail "no failed entry"

# The server goes away: the message waits in the outbox, due again later.
"$operator" stop "$work/operator"
status=0
"$cli" send --account Alice --to "$BOB_EMAIL" --subject "Plus tard $token" --body z 2>/dev/null || status=$?
[ "$status" -eq 75 ] || fail "with the server down, send gave status $status, not 75"
"$cli" outbox --account Alice --json | grep -q '"state" : "queued"' || fail "no queued entry"
echo "PASS: cli send and outbox"
