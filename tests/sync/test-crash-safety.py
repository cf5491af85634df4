#!/usr/bin/python3
# test-crash-safety.py - kill -9 cachet-cli at random points of a sync or of
# an outbox flush, many times, then let one run finish and check that nothing
# was lost or stored twice.
#
#   test-crash-safety.py sync   the local store ends up with every server
#                               message exactly once, the index agrees with
#                               the Maildirs, and reindexing changes nothing
#   test-crash-safety.py send   every queued message reaches bob and alice's
#                               Sent folder, and the outbox ends up empty
#
# CACHET_CRASH_ROUNDS sets how many runs are killed, CACHET_CRASH_SEED the
# seed of the random kill times (printed, so a failure can be replayed).
#
# Sending cannot be exactly-once across a crash: the outbox records "sending"
# before the SMTP transaction and "accepted" after the server's 250, so a kill
# between the server's acceptance and that record makes the next run send the
# message again (RFC 1047). The test looks at the outbox after each kill: a
# message may arrive twice only if a kill left it "sending", once more per
# such kill; every other message must arrive exactly once. The copy to Sent
# is exactly-once: a message found "accepted" is looked for in Sent before
# it is copied there.
#
# Run inside run-in-session.sh (for the keyring). Skips (77) without root or
# the peers, unless CI=true.

import collections
import configparser
import email.utils
import imaplib
import json
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"
HERE = os.path.dirname(os.path.realpath(__file__))
OPERATOR = os.path.join(HERE, "..", "operator", "cachet-operator")
CLI = os.environ.get("CACHET_CLI", "")
SYNC_MESSAGES = 300     # in alice's INBOX before the first sync
SEND_MESSAGES = 100     # queued before the first flush
SEND_MAX_DELAY = 0.5    # seconds; a flush sends some ten messages in that time


def skip_or_fail(reason):
    if os.environ.get("CI") == "true":
        print("FAIL: %s (required under CI)" % reason, file=sys.stderr)
        sys.exit(1)
    print("SKIP: %s" % reason, file=sys.stderr)
    sys.exit(77)


def fail(message):
    print("FAIL: %s" % message, file=sys.stderr)
    sys.exit(1)


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value else default


class Box:
    """The operator, alice's account in cachet-cli, and the way to reach both."""

    def __init__(self, work):
        self.work = work
        os.environ.update(HOME=os.path.join(work, "home"),
                          XDG_CONFIG_HOME=os.path.join(work, "config"),
                          XDG_DATA_HOME=os.path.join(work, "data"))
        self.operator_dir = os.path.join(work, "operator")
        subprocess.run([OPERATOR, "start", self.operator_dir], check=True,
                       stdout=subprocess.DEVNULL)
        self.env = {}
        with open(os.path.join(self.operator_dir, "operator.env")) as f:
            for line in f:
                match = re.match(r"(?:export )?([A-Z0-9_]+)=(.*)$", line.strip())
                if match:
                    self.env[match.group(1)] = match.group(2).strip("'\"")
        self.tls = ssl.create_default_context(cafile=self.env["CA_FILE"])

    def stop(self):
        subprocess.run([OPERATOR, "stop", self.operator_dir],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def cli(self, *args, check=True, env=None):
        result = subprocess.run([CLI, *args], capture_output=True, text=True,
                                env=env)
        if check and result.returncode != 0:
            fail("cachet-cli %s exited with %d: %s"
                 % (" ".join(args), result.returncode, result.stderr.strip()))
        return result

    def add_alice(self, smtp_port):
        subprocess.run([CLI, "account", "add", "--name", "Alice",
                        "--address", self.env["ALICE_EMAIL"],
                        "--imap", "imaps://%s:%s" % (HOST, self.env["IMAPS_PORT"]),
                        "--smtp", "smtp://%s:%d" % (HOST, smtp_port),
                        "--ca-file", self.env["CA_FILE"], "--password-stdin"],
                       input=self.env["ALICE_PASSWORD"] + "\n", text=True,
                       check=True, stdout=subprocess.DEVNULL)
        paths = json.loads(self.cli("paths", "--json").stdout)
        accounts = configparser.ConfigParser(interpolation=None)
        self.accounts_file = os.path.join(paths["config"], "accounts.ini")
        accounts.read(self.accounts_file)
        self.account_dir = os.path.join(paths["data"], "accounts",
                                        accounts.sections()[0])

    def imap(self, user):
        connection = imaplib.IMAP4_SSL(HOST, int(self.env["IMAPS_PORT"]),
                                       ssl_context=self.tls)
        connection.login(self.env[user + "_EMAIL"], self.env[user + "_PASSWORD"])
        return connection


def kill_after(delay, *args):
    """Starts cachet-cli with @args and SIGKILLs it after @delay seconds.
    Returns whether it was still running then (a run that ended is no
    crash)."""
    process = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def random_body(rng, size):
    words = ("ordonnance", "patient", "consultation", "résultats", "garde",
             "biologie", "compte-rendu", "radiologie", "suivi", "urgence")
    lines, length = [], 0
    while length < size:
        line = " ".join(rng.choice(words) for _ in range(10))
        lines.append(line)
        length += len(line.encode()) + 2
    return "\r\n".join(lines)


# Sync ----------------------------------------------------------------------

def maildir_census(account_dir):
    """(folder, UID) of the files in every folder's Maildir (cur/ and new/),
    and the number of files left in their tmp/."""
    uids = collections.Counter()
    leftovers = 0
    for root, dirs, files in os.walk(os.path.join(account_dir, "folders")):
        name = os.path.basename(root)
        if name in ("cur", "new"):
            for file in files:
                match = re.search(r",U=(\d+)", file)
                folder = os.path.basename(os.path.dirname(root))
                uids[(folder, int(match.group(1)) if match else None)] += 1
        elif name == "tmp" and "cur" in os.listdir(os.path.dirname(root)):
            leftovers += len(files)
    return uids, leftovers


def append_messages(box, imap, rng, first, count):
    # Sizes from a few hundred bytes to 200 kB, so that kills land in small
    # and in large downloads alike.
    for i in range(first, first + count):
        size = int(rng.choice((300, 2000, 10000, 60000, 200000)) * rng.uniform(0.5, 1.0))
        message = ("From: Bob <%s>\r\nTo: %s\r\nSubject: crash %d\r\n"
                   "Message-ID: <crash-%d@cachet.test>\r\nDate: %s\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"
                   % (box.env["BOB_EMAIL"], box.env["ALICE_EMAIL"], i, i,
                      email.utils.formatdate(), random_body(rng, size)))
        imap.append("INBOX", None, None, message.encode())


def server_inbox(imap):
    """UID -> subject of every message in alice's INBOX."""
    imap.select("INBOX")
    _, data = imap.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    inbox = {}
    for item in data:
        if isinstance(item, tuple):
            uid = int(re.search(rb"UID (\d+)", item[0]).group(1))
            inbox[uid] = item[1].decode().split(":", 1)[1].strip()
    return inbox


def listing(box):
    return json.loads(box.cli("messages", "--account", "Alice", "--limit", "100000",
                              "--json").stdout)


def timed_sync(box, data_home):
    started = time.monotonic()
    box.cli("sync", "--account", "Alice", env=dict(os.environ, XDG_DATA_HOME=data_home))
    return time.monotonic() - started


def test_sync(box, rng, rounds):
    count = SYNC_MESSAGES
    added_per_round = 20
    box.add_alice(int(box.env["SUBMISSION_PORT"]))
    imap = box.imap("ALICE")
    append_messages(box, imap, rng, 0, count)
    total = count

    # How long a whole sync and one with nothing to do take here, into a
    # store thrown away afterwards: kills are spread over the time the run
    # about to be killed should take.
    scratch = os.path.join(box.work, "scratch-data")
    full = timed_sync(box, scratch)
    idle = timed_sync(box, scratch)
    shutil.rmtree(scratch)
    per_message = max(full - idle, 0.0) / count
    print("# a sync of %d messages takes %.2f s, one with nothing to do %.2f s"
          % (count, full, idle))

    # Between runs, the server changes as it would while mail comes and goes:
    # new messages arrive, a few are deleted.
    kills = 0
    for _ in range(rounds):
        inbox = server_inbox(imap)
        for uid in rng.sample(sorted(inbox), 3):
            imap.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Deleted)")
        imap.expunge()
        append_messages(box, imap, rng, total, added_per_round)
        total += added_per_round
        pending = len(server_inbox(imap)) - len(listing(box))
        kills += kill_after(rng.uniform(0.0, idle + per_message * max(pending, added_per_round)),
                            "sync", "--account", "Alice")
    print("# %d of %d sync runs killed" % (kills, rounds))

    box.cli("sync", "--account", "Alice")

    inbox = server_inbox(imap)
    imap.logout()
    local = listing(box)
    local_uids = sorted(message["uid"] for message in local)
    if local_uids != sorted(inbox):
        missing = sorted(set(inbox) - set(local_uids))
        extra = sorted(set(local_uids) - set(inbox))
        doubled = sorted(uid for uid, n in collections.Counter(local_uids).items() if n > 1)
        fail("the local INBOX differs from the server's: missing UIDs %s, UIDs gone from the "
             "server %s, UIDs listed twice %s" % (missing[:20], extra[:20], doubled[:20]))
    if any(message["subject"] != inbox[message["uid"]] for message in local):
        fail("a local message does not have the subject of the server's message of its UID")

    uids, leftovers = maildir_census(box.account_dir)
    doubled = sorted(key for key, n in uids.items() if n > 1)
    if doubled:
        fail("%d messages have more than one file in their Maildir (folder, UID): %s"
             % (len(doubled), doubled[:10]))
    if sum(uids.values()) != len(local):
        fail("the Maildirs hold %d files, the index %d messages" % (sum(uids.values()), len(local)))
    # A kill during a download leaves its half-written file in tmp/, which
    # Maildir readers never look at; one per killed run at most.
    print("# %d files left in tmp/" % leftovers)
    if leftovers > kills:
        fail("%d files in tmp/ after %d kills" % (leftovers, kills))

    again = json.loads(box.cli("sync", "--account", "Alice", "--json").stdout)
    if any(report.get("added") != 0 or report.get("removed") != 0 for report in again):
        fail("a sync after the final one still changed something: %s" % again)

    for suffix in ("", "-wal", "-shm"):
        path = os.path.join(box.account_dir, "index.sqlite" + suffix)
        if os.path.exists(path):
            os.remove(path)
    box.cli("reindex")
    if listing(box) != local:
        fail("the index rebuilt from the Maildirs lists other messages")
    print("PASS: %d messages exactly once after %d killed syncs" % (len(local), kills))


# Send ----------------------------------------------------------------------

def closed_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def outbox_entries(box):
    """id -> (state, Message-ID) of every entry in the outbox folder, and the
    names of the other files there."""
    outbox = os.path.join(box.account_dir, "outbox")
    entries, others = {}, []
    for name in sorted(os.listdir(outbox)) if os.path.isdir(outbox) else []:
        path = os.path.join(outbox, name)
        if name.endswith(".state"):
            state = configparser.ConfigParser(interpolation=None)
            state.read(path)
            entries.setdefault(name[:-6], {})["state"] = state["Outbox"]["State"]
        elif name.endswith(".eml"):
            with open(path, "rb") as f:
                match = re.search(rb"^Message-ID:\s*(<[^>\r\n]+>)", f.read(), re.M | re.I)
            entries.setdefault(name[:-4], {})["message_id"] = match.group(1).decode()
        else:
            others.append(name)
    # A state without its message is what a kill in the middle of a removal
    # leaves (the message goes first); the next listing clears it.
    for entry_id in [i for i, entry in entries.items() if "message_id" not in entry]:
        del entries[entry_id]
        others.append(entry_id + ".state")
    return entries, others


def copies(connection, folder, message_ids):
    connection.select(folder, readonly=True)
    found = {}
    for message_id in message_ids:
        _, data = connection.uid("SEARCH", None, "HEADER", "Message-ID",
                                 '"%s"' % message_id.strip("<>"))
        found[message_id] = len(data[0].split())
    return found


def test_send(box, rng, rounds):
    count = SEND_MESSAGES

    # Queued while the server cannot be reached: each send ends with "later".
    box.add_alice(closed_port())
    for i in range(count):
        size = int(rng.choice((200, 5000, 50000)) * rng.uniform(0.5, 1.0))
        result = box.cli("send", "--account", "Alice", "--to", box.env["BOB_EMAIL"],
                         "--subject", "crash %d" % i, "--body", random_body(rng, size),
                         check=False)
        if result.returncode != 75:
            fail("queueing message %d gave status %d: %s" % (i, result.returncode, result.stderr))

    # Then the server is back, and the retry time has come for every message:
    # the account gets the real port, the outbox's state files a due time now.
    with open(box.accounts_file) as f:
        accounts = f.read()
    with open(box.accounts_file, "w") as f:
        f.write(re.sub(r"smtp://%s:\d+" % re.escape(HOST),
                       "smtp://%s:%s" % (HOST, box.env["SUBMISSION_PORT"]), accounts))
    outbox = os.path.join(box.account_dir, "outbox")
    for name in os.listdir(outbox):
        if name.endswith(".state"):
            path = os.path.join(outbox, name)
            with open(path) as f:
                state = re.sub(r"^NextAttempt=.*$", "NextAttempt=0", f.read(), flags=re.M)
            with open(path, "w") as f:
                f.write(state)

    entries, _ = outbox_entries(box)
    message_ids = sorted(entry["message_id"] for entry in entries.values())
    if len(set(message_ids)) != count:
        fail("%d distinct messages queued, not %d" % (len(set(message_ids)), count))

    # Each message takes an SMTP transaction and an APPEND, some tens of
    # milliseconds: kills land anywhere from start-up to the middle of the
    # queue, and the queue shrinks between them.
    in_flight = collections.Counter()      # kills that left a message "sending"
    accepted = collections.Counter()       # kills that left it "accepted"
    kills = 0
    for _ in range(rounds):
        if not kill_after(rng.uniform(0.0, SEND_MAX_DELAY), "outbox", "--account", "Alice", "--flush"):
            continue
        kills += 1
        entries, _ = outbox_entries(box)
        for entry in entries.values():
            if entry.get("state") == "sending":
                in_flight[entry["message_id"]] += 1
            elif entry.get("state") == "accepted":
                accepted[entry["message_id"]] += 1
        if not entries:
            break
    print("# %d flushes killed; %d kills during an SMTP transaction, %d between acceptance "
          "and the copy to Sent" % (kills, sum(in_flight.values()), sum(accepted.values())))

    box.cli("outbox", "--account", "Alice", "--flush")
    if json.loads(box.cli("outbox", "--account", "Alice", "--json").stdout) != []:
        fail("the outbox is not empty after the final flush")
    entries, others = outbox_entries(box)
    if entries:
        fail("the outbox folder still holds entries: %s" % sorted(entries))

    bob = box.imap("BOB")
    deadline = time.monotonic() + 60
    while True:
        received = copies(bob, "INBOX", message_ids)
        if all(n > 0 for n in received.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    bob.logout()
    alice = box.imap("ALICE")
    sent = copies(alice, "Sent", message_ids)
    alice.logout()

    problems = []
    for message_id in message_ids:
        if not 1 <= received[message_id] <= 1 + in_flight[message_id]:
            problems.append("bob received %s %d times (%d kills during its SMTP transaction)"
                            % (message_id, received[message_id], in_flight[message_id]))
        if sent[message_id] != 1:
            problems.append("alice's Sent holds %s %d times (%d kills before its removal "
                            "from the outbox)" % (message_id, sent[message_id], accepted[message_id]))
    if problems:
        fail("\n  ".join(problems))
    print("# %d messages received twice, %d copied to Sent twice"
          % (sum(1 for n in received.values() if n > 1), sum(1 for n in sent.values() if n > 1)))
    # A kill while a state file is rewritten leaves its temporary file, which
    # the outbox never reads; one per killed run at most.
    print("# %d temporary files left in the outbox folder" % len(others))
    if len(others) > kills:
        fail("%d files other than entries in the outbox folder after %d kills: %s"
             % (len(others), kills, others[:10]))
    print("PASS: %d messages sent after %d killed flushes" % (count, kills))


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("sync", "send"):
        print("usage: %s sync|send" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    if os.geteuid() != 0:
        skip_or_fail("the operator in a box needs root")
    for program in ("dovecot", "postfix", "openssl"):
        if shutil.which(program) is None:
            skip_or_fail("%s is not installed" % program)

    seed = env_int("CACHET_CRASH_SEED", random.SystemRandom().randrange(1 << 32))
    rounds = env_int("CACHET_CRASH_ROUNDS", 40)
    print("# seed %d (CACHET_CRASH_SEED), %d rounds (CACHET_CRASH_ROUNDS)" % (seed, rounds))
    rng = random.Random(seed)

    work = tempfile.mkdtemp()
    os.chmod(work, 0o755)
    box = None
    try:
        box = Box(work)
        (test_sync if sys.argv[1] == "sync" else test_send)(box, rng, rounds)
    finally:
        if box is not None:
            box.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
