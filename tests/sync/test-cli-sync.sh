#!/bin/bash
# cachet-cli sync against the real operator in a box: the first sync stores
# the demo mail, a second one downloads nothing again, changes made on the
# server by another client (a flag, a deletion) reach the local copy, and the
# index rebuilt from the Maildirs lists the same messages.
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

"$operator" start "$work/operator" --demo
# shellcheck disable=SC1091
source "$work/operator/operator.env"

fail() { echo "FAIL: $*" >&2; exit 1; }
as_alice() { # another client changing alice's INBOX
  curl -s --cacert "$CA_FILE" "imaps://127.0.0.1:$IMAPS_PORT/INBOX" -u "$ALICE_EMAIL:$ALICE_PASSWORD" -X "$1"
}
sync_json() { "$cli" sync --account Alice --json | tr -d ' \n'; }

printf '%s\n' "$ALICE_PASSWORD" | "$cli" account add --name Alice --address "$ALICE_EMAIL" \
  --imap "imaps://127.0.0.1:$IMAPS_PORT" --smtp "smtp://127.0.0.1:$SUBMISSION_PORT" \
  --ca-file "$CA_FILE" --password-stdin

first=$(sync_json)
case "$first" in *'"added":4,'*'"new_in_inbox":0'*) ;; *) fail "first sync: $first" ;; esac
again=$(sync_json)
case "$again" in *'"added":0,"removed":0,"flags_changed":0'*) ;; *) fail "second sync: $again" ;; esac
"$cli" messages --account Alice --json | grep -q 'Planning des gardes' || fail "the demo mail is not listed"

as_alice 'UID STORE 2 +FLAGS (\Seen)' >/dev/null
as_alice 'UID STORE 1 +FLAGS (\Deleted)' >/dev/null
as_alice 'EXPUNGE' >/dev/null
changed=$(sync_json)
case "$changed" in *'"added":0,"removed":1,'*) ;; *) fail "sync after server changes: $changed" ;; esac
case "$changed" in *'"flags_changed":0'*) fail "the flag change was missed: $changed" ;; esac
listing=$("$cli" messages --account Alice --json)
[ "$(grep -c '"uid"' <<<"$listing")" -eq 3 ] || fail "3 messages expected after the deletion"
tr -d ' \n' <<<"$listing" | grep -q '"uid":2,[^}]*"seen":true' || fail "message 2 is not seen locally"

# New mail in the inbox is what the user is told about.
printf 'Subject: Nouveau\r\n\r\nBonjour\r\n' > "$work/new.eml"
curl -s --ssl-reqd --cacert "$CA_FILE" "smtp://127.0.0.1:$SUBMISSION_PORT" -u "$BOB_EMAIL:$BOB_PASSWORD" \
  --mail-from "$BOB_EMAIL" --mail-rcpt "$ALICE_EMAIL" -T "$work/new.eml" || fail "cannot submit new mail"
for _ in $(seq 50); do
  news=$(sync_json)
  case "$news" in *'"added":0,'*) sleep 0.2 ;; *) break ;; esac
done
case "$news" in *'"added":1,'*'"new_in_inbox":1'*) ;; *) fail "sync after new mail: $news" ;; esac
listing=$("$cli" messages --account Alice --json)

# The index is derived data: rebuilt from the Maildirs, it lists the same.
rm "$XDG_DATA_HOME"/cachet/accounts/*/index.sqlite*
"$cli" reindex >/dev/null
[ "$("$cli" messages --account Alice --json)" = "$listing" ] || fail "reindex changed the listing"
echo "PASS: cli sync"
