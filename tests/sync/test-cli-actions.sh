#!/bin/bash
# Offline actions against the real operator in a box: flags, a move and
# deletions (to the trash, then from the trash) show at once on this
# computer, wait in the queue while the server is unreachable, and reach the
# server at the next sync; a second client, syncing the same account into
# its own HOME, then sees exactly the same folders and flags, nothing twice.
# A move the server refuses fails alone, and the message comes back.
# Run inside run-in-session.sh (for the keyring). Skips (77) without root or
# the peers, unless CI=true.
set -euo pipefail

skip_or_fail() {
  if [ "${CI:-}" = true ]; then echo "FAIL: $1 (required under CI)" >&2; exit 1; fi
  echo "SKIP: $1" >&2; exit 77
}
[ "$(id -u)" -eq 0 ] || skip_or_fail "the operator in a box needs root"
for program in curl dovecot postfix openssl python3; do
  command -v "$program" >/dev/null || skip_or_fail "$program is not installed"
done

here=$(cd "$(dirname "$0")" && pwd)
operator="$here/../operator/cachet-operator"
cli="$CACHET_CLI"
work=$(mktemp -d)
chmod 755 "$work"
trap '"$operator" stop "$work/operator" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

"$operator" start "$work/operator" --demo
# shellcheck disable=SC1091
source "$work/operator/operator.env"

fail() { echo "FAIL: $*" >&2; exit 1; }
# Two clients of the same account, each with its own HOME.
as_client() {
  local n=$1
  shift
  HOME="$work/home$n" XDG_CONFIG_HOME="$work/config$n" XDG_DATA_HOME="$work/data$n" "$cli" "$@"
}
one() { as_client 1 "$@"; }
two() { as_client 2 "$@"; }
# A member of each element of a JSON array, one a line: "json_field uid".
json_field() { python3 -c 'import json, sys; [print(e[sys.argv[1]]) for e in json.load(sys.stdin)]' "$1"; }
uids() { "$@" | json_field uid | tr '\n' ' '; }
# "seen flagged" of one message of a listing.
flags_of() {
  python3 -c '
import json, sys
for e in json.load(sys.stdin):
    if e["uid"] == int(sys.argv[1]):
        print(e["seen"], e["flagged"])' "$1"
}
sync_json() { as_client "$1" sync --account Alice --json | tr -d ' \n'; }

for n in 1 2; do
  printf '%s\n' "$ALICE_PASSWORD" | as_client "$n" account add --name Alice --address "$ALICE_EMAIL" \
    --imap "imaps://127.0.0.1:$IMAPS_PORT" --smtp "smtp://127.0.0.1:$SUBMISSION_PORT" \
    --ca-file "$CA_FILE" --password-stdin
done

first=$(sync_json 1)
case "$first" in *'"added":4,'*'"replayed":0,"failed_actions":0'*) ;; *) fail "first sync: $first" ;; esac
[ "$(uids one messages --account Alice --json)" = "4 3 2 1 " ] || fail "the demo mail is not in the inbox"

# The changes show at once, before any server hears of them.
one flag --account Alice --uid 1 --seen --flagged --json | grep -q '"kind" : "add-flags"' ||
  fail "flag did not queue an action"
one flag --account Alice --uid 4 --seen >/dev/null
one flag --account Alice --uid 4 --unseen >/dev/null
one move --account Alice --uid 2 --to Archive >/dev/null
one delete --account Alice --uid 3 --json | tr -d ' \n' | grep -q '"kind":"move"[^}]*"target_folder":"Trash"' ||
  fail "delete outside the trash is not a move to the trash"
[ "$(uids one messages --account Alice --json)" = "4 1 " ] || fail "moved messages still listed"
[ "$(one messages --account Alice --json | flags_of 1)" = "True True" ] || fail "uid 1 not seen and flagged locally"
[ "$(one pending --account Alice --json | json_field state | sort | uniq -c | tr -s ' ')" = " 5 queued" ] ||
  fail "five actions should be queued"

# Offline: the server cannot be reached; nothing is lost, nothing failed.
config="$work/config1/cachet/accounts.ini"
cp "$config" "$work/accounts.ini.online"
sed -i "s|127.0.0.1:$IMAPS_PORT|127.0.0.1:1|" "$config"
if one sync --account Alice >/dev/null 2>&1; then fail "sync succeeded with the server unreachable"; fi
[ "$(one pending --account Alice --json | json_field state | sort | uniq -c | tr -s ' ')" = " 5 queued" ] ||
  fail "the queue changed while offline"
[ "$(uids one messages --account Alice --json)" = "4 1 " ] || fail "the local changes were undone offline"

# Online again: the queue is replayed, then the folders synced.
cp "$work/accounts.ini.online" "$config"
online=$(sync_json 1)
case "$online" in *'"replayed":5,"failed_actions":0'*) ;; *) fail "sync after reconnecting: $online" ;; esac
[ "$(one pending --account Alice --json | tr -d ' \n')" = "[]" ] || fail "actions left in the queue"
again=$(sync_json 1)
case "$again" in *'"added":0,"removed":0,"flags_changed":0,"new_in_inbox":0,"replayed":0'*) ;;
  *) fail "a second sync still changed things: $again" ;; esac

# Another client sees exactly what this one shows.
sync_json 2 >/dev/null
compare_clients() {
  for folder in INBOX Archive Trash Drafts Sent; do
    mine=$(one messages --account Alice --folder "$folder" --json)
    theirs=$(two messages --account Alice --folder "$folder" --json)
    [ "$mine" = "$theirs" ] || fail "$1: the clients differ in $folder: $mine // $theirs"
  done
}
compare_clients "after the replay"
[ "$(uids two messages --account Alice --json)" = "4 1 " ] || fail "the server's inbox is not 1 and 4"
[ "$(two messages --account Alice --json | flags_of 1)" = "True True" ] || fail "uid 1 not seen and flagged on the server"
[ "$(two messages --account Alice --json | flags_of 4)" = "False False" ] || fail "uid 4 not unseen on the server"
[ "$(uids two messages --account Alice --folder Archive --json | wc -w)" -eq 1 ] || fail "Archive should hold one message"
trashed=$(uids two messages --account Alice --folder Trash --json)
[ "$(wc -w <<<"$trashed")" -eq 1 ] || fail "Trash should hold one message: $trashed"

# From the trash, deleting is for good.
one delete --account Alice --folder Trash --uid "$trashed" --json | grep -q '"kind" : "delete"' ||
  fail "delete in the trash is not a deletion"
[ -z "$(uids one messages --account Alice --folder Trash --json)" ] || fail "deleted message still listed"
purged=$(sync_json 1)
case "$purged" in *'"replayed":1,"failed_actions":0'*) ;; *) fail "sync after deleting from the trash: $purged" ;; esac
sync_json 2 >/dev/null
[ -z "$(uids two messages --account Alice --folder Trash --json)" ] || fail "the server still has the deleted message"
compare_clients "after deleting from the trash"

# A move the server refuses (its folder is gone) fails alone, with the
# server's words, and the message is back where it was.
as_alice() { # another client changing alice's folders
  curl -s --cacert "$CA_FILE" "imaps://127.0.0.1:$IMAPS_PORT/" -u "$ALICE_EMAIL:$ALICE_PASSWORD" -X "$1"
}
as_alice 'CREATE Ancien' >/dev/null
sync_json 1 >/dev/null
as_alice 'DELETE Ancien' >/dev/null
one move --account Alice --uid 4 --to Ancien >/dev/null
one flag --account Alice --uid 1 --unflagged >/dev/null
refused=$(sync_json 1)
case "$refused" in *'"replayed":1,"failed_actions":1'*) ;; *) fail "sync with a refused move: $refused" ;; esac
one pending --account Alice --json | tr -d ' \n' | grep -q '"kind":"move","state":"failed"[^}]*"last_error":"[^"]' ||
  fail "the refused move is not failed with a reason"
[ "$(uids one messages --account Alice --json)" = "4 1 " ] || fail "the message of the refused move did not come back"
sync_json 2 >/dev/null
compare_clients "after a refused move"
[ "$(two messages --account Alice --json | flags_of 1)" = "True False" ] || fail "uid 1 still flagged on the server"
echo "PASS: cli actions"
