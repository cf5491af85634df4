#!/bin/bash
# Round-trip through a real operator (Dovecot + Postfix started by
# cachet-operator), using nothing but curl as the client:
#   alice submits over SMTP+STARTTLS -> Postfix -> LMTP -> Dovecot -> bob
#   reads it over IMAPS; plus the security properties the app relies on
#   (no login before STARTTLS, no relaying without AUTH, client-certificate
#   listener) and a clean stop.
#
# Exit 77 (meson "skipped") when not root or when a server binary is
# missing - except under CI=true, where a missing peer means the CI image
# is broken and must fail loudly instead of silently skipping.

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OPERATOR="$HERE/cachet-operator"
POLL_TIMEOUT=30

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() {
    if [ "${CI:-}" = true ]; then
        fail "$* (CI=true: missing peers are failures, not skips)"
    fi
    echo "SKIP: $*" >&2
    exit 77
}

[ "$(id -u)" = 0 ] || { echo "SKIP: must run as root (Postfix needs it)" >&2; exit 77; }
export PATH="/usr/sbin:/sbin:$PATH"
for bin in dovecot postfix openssl curl /usr/bin/python3; do
    # `command -v` alone also reports non-executable files.
    if ! path=$(command -v "$bin") || [ ! -x "$path" ]; then
        skip "missing $bin"
    fi
done

# set -e exits silently; say where, so a CI log is enough to debug.
trap 'echo "FAIL: unexpected error (status $?) at line $LINENO" >&2' ERR

DIR=$(mktemp -d /tmp/cachet-operator-test.XXXXXX)
ok=0

cleanup() {
    "$OPERATOR" stop "$DIR" || true
    if [ "$ok" != 1 ]; then
        # The logs are the only way to understand a failure in CI.
        for log in "$DIR"/dovecot/*.log "$DIR"/postfix/postfix.log; do
            [ -f "$log" ] && { echo "--- tail $log" >&2; tail -n 30 "$log" >&2; }
        done
    fi
    rm -rf "$DIR"
}
trap cleanup EXIT
# Without these, a meson timeout (SIGTERM) would skip the EXIT trap and
# leave both servers running.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

rc=0
"$OPERATOR" start "$DIR" || rc=$?
[ "$rc" = 77 ] && skip "cachet-operator cannot run here (see above)"
[ "$rc" = 0 ] || fail "operator did not start"
# shellcheck disable=SC1091
. "$DIR/operator.env"

# Verify against the test CA only; the certificate is for localhost and
# 127.0.0.1, so both names must work.
TLS=(--cacert "$CA_FILE" --max-time 20 -sS)
H=127.0.0.1

# ---------------------------------------------------------------------------
# 1. Submit alice -> bob over SMTP submission with STARTTLS and AUTH.
TOKEN="cachet-$(date +%s)-$$-$RANDOM$RANDOM"
SUBJECT="Cachet round-trip $TOKEN"
MSG="$DIR/message.eml"
cat >"$MSG" <<EOF
From: Dr Alice Martin <$ALICE_EMAIL>
To: Dr Bob Lambert <$BOB_EMAIL>
Subject: $SUBJECT
Message-ID: <$TOKEN@demo.cachet.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour Bob,
unique token: body-$TOKEN
EOF

curl "${TLS[@]}" --ssl-reqd --url "smtp://localhost:$SUBMISSION_PORT" \
    --user "$ALICE_USER:$ALICE_PASSWORD" \
    --mail-from "$ALICE_EMAIL" --mail-rcpt "$BOB_EMAIL" --upload-file "$MSG" \
    || fail "SMTP submission with STARTTLS failed"

# Same over implicit TLS (submissions, 465 style).
curl "${TLS[@]}" --url "smtps://$H:$SUBMISSIONS_PORT" \
    --user "$ALICE_USER:$ALICE_PASSWORD" \
    --mail-from "$ALICE_EMAIL" --mail-rcpt "$ALICE_EMAIL" --upload-file "$MSG" \
    || fail "SMTP submission over implicit TLS failed"

# Without AUTH, Postfix must not relay even to a hosted domain.
if curl "${TLS[@]}" --ssl-reqd --url "smtp://$H:$SUBMISSION_PORT" \
    --mail-from "$ALICE_EMAIL" --mail-rcpt "$BOB_EMAIL" --upload-file "$MSG" \
    2>/dev/null; then
    fail "submission accepted a message without authentication"
fi

# ---------------------------------------------------------------------------
# 2. Read bob's INBOX over IMAPS until the message arrives.
imaps() { curl "${TLS[@]}" --user "$BOB_USER:$BOB_PASSWORD" "$@"; }

uid=""
deadline=$((SECONDS + POLL_TIMEOUT))
while [ -z "$uid" ]; do
    out=$(imaps --url "imaps://$H:$IMAPS_PORT/INBOX" \
        --request "UID SEARCH BODY \"body-$TOKEN\"") || fail "IMAPS search failed"
    uid=$(printf '%s\n' "$out" | sed -n 's/^\* SEARCH \([0-9][0-9]*\).*/\1/p' | tr -d '\r')
    [ -n "$uid" ] && break
    [ $SECONDS -lt $deadline ] || fail "message not delivered to bob within ${POLL_TIMEOUT}s"
    sleep 0.3
done

fetched=$(imaps --url "imaps://$H:$IMAPS_PORT/INBOX;UID=$uid") || fail "IMAPS fetch failed"
printf '%s\n' "$fetched" | tr -d '\r' | grep -qx "Subject: $SUBJECT" \
    || fail "fetched message has the wrong Subject"
printf '%s\n' "$fetched" | grep -q "body-$TOKEN" \
    || fail "fetched message lacks the body token"
# Proves the message went through Postfix's SASL path, not some shortcut.
printf '%s\n' "$fetched" | grep -q "Authenticated sender: $ALICE_USER" \
    || fail "no 'Authenticated sender' trace in the Received header"

# ---------------------------------------------------------------------------
# 3. STARTTLS port: no login in clear text, login fine after STARTTLS.
rc=0
curl -sS --max-time 20 --url "imap://$H:$IMAP_STARTTLS_PORT/" \
    --user "$ALICE_USER:$ALICE_PASSWORD" >/dev/null 2>&1 || rc=$?
[ "$rc" = 67 ] || fail "IMAP login before STARTTLS was not refused (curl rc=$rc, want 67)"
curl "${TLS[@]}" --ssl-reqd --url "imap://localhost:$IMAP_STARTTLS_PORT/" \
    --user "$ALICE_USER:$ALICE_PASSWORD" | grep -q 'INBOX' \
    || fail "IMAP login after STARTTLS failed"

# ---------------------------------------------------------------------------
# 4. Client-certificate listener.
rc=0
curl "${TLS[@]}" --url "imaps://$H:$IMAPS_CLIENTCERT_PORT/" \
    --user "$ALICE_USER:$ALICE_PASSWORD" >/dev/null 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "client-cert listener accepted a client without certificate"
curl "${TLS[@]}" --cert "$CLIENT_CERT" --key "$CLIENT_KEY" \
    --url "imaps://$H:$IMAPS_CLIENTCERT_PORT/" \
    --user "$ALICE_USER:$ALICE_PASSWORD" | grep -q 'INBOX' \
    || fail "client-cert listener refused alice's certificate"
# SASL EXTERNAL: the certificate alone logs alice in.
curl "${TLS[@]}" --cert "$CLIENT_CERT" --key "$CLIENT_KEY" \
    --login-options AUTH=EXTERNAL --user "$CLIENT_CERT_USER:" \
    --url "imaps://$H:$IMAPS_CLIENTCERT_PORT/" | grep -q 'INBOX' \
    || fail "SASL EXTERNAL with alice's certificate failed"

# ---------------------------------------------------------------------------
# 5. Stop: no master (nor any child) of this folder may survive.
"$OPERATOR" stop "$DIR" || fail "operator stop failed"
if pgrep -f "dovecot -c $DIR/" >/dev/null; then
    fail "a Dovecot master of $DIR is still running"
fi
# Every Dovecot/Postfix process of an instance works inside $DIR (cwd or
# chroot); Postfix's also carry MAIL_CONFIG.  None may remain.
for proc in /proc/[0-9]*; do
    exe=$(readlink "$proc/exe" 2>/dev/null) || continue
    case "$exe" in
    /usr/sbin/dovecot | /usr/lib/dovecot/* | /usr/lib/postfix/*) ;;
    *) continue ;;
    esac
    # Other processes come and go meanwhile: tolerate vanishing entries.
    cwd=$(readlink "$proc/cwd" 2>/dev/null) || cwd=
    root=$(readlink "$proc/root" 2>/dev/null) || root=
    where="$cwd/ $root/"
    config=$({ tr '\0' '\n' <"$proc/environ"; } 2>/dev/null | grep '^MAIL_CONFIG=' || true)
    case " $where $config/" in
    *" $DIR/"* | *"=$DIR/"*)
        fail "${proc#/proc/} ($exe) of $DIR survived stop" ;;
    esac
done
rc=0
curl "${TLS[@]}" --url "imaps://$H:$IMAPS_PORT/" --user "$BOB_USER:$BOB_PASSWORD" \
    >/dev/null 2>&1 || rc=$?
[ "$rc" = 7 ] || fail "IMAPS port still answers after stop (curl rc=$rc)"

ok=1
echo "PASS: operator round-trip"
